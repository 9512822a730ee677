// Light and dark themes for the plots, matching the workbench's colours (src/renderer styles.css)
// so a plot sits on the editor background without a box around it. Model colours do not change
// with the theme (palette.ts); only ink, paper and guides do.
import type { Config } from 'vega-lite';

export type PlotTheme = 'light' | 'dark';
export const PLOT_THEMES: readonly PlotTheme[] = ['light', 'dark'];

/** Colours a spec builder draws with besides model colours. */
export interface ThemeInk {
  background: string;
  text: string;
  strong: string;
  muted: string;
  grid: string;
  domain: string;
  /** Strong marks on top of model colours: the IQR bar, the critical path outline. */
  ink: string;
  /** The contrasting fill on ink: the median dot. */
  paper: string;
  /** Failed calls. */
  error: string;
}

export const THEME_INK: Record<PlotTheme, ThemeInk> = {
  light: {
    background: '#ffffff',
    text: '#3b3b3b',
    strong: '#1f1f1f',
    muted: '#6b6b6b',
    grid: '#e5e5e5',
    domain: '#8b8b8b',
    ink: '#1f1f1f',
    paper: '#ffffff',
    error: '#c72e0f',
  },
  dark: {
    background: '#1f1f1f',
    text: '#cccccc',
    strong: '#e6e6e6',
    muted: '#9d9d9d',
    grid: '#333333',
    domain: '#7a7a7a',
    ink: '#e6e6e6',
    paper: '#1f1f1f',
    error: '#f48771',
  },
};

/** Font stack of the workbench (the HTML report and exported SVGs fall back to the system sans-serif). */
export const PLOT_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, Cantarell, 'Noto Sans', sans-serif";

/** The vega-lite config of a theme (background, axes, legends, titles). */
export function themeConfig(theme: PlotTheme): Config {
  const c = THEME_INK[theme];
  const axis = {
    domainColor: c.domain,
    tickColor: c.domain,
    gridColor: c.grid,
    labelColor: c.text,
    titleColor: c.strong,
    labelFont: PLOT_FONT,
    titleFont: PLOT_FONT,
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 600 as const,
    // Keep a gap between tick labels ("1,000 1,200", not "1,0001,200").
    labelSeparation: 8,
  };
  return {
    background: c.background,
    font: PLOT_FONT,
    view: { stroke: c.grid },
    axis,
    legend: {
      labelColor: c.text,
      titleColor: c.strong,
      labelFont: PLOT_FONT,
      titleFont: PLOT_FONT,
      labelFontSize: 11,
      titleFontSize: 12,
      labelLimit: 320,
    },
    title: {
      color: c.strong,
      subtitleColor: c.muted,
      font: PLOT_FONT,
      subtitleFont: PLOT_FONT,
      fontSize: 14,
      subtitleFontSize: 11,
      anchor: 'start',
      offset: 10,
    },
    header: { labelColor: c.text, titleColor: c.strong, labelFont: PLOT_FONT, titleFont: PLOT_FONT, labelFontSize: 11 },
    text: { color: c.text, font: PLOT_FONT },
  };
}

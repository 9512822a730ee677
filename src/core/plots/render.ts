// Renders the shared vega-lite specs to SVG in Node (no browser, no canvas): vega's headless
// View. Used by `casebench report --format html`, the plot tests and bench/plots.ts.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { svgWithTooltips } from '#shared/plots/export.ts';
import { vegaTextWidth } from './textWidth.ts';

// Without a canvas vega estimates text far too wide (see textWidth.ts); vega's documented hook for
// headless renderers (vl-convert uses it too) is replacing textMetrics.width. Not in its typings.
(vega as unknown as { textMetrics: { width: typeof vegaTextWidth } }).textMetrics.width = vegaTextWidth;

/** Warnings vega-lite or vega raised while compiling a spec (kept off stderr; tests read them). */
export interface RenderResult {
  svg: string;
  warnings: string[];
}

function collectingLogger(warnings: string[]): vega.LoggerInterface {
  let lvl = vega.Warn;
  const logger: vega.LoggerInterface = {
    level(l?: number) {
      if (l === undefined) return lvl;
      lvl = l;
      return logger;
    },
    error(...args: readonly unknown[]) {
      warnings.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  } as vega.LoggerInterface;
  return logger;
}

/** The spec as an SVG document with hover titles on every mark, and any warnings. */
export async function renderSvgWithWarnings(spec: TopLevelSpec): Promise<RenderResult> {
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const vg = compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return { svg: svgWithTooltips(svg), warnings };
  } finally {
    view.finalize();
  }
}

/** The spec as an SVG document (hover titles on every mark). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  return (await renderSvgWithWarnings(spec)).svg;
}

/**
 * An SVG document made ready to inline in HTML: no XML prolog and no namespace declarations (the
 * HTML parser puts <svg> in the SVG namespace itself), so the page holds no URL at all. Attributes
 * that only matter to an interactive view (pointer-events, ARIA roles) and the font stack repeated
 * on every text (the page's CSS sets it once: `svg text { font-family: … }`) are dropped, which
 * takes a third off a report.
 */
export function inlineSvg(svg: string, idPrefix = ''): string {
  return (
    svg
      .replace(/^<\?xml[^>]*>\s*/, '')
      .replace(/\sxmlns(:xlink)?="[^"]*"/g, '')
      .replace(/\s(pointer-events|role|aria-roledescription|font-family)="[^"]*"/g, '')
      // Ids are global in an HTML page: every plot's clip paths are "clip1", "clip2", …, so each
      // inlined SVG gets its own prefix or a plot would clip to another plot's rectangle.
      .replace(/\sid="([^"]+)"/g, ` id="${idPrefix}$1"`)
      .replace(/url\(#([^)]+)\)/g, `url(#${idPrefix}$1)`)
  );
}

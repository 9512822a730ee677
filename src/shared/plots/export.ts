// Exporting a rendered plot (SVG, PNG) and turning a click on a mark into the calls behind it.
// Works on any object with vega View's export methods, so this file needs no vega import and the
// renderer passes the `view` vega-embed returns.

/** The part of a vega View this file uses (vega's View satisfies it). */
export interface ExportableView {
  toSVG(scaleFactor?: number): Promise<string>;
  toImageURL(type: string, scaleFactor?: number): Promise<string>;
}

/**
 * An SVG whose marks show their values on hover without any script: each self-closing mark that
 * vega labelled (aria-label, from the spec's description channel) gets the label as a <title>
 * child instead, which browsers show as a native tooltip and screen readers read as its name.
 * Coordinates are rounded to 0.1 px (vega writes 15 digits), which halves a plot's size.
 */
export function svgWithTooltips(svg: string): string {
  return svg
    .replace(
      /<(path|line|rect|circle|text|image|ellipse)\b([^<>]*?)\saria-label="([^"]*)"([^<>]*?)\/>/g,
      (_m, tag: string, a: string, label: string, b: string) => {
        return `<${tag}${a}${b}><title>${label}</title></${tag}>`;
      },
    )
    .replace(
      /\s(d|transform|x|y|x1|x2|y1|y2|width|height)="([^"]*)"/g,
      (_m, name: string, value: string) => ` ${name}="${value.replace(/(\d\.\d)\d+/g, '$1')}"`,
    );
}

/** The plot as a standalone SVG document (hover titles included). */
export async function exportSvg(view: ExportableView): Promise<string> {
  return svgWithTooltips(await view.toSVG());
}

/** The plot as a PNG data URL; scale 2 by default so it stays sharp on a slide. */
export async function exportPngDataUrl(view: ExportableView, scale = 2): Promise<string> {
  return view.toImageURL('png', scale);
}

/** A file name for an exported plot: casebench-<run>-<task>-<kind>.<ext>, safe on every OS. */
export function plotFileName(parts: { run?: string; task?: string; kind: string; theme?: string }, ext: 'svg' | 'png'): string {
  const slug = [parts.run, parts.task, parts.kind, parts.theme]
    .filter((p): p is string => Boolean(p))
    .map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, ''))
    .join('-');
  return `casebench-${slug}.${ext}`;
}

/** What a click on a plot selects: calls by id, or the calls of a model whose latency lies in a range. */
export interface PlotSelection {
  task: string | null;
  model: string | null;
  /** The calls behind the mark (a histogram bar, an ECDF step, a dot), when it stands for known calls. */
  callIds: number[];
  ticketIds: string[];
  /** A violin or a quantile dot stands for a latency range of one model's calls: [lo, hi] ms, inclusive. */
  latencyRange: [number, number] | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * The selection behind a clicked datum of any casebench plot (vega's item.datum), or null when
 * the mark stands for no calls (a guide rule, a label). Use with
 * `view.addEventListener('click', (_e, item) => plotSelection(item?.datum))`.
 */
export function plotSelection(datum: unknown): PlotSelection | null {
  if (!datum || typeof datum !== 'object') return null;
  const d = datum as Record<string, unknown>;
  const callIds = typeof d.callId === 'number' ? [d.callId] : nums(d.callIds);
  const ticketIds = typeof d.ticketId === 'string' ? [d.ticketId] : strs(d.ticketIds);
  const lo = d.latLo;
  const hi = d.latHi;
  const latencyRange: [number, number] | null = typeof lo === 'number' && typeof hi === 'number' ? [lo, hi] : null;
  if (callIds.length === 0 && latencyRange === null && ticketIds.length === 0) return null;
  return { task: str(d.task), model: str(d.model), callIds, ticketIds, latencyRange };
}

/** vega-embed options for the workbench: no action menu (the app has its own export buttons), SVG renderer, themed tooltips. */
export function embedOptions(theme: 'light' | 'dark'): { actions: false; renderer: 'svg'; tooltip: { theme: 'light' | 'dark' } } {
  return { actions: false, renderer: 'svg', tooltip: { theme } };
}

// `casebench report --format html`: one self-contained file to share with people without the app.
// The tables are the Markdown report's own (converted, so they never drift from `--format md`),
// each task's section is followed by its latency plots, and the plan by its waterfalls. Plots are
// SVG rendered here in Node and inlined; styles are inline; there is no script and no URL at all
// (a Content-Security-Policy of default-src 'none' says so to the browser), so it opens offline.
// Light and dark versions of each plot are both inlined and CSS shows the one that matches the
// reader's system setting, or the one picked with the (script-free) switch at the top.
import type { TopLevelSpec } from 'vega-lite';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import type { LatencyPoint } from '#shared/plots/common.ts';
import { ecdfSpec, histogramKdeSpec, tokensScatterSpec, violinSpec } from '#shared/plots/latency.ts';
import { PLOT_FONT, THEME_INK, type PlotTheme } from '#shared/plots/theme.ts';
import { planLane, waterfallSpec, type WaterfallLane } from '#shared/plots/waterfall.ts';
import type { PlanAssignment } from '../metrics/planner.ts';
import type { Report } from '../metrics/report.ts';
import { inlineSvg, renderSvg } from './render.ts';

export interface HtmlReportInput {
  report: Report;
  /** renderMarkdown(report): the tables, converted as they are. */
  markdown: string;
  /** The run's successful calls (loadLatencyPoints). */
  points: readonly LatencyPoint[];
  /** Waterfall lanes of one ticket (loadTicketLanes), or null to draw only the plan. */
  ticket: { id: string; lanes: WaterfallLane[] } | null;
  /** Themes to inline: both (the reader's setting picks), or one. */
  themes: readonly PlotTheme[];
  /** Dots per model in the prompt-length plots (the lines use every call); keeps the file small. */
  maxScatterPoints?: number;
}

export interface HtmlReport {
  html: string;
  /** Plots drawn (each counted once, however many themes it is inlined in). */
  plots: number;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Inline Markdown of the report: `code` and **bold**, everything else escaped. */
function inline(md: string): string {
  return esc(md)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(' | ')
    .map((c) => c.trim());

/**
 * The subset of Markdown renderMarkdown writes (headings, pipe tables with an alignment row,
 * "- " lists, paragraphs) as HTML. Anything else is kept as an escaped paragraph, never dropped.
 */
export function markdownToHtml(md: string): string {
  const lines = md.split('\n');
  const out: string[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length) out.push(`<p>${inline(para.join(' '))}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      const level = h[1]!.length;
      out.push(`<h${level}>${inline(h[2]!)}</h${level}>`);
      continue;
    }
    if (line.startsWith('|') && lines[i + 1]?.startsWith('|') && /^\|[\s:|-]+\|$/.test(lines[i + 1]!.trim())) {
      flush();
      const head = cells(line);
      const aligns = cells(lines[i + 1]!).map((a) => (a.endsWith(':') ? 'num' : ''));
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.startsWith('|')) rows.push(cells(lines[i++]!));
      i--;
      const td = (tag: 'th' | 'td', c: string, k: number): string => `<${tag}${aligns[k] ? ' class="num"' : ''}>${inline(c)}</${tag}>`;
      out.push(
        `<div class="table"><table><thead><tr>${head.map((c, k) => td('th', c, k)).join('')}</tr></thead><tbody>` +
          rows.map((r) => `<tr>${r.map((c, k) => td('td', c, k)).join('')}</tr>`).join('') +
          '</tbody></table></div>',
      );
      continue;
    }
    if (line.startsWith('- ')) {
      flush();
      const items: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('- ')) items.push(`<li>${inline(lines[i++]!.slice(2))}</li>`);
      i--;
      out.push(`<ul>${items.join('')}</ul>`);
      continue;
    }
    if (line.trim() === '') flush();
    else para.push(line);
  }
  flush();
  return out.join('\n');
}

/** The plan's lanes from the report's per-task medians: baseline, --assign, recommended. */
export function planLanes(report: Report): WaterfallLane[] {
  const median = (task: TaskId, model: string): number | null => report.tasks[task][model]?.median_ms ?? null;
  const out: WaterfallLane[] = [];
  const add = (label: string, a: PlanAssignment | undefined | null): void => {
    if (!a) return;
    const lane = planLane(label, a, median);
    if (lane) out.push(lane);
  };
  add(`baseline (${report.baseline})`, report.plan.baseline.assignment);
  add('--assign', report.plan.assignment?.assignment);
  add('recommended', report.plan.recommended?.assignment);
  return out;
}

let figureSeq = 0;

async function figure(spec: (theme: PlotTheme) => TopLevelSpec, themes: readonly PlotTheme[], kind: string): Promise<string> {
  const parts: string[] = [];
  for (const theme of themes) {
    const svg = inlineSvg(await renderSvg(spec(theme)), `p${++figureSeq}-`);
    parts.push(themes.length > 1 ? `<div class="p-${theme}">${svg}</div>` : svg);
  }
  return `<figure class="plot" data-kind="${esc(kind)}">${parts.join('')}</figure>`;
}

function css(themes: readonly PlotTheme[]): string {
  const vars = (t: PlotTheme): string => {
    const c = THEME_INK[t];
    return `--bg:${c.background};--text:${c.text};--strong:${c.strong};--muted:${c.muted};--line:${c.grid};--code:${t === 'light' ? '#f3f4f6' : '#2a2a2a'};`;
  };
  const first = themes[0] ?? 'light';
  const both = themes.length > 1;
  return [
    `:root{color-scheme:${both ? 'light dark' : first};${vars(first)}}`,
    // Order matters: the default hides the dark plots, the media query (later, same specificity) flips it.
    both ? `.p-dark{display:none}` : '',
    both ? `@media (prefers-color-scheme: dark){:root{${vars('dark')}}.p-light{display:none}.p-dark{display:block}}` : '',
    both
      ? `:root:has(#theme-light:checked){color-scheme:light;${vars('light')}}:root:has(#theme-dark:checked){color-scheme:dark;${vars('dark')}}`
      : '',
    both
      ? `:root:has(#theme-light:checked) .p-light,:root:has(#theme-dark:checked) .p-dark{display:block}:root:has(#theme-light:checked) .p-dark,:root:has(#theme-dark:checked) .p-light{display:none}`
      : '',
    `body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 ${PLOT_FONT}}`,
    'main{max-width:1340px;margin:0 auto;padding:24px 28px 64px}',
    'h1,h2,h3{color:var(--strong);line-height:1.25}h1{font-size:22px}h2{font-size:18px;margin-top:40px;padding-top:16px;border-top:1px solid var(--line)}h3{font-size:15px}',
    'code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--code);padding:1px 4px;border-radius:3px}',
    '.table{overflow-x:auto}table{border-collapse:collapse;margin:8px 0 12px;font-variant-numeric:tabular-nums}',
    // Tables fit the page: text columns wrap (a model spec breaks at its slashes and colons), numbers never do.
    'th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}th{color:var(--strong);font-weight:600}.num{text-align:right;white-space:nowrap}',
    'td code{overflow-wrap:anywhere}table{max-width:100%}',
    `figure.plot svg text{font-family:${PLOT_FONT}}`,
    '.plots{display:flex;flex-wrap:wrap;gap:20px 28px;margin:12px 0}figure.plot{margin:0;max-width:100%;overflow-x:auto}figure.plot svg{display:block;max-width:none}',
    '.meta{color:var(--muted);font-size:12.5px}.switch{float:right;color:var(--muted);font-size:12.5px}.switch label{margin-left:8px;cursor:pointer}',
  ]
    .filter(Boolean)
    .join('\n');
}

/** The whole HTML document. */
export async function renderHtmlReport(input: HtmlReportInput): Promise<HtmlReport> {
  figureSeq = 0;
  const { report, themes } = input;
  const models = [report.baseline, ...report.run.models.filter((m) => m !== report.baseline)];
  const allModels = models;
  let plots = 0;
  const taskFigures = async (task: TaskId): Promise<string> => {
    const o = { task, models, allModels };
    const figs = [
      await figure((theme) => violinSpec(input.points, { ...o, theme }), themes, 'violin'),
      await figure((theme) => histogramKdeSpec(input.points, { ...o, theme }), themes, 'histogram'),
      // A static page gets lighter curves and clouds than the app (each dot carries its own title):
      // 200 ECDF steps and 150 dots a model keep the shape and halve the file.
      await figure((theme) => ecdfSpec(input.points, { ...o, theme, mode: 'raw', maxSteps: 200 }), themes, 'ecdf'),
      await figure(
        (theme) => tokensScatterSpec(input.points, { ...o, theme, maxPointsPerModel: input.maxScatterPoints ?? 150 }),
        themes,
        'scatter',
      ),
    ];
    plots += figs.length;
    return `<div class="plots">${figs.join('')}</div>`;
  };
  // Sections of the Markdown report, each heading `## X`; a task's plots follow its table.
  const md = input.markdown;
  const sections = md.split(/\n(?=## )/);
  const body: string[] = [];
  for (const section of sections) {
    body.push(markdownToHtml(section));
    const heading = /^## (.*)$/m.exec(section)?.[1]?.trim();
    const task = TASK_IDS.find((t) => TASKS[t].label === heading);
    if (task) body.push(await taskFigures(task));
    if (heading === 'Plan') {
      const lanes = planLanes(report);
      const figs: string[] = [];
      if (lanes.length) {
        figs.push(
          await figure(
            (theme) => waterfallSpec(lanes, { theme, allModels, title: 'Plan: critical path from per-task medians' }),
            themes,
            'waterfall-plan',
          ),
        );
      }
      if (input.ticket?.lanes.length) {
        const t = input.ticket;
        figs.push(
          await figure(
            (theme) => waterfallSpec(t.lanes, { theme, allModels, title: `Ticket ${t.id}: every model's graph run` }),
            themes,
            'waterfall-ticket',
          ),
        );
      }
      plots += figs.length;
      if (figs.length) body.push(`<div class="plots">${figs.join('')}</div>`);
    }
  }
  const title = `casebench report: ${report.run.id}`;
  const switcher =
    themes.length > 1
      ? '<div class="switch">theme <label><input type="radio" name="theme" id="theme-auto" checked> system</label>' +
        '<label><input type="radio" name="theme" id="theme-light"> light</label><label><input type="radio" name="theme" id="theme-dark"> dark</label></div>'
      : '';
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing may be fetched: no script, no font, no image, no connection.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>\n${css(themes)}\n</style>`,
    '</head>',
    '<body><main>',
    switcher,
    body.join('\n'),
    `<p class="meta">Plots: latency of successful calls. Violins: IQR filter (Q1 − 1.5·IQR … Q3 + 1.5·IQR); histograms: capped at 2,000 ms and 5 % trimmed from each tail; KDE: Gaussian, Silverman's bandwidth. Hover a mark for its values. Written by casebench report --format html.</p>`,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
  return { html, plots };
}

// vega-lite specs of the latency plots of one task (issue #7, contracts §6): a violin per model,
// a histogram + KDE per model, the empirical CDF with p50/p95/p99, and latency against prompt
// length with a least-squares line. Pure functions of the calls: the workbench renders them with
// vega-embed and `casebench report --format html` renders the same specs to SVG in Node, so both
// show the same numbers. Densities and quantiles are computed here (src/shared/stats), not by
// vega's own transforms, so they are the report's digits and the bandwidth can be stated.
import type { TopLevelSpec } from 'vega-lite';
import { binLayout, capAndTrim, ecdf, histogram, iqrFilter, linearFit, thinSteps, upperBound, type EcdfStep } from '../stats/distribution.ts';
import { gaussianKde } from '../stats/kde.ts';
import { quantileSorted } from '../stats/quantiles.ts';
import {
  fmtInt, fmtMs, plotModels, samplesByModel, taskLabel, themeOf,
  type LatencyPlotOptions, type LatencyPoint, type ModelSample, type PlotMeta,
} from './common.ts';
import { modelColorScale } from './palette.ts';
import { THEME_INK, themeConfig } from './theme.ts';

/** Contracts §6: histogram latencies are capped here … */
export const HISTOGRAM_CAP_MS = 2000;
/** … and this share is trimmed from each tail. */
export const HISTOGRAM_TRIM = 0.05;
/** Violin: kept range is Q1 − k·IQR … Q3 + k·IQR. */
export const IQR_K = 1.5;

type Datum = Record<string, unknown>;

const ids = (s: ModelSample, from: number, to: number): { callIds: number[]; ticketIds: string[] } => {
  const callIds: number[] = [];
  const ticketIds: string[] = [];
  for (let i = from; i < to; i++) {
    callIds.push(s.points[i]!.callId);
    ticketIds.push(s.points[i]!.ticketId);
  }
  return { callIds, ticketIds };
};

const noData = (title: string, text: string, o: LatencyPlotOptions, meta: PlotMeta): TopLevelSpec => {
  const theme = themeOf(o.theme);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title },
    width: o.width ?? 560,
    height: 40,
    data: { values: [{ text }] },
    mark: { type: 'text', align: 'left', baseline: 'middle', color: THEME_INK[theme].muted, fontSize: 12 },
    encoding: { text: { field: 'text' }, x: { value: 0 }, y: { value: 20 } },
    config: { ...themeConfig(theme), view: { stroke: null } },
    usermeta: { casebench: meta },
  };
};

/** Per-model summary of all successful calls: the numbers the report prints. */
interface Summary {
  n: number;
  median: number;
  q1: number;
  q3: number;
  p95: number;
  p99: number;
}
const summarise = (v: Float64Array): Summary | null =>
  v.length === 0
    ? null
    : { n: v.length, median: quantileSorted(v, 0.5)!, q1: quantileSorted(v, 0.25)!, q3: quantileSorted(v, 0.75)!, p95: quantileSorted(v, 0.95)!, p99: quantileSorted(v, 0.99)! };

/**
 * Violins of one task, one per model (latency across, models down), after the IQR filter of
 * contracts §6 in filtered mode. The dot is the median and the thick bar Q1–Q3 of all
 * successful calls (the report's numbers); the thin bar spans the values drawn; each model's label
 * says how many calls the filter left out.
 */
export function violinSpec(points: readonly LatencyPoint[], o: LatencyPlotOptions): TopLevelSpec {
  const theme = themeOf(o.theme);
  const ink = THEME_INK[theme];
  const mode = o.mode ?? 'filtered';
  const samples = samplesByModel(points, o.task);
  const models = plotModels(samples, o);
  const title = `${taskLabel(o.task)}: latency per model`;
  const meta: PlotMeta = { kind: 'violin', task: o.task, mode, models, filteredOut: {} as Record<string, number>, bandwidthMs: {} as Record<string, number> };
  if (models.every((m) => !samples.get(m)?.values.length)) return noData(title, 'no successful calls on this task', o, meta);
  const areas: Datum[] = [];
  const marks: Datum[] = [];
  const labels: string[][] = [];
  let totalOut = 0;
  let total = 0;
  models.forEach((model, row) => {
    const s = samples.get(model);
    const v = s?.values ?? new Float64Array(0);
    const sum = summarise(v);
    if (!s || !sum) {
      labels.push([model, 'no successful calls']);
      return;
    }
    const f = iqrFilter(v, IQR_K)!;
    const [from, to] = mode === 'filtered' ? [f.from, f.to] : [0, v.length];
    const out = v.length - (to - from);
    totalOut += out;
    total += v.length;
    (meta.filteredOut as Record<string, number>)[model] = out;
    const kept = v.subarray(from, to);
    const kde = gaussianKde(kept, { points: 100 });
    if (kde) (meta.bandwidthMs as Record<string, number>)[model] = kde.bandwidth;
    const base = {
      model, task: o.task, row, n: sum.n, median: sum.median, q1: sum.q1, q3: sum.q3, p95: sum.p95,
      latLo: kept[0] ?? null, latHi: kept[kept.length - 1] ?? null, filteredOut: out, bandwidth: kde?.bandwidth ?? null,
    };
    const tip =
      `${model} · n ${fmtInt(sum.n)} · median ${fmtMs(sum.median)} · Q1–Q3 ${fmtMs(sum.q1)}–${fmtMs(sum.q3)} · p95 ${fmtMs(sum.p95)}` +
      (mode === 'filtered' ? ` · ${fmtInt(out)} outside Q1 − 1.5·IQR … Q3 + 1.5·IQR (${fmtInt(f.removedLow)} below, ${fmtInt(f.removedHigh)} above)` : '') +
      (kde ? ` · KDE h = ${fmtMs(kde.bandwidth)}` : '');
    labels.push([model, mode === 'filtered' ? `n ${fmtInt(sum.n)} · ${fmtInt(out)} filtered out` : `n ${fmtInt(sum.n)} · raw`]);
    if (kde) {
      let peak = 0;
      for (const d of kde.density) if (d > peak) peak = d;
      for (let j = 0; j < kde.xs.length; j++) {
        const half = peak > 0 ? (0.42 * kde.density[j]!) / peak : 0;
        areas.push({ ...base, kind: 'violin', x: kde.xs[j], y: row - half, y2: row + half, tip });
      }
    }
    marks.push({ ...base, kind: 'range', x: kept[0], x2: kept[kept.length - 1], y: row, tip: `${model}: calls drawn span ${fmtMs(kept[0] ?? null)}–${fmtMs(kept[kept.length - 1] ?? null)}` });
    marks.push({ ...base, kind: 'iqr', x: sum.q1, x2: sum.q3, y: row, tip: `${model}: Q1–Q3 ${fmtMs(sum.q1)}–${fmtMs(sum.q3)}` });
    marks.push({ ...base, kind: 'median', x: sum.median, y: row, tip: `${model}: median ${fmtMs(sum.median)} (n ${fmtInt(sum.n)})` });
  });
  const k = models.length;
  const colour = { field: 'model', type: 'nominal' as const, scale: modelColorScale(models, o.allModels ?? models), legend: null };
  const x = { field: 'x', type: 'quantitative' as const, title: 'latency (ms)', scale: { zero: true, nice: true } };
  const tooltip = [{ field: 'tip', type: 'nominal' as const, title: 'calls' }];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: [
        mode === 'filtered'
          ? `IQR filter: drawn Q1 − 1.5·IQR … Q3 + 1.5·IQR; ${fmtInt(totalOut)} of ${fmtInt(total)} calls filtered out`
          : `raw: all ${fmtInt(total)} successful calls`,
        "dot: median, thick bar: Q1–Q3 of all successful calls; shape: Gaussian KDE, Silverman's bandwidth",
      ],
    },
    width: o.width ?? 560,
    height: Math.max(80, 64 * k),
    layer: [
      {
        data: { values: areas },
        mark: { type: 'area', orient: 'vertical', fillOpacity: 0.55, strokeWidth: 1.2, clip: true },
        encoding: {
          x,
          y: { field: 'y', type: 'quantitative' },
          y2: { field: 'y2' },
          detail: { field: 'model' },
          color: colour,
          stroke: colour,
          tooltip,
          description: { field: 'tip' },
        },
      },
      {
        data: { values: marks },
        layer: [
          {
            transform: [{ filter: "datum.kind === 'range'" }],
            mark: { type: 'rule', color: ink.ink, strokeWidth: 1 },
            encoding: { x, x2: { field: 'x2' }, y: { field: 'y', type: 'quantitative' }, tooltip, description: { field: 'tip' } },
          },
          {
            transform: [{ filter: "datum.kind === 'iqr'" }],
            mark: { type: 'rule', color: ink.ink, strokeWidth: 6, strokeCap: 'butt' },
            encoding: { x, x2: { field: 'x2' }, y: { field: 'y', type: 'quantitative' }, tooltip, description: { field: 'tip' } },
          },
          {
            transform: [{ filter: "datum.kind === 'median'" }],
            mark: { type: 'point', filled: true, fill: ink.paper, stroke: ink.ink, strokeWidth: 1.5, size: 42, opacity: 1 },
            encoding: { x, y: { field: 'y', type: 'quantitative' }, tooltip, description: { field: 'tip' } },
          },
        ],
      },
    ],
    resolve: { scale: { color: 'shared' } },
    encoding: {
      y: {
        field: 'y',
        type: 'quantitative',
        title: null,
        scale: { domain: [-0.5, k - 0.5], reverse: true, nice: false, zero: false },
        axis: { values: models.map((_, i) => i), labelExpr: `${JSON.stringify(labels)}[datum.value]`, grid: false, ticks: false, domain: false, labelPadding: 6, labelLimit: 320, labelLineHeight: 14 },
      },
    },
    config: themeConfig(theme),
    usermeta: { casebench: meta },
  };
}

/** Histogram options: contracts §6 cap and trim, and the bin count aimed at. */
export interface HistogramOptions extends LatencyPlotOptions {
  capMs?: number;
  trim?: number;
  bins?: number;
}

/**
 * Histogram + KDE of one task, one panel per model on a shared latency axis. Filtered mode is
 * contracts §6: latencies capped at 2000 ms and 5 % trimmed from each tail. The curve is the
 * Gaussian KDE of the same values scaled to calls per bin; its Silverman bandwidth is printed in
 * each panel. Bars carry the calls behind them (callIds / ticketIds).
 */
export function histogramKdeSpec(points: readonly LatencyPoint[], o: HistogramOptions): TopLevelSpec {
  const theme = themeOf(o.theme);
  const ink = THEME_INK[theme];
  const mode = o.mode ?? 'filtered';
  const capMs = o.capMs ?? HISTOGRAM_CAP_MS;
  const trim = o.trim ?? HISTOGRAM_TRIM;
  const samples = samplesByModel(points, o.task);
  const models = plotModels(samples, o).filter((m) => (samples.get(m)?.values.length ?? 0) > 0);
  const title = `${taskLabel(o.task)}: latency histogram + KDE`;
  const meta: PlotMeta = { kind: 'histogram', task: o.task, mode, models, bandwidthMs: {} as Record<string, number>, capMs, trim };
  if (models.length === 0) return noData(title, 'no successful calls on this task', o, meta);
  // The displayed sample of each model, then one bin layout for all so the panels line up.
  const shown = models.map((m) => {
    const s = samples.get(m)!;
    if (mode === 'raw') return { s, from: 0, to: s.values.length, values: s.values, capped: 0, trimmed: 0 };
    const t = capAndTrim(s.values, capMs, trim);
    return { s, from: t.from, to: t.to, values: t.values, capped: t.capped, trimmed: t.trimmedEach };
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of shown) {
    if (d.values.length === 0) continue;
    lo = Math.min(lo, d.values[0]!);
    hi = Math.max(hi, d.values[d.values.length - 1]!);
  }
  if (!Number.isFinite(lo)) return noData(title, 'too few calls to trim 5 % from each tail', o, meta);
  const layout = binLayout(lo, hi, o.bins ?? 40);
  const end = layout.start + layout.count * layout.step;
  const colour = { field: 'model', type: 'nominal' as const, scale: modelColorScale(models, o.allModels ?? models), legend: null };
  const tooltip = [{ field: 'tip', type: 'nominal' as const, title: 'calls' }];
  // One panel per model (a vconcat rather than a facet: each panel has its own title line for the
  // model and its bandwidth); every panel gets the same latency domain and the same count scale.
  const panels: Array<{ model: string; bins: Datum[]; kde: Datum[]; note: string }> = [];
  let maxCount = 0;
  for (const d of shown) {
    const model = d.s.model;
    const bins: Datum[] = [];
    for (const b of histogram(d.values, layout)) {
      if (b.count === 0) continue;
      maxCount = Math.max(maxCount, b.count);
      const last = mode === 'filtered' && d.capped > 0 && b.to === d.values.length;
      bins.push({
        model, task: o.task, x: b.x0, x2: b.x1, count: b.count, ...ids(d.s, d.from + b.from, d.from + b.to),
        tip: `${model}: ${fmtInt(b.count)} calls ${fmtMs(b.x0)}–${fmtMs(b.x1)}${last ? ` (incl. ${fmtInt(d.capped)} above ${fmtMs(capMs)}, drawn at the cap)` : ''}`,
      });
    }
    const kde = gaussianKde(d.values, { lo: layout.start, hi: end, points: 200 });
    const curve: Datum[] = [];
    if (kde) {
      (meta.bandwidthMs as Record<string, number>)[model] = kde.bandwidth;
      const scale = d.values.length * layout.step;
      for (let j = 0; j < kde.xs.length; j++) {
        const y = kde.density[j]! * scale;
        maxCount = Math.max(maxCount, y);
        curve.push({ model, task: o.task, x: kde.xs[j], y, tip: `${model}: KDE ${y.toFixed(1)} calls per bin at ${fmtMs(kde.xs[j]!)}` });
      }
    }
    const what =
      mode === 'filtered'
        ? `n ${fmtInt(d.values.length)} of ${fmtInt(d.s.values.length)} (${fmtInt(d.trimmed)} trimmed from each tail${d.capped ? `, ${fmtInt(d.capped)} capped at ${fmtInt(capMs)} ms` : ''})`
        : `n ${fmtInt(d.values.length)} (raw)`;
    panels.push({ model, bins, kde: curve, note: `${kde ? `KDE bandwidth h = ${fmtMs(kde.bandwidth)} (Silverman)` : 'no KDE: fewer than two distinct values'} · ${what}` });
  }
  const yMax = maxCount > 0 ? maxCount * 1.05 : 1;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: [
        mode === 'filtered'
          ? `latency capped at ${fmtInt(capMs)} ms, ${Math.round(trim * 100)} % trimmed from each tail; bins of ${fmtMs(layout.step)}`
          : `raw: every successful call; bins of ${fmtMs(layout.step)}`,
        "curve: Gaussian KDE scaled to calls per bin, bandwidth by Silverman's rule h = 0.9·min(σ, IQR/1.34)·n^(−1/5)",
      ],
    },
    spacing: 12,
    vconcat: panels.map((p, i) => {
      const x = {
        field: 'x', type: 'quantitative' as const, title: i === panels.length - 1 ? 'latency (ms)' : null,
        scale: { domain: [layout.start, end], nice: false, zero: false },
        axis: { tickCount: 8 },
      };
      const y = { type: 'quantitative' as const, title: 'calls', scale: { domain: [0, yMax], nice: false } };
      return {
        title: { text: p.model, subtitle: p.note, fontSize: 12, subtitleFontSize: 10.5, offset: 4 },
        width: o.width ?? 560,
        height: 72,
        layer: [
          {
            data: { values: p.bins },
            mark: { type: 'rect' as const, opacity: 0.6, stroke: ink.background, strokeWidth: 0.5 },
            encoding: { x, x2: { field: 'x2' }, y: { ...y, field: 'count' }, y2: { datum: 0 }, color: colour, tooltip, description: { field: 'tip' } },
          },
          {
            data: { values: p.kde },
            mark: { type: 'line' as const, color: ink.ink, strokeWidth: 1.5, clip: true },
            encoding: { x, y: { ...y, field: 'y' }, tooltip, description: { field: 'tip' } },
          },
        ],
      };
    }),
    config: themeConfig(theme),
    usermeta: { casebench: meta },
  };
}

/** ECDF options: how many steps a model's curve is drawn through at most. */
export interface EcdfOptions extends LatencyPlotOptions {
  maxSteps?: number;
}

/** The quantiles the ECDF marks. */
export const ECDF_MARKS = [0.5, 0.95, 0.99] as const;

/**
 * Empirical CDF of one task, one curve per model, with each model's p50, p95 and p99 (type-7
 * quantiles of all successful calls: the report's numbers) marked on guide rules. The curve is
 * always over every successful call; filtered mode only cuts the latency axis at the largest
 * Q3 + 1.5·IQR among the models (and says how many calls lie beyond), so the body is readable.
 */
export function ecdfSpec(points: readonly LatencyPoint[], o: EcdfOptions): TopLevelSpec {
  const theme = themeOf(o.theme);
  const ink = THEME_INK[theme];
  const mode = o.mode ?? 'filtered';
  const samples = samplesByModel(points, o.task);
  const models = plotModels(samples, o).filter((m) => (samples.get(m)?.values.length ?? 0) > 0);
  const title = `${taskLabel(o.task)}: cumulative share of calls by latency`;
  const meta: PlotMeta = { kind: 'ecdf', task: o.task, mode, models, quantiles: {} as Record<string, Record<string, number>> };
  if (models.length === 0) return noData(title, 'no successful calls on this task', o, meta);
  const maxSteps = o.maxSteps ?? 400;
  const steps: Datum[] = [];
  const qs: Datum[] = [];
  let fence = -Infinity;
  let max = -Infinity;
  for (const model of models) {
    const s = samples.get(model)!;
    const v = s.values;
    fence = Math.max(fence, iqrFilter(v, IQR_K)!.hi);
    max = Math.max(max, v[v.length - 1]!);
    const all = ecdf(v);
    const drawn: EcdfStep[] = thinSteps(all, maxSteps);
    let prev = 0;
    for (const st of drawn) {
      steps.push({
        kind: 'step', model, task: o.task, x: st.x, p: st.p, ...ids(s, prev, st.count),
        tip: `${model}: ${(st.p * 100).toFixed(1)} % of ${fmtInt(v.length)} calls ≤ ${fmtMs(st.x)}`,
      });
      prev = st.count;
    }
    const q: Record<string, number> = {};
    for (const p of ECDF_MARKS) {
      const x = quantileSorted(v, p)!;
      const name = `p${Math.round(p * 100)}`;
      q[name] = x;
      qs.push({ kind: 'q', model, task: o.task, q: name, x, p, latLo: 0, latHi: x, tip: `${model}: ${name} ${fmtMs(x)} (n ${fmtInt(v.length)})` });
    }
    (meta.quantiles as Record<string, Record<string, number>>)[model] = q;
  }
  const cut = mode === 'filtered' && fence < max ? fence : null;
  let beyond = 0;
  if (cut !== null) for (const m of models) beyond += samples.get(m)!.values.length - upperBound(samples.get(m)!.values, cut);
  const colour = { field: 'model', type: 'nominal' as const, scale: modelColorScale(models, o.allModels ?? models), legend: { orient: 'bottom' as const, title: null, columns: 2, symbolType: 'stroke', symbolStrokeWidth: 3 } };
  const x = {
    field: 'x', type: 'quantitative' as const, title: 'latency (ms)',
    scale: cut !== null ? { domain: [0, cut], nice: false, zero: true } : { zero: true, nice: true },
  };
  const tooltip = [{ field: 'tip', type: 'nominal' as const, title: 'calls' }];
  const guides = ECDF_MARKS.map((p) => ({ p, label: `p${Math.round(p * 100)}`, tip: `p${Math.round(p * 100)}: ${Math.round(p * 100)} % of calls are at most this fast` }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: [
        'every successful call; dots: p50, p95, p99 of each model (the report’s quantiles)',
        cut !== null ? `axis cut at ${fmtMs(cut)} (the largest Q3 + 1.5·IQR); ${fmtInt(beyond)} calls beyond it, not drawn` : 'raw: full latency range',
      ],
    },
    width: o.width ?? 560,
    height: 260,
    layer: [
      {
        data: { values: guides },
        layer: [
          {
            mark: { type: 'rule', color: ink.muted, strokeDash: [4, 3], strokeWidth: 1 },
            encoding: { y: { field: 'p', type: 'quantitative' }, tooltip: [{ field: 'tip', type: 'nominal', title: 'guide' }], description: { field: 'tip' } },
          },
          // p99 above its rule, p50 and p95 below theirs: 0.95 and 0.99 are too close for both above.
          {
            transform: [{ filter: 'datum.p > 0.98' }],
            mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 3, dy: -1, color: ink.muted, fontSize: 10 },
            encoding: { y: { field: 'p', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
          },
          {
            transform: [{ filter: 'datum.p <= 0.98' }],
            mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, color: ink.muted, fontSize: 10 },
            encoding: { y: { field: 'p', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
          },
        ],
      },
      {
        data: { values: steps },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8, clip: true },
        encoding: {
          x,
          y: { field: 'p', type: 'quantitative', title: 'share of calls ≤ latency', scale: { domain: [0, 1] }, axis: { format: '%' } },
          color: colour,
          tooltip,
          description: { field: 'tip' },
        },
      },
      {
        data: { values: qs },
        mark: { type: 'point', filled: true, size: 46, stroke: ink.paper, strokeWidth: 1, opacity: 1, clip: true },
        encoding: { x, y: { field: 'p', type: 'quantitative' }, color: colour, shape: { field: 'q', type: 'nominal', legend: null, scale: { domain: ['p50', 'p95', 'p99'], range: ['circle', 'square', 'diamond'] } }, tooltip, description: { field: 'tip' } },
      },
    ],
    config: themeConfig(theme),
    usermeta: { casebench: meta },
  };
}

/** Scatter options: points drawn per model at most (the line is fitted on all of them). */
export interface ScatterOptions extends LatencyPlotOptions {
  maxPointsPerModel?: number;
}

/**
 * Latency against prompt length (input tokens) for one task, a least-squares line per model and
 * its slope in ms per 1,000 input tokens — to see whether a model slows down on longer prompts
 * (the article's guess for Groq's bumps on the product task, whose prompt grows with the
 * platform's catalogue). Filtered mode drops each model's latency outliers (IQR filter) before
 * fitting, so one slow call does not tilt the line. Points carry callId and ticketId.
 */
export function tokensScatterSpec(points: readonly LatencyPoint[], o: ScatterOptions): TopLevelSpec {
  const theme = themeOf(o.theme);
  const mode = o.mode ?? 'filtered';
  const samples = samplesByModel(points, o.task);
  const models = plotModels(samples, o).filter((m) => (samples.get(m)?.values.length ?? 0) > 0);
  const title = `${taskLabel(o.task)}: latency against prompt length`;
  const meta: PlotMeta = { kind: 'scatter', task: o.task, mode, models, fits: {} as Record<string, { slopeMsPer1kTokens: number; intercept: number; r2: number | null; n: number } | null> };
  if (models.length === 0) return noData(title, 'no successful calls on this task', o, meta);
  const maxPts = o.maxPointsPerModel ?? 1500;
  const dots: Datum[] = [];
  const lines: Datum[] = [];
  const notes: string[] = [];
  let noTokens = 0;
  let thinned = 0;
  for (const model of models) {
    const s = samples.get(model)!;
    const f = iqrFilter(s.values, IQR_K)!;
    const [from, to] = mode === 'filtered' ? [f.from, f.to] : [0, s.values.length];
    const xs: number[] = [];
    const ys: number[] = [];
    const kept: LatencyPoint[] = [];
    for (let i = from; i < to; i++) {
      const p = s.points[i]!;
      if (p.inputTokens === null || !Number.isFinite(p.inputTokens)) {
        noTokens++;
        continue;
      }
      kept.push(p);
      xs.push(p.inputTokens);
      ys.push(p.latencyMs);
    }
    const fit = linearFit(xs, ys);
    (meta.fits as Record<string, unknown>)[model] = fit ? { slopeMsPer1kTokens: fit.slope * 1000, intercept: fit.intercept, r2: fit.r2, n: fit.n } : null;
    const slope = fit ? `${fit.slope * 1000 >= 0 ? '+' : '−'}${fmtMs(Math.abs(fit.slope * 1000))} per 1K input tokens` : 'no slope (prompt lengths do not vary)';
    notes.push(`${model}: ${slope}${fit ? ` (r² ${fit.r2 === null ? '—' : fit.r2.toFixed(2)}, n ${fmtInt(fit.n)})` : ''}`);
    if (fit) {
      const tip = `${model}: latency ≈ ${fmtMs(fit.intercept)} ${slope}; r² ${fit.r2 === null ? '—' : fit.r2.toFixed(3)}; n ${fmtInt(fit.n)}`;
      lines.push({ model, task: o.task, x: fit.xMin, y: fit.intercept + fit.slope * fit.xMin, x2: fit.xMax, y2: fit.intercept + fit.slope * fit.xMax, slopeMsPer1kTokens: fit.slope * 1000, tip });
    }
    // Evenly by call id (not by latency), so a thinned cloud keeps its shape.
    const byId = kept.length > maxPts ? [...kept].sort((a, b) => a.callId - b.callId) : kept;
    const count = Math.min(byId.length, maxPts);
    for (let i = 0; i < count; i++) {
      const p = byId[Math.floor((i * byId.length) / count)]!;
      dots.push({ model, task: o.task, x: p.inputTokens, y: p.latencyMs, callId: p.callId, ticketId: p.ticketId, tip: `${model}: ${fmtMs(p.latencyMs)} at ${fmtInt(p.inputTokens!)} input tokens (ticket ${p.ticketId}, call ${p.callId})` });
    }
    if (count < kept.length) thinned += kept.length - count;
  }
  const colour = { field: 'model', type: 'nominal' as const, scale: modelColorScale(models, o.allModels ?? models), legend: { orient: 'bottom' as const, title: null, columns: 2, symbolOpacity: 1 } };
  const x = { field: 'x', type: 'quantitative' as const, title: 'input tokens (prompt length)', scale: { zero: false, nice: true } };
  const y = { field: 'y', type: 'quantitative' as const, title: 'latency (ms)', scale: { zero: true, nice: true } };
  const tooltip = [{ field: 'tip', type: 'nominal' as const, title: 'calls' }];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: [
        `least-squares line per model${mode === 'filtered' ? ', fitted after the IQR filter of latencies' : ' over every call'}${noTokens ? `; ${fmtInt(noTokens)} calls without a token count left out` : ''}${thinned ? `; ${fmtInt(thinned)} dots not drawn (at most ${fmtInt(maxPts)} per model, the lines use all)` : ''}`,
        ...notes,
      ],
    },
    width: o.width ?? 560,
    height: 260,
    layer: [
      {
        data: { values: dots },
        // Few dots: bigger and opaque; a cloud of thousands: small and faint so density shows.
        mark: { type: 'circle', size: dots.length <= 300 ? 28 : 16, opacity: dots.length <= 300 ? 0.8 : dots.length <= 1500 ? 0.55 : 0.35 },
        encoding: { x, y, color: colour, tooltip, description: { field: 'tip' } },
      },
      {
        data: { values: lines },
        mark: { type: 'rule', strokeWidth: 2.5 },
        encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' }, color: colour, tooltip, description: { field: 'tip' } },
      },
    ],
    config: themeConfig(theme),
    usermeta: { casebench: meta },
  };
}

/** The four latency plots of a task in the order the report shows them. */
export function taskLatencySpecs(points: readonly LatencyPoint[], o: LatencyPlotOptions): Array<{ kind: PlotMeta['kind']; spec: TopLevelSpec }> {
  return [
    { kind: 'violin', spec: violinSpec(points, o) },
    { kind: 'histogram', spec: histogramKdeSpec(points, o) },
    { kind: 'ecdf', spec: ecdfSpec(points, o) },
    { kind: 'scatter', spec: tokensScatterSpec(points, o) },
  ];
}

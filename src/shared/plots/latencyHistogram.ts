// The histogram + KDE of a task's latencies per model (see latency.ts).
import type { TopLevelSpec } from 'vega-lite';
import { binLayout, capAndTrim, histogram } from '../stats/distribution.ts';
import { gaussianKde } from '../stats/kde.ts';
import {
  fmtInt,
  fmtMs,
  plotModels,
  samplesByModel,
  taskLabel,
  themeOf,
  type LatencyPlotOptions,
  type LatencyPoint,
  type PlotMeta,
} from './common.ts';
import { modelColorScale } from './palette.ts';
import { THEME_INK, themeConfig } from './theme.ts';
import { HISTOGRAM_CAP_MS, HISTOGRAM_TRIM, ids, noData, type Datum } from './latencyParts.ts';

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
        model,
        task: o.task,
        x: b.x0,
        x2: b.x1,
        count: b.count,
        ...ids(d.s, d.from + b.from, d.from + b.to),
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
    panels.push({
      model,
      bins,
      kde: curve,
      note: `${kde ? `KDE bandwidth h = ${fmtMs(kde.bandwidth)} (Silverman)` : 'no KDE: fewer than two distinct values'} · ${what}`,
    });
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
        field: 'x',
        type: 'quantitative' as const,
        title: i === panels.length - 1 ? 'latency (ms)' : null,
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
            encoding: {
              x,
              x2: { field: 'x2' },
              y: { ...y, field: 'count' },
              y2: { datum: 0 },
              color: colour,
              tooltip,
              description: { field: 'tip' },
            },
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

// The violin plot of a task's latencies, one violin per model (see latency.ts).
import type { TopLevelSpec } from 'vega-lite';
import { iqrFilter } from '../stats/distribution.ts';
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
import { IQR_K, noData, summarise, type Datum } from './latencyParts.ts';

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
  const meta: PlotMeta = {
    kind: 'violin',
    task: o.task,
    mode,
    models,
    filteredOut: {} as Record<string, number>,
    bandwidthMs: {} as Record<string, number>,
  };
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
      model,
      task: o.task,
      row,
      n: sum.n,
      median: sum.median,
      q1: sum.q1,
      q3: sum.q3,
      p95: sum.p95,
      latLo: kept[0] ?? null,
      latHi: kept[kept.length - 1] ?? null,
      filteredOut: out,
      bandwidth: kde?.bandwidth ?? null,
    };
    const tip =
      `${model} · n ${fmtInt(sum.n)} · median ${fmtMs(sum.median)} · Q1–Q3 ${fmtMs(sum.q1)}–${fmtMs(sum.q3)} · p95 ${fmtMs(sum.p95)}` +
      (mode === 'filtered'
        ? ` · ${fmtInt(out)} outside Q1 − 1.5·IQR … Q3 + 1.5·IQR (${fmtInt(f.removedLow)} below, ${fmtInt(f.removedHigh)} above)`
        : '') +
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
    marks.push({
      ...base,
      kind: 'range',
      x: kept[0],
      x2: kept[kept.length - 1],
      y: row,
      tip: `${model}: calls drawn span ${fmtMs(kept[0] ?? null)}–${fmtMs(kept[kept.length - 1] ?? null)}`,
    });
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
        axis: {
          values: models.map((_, i) => i),
          labelExpr: `${JSON.stringify(labels)}[datum.value]`,
          grid: false,
          ticks: false,
          domain: false,
          labelPadding: 6,
          labelLimit: 320,
          labelLineHeight: 14,
        },
      },
    },
    config: themeConfig(theme),
    usermeta: { casebench: meta },
  };
}

// The empirical CDF of a task's latencies with p50/p95/p99 marked (see latency.ts).
import type { TopLevelSpec } from 'vega-lite';
import { ecdf, iqrFilter, thinSteps, upperBound, type EcdfStep } from '../stats/distribution.ts';
import { quantileSorted } from '../stats/quantiles.ts';
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
import { IQR_K, ids, noData, type Datum } from './latencyParts.ts';

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
        kind: 'step',
        model,
        task: o.task,
        x: st.x,
        p: st.p,
        ...ids(s, prev, st.count),
        tip: `${model}: ${(st.p * 100).toFixed(1)} % of ${fmtInt(v.length)} calls ≤ ${fmtMs(st.x)}`,
      });
      prev = st.count;
    }
    const q: Record<string, number> = {};
    for (const p of ECDF_MARKS) {
      const x = quantileSorted(v, p)!;
      const name = `p${Math.round(p * 100)}`;
      q[name] = x;
      qs.push({
        kind: 'q',
        model,
        task: o.task,
        q: name,
        x,
        p,
        latLo: 0,
        latHi: x,
        tip: `${model}: ${name} ${fmtMs(x)} (n ${fmtInt(v.length)})`,
      });
    }
    (meta.quantiles as Record<string, Record<string, number>>)[model] = q;
  }
  const cut = mode === 'filtered' && fence < max ? fence : null;
  let beyond = 0;
  if (cut !== null) for (const m of models) beyond += samples.get(m)!.values.length - upperBound(samples.get(m)!.values, cut);
  const colour = {
    field: 'model',
    type: 'nominal' as const,
    scale: modelColorScale(models, o.allModels ?? models),
    legend: { orient: 'bottom' as const, title: null, columns: 2, symbolType: 'stroke', symbolStrokeWidth: 3 },
  };
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: 'latency (ms)',
    scale: cut !== null ? { domain: [0, cut], nice: false, zero: true } : { zero: true, nice: true },
  };
  const tooltip = [{ field: 'tip', type: 'nominal' as const, title: 'calls' }];
  const guides = ECDF_MARKS.map((p) => ({
    p,
    label: `p${Math.round(p * 100)}`,
    tip: `p${Math.round(p * 100)}: ${Math.round(p * 100)} % of calls are at most this fast`,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle: [
        'every successful call; dots: p50, p95, p99 of each model (the report’s quantiles)',
        cut !== null
          ? `axis cut at ${fmtMs(cut)} (the largest Q3 + 1.5·IQR); ${fmtInt(beyond)} calls beyond it, not drawn`
          : 'raw: full latency range',
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
            encoding: {
              y: { field: 'p', type: 'quantitative' },
              tooltip: [{ field: 'tip', type: 'nominal', title: 'guide' }],
              description: { field: 'tip' },
            },
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
        encoding: {
          x,
          y: { field: 'p', type: 'quantitative' },
          color: colour,
          shape: {
            field: 'q',
            type: 'nominal',
            legend: null,
            scale: { domain: ['p50', 'p95', 'p99'], range: ['circle', 'square', 'diamond'] },
          },
          tooltip,
          description: { field: 'tip' },
        },
      },
    ],
    config: themeConfig(theme),
    usermeta: { casebench: meta },
  };
}

// vega-lite specs of the latency plots of one task (issue #7, contracts §6): a violin per model,
// a histogram + KDE per model, the empirical CDF with p50/p95/p99, and latency against prompt
// length with a least-squares line. Pure functions of the calls: the workbench renders them with
// vega-embed and `casebench report --format html` renders the same specs to SVG in Node, so both
// show the same numbers. Densities and quantiles are computed here (src/shared/stats), not by
// vega's own transforms, so they are the report's digits and the bandwidth can be stated.
import type { TopLevelSpec } from 'vega-lite';
import type { LatencyPlotOptions, LatencyPoint, PlotMeta } from './common.ts';
import { violinSpec } from './latencyViolin.ts';
import { histogramKdeSpec } from './latencyHistogram.ts';
import { ecdfSpec } from './latencyEcdf.ts';
import { tokensScatterSpec } from './latencyScatter.ts';

// One file per plot; callers import them from here.
export { HISTOGRAM_CAP_MS, HISTOGRAM_TRIM, IQR_K } from './latencyParts.ts';
export { violinSpec } from './latencyViolin.ts';
export { histogramKdeSpec, type HistogramOptions } from './latencyHistogram.ts';
export { ECDF_MARKS, ecdfSpec, type EcdfOptions } from './latencyEcdf.ts';
export { tokensScatterSpec, type ScatterOptions } from './latencyScatter.ts';

/** The four latency plots of a task in the order the report shows them. */
export function taskLatencySpecs(
  points: readonly LatencyPoint[],
  o: LatencyPlotOptions,
): Array<{ kind: PlotMeta['kind']; spec: TopLevelSpec }> {
  return [
    { kind: 'violin', spec: violinSpec(points, o) },
    { kind: 'histogram', spec: histogramKdeSpec(points, o) },
    { kind: 'ecdf', spec: ecdfSpec(points, o) },
    { kind: 'scatter', spec: tokensScatterSpec(points, o) },
  ];
}

// What the four latency plots of a task share: the contracts' cut-offs, the per-model summary the
// report prints, the calls behind a drawn mark, and the spec shown when a model has no data.
import type { TopLevelSpec } from 'vega-lite';
import { quantileSorted } from '../stats/quantiles.ts';
import { themeOf, type LatencyPlotOptions, type ModelSample, type PlotMeta } from './common.ts';
import { THEME_INK, themeConfig } from './theme.ts';

/** Contracts §6: histogram latencies are capped here … */
export const HISTOGRAM_CAP_MS = 2000;
/** … and this share is trimmed from each tail. */
export const HISTOGRAM_TRIM = 0.05;
/** Violin: kept range is Q1 − k·IQR … Q3 + k·IQR. */
export const IQR_K = 1.5;

export type Datum = Record<string, unknown>;

export const ids = (s: ModelSample, from: number, to: number): { callIds: number[]; ticketIds: string[] } => {
  const callIds: number[] = [];
  const ticketIds: string[] = [];
  for (let i = from; i < to; i++) {
    callIds.push(s.points[i]!.callId);
    ticketIds.push(s.points[i]!.ticketId);
  }
  return { callIds, ticketIds };
};

export const noData = (title: string, text: string, o: LatencyPlotOptions, meta: PlotMeta): TopLevelSpec => {
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
export interface Summary {
  n: number;
  median: number;
  q1: number;
  q3: number;
  p95: number;
  p99: number;
}
export const summarise = (v: Float64Array): Summary | null =>
  v.length === 0
    ? null
    : {
        n: v.length,
        median: quantileSorted(v, 0.5)!,
        q1: quantileSorted(v, 0.25)!,
        q3: quantileSorted(v, 0.75)!,
        p95: quantileSorted(v, 0.95)!,
        p99: quantileSorted(v, 0.99)!,
      };

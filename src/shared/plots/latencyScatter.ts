// Latency against prompt length, with a least-squares line (see latency.ts).
import type { TopLevelSpec } from 'vega-lite';
import { iqrFilter, linearFit } from '../stats/distribution.ts';
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
import { themeConfig } from './theme.ts';
import { IQR_K, noData, type Datum } from './latencyParts.ts';

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
  const meta: PlotMeta = {
    kind: 'scatter',
    task: o.task,
    mode,
    models,
    fits: {} as Record<string, { slopeMsPer1kTokens: number; intercept: number; r2: number | null; n: number } | null>,
  };
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
    (meta.fits as Record<string, unknown>)[model] = fit
      ? { slopeMsPer1kTokens: fit.slope * 1000, intercept: fit.intercept, r2: fit.r2, n: fit.n }
      : null;
    const slope = fit
      ? `${fit.slope * 1000 >= 0 ? '+' : '−'}${fmtMs(Math.abs(fit.slope * 1000))} per 1K input tokens`
      : 'no slope (prompt lengths do not vary)';
    notes.push(`${model}: ${slope}${fit ? ` (r² ${fit.r2 === null ? '—' : fit.r2.toFixed(2)}, n ${fmtInt(fit.n)})` : ''}`);
    if (fit) {
      const tip = `${model}: latency ≈ ${fmtMs(fit.intercept)} ${slope}; r² ${fit.r2 === null ? '—' : fit.r2.toFixed(3)}; n ${fmtInt(fit.n)}`;
      lines.push({
        model,
        task: o.task,
        x: fit.xMin,
        y: fit.intercept + fit.slope * fit.xMin,
        x2: fit.xMax,
        y2: fit.intercept + fit.slope * fit.xMax,
        slopeMsPer1kTokens: fit.slope * 1000,
        tip,
      });
    }
    // Evenly by call id (not by latency), so a thinned cloud keeps its shape.
    const byId = kept.length > maxPts ? [...kept].sort((a, b) => a.callId - b.callId) : kept;
    const count = Math.min(byId.length, maxPts);
    for (let i = 0; i < count; i++) {
      const p = byId[Math.floor((i * byId.length) / count)]!;
      dots.push({
        model,
        task: o.task,
        x: p.inputTokens,
        y: p.latencyMs,
        callId: p.callId,
        ticketId: p.ticketId,
        tip: `${model}: ${fmtMs(p.latencyMs)} at ${fmtInt(p.inputTokens!)} input tokens (ticket ${p.ticketId}, call ${p.callId})`,
      });
    }
    if (count < kept.length) thinned += kept.length - count;
  }
  const colour = {
    field: 'model',
    type: 'nominal' as const,
    scale: modelColorScale(models, o.allModels ?? models),
    legend: { orient: 'bottom' as const, title: null, columns: 2, symbolOpacity: 1 },
  };
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

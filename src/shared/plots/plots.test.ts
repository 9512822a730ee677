// The plot specs without rendering: colours, the numbers a plot states, the calls behind a mark.
// (Rendered marks are checked in src/core/plots/render.test.ts.)
import { describe, expect, it } from 'vitest';
import { TASK_IDS, type TaskId } from '../tasks.ts';
import type { TaskResult } from '../results.ts';
import { capAndTrim, iqrFilter } from '../stats/distribution.ts';
import { latencySummary, sortedSample } from '../stats/quantiles.ts';
import type { LatencyPoint } from './common.ts';
import { plotFileName, plotSelection, svgWithTooltips } from './export.ts';
import { ecdfSpec, histogramKdeSpec, tokensScatterSpec, violinSpec } from './latency.ts';
import { MODEL_PALETTE, OKABE_ITO, modelColor, modelColors } from './palette.ts';
import { criticalChain, laneFromResults, planLane, waterfallSpec } from './waterfall.ts';

type Json = Record<string, any>;
const meta = (spec: unknown): Json => (spec as Json).usermeta.casebench;

/** Deterministic latencies: model m's i-th call at base + a spread that repeats every 20 calls, plus one slow outlier. */
function calls(models: string[], n: number, task: TaskId = 'product'): LatencyPoint[] {
  const out: LatencyPoint[] = [];
  let id = 1;
  models.forEach((model, m) => {
    for (let i = 0; i < n; i++) {
      const latency = i === n - 1 ? 9000 : 200 + 100 * m + ((i * 37) % 20) * 10;
      out.push({ callId: id++, ticketId: `T${i}`, task, model, latencyMs: latency, inputTokens: 500 + (i % 5) * 100 });
    }
  });
  return out;
}

describe('model colours', () => {
  const models = ['openai:gpt-4o', 'groq:openai/gpt-oss-20b', 'groq:openai/gpt-oss-120b', 'demo:llama-3.1-8b'];

  it('depend on the spec and the set, never on the order models appear in', () => {
    for (const m of models) expect(modelColor(m, models)).toBe(modelColor(m, [...models].reverse()));
    expect(modelColor('openai:gpt-4o', ['openai:gpt-4o'])).toBe(modelColor('openai:gpt-4o', ['openai:gpt-4o', 'openai:gpt-4o']));
  });

  it('are Okabe–Ito colours, distinct for up to six models, and never yellow or black while six suffice', () => {
    const six = [...models, 'openai:gpt-4.1-mini', 'groq:llama-3.3-70b-versatile'];
    const colours = six.map((m) => modelColor(m, six));
    expect(new Set(colours).size).toBe(6);
    for (const c of colours) expect(MODEL_PALETTE).toContain(c);
    expect(colours).not.toContain(OKABE_ITO.yellow);
    expect(colours).not.toContain(OKABE_ITO.black);
  });

  it('avoid two blues or two oranges for a small set', () => {
    const family = (c: string): string =>
      c === OKABE_ITO.blue || c === OKABE_ITO.skyBlue ? 'blue' : c === OKABE_ITO.orange || c === OKABE_ITO.vermillion ? 'orange' : c;
    const colours = [...modelColors(models).values()].map(family);
    expect(new Set(colours).size).toBe(4);
  });

  it('are the same in every plot of the app', () => {
    const pts = calls(models, 40);
    const expected = models.map((m) => modelColor(m, models));
    for (const spec of [
      violinSpec(pts, { task: 'product', models }),
      ecdfSpec(pts, { task: 'product', models }),
      tokensScatterSpec(pts, { task: 'product', models }),
    ]) {
      const text = JSON.stringify(spec);
      // The colour scale maps each model to its colour (domain and range in the same order).
      const scale = /"scale":\{"domain":(\[[^\]]*\]),"range":(\[[^\]]*\])\}/.exec(text)!;
      const domain = JSON.parse(scale[1]!) as string[];
      const range = JSON.parse(scale[2]!) as string[];
      expect(domain.map((m) => range[domain.indexOf(m)])).toEqual(domain.map((m) => expected[models.indexOf(m)]));
    }
  });
});

describe('latency plot specs', () => {
  const models = ['a:fast', 'b:slow'];
  const pts = calls(models, 100);

  it('violin: states how many calls the IQR filter left out per model, and none in raw mode', () => {
    const f = iqrFilter(sortedSample(pts.filter((p) => p.model === 'a:fast').map((p) => p.latencyMs)))!;
    expect(f.removedHigh).toBe(1); // the 9,000 ms call
    expect(meta(violinSpec(pts, { task: 'product' })).filteredOut).toEqual({ 'a:fast': 1, 'b:slow': 1 });
    expect(meta(violinSpec(pts, { task: 'product', mode: 'raw' })).filteredOut).toEqual({ 'a:fast': 0, 'b:slow': 0 });
    expect(JSON.stringify(violinSpec(pts, { task: 'product' }))).toContain('n 100 · 1 filtered out');
  });

  it("ECDF marks the report's own p50 / p95 / p99 (the same quantile function, to the digit)", () => {
    const q = meta(ecdfSpec(pts, { task: 'product' })).quantiles;
    for (const m of models) {
      const s = latencySummary(pts.filter((p) => p.model === m).map((p) => p.latencyMs));
      expect(q[m]).toEqual({ p50: s.median, p95: s.p95, p99: s.p99 });
    }
  });

  it('histogram bars hold exactly the calls left after capping and trimming, by id', () => {
    const spec = histogramKdeSpec(pts, { task: 'product' }) as Json;
    const bins = spec.vconcat[0].layer[0].data.values as Json[];
    const ids = bins.flatMap((b) => b.callIds as number[]);
    const t = capAndTrim(sortedSample(pts.filter((p) => p.model === 'a:fast').map((p) => p.latencyMs)), 2000, 0.05);
    expect(ids.length).toBe(t.values.length); // 100 − 2 × 5
    expect(new Set(ids).size).toBe(ids.length);
    expect(bins.reduce((n, b) => n + (b.count as number), 0)).toBe(90);
    expect(meta(spec).bandwidthMs['a:fast']).toBeGreaterThan(0);
  });

  it('scatter fits latency on prompt length and states the slope per 1K tokens', () => {
    // latency = 100 + 0.25 × tokens exactly → +250 ms per 1K input tokens
    const line: LatencyPoint[] = Array.from({ length: 30 }, (_, i) => ({
      callId: i + 1,
      ticketId: `T${i}`,
      task: 'product',
      model: 'groq:x',
      latencyMs: 100 + 0.25 * (400 + 40 * i),
      inputTokens: 400 + 40 * i,
    }));
    const spec = tokensScatterSpec(line, { task: 'product', mode: 'raw' });
    expect(meta(spec).fits['groq:x'].slopeMsPer1kTokens).toBeCloseTo(250, 9);
    expect(meta(spec).fits['groq:x'].intercept).toBeCloseTo(100, 9);
    expect(JSON.stringify(spec)).toContain('groq:x: +250 ms per 1K input tokens (r² 1.00, n 30)');
  });

  it('says so instead of drawing an empty plot when a task has no calls', () => {
    expect(JSON.stringify(violinSpec(pts, { task: 'severity' }))).toContain('no successful calls on this task');
  });
});

describe('click-through and export helpers', () => {
  it('turns a clicked datum into the calls behind it', () => {
    expect(plotSelection({ model: 'a', task: 'product', callIds: [3, 4], ticketIds: ['T1', 'T2'] })).toEqual({
      task: 'product',
      model: 'a',
      callIds: [3, 4],
      ticketIds: ['T1', 'T2'],
      latencyRange: null,
    });
    expect(plotSelection({ model: 'a', task: 'product', callId: 7, ticketId: 'T9' })?.callIds).toEqual([7]);
    expect(plotSelection({ model: 'a', task: 'product', latLo: 120, latHi: 880 })?.latencyRange).toEqual([120, 880]);
    expect(plotSelection({ p: 0.95, label: 'p95' })).toBeNull();
    expect(plotSelection(undefined)).toBeNull();
  });

  it('gives every labelled mark a hover title and rounds coordinates', () => {
    const svg =
      '<g><path aria-label="a: 1 &lt; 2" role="graphics-symbol" d="M1.23456,2.5L3,4.99999Z"/><line transform="translate(24.99999999999999,15)" x2="0"/></g>';
    expect(svgWithTooltips(svg)).toBe(
      '<g><path role="graphics-symbol" d="M1.2,2.5L3,4.9Z"><title>a: 1 &lt; 2</title></path><line transform="translate(24.9,15)" x2="0"/></g>',
    );
  });

  it('names exported files safely', () => {
    expect(plotFileName({ run: 'experiment-1a2b', task: 'product', kind: 'violin', theme: 'dark' }, 'png')).toBe(
      'casebench-experiment-1a2b-product-violin-dark.png',
    );
    expect(plotFileName({ kind: 'waterfall', task: 'T/1 ticket' }, 'svg')).toBe('casebench-T-1-ticket-waterfall.svg');
  });
});

describe('critical-path waterfall', () => {
  // The article's per-task medians (ms).
  const medians: Record<string, Record<TaskId, number>> = {
    'openai:gpt-4o': { platform: 571, product: 851, technical_details: 1914, asset_ids: 593, severity: 605 },
    'groq:llama-3.3-70b-versatile': { platform: 249, product: 761, technical_details: 1026, asset_ids: 220, severity: 234 },
    'groq:llama-3.1-8b-instant': { platform: 141, product: 406, technical_details: 334, asset_ids: 123, severity: 126 },
  };
  const median = (t: TaskId, m: string): number | null => medians[m]?.[t] ?? null;

  it("reproduces the article's plans: 3,336 ms for all GPT-4o, 989 ms for its final assignment", () => {
    const gpt = planLane('baseline', Object.fromEntries(TASK_IDS.map((t) => [t, 'openai:gpt-4o'])) as Record<TaskId, string>, median)!;
    // 571 + 851 + 1914 = 3336 > 571 + 593 = 1164 > 605
    expect(criticalChain(gpt.bars)).toEqual({ tasks: ['platform', 'product', 'technical_details'], ms: 3336 });
    const a = {
      platform: 'groq:llama-3.3-70b-versatile',
      product: 'groq:llama-3.1-8b-instant',
      technical_details: 'groq:llama-3.1-8b-instant',
      asset_ids: 'groq:llama-3.3-70b-versatile',
      severity: 'groq:llama-3.3-70b-versatile',
    } as const;
    const final = planLane('final', a, (t, m) => (t === 'product' ? 406 : median(t, m)))!;
    // 249 + 406 + 334 = 989 > 249 + 220 = 469 > 234
    expect(criticalChain(final.bars)?.ms).toBe(989);
  });

  it('follows the dependency that actually held a task up, and ignores skipped tasks', () => {
    const r = (task: TaskId, startedMs: number, endedMs: number, status: TaskResult['status'] = 'ok'): TaskResult => ({
      task,
      status,
      value: null,
      raw: null,
      provider: 'groq',
      model: 'm',
      promptVersion: 'v1',
      startedMs,
      endedMs,
      latencyMs: endedMs - startedMs,
      ttftMs: null,
      queueTimeMs: null,
      providerTotalMs: null,
      inputTokens: null,
      outputTokens: null,
      cachedTokens: null,
      reasoningTokens: null,
      costUsd: null,
      attempts: 1,
      error: null,
    });
    const lane = laneFromResults(
      'T1',
      [
        r('platform', 0, 200),
        r('severity', 0, 1000),
        r('product', 200, 500),
        r('asset_ids', 200, 300),
        r('technical_details', 0, 0, 'skipped'),
      ],
      { ticketId: 'T1', callIds: { platform: [11] } },
    );
    expect(criticalChain(lane.bars)).toEqual({ tasks: ['severity'], ms: 1000 });
    expect(lane.bars.find((b) => b.task === 'platform')?.callIds).toEqual([11]);
    const spec = waterfallSpec([lane]) as Json;
    expect(meta(spec).criticalPaths).toEqual([{ lane: 'T1', tasks: ['severity'], ms: 1000 }]);
    const bars = (spec.layer[1].data.values as Json[]).filter((d) => d.kind === 'bar');
    expect(bars.filter((b) => b.critical).map((b) => b.task)).toEqual(['severity']);
    expect(bars.find((b) => b.task === 'platform')).toMatchObject({ ticketId: 'T1', callIds: [11] });
  });
});

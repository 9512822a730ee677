import { describe, expect, it } from 'vitest';
import type { TaskResult } from '#shared/results.ts';
import type { CallView } from '#shared/routes.ts';
import type { TaskId } from '#shared/tasks.ts';
import { freshTasks } from '../ticket/ticketStore.ts';
import { attemptSegments, buildWaterfall, niceTicks } from './waterfall.ts';

const call = (task: TaskId, attempt: number, startedMs: number, latencyMs: number, more: Partial<CallView> = {}): CallView => ({
  task,
  modelSpec: 'groq:m',
  attempt,
  startedMs,
  latencyMs,
  queueTimeMs: null,
  providerTotalMs: null,
  status: 'ok',
  errorCode: null,
  ...more,
});
const result = (task: TaskId, startedMs: number, endedMs: number, status: TaskResult['status'] = 'ok'): TaskResult => ({
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
  inputTokens: 1,
  outputTokens: 1,
  cachedTokens: null,
  reasoningTokens: null,
  costUsd: null,
  attempts: 1,
  error: null,
});

describe('timeline of a ticket', () => {
  it('splits an attempt into queue, model and the rest when the provider reports them', () => {
    const segs = attemptSegments(call('platform', 1, 10, 200, { queueTimeMs: 30, providerTotalMs: 120 }));
    expect(segs.map((s) => [s.kind, s.startMs, s.endMs])).toEqual([
      ['queue', 10, 40],
      ['model', 40, 160],
      ['overhead', 160, 210],
    ]);
  });
  it("draws a hedged call's two attempts apart: the duplicate below, the cancelled loser marked, one attempt counted (issue 15 §2)", () => {
    const tasks = freshTasks();
    tasks.severity = { ...tasks.severity, status: 'ok', result: { ...result('severity', 0, 140), latencyMs: 40 } };
    const calls = [
      call('severity', 1, 0, 140, { status: 'error', errorCode: 'CANCELLED', hedge: 'primary', hedgeLost: true }),
      call('severity', 1, 100, 40, { hedge: 'hedge', hedgeLost: false }),
    ];
    const row = buildWaterfall(tasks, calls, null).rows.find((r) => r.task === 'severity')!;
    expect(row.segments.map((s) => [s.kind, s.band, s.startMs, s.endMs])).toEqual([
      ['cancelled', 'upper', 0, 140],
      ['call', 'lower', 100, 140],
    ]);
    expect(row.segments[0]!.title).toMatch(/cancelled after 140 ms: the hedged duplicate answered first/);
    expect(row.segments[1]!.title).toMatch(/hedged duplicate of attempt 1/);
    expect(row.attempts).toBe(1);
    expect(row.hedges).toBe(1);
  });
  it('keeps one bar when the provider reports nothing, and shows failed attempts before the retry', () => {
    expect(attemptSegments(call('severity', 1, 0, 90)).map((s) => s.kind)).toEqual(['call']);
    const tasks = freshTasks();
    tasks.severity = { ...tasks.severity, status: 'ok', result: result('severity', 0, 700) };
    const w = buildWaterfall(
      tasks,
      [call('severity', 1, 0, 100, { status: 'error', errorCode: 'PROVIDER_ERROR' }), call('severity', 2, 600, 100)],
      null,
    );
    const row = w.rows.find((r) => r.task === 'severity')!;
    expect(row.segments.map((s) => s.kind)).toEqual(['failed', 'call']);
    expect(row.attempts).toBe(2);
    expect(w.spanMs).toBe(700);
  });
  it('draws the wait for a free slot apart from the call, and the row shows the call alone (issue 13)', () => {
    // A task that waited 1.1 s for a slot, then made a 100 ms call: its window is 1.2 s.
    const tasks = freshTasks();
    tasks.product = { ...tasks.product, status: 'ok', result: { ...result('product', 100, 1300), latencyMs: 100, slotWaitMs: 1100 } };
    const w = buildWaterfall(tasks, [call('product', 1, 1200, 100, { slotWaitMs: 1100 })], null);
    const row = w.rows.find((r) => r.task === 'product')!;
    expect(row.segments.map((s) => [s.kind, s.startMs, s.endMs])).toEqual([
      ['wait', 100, 1200],
      ['call', 1200, 1300],
    ]);
    expect(row.latencyMs).toBe(100);
    expect(row.slotWaitMs).toBe(1100);
    expect(row.segments[0]!.title).toMatch(/waited 1100 ms for a free slot/);
    // An older run with no attempts recorded: the call ends the window, the wait before it.
    const old = buildWaterfall(tasks, [], null).rows.find((r) => r.task === 'product')!;
    expect(old.segments.map((s) => [s.kind, s.startMs, s.endMs])).toEqual([
      ['wait', 100, 1200],
      ['call', 1200, 1300],
    ]);
  });
  it('grows a running bar with the clock and lists the graph edges', () => {
    const tasks = freshTasks();
    tasks.platform = { ...tasks.platform, status: 'running', startedMs: 5 };
    const w = buildWaterfall(tasks, [], 400);
    expect(w.rows[0]!.segments).toEqual([expect.objectContaining({ kind: 'running', startMs: 5, endMs: 400 })]);
    expect(w.edges).toContainEqual({ from: 'platform', to: 'product' });
    expect(w.edges).toContainEqual({ from: 'product', to: 'technical_details' });
    expect(w.edges).toHaveLength(4);
  });
  it('draws no bar for a task kept from an earlier run', () => {
    const tasks = freshTasks();
    tasks.platform = { ...tasks.platform, status: 'ok', reused: true, result: result('platform', 0, 300) };
    expect(buildWaterfall(tasks, [], null).rows[0]).toMatchObject({ reused: true, segments: [] });
  });
  it("marks speculative calls: a kept one is the row's call, a discarded one is drawn apart and never counted as an attempt", () => {
    const tasks = freshTasks();
    // Product started at 0 on a wrong platform guess (cancelled at 250 ms when the platform answered), then ran again.
    tasks.product = { ...tasks.product, status: 'ok', result: result('product', 250, 400) };
    tasks.asset_ids = { ...tasks.asset_ids, status: 'ok', result: { ...result('asset_ids', 0, 120), speculative: true } };
    const w = buildWaterfall(
      tasks,
      [
        call('product', 1, 0, 250, { speculation: 'discarded', status: 'error', errorCode: 'CANCELLED' }),
        call('product', 1, 250, 150),
        call('asset_ids', 1, 0, 120, { speculation: 'kept' }),
      ],
      null,
    );
    const product = w.rows.find((r) => r.task === 'product')!;
    expect(product.segments.map((s) => [s.kind, s.speculation])).toEqual([
      ['discarded', 'discarded'],
      ['call', undefined],
    ]);
    expect(product.segments[0]!.title).toMatch(/cancelled after 250 ms, discarded: the guess was wrong/);
    expect(product).toMatchObject({ attempts: 1, discarded: 1, speculative: false, startMs: 250 });
    const assets = w.rows.find((r) => r.task === 'asset_ids')!;
    expect(assets).toMatchObject({ attempts: 1, discarded: 0, speculative: true, startMs: 0 });
    expect(assets.segments.every((s) => s.speculation === 'kept' && /^speculative, kept/.test(s.title))).toBe(true);
  });
  it('picks round ticks', () => {
    expect(niceTicks(930)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(niceTicks(3300).at(-1)).toBe(3000);
  });
});

// Hedged calls (issue 15 §2) through the real SDKs and engine against the loopback fake: a call
// past its model's recorded p95 gets one duplicate, the first answer is the fact and the other
// request is aborted at the server; both are recorded; never after a 429; the budget caps hedges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_IDS } from '#shared/tasks.ts';
import { createRuntime, type Runtime } from '#core/runtime.ts';
import { triageTicket, type Assignment } from '#core/graph/engine.ts';
import { recorder } from '#core/experiments/batchRun.ts';
import { openStore, type CallRecord, type Store } from '#core/store/store.ts';
import { storeLatencyHistory } from '#core/store/hedgeHistory.ts';
import type { HedgeSettings } from '#core/providers/hedgeSettings.ts';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { heavyTail, type HeavyTailLatency } from '../fakes/heavyTail.ts';

const KEYS = { GROQ_API_KEY: 'gsk_HEDGETES-TTEST0000000000000000001', OPENAI_API_KEY: 'sk-HEDGETES-TTEST00000000000000000001' };
const TEXT =
  'Lambda function billing-sync in account 210987654321 times out after 15 minutes since this morning; customers see stale invoices.';
const Y = 'groq:openai/gpt-oss-20b';
const ALL_Y = Object.fromEntries(TASK_IDS.map((t) => [t, Y])) as Assignment;

let fake: FakeServer;
let lat: HeavyTailLatency;
let dir: string;
let store: Store;

function runtime(hedge: Partial<HedgeSettings>, maxConcurrency = 16): Promise<Runtime> {
  return createRuntime({
    env: { ...KEYS, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    secretStore: null,
    scheduler: { maxRetries: 3, retryAfterCapMs: 20_000, maxConcurrency },
    hedge,
  });
}

/** Triages tickets with every attempt and result recorded in the workspace, as `casebench run` does. */
async function triageRecorded(
  rt: Runtime,
  runId: string,
  ids: string[],
  concurrent = false,
): Promise<Awaited<ReturnType<typeof triageTicket>>[]> {
  store.createRun({ id: runId, kind: 'run', assignment: ALL_Y });
  const rec = recorder(store, runId);
  const one = async (id: string) => {
    const text = `${TEXT} (case ${id})`;
    store.upsertTicket({ id, text }, 'test');
    store.setRunTicket(runId, id, 'pending');
    return triageTicket(rt.deps, { id, text }, ALL_Y, { onAttempt: rec.onAttempt, onResult: (r, spec) => rec.onResult(r, spec, id) });
  };
  if (concurrent) return Promise.all(ids.map(one));
  const out = [];
  for (const id of ids) out.push(await one(id));
  return out;
}

beforeAll(async () => {
  lat = heavyTail({ baseMs: 30, tailShare: 0, factor: 100 });
  fake = await startFakeServer({ latencyMs: lat, logLimit: 10_000 });
  dir = mkdtempSync(join(tmpdir(), 'cb-hedge-'));
  store = openStore(join(dir, 'w.db'));
  // The workspace's history: 24 tickets' calls at the usual 30 ms, recorded as `run` records them.
  const warm = await runtime({ enabled: false });
  await triageRecorded(
    warm,
    'warm-up',
    Array.from({ length: 24 }, (_, i) => `W${i}`),
  );
});
afterAll(async () => {
  store.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const severityCalls = (runId: string): CallRecord[] => store.callsForRun(runId).filter((c) => c.task === 'severity');

describe('hedged calls', () => {
  it("a call past the model's recorded p95 gets one duplicate: the first answer is the fact, the other request is aborted at the server, both are recorded", async () => {
    const rt = await runtime({ enabled: true, budgetPct: 50 });
    rt.hedger.configure({ history: storeLatencyHistory(store) });
    // The p95 comes from the workspace's recorded calls before this process made any.
    expect(rt.hedger.threshold(Y, 'severity')).not.toBeNull();
    await triageRecorded(rt, 'hedge-warm', ['H0']); // a warm connection and some budget
    fake.resetStats();
    const before = { ...rt.hedger.stats };
    lat.slowNext(1, 'severity'); // this one request takes 3 s
    const [r] = await triageRecorded(rt, 'hedge-race', ['H1']);
    const sev = r!.tasks.severity;
    expect(sev.status).toBe('ok');

    const calls = severityCalls('hedge-race');
    expect(calls).toHaveLength(2);
    const primary = calls.find((c) => c.hedge === 'primary')!;
    const dup = calls.find((c) => c.hedge === 'hedge')!;
    // The original was overtaken: cancelled (not a failure of the model), marked as the loser.
    expect(primary).toMatchObject({ status: 'error', errorCode: 'CANCELLED', hedgeLost: true, attempt: 1 });
    expect(primary.errorMessage).toMatch(/hedged duplicate answered first/);
    // Billed as the answer that beat it (same prompt), so spend is not understated.
    expect(primary.costUsd).not.toBeNull();
    expect(primary.costUsd).toBe(dup.costUsd);
    expect(dup).toMatchObject({ status: 'ok', hedgeLost: false, attempt: 1 });
    // The winner's answer and its own call time are the task's.
    expect(sev.raw).toBe(dup.raw);
    expect(sev.latencyMs).toBe(dup.latencyMs);
    expect(sev.attempts).toBe(1);
    // The server saw both requests; the slow one was dropped by the client, not answered.
    await expect
      .poll(() =>
        fake.stats.log
          .filter((e) => e.task === 'severity')
          .map((e) => e.outcome)
          .sort(),
      )
      .toEqual(['200', 'aborted']);
    // The other tasks were not hedged.
    expect(store.callsForRun('hedge-race').filter((c) => c.task !== 'severity' && c.hedge)).toEqual([]);
    expect(rt.hedger.stats.hedges - before.hedges).toBe(1);
    expect(rt.hedger.stats.wins - before.wins).toBe(1);
  });

  it('never hedges a model that has just answered 429, however slow its call', async () => {
    const rt = await runtime({ enabled: true, budgetPct: 50 });
    rt.hedger.configure({ history: storeLatencyHistory(store) });
    await triageRecorded(rt, 'rl-warm', ['R0']);
    fake.resetStats();
    const before = { ...rt.hedger.stats };
    // The first severity request is refused with 429 (retry-after 1 s); its retry is slow.
    let seen = 0;
    fake.configure({ faults: (i) => (i.task === 'severity' && seen++ === 0 ? '429' : null) });
    lat.slowNext(1, 'severity');
    try {
      const [r] = await triageRecorded(rt, 'rl-race', ['R1']);
      expect(r!.tasks.severity.status).toBe('ok');
    } finally {
      fake.configure({ faults: null });
    }
    const calls = severityCalls('rl-race');
    expect(calls.map((c) => c.errorCode ?? c.status)).toEqual(['RATE_LIMITED', 'ok']);
    expect(calls.filter((c) => c.hedge)).toEqual([]);
    expect(fake.stats.log.filter((e) => e.task === 'severity').map((e) => e.outcome)).toEqual(['429', '200']);
    expect(rt.hedger.stats.hedges).toBe(before.hedges);
    expect(rt.hedger.stats.skippedPaced).toBeGreaterThan(before.skippedPaced);
  });

  it('the budget caps hedges: at most its share of the calls made, even when every call runs past the p95', async () => {
    // Each run starts from the same recorded history (the warm-up's 30 ms calls), read once here.
    const history = storeLatencyHistory(store);
    const snapshot = new Map(TASK_IDS.map((t) => [t, history.recent(Y, t, 200)]));
    const runWithBudget = async (budgetPct: number, tag: string) => {
      const rt = await runtime({ enabled: true, budgetPct }, 128);
      rt.hedger.configure({ history: { recent: (spec, task) => (spec === Y ? snapshot.get(task)! : []) } });
      await triageRecorded(rt, `${tag}warm`, [`${tag}w`]); // connections open: hedging may start
      // Every request of this burst takes ten times the usual 30 ms.
      lat.factor = 10;
      lat.slowNext(1000);
      try {
        await triageRecorded(
          rt,
          tag,
          Array.from({ length: 16 }, (_, i) => `${tag}${i}`),
          true,
        );
      } finally {
        lat.reset();
        lat.factor = 100;
      }
      const calls = store.callsForRun(tag);
      return {
        extra: calls.filter((c) => c.hedge === 'hedge').length,
        made: calls.filter((c) => c.hedge !== 'hedge').length,
        stats: rt.hedger.stats,
      };
    };
    const capped = await runWithBudget(5, 'B5-');
    const loose = await runWithBudget(40, 'B40-');
    // 5 %: at most one hedge per 20 calls made — and some did go, so it is the budget that stopped the rest.
    expect(capped.extra).toBeGreaterThan(0);
    expect(capped.extra).toBeLessThanOrEqual(Math.floor(capped.made * 0.05));
    expect(capped.stats.skippedBudget).toBeGreaterThan(0);
    // A looser budget lets more through in the same burst.
    expect(loose.extra).toBeGreaterThan(capped.extra);
    expect(loose.extra).toBeLessThanOrEqual(Math.floor(loose.made * 0.4));
  });
});

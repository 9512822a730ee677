// Rate limits through the real SDKs and engine against the loopback fake (issue 13 §2): a 429
// slows the call that got it, never the other models; a storm of 429s with short waits is never
// a final answer; and a model is paced by the x-ratelimit-* headers before a 429 happens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_IDS } from '#shared/tasks.ts';
import { createRuntime, type Runtime } from '#core/runtime.ts';
import { triageTicket, type Assignment, type AttemptRecord } from '#core/graph/engine.ts';
import { runExperiment } from '#core/experiments/experiment.ts';
import { openStore } from '#core/store/store.ts';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';

const KEYS = { GROQ_API_KEY: 'gsk_RATELIMI-TTEST0000000000000000001', OPENAI_API_KEY: 'sk-RATELIMI-TTEST00000000000000000001' };
const TEXT =
  'Lambda function billing-sync in account 210987654321 times out after 15 minutes since this morning; customers see stale invoices.';
const X = 'groq:openai/gpt-oss-120b';
const Y = 'groq:openai/gpt-oss-20b';
const all = (spec: string): Assignment => Object.fromEntries(TASK_IDS.map((t) => [t, spec])) as Assignment;
const MIXED: Assignment = { platform: X, product: Y, technical_details: Y, asset_ids: X, severity: 'openai:gpt-4o' };
const tickets = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ id: `${tag}${i}`, text: `${TEXT} (case ${i})` }));

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 5 });
});
afterAll(() => fake.close());

function runtime(scheduler: { maxRetries?: number; retryAfterCapMs?: number; maxConcurrency?: number } = {}): Promise<Runtime> {
  return createRuntime({
    env: { ...KEYS, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    secretStore: null,
    scheduler: { maxRetries: 3, retryAfterCapMs: 20_000, maxConcurrency: 16, ...scheduler },
  });
}

function reset(): void {
  fake.configure({ faults: null, rpm: null, tpm: null, limitWindowMs: 60_000 });
  fake.resetLimits();
  fake.resetStats();
}

describe('a 429 slows one model a little, never everything', () => {
  it("a rate-limited model's 429s never hold back another model of the same provider", async () => {
    reset();
    // X allows one request per 10 s window; its other calls get 429 with a retry-after of seconds.
    fake.configure({ rpm: { 'openai/gpt-oss-120b': 1 }, limitWindowMs: 10_000 });
    const rt = await runtime();
    const stop = new AbortController();
    try {
      const limited = triageTicket(rt.deps, { id: 'X0', text: TEXT }, all(X), { signal: stop.signal });
      const healthy = await Promise.all(tickets(6, 'Y').map((t) => triageTicket(rt.deps, t, all(Y))));
      for (const r of healthy) for (const t of TASK_IDS) expect(r.tasks[t].status, `${r.ticketId} ${t}`).toBe('ok');
      const log = fake.stats.log;
      expect(log.some((e) => e.model === 'openai/gpt-oss-120b' && e.status === 429)).toBe(true);
      // Y finished all 30 calls before X even retried: nothing of X's waiting reached Y.
      // X's ticket can have started four calls (platform, severity, then product and asset ids);
      // any more would be retries, which a provider-wide cool-down puts ahead of Y's calls.
      expect(log.filter((e) => e.model === 'openai/gpt-oss-120b').length).toBeLessThanOrEqual(4);
      expect(log.filter((e) => e.model === 'openai/gpt-oss-20b' && e.status === 200)).toHaveLength(30);
      stop.abort();
      await limited;
    } finally {
      reset();
    }
  });

  it('a storm of 429s (retry-after 1 s, budget left in the headers) is never a final answer, and keeps the concurrency', async () => {
    reset();
    fake.configure({ faults: { rate: 0.3, kinds: ['429'], seed: 13 } });
    const rt = await runtime();
    const attempts: AttemptRecord[] = [];
    let minLimit = Infinity;
    const watch = setInterval(() => {
      for (const s of Object.values(rt.schedulerStates())) minLimit = Math.min(minLimit, s.concurrencyLimit);
    }, 2);
    try {
      const rs = await Promise.all(tickets(16, 'S').map((t) => triageTicket(rt.deps, t, MIXED, { onAttempt: (a) => attempts.push(a) })));
      for (const r of rs)
        for (const t of TASK_IDS) expect(r.tasks[t].status, `${r.ticketId} ${t}: ${r.tasks[t].error?.message}`).toBe('ok');
      expect(attempts.filter((a) => a.error?.code === 'RATE_LIMITED').length).toBeGreaterThan(10);
      // Each model its own scheduler, none of them halved by 429s that were not about load.
      expect(Object.keys(rt.schedulerStates()).sort()).toEqual(['groq:openai/gpt-oss-120b', 'groq:openai/gpt-oss-20b', 'openai:gpt-4o']);
      expect(minLimit).toBe(16);
    } finally {
      clearInterval(watch);
      reset();
    }
  });

  it('a call that keeps getting short 429s retries past maxRetries until it is answered', async () => {
    reset();
    let platform429s = 0;
    fake.configure({ faults: (i) => (i.task === 'platform' && platform429s++ < 5 ? '429' : null) });
    const rt = await runtime({ maxRetries: 1 });
    try {
      const r = await triageTicket(rt.deps, { id: 'P0', text: TEXT }, MIXED);
      expect(r.tasks.platform.status).toBe('ok');
      expect(r.tasks.platform.attempts).toBe(6);
      for (const t of TASK_IDS) expect(r.tasks[t].status).toBe('ok');
    } finally {
      reset();
    }
  });

  it('paces a model by its x-ratelimit headers: no call lost, and almost no 429 drawn', async () => {
    reset();
    // OpenAI's headers count requests per window; 10 per 600 ms here (1,000/min).
    fake.configure({ rpm: { 'gpt-4o': 10 }, limitWindowMs: 600 });
    const rt = await runtime();
    try {
      // Five tickets: the first wave (platform + severity) is 10 calls, sent before any header is read.
      const rs = await Promise.all(tickets(5, 'W').map((t) => triageTicket(rt.deps, t, all('openai:gpt-4o'))));
      for (const r of rs)
        for (const t of TASK_IDS) expect(r.tasks[t].status, `${r.ticketId} ${t}: ${r.tasks[t].error?.message}`).toBe('ok');
      const gpt = fake.stats.log.filter((e) => e.model === 'gpt-4o');
      if (process.env.DBG) console.log(gpt.map((e) => `${e.t - gpt[0]!.t}:${e.status}:${e.task}`).join(' '));
      expect(gpt.filter((e) => e.status === 200)).toHaveLength(25);
      // Held back by the headers until the window is whole again, not sent to draw a 429 each.
      expect(gpt.filter((e) => e.status === 429).length).toBeLessThanOrEqual(2);
    } finally {
      reset();
    }
  });

  it('in an experiment, the healthy model finishes while the rate-limited one waits, and nothing is paused', async () => {
    reset();
    fake.configure({ rpm: { 'openai/gpt-oss-120b': 1 }, limitWindowMs: 10_000 });
    const rt = await runtime({ maxRetries: 6, retryAfterCapMs: 60_000 });
    const store = openStore(':memory:');
    const stop = new AbortController();
    const notices: string[] = [];
    let xRequestsWhenYDone = -1;
    try {
      const out = await runExperiment({
        store,
        deps: rt.deps,
        runId: 'e',
        plan: { models: [X, Y], baseline: Y, upstream: 'own' },
        tickets: tickets(4, 'E'),
        source: 's',
        concurrency: 1,
        signal: stop.signal,
        onNotice: (m) => notices.push(m),
        onProgress: (p) => {
          if (xRequestsWhenYDone < 0 && p.perModel[Y]!.done === p.perModel[Y]!.total) {
            xRequestsWhenYDone = fake.stats.log.filter((e) => e.model === 'openai/gpt-oss-120b').length;
            stop.abort();
          }
        },
      });
      expect(out.progress.perModel[Y]!.done).toBe(20);
      // X's first ticket: platform answered, severity, product and asset ids refused once each
      // and waiting out their retry-after; no retry of X went ahead of Y's calls.
      expect(xRequestsWhenYDone).toBeGreaterThanOrEqual(2);
      expect(xRequestsWhenYDone).toBeLessThanOrEqual(4);
      expect(notices.filter((n) => /pausing/.test(n))).toEqual([]);
    } finally {
      store.close();
      reset();
    }
  });
});

// Hedged calls at the scheduler level: the race, the marks, the budget's arithmetic and the
// scheduler's refusals (paced, queued, after a 429). End to end through the SDKs and the fake
// server: test/reliability/hedge.test.ts.
import { describe, expect, it } from 'vitest';
import { HEDGE_MARGIN_MS, HEDGE_MIN_SAMPLES, Hedger } from './hedge.ts';
import { HEDGE_LOST, type HedgeMark } from './hedgedScheduler.ts';
import { parseHedgeBudget } from './hedgeSettings.ts';
import { ProviderScheduler } from './scheduler.ts';
import { ProviderError, type RateLimitInfo } from './types.ts';

const SPEC = 'groq:m';
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
const rl = (o: Partial<RateLimitInfo>): RateLimitInfo => ({
  limitRequests: null,
  remainingRequests: null,
  resetRequestsMs: null,
  limitTokens: null,
  remainingTokens: null,
  resetTokensMs: null,
  ...o,
});

function hedgerWithP95(ms: number, budgetPct = 100): Hedger {
  const h = new Hedger({ enabled: true, budgetPct });
  for (let i = 0; i < HEDGE_MIN_SAMPLES; i++) h.observe(SPEC, 'severity', ms);
  h.answered(SPEC);
  return h;
}

describe('hedged scheduler', () => {
  it('past the p95 a duplicate goes; the first answer is returned, the other is aborted and marked lost', async () => {
    const h = hedgerWithP95(10);
    for (let i = 0; i < 4; i++) h.credit(SPEC); // budget for a hedge
    const s = h.wrap(SPEC, new ProviderScheduler());
    const seen: Array<{ value: string; mark: HedgeMark | undefined; reason: unknown }> = [];
    let n = 0;
    const { value, attempts } = await s.run(
      async (signal, _no, _q, mark) => {
        const mine = n++ === 0 ? { value: 'slow original', ms: 2000 } : { value: 'fast duplicate', ms: 5 };
        const rec = { value: mine.value, mark, reason: undefined as unknown };
        seen.push(rec);
        try {
          await sleep(mine.ms, signal);
        } catch (e) {
          rec.reason = e;
          throw e;
        }
        return mine.value;
      },
      { timeoutMs: 5000, task: 'severity' },
    );
    expect(value).toBe('fast duplicate');
    expect(attempts).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen.map((x) => [x.value, x.mark?.role, x.mark?.lost])).toEqual([
      ['slow original', 'primary', true],
      ['fast duplicate', 'hedge', false],
    ]);
    expect(seen[0]!.reason).toBe(HEDGE_LOST);
    expect(h.stats).toMatchObject({ hedges: 1, wins: 1 });
  });

  it('a low-priority (shadow) call is never hedged, however long it takes, and still waits in the low lane', async () => {
    const h = hedgerWithP95(5);
    for (let i = 0; i < 20; i++) h.credit(SPEC);
    const inner = new ProviderScheduler();
    const s = h.wrap(SPEC, inner);
    let calls = 0;
    let lowSeen = 0;
    const { value } = await s.run(
      async (signal) => {
        calls++;
        lowSeen = inner.state().lowInFlight ?? -1;
        await sleep(60, signal);
        return 'shadow answer';
      },
      { timeoutMs: 5000, task: 'severity', priority: 'low' },
    );
    expect(value).toBe('shadow answer');
    expect(calls).toBe(1);
    expect(h.stats.hedges).toBe(0);
    expect(lowSeen).toBe(1);
  });

  it('below the minimum sample no call is hedged', async () => {
    const h = new Hedger({ enabled: true, budgetPct: 100 });
    for (let i = 0; i < HEDGE_MIN_SAMPLES - 1; i++) h.observe(SPEC, 'severity', 1);
    expect(h.threshold(SPEC, 'severity')).toBeNull();
    h.observe(SPEC, 'severity', 1);
    expect(h.threshold(SPEC, 'severity')).toBe(1);
    // Not before this process has had an answer from the model: its first calls open connections.
    expect(h.hedgeAfter(SPEC, 'severity')).toBeNull();
    h.answered(SPEC);
    // Past the p95 plus a margin for our own overhead: 5 ms, or 10 % of a longer p95.
    expect(h.hedgeAfter(SPEC, 'severity')).toBe(1 + HEDGE_MARGIN_MS);
    for (let i = 0; i < 200; i++) h.observe(SPEC, 'severity', 400);
    expect(h.hedgeAfter(SPEC, 'severity')).toBeCloseTo(440, 6);
    h.configure({ enabled: false });
    expect(h.hedgeAfter(SPEC, 'severity')).toBeNull();
  });

  it('the budget: at 5 %, 100 calls buy exactly 5 hedges, and none before the 20th call', () => {
    const h = new Hedger({ enabled: true, budgetPct: 5 });
    let granted = 0;
    let first = 0;
    for (let i = 1; i <= 100; i++) {
      h.credit(SPEC);
      if (h.spend(SPEC)) {
        granted++;
        first ||= i;
      }
    }
    expect(granted).toBe(5);
    expect(first).toBe(20);
  });

  it('--hedge-budget takes 0–50 %, nothing else', () => {
    expect(parseHedgeBudget('5')).toBe(5);
    expect(parseHedgeBudget('2.5%')).toBe(2.5);
    expect(parseHedgeBudget('0')).toBe(0);
    for (const bad of ['-1', '51', 'five', '', '5 percent']) expect(parseHedgeBudget(bad)).toBeNull();
  });
});

describe('a hedge takes a slot and never goes while the model is paced', () => {
  const never = (): Promise<string> => new Promise(() => undefined);
  const quick = async (): Promise<string> => 'ok';

  it('takes a slot like any call', async () => {
    const s = new ProviderScheduler({ maxConcurrency: 2 });
    const dup = s.tryDuplicate(quick, { timeoutMs: 1000, quietMs: 60_000 });
    expect(dup).not.toBeNull();
    expect(s.state().inFlight).toBe(1);
    await dup;
    expect(s.state().inFlight).toBe(0);
  });

  it('not when every slot is taken or a call is queued', async () => {
    const s = new ProviderScheduler({ maxConcurrency: 1 });
    const stop = new AbortController();
    const a = s.run(never, { timeoutMs: 60_000, signal: stop.signal }).catch(() => undefined);
    const b = s.run(never, { timeoutMs: 60_000, signal: stop.signal }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 0));
    expect(s.state()).toMatchObject({ inFlight: 1, queued: 1 });
    expect(s.tryDuplicate(quick, { timeoutMs: 1000, quietMs: 60_000 })).toBeNull();
    stop.abort();
    await Promise.all([a, b]);
  });

  it("not while the rate-limit headers say the model's budget is used up", async () => {
    const s = new ProviderScheduler();
    await s.run(quick, {
      timeoutMs: 1000,
      observe: () => ({ rateLimit: rl({ remainingRequests: 0, resetRequestsMs: 5000 }), tokens: 10 }),
    });
    expect(s.state().cooling).toBe(true);
    expect(s.tryDuplicate(quick, { timeoutMs: 1000, quietMs: 60_000 })).toBeNull();
  });

  it('not for a while after a 429, and a 429 answered to a hedge counts too', async () => {
    const s = new ProviderScheduler({ maxRetries: 0, retryAfterCapMs: 0 });
    const limited = (): Promise<string> =>
      Promise.reject(
        new ProviderError({ code: 'RATE_LIMITED', message: '429', status: 429, retryable: false, rateLimit: rl({ remainingRequests: 5 }) }),
      );
    await expect(s.tryDuplicate(limited, { timeoutMs: 1000, quietMs: 60_000 })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(s.tryDuplicate(quick, { timeoutMs: 1000, quietMs: 60_000 })).toBeNull();
    // With no quiet period asked for, the same scheduler would send it.
    expect(s.tryDuplicate(quick, { timeoutMs: 1000, quietMs: 0 })).not.toBeNull();
  });
});

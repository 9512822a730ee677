// Low-priority (shadow) calls share a model's scheduler with production calls but never make one
// wait: they have their own lane, yield whenever a normal call is queued, leave part of the
// concurrency limit and the end of a rate-limit window to normal calls.
import { describe, expect, it } from 'vitest';
import { LOW_RESERVE_CALLS, ProviderScheduler } from './scheduler.ts';
import type { RateLimitInfo } from './types.ts';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** Attempts the test settles by hand, tagged by who sent them. */
function gate() {
  const open: Array<{ who: string; resolve: (v: string) => void }> = [];
  const started: string[] = [];
  const fn = (who: string) => (): Promise<string> =>
    new Promise<string>((resolve) => {
      started.push(who);
      open.push({ who, resolve });
    });
  const finish = (who: string): void => {
    const i = open.findIndex((o) => o.who === who);
    if (i < 0) throw new Error(`${who} is not in flight`);
    open.splice(i, 1)[0]!.resolve(who);
  };
  return { open, started, fn, finish };
}

const rl = (o: Partial<RateLimitInfo>): RateLimitInfo => ({
  limitRequests: null,
  remainingRequests: null,
  resetRequestsMs: null,
  limitTokens: null,
  remainingTokens: null,
  resetTokensMs: null,
  ...o,
});

describe('ProviderScheduler priority', () => {
  it('a production call starts at once even when shadow calls fill the lane', async () => {
    const s = new ProviderScheduler({ maxConcurrency: 4 });
    const g = gate();
    const shadows = ['s1', 's2', 's3', 's4', 's5'].map((w) => s.run(g.fn(w), { timeoutMs: 60_000, priority: 'low' }));
    await flush();
    // Low calls leave a quarter of the limit (here one slot) free.
    expect(g.started).toEqual(['s1', 's2', 's3']);
    const prod = ['p1', 'p2', 'p3', 'p4'].map((w) => s.run(g.fn(w), { timeoutMs: 60_000 }));
    await flush();
    // Every production call went, none waited for a shadow call to finish.
    expect(g.started.filter((w) => w.startsWith('p'))).toEqual(['p1', 'p2', 'p3', 'p4']);
    // A shadow call finishing while production fills the limit does not let the queued shadow in.
    g.finish('s1');
    await flush();
    expect(g.started).not.toContain('s4');
    for (const w of ['p1', 'p2', 'p3', 'p4', 's2', 's3']) g.finish(w);
    await flush();
    expect(g.started).toContain('s4');
    g.finish('s4');
    await flush();
    g.finish('s5');
    await Promise.all([...shadows, ...prod]);
  });

  it('queued production calls go before queued shadow calls, whatever the arrival order', async () => {
    const s = new ProviderScheduler({ maxConcurrency: 1 });
    const g = gate();
    const first = s.run(g.fn('p0'), { timeoutMs: 60_000 });
    await flush();
    const shadow = s.run(g.fn('s1'), { timeoutMs: 60_000, priority: 'low' });
    const prod = s.run(g.fn('p1'), { timeoutMs: 60_000 });
    await flush();
    g.finish('p0');
    await flush();
    expect(g.started).toEqual(['p0', 'p1']);
    // Production is idle now: the shadow call takes the slot...
    expect(g.started).toEqual(['p0', 'p1']);
    g.finish('p1');
    await flush();
    expect(g.started).toEqual(['p0', 'p1', 's1']);
    // ...and a production call arriving meanwhile does not wait for it.
    const late = s.run(g.fn('p2'), { timeoutMs: 60_000 });
    await flush();
    expect(g.started).toEqual(['p0', 'p1', 's1', 'p2']);
    g.finish('p2');
    g.finish('s1');
    await Promise.all([late, shadow]);
    await Promise.all([first, prod]);
  });

  it('shadow calls leave the last requests of a rate-limit window to production', async () => {
    const s = new ProviderScheduler({ maxConcurrency: 16 });
    const g = gate();
    const remaining = LOW_RESERVE_CALLS + 1;
    // A production answer says the window has `remaining` requests left for the next 10 s.
    const warm = s.run(async () => 'ok', {
      timeoutMs: 60_000,
      observe: () => ({ rateLimit: rl({ remainingRequests: remaining, resetRequestsMs: 10_000 }), tokens: null }),
    });
    await warm;
    const shadows = ['s1', 's2', 's3'].map((w) => s.run(g.fn(w), { timeoutMs: 60_000, priority: 'low' }));
    await flush();
    expect(g.started).toEqual(['s1']);
    const prod = ['p1', 'p2'].map((w) => s.run(g.fn(w), { timeoutMs: 60_000 }));
    await flush();
    expect(g.started).toEqual(['s1', 'p1', 'p2']);
    for (const w of ['s1', 'p1', 'p2']) g.finish(w);
    await Promise.all(prod);
    for (const p of shadows) void p.catch(() => undefined);
  });
});

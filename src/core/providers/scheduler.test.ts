import { describe, expect, it } from 'vitest';
import { ProviderScheduler, RpmBucket, type AttemptOutcome, type SchedulerOptions } from './scheduler.ts';
import { ProviderError, type RateLimitInfo } from './types.ts';

// A fake clock: sleep() registers a timer, advance() fires due timers in time order and lets
// the promise chains they unblock run before looking for the next one.
class FakeClock {
  t = 0;
  private timers: { at: number; seq: number; fire: () => void }[] = [];
  private seq = 0;
  now = (): number => this.t;
  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = { at: this.t + ms, seq: this.seq++, fire: () => resolve() };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((x) => x !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  /** Pending sleeps that end after now (backoffs, cool-downs, attempt timers). */
  pending(): number[] {
    return this.timers.map((x) => x.at - this.t);
  }
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await flush();
    for (;;) {
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fire();
      await flush();
    }
    this.t = target;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function setup(opts: SchedulerOptions = {}) {
  const clock = new FakeClock();
  const s = new ProviderScheduler({ sleep: clock.sleep, now: clock.now, random: () => 1, label: 'Groq', ...opts });
  return { clock, s };
}

const err5xx = () => new ProviderError({ code: 'PROVIDER_ERROR', message: 'Groq server error (503).', status: 503, retryable: true });
const rl = (o: Partial<RateLimitInfo>): RateLimitInfo => ({
  limitRequests: null,
  remainingRequests: null,
  resetRequestsMs: null,
  limitTokens: null,
  remainingTokens: null,
  resetTokensMs: null,
  ...o,
});
const err429 = (retryAfterMs: number | null = null, rateLimit: Partial<RateLimitInfo> | null = null) =>
  new ProviderError({
    code: 'RATE_LIMITED',
    message: 'Groq rate limit reached (429).',
    status: 429,
    retryable: true,
    retryAfterMs,
    rateLimit: rateLimit && rl(rateLimit),
  });

/** A controllable attempt: each call returns a promise the test settles. */
function manual<T = string>() {
  const calls: { attemptNo: number; signal: AbortSignal; resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const fn = (signal: AbortSignal, attemptNo: number): Promise<T> =>
    new Promise<T>((resolve, reject) => calls.push({ attemptNo, signal, resolve, reject }));
  return { calls, fn };
}

describe('ProviderScheduler retries', () => {
  it('retries a retryable error up to maxRetries, then rejects with the last error and the attempt count', async () => {
    const { clock, s } = setup({ maxRetries: 3 });
    const outcomes: AttemptOutcome[] = [];
    let n = 0;
    const p = s.run(
      async () => {
        n++;
        throw err5xx();
      },
      { timeoutMs: 10_000, onAttempt: (a) => outcomes.push(a) },
    );
    const settled = p.catch((e: unknown) => e);
    await clock.advance(60_000);
    const e = (await settled) as ProviderError;
    expect(n).toBe(4);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.code).toBe('PROVIDER_ERROR');
    expect(e.attempts).toBe(4);
    expect(e.message).toContain('after 4 attempts');
    expect(outcomes.map((o) => [o.attempt, o.ok])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, false],
    ]);
    expect(outcomes.at(-1)?.nextDelayMs).toBeNull();
  });

  it('fails at once on a non-retryable error', async () => {
    const { clock, s } = setup();
    let n = 0;
    const auth = new ProviderError({ code: 'AUTH', message: 'Groq rejected the API key (401).', status: 401 });
    const settled = s
      .run(
        async () => {
          n++;
          throw auth;
        },
        { timeoutMs: 1000 },
      )
      .catch((e: unknown) => e);
    await clock.advance(0);
    const e = (await settled) as ProviderError;
    expect(n).toBe(1);
    expect(e.code).toBe('AUTH');
    expect(e.attempts).toBe(1);
    expect(e.message).toBe('Groq rejected the API key (401).');
  });

  it('returns the value and the number of attempts it took', async () => {
    const { clock, s } = setup();
    let n = 0;
    const outcomes: AttemptOutcome[] = [];
    const p = s.run(
      async (_sig, attemptNo) => {
        n++;
        if (attemptNo < 3) throw err5xx();
        return 'ok';
      },
      {
        timeoutMs: 1000,
        onAttempt: (a) => outcomes.push(a),
      },
    );
    await clock.advance(10_000);
    await expect(p).resolves.toEqual({ value: 'ok', attempts: 3 });
    expect(n).toBe(3);
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, true]);
    expect(outcomes[0]?.error?.code).toBe('PROVIDER_ERROR');
  });

  it('backs off exponentially with full jitter, capped', async () => {
    // random() = 1 gives the top of each jitter window: 500, 1000, 2000, 4000, 8000, 8000.
    const { clock, s } = setup({ maxRetries: 6, random: () => 1 });
    const delays: (number | null)[] = [];
    const starts: number[] = [];
    const settled = s
      .run(
        async () => {
          starts.push(clock.t);
          throw err5xx();
        },
        { timeoutMs: 100_000, onAttempt: (a) => delays.push(a.nextDelayMs) },
      )
      .catch(() => undefined);
    await clock.advance(100_000);
    await settled;
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000, null]);
    expect(starts).toEqual([0, 500, 1500, 3500, 7500, 15_500, 23_500]);
  });

  it('draws the jitter from [0, window)', async () => {
    const { clock, s } = setup({ maxRetries: 2, random: () => 0.25 });
    const delays: (number | null)[] = [];
    const settled = s
      .run(
        async () => {
          throw err5xx();
        },
        { timeoutMs: 1000, onAttempt: (a) => delays.push(a.nextDelayMs) },
      )
      .catch(() => undefined);
    await clock.advance(10_000);
    await settled;
    expect(delays).toEqual([125, 250, null]);
  });

  it('waits exactly the server-requested retry-after before retrying', async () => {
    const { clock, s } = setup();
    const m = manual();
    const p = s.run(m.fn, { timeoutMs: 60_000 });
    await clock.advance(0);
    m.calls[0]?.reject(err429(5000));
    await clock.advance(4999);
    expect(m.calls).toHaveLength(1);
    await clock.advance(1);
    expect(m.calls).toHaveLength(2);
    m.calls[1]?.resolve('done');
    await expect(p).resolves.toEqual({ value: 'done', attempts: 2 });
  });

  it('fails at once when the server asks to wait longer than the cap', async () => {
    const { clock, s } = setup({ retryAfterCapMs: 20_000 });
    let n = 0;
    const settled = s
      .run(
        async () => {
          n++;
          throw err429(578_016);
        },
        { timeoutMs: 1000 },
      )
      .catch((e: unknown) => e);
    await clock.advance(0);
    const e = (await settled) as ProviderError;
    expect(n).toBe(1);
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryable).toBe(false);
    expect(e.message).toBe('Groq asked to wait 9m38s, more than the 20s cap; try later or raise the cap.');
    expect(clock.pending()).toEqual([]);
  });

  it('turns a hung attempt into TIMEOUT, aborting its signal, and retries it', async () => {
    const { clock, s } = setup({ maxRetries: 1 });
    const m = manual();
    const settled = s.run(m.fn, { timeoutMs: 2000 }).catch((e: unknown) => e);
    await clock.advance(1999);
    expect(m.calls[0]?.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(m.calls[0]?.signal.aborted).toBe(true);
    await clock.advance(1000); // backoff (random 1 → 500 ms)
    expect(m.calls).toHaveLength(2);
    await clock.advance(2000);
    const e = (await settled) as ProviderError;
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toContain('did not answer within 2s');
    expect(e.attempts).toBe(2);
  });

  it('cancels during the backoff sleep without waiting it out', async () => {
    const { clock, s } = setup();
    const ctl = new AbortController();
    let n = 0;
    const settled = s
      .run(
        async () => {
          n++;
          throw err429(15_000);
        },
        { timeoutMs: 1000, signal: ctl.signal },
      )
      .catch((e: unknown) => e);
    await clock.advance(100);
    expect(s.state().retryingUntil).toBe(15_000);
    ctl.abort();
    await clock.advance(0);
    const e = (await settled) as ProviderError;
    expect(e.code).toBe('CANCELLED');
    expect(e.attempts).toBe(1);
    expect(n).toBe(1);
    expect(clock.t).toBe(100);
    expect(s.state().retryingUntil).toBeNull();
  });

  it('cancels an attempt in flight when the caller aborts, without retrying', async () => {
    const { clock, s } = setup();
    const ctl = new AbortController();
    const m = manual();
    const settled = s.run(m.fn, { timeoutMs: 10_000, signal: ctl.signal }).catch((e: unknown) => e);
    await clock.advance(10);
    ctl.abort();
    await clock.advance(0);
    const e = (await settled) as ProviderError;
    expect(e.code).toBe('CANCELLED');
    expect(m.calls[0]?.signal.aborted).toBe(true);
    await clock.advance(60_000);
    expect(m.calls).toHaveLength(1);
  });
});

describe('ProviderScheduler concurrency', () => {
  it('runs at most maxConcurrency calls at once and starts queued ones in FIFO order', async () => {
    const { clock, s } = setup({ maxConcurrency: 2 });
    const started: number[] = [];
    const m = manual();
    const runs = [0, 1, 2, 3].map((i) =>
      s.run(
        (sig, n) => {
          started.push(i);
          return m.fn(sig, n);
        },
        { timeoutMs: 60_000 },
      ),
    );
    await clock.advance(0);
    expect(started).toEqual([0, 1]);
    expect(s.state()).toMatchObject({ inFlight: 2, queued: 2, concurrencyLimit: 2 });
    m.calls[1]?.resolve('b');
    await clock.advance(0);
    expect(started).toEqual([0, 1, 2]);
    m.calls[0]?.resolve('a');
    await clock.advance(0);
    expect(started).toEqual([0, 1, 2, 3]);
    m.calls[2]?.resolve('c');
    m.calls[3]?.resolve('d');
    expect((await Promise.all(runs)).map((r) => r.value)).toEqual(['a', 'b', 'c', 'd']);
    expect(s.state()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('halves the limit on a 429 without rate-limit headers (once per overload), down to 1, and grows back by one per success', async () => {
    const { clock, s } = setup({ maxConcurrency: 8, maxRetries: 0, rateLimitBudgetMs: 0 });
    const limits: number[] = [];
    s.onStateChange((st) => {
      if (limits.at(-1) !== st.concurrencyLimit) limits.push(st.concurrencyLimit);
    });

    // Eight calls in flight all hit 429: one overload, one halving.
    const m = manual();
    const batch = Array.from({ length: 8 }, () => s.run(m.fn, { timeoutMs: 60_000 }).catch(() => undefined));
    await clock.advance(0);
    for (const c of m.calls) c.reject(err429());
    await Promise.all(batch);
    expect(s.state().concurrencyLimit).toBe(4);

    // Each later overload halves again, never below 1.
    for (let i = 0; i < 4; i++) {
      await s
        .run(
          async () => {
            throw err429();
          },
          { timeoutMs: 1000 },
        )
        .catch(() => undefined);
    }
    expect(s.state().concurrencyLimit).toBe(1);

    // While at 1, a second call queues behind the first.
    const slow = manual();
    const a = s.run(slow.fn, { timeoutMs: 60_000 });
    const b = s.run(slow.fn, { timeoutMs: 60_000 });
    await clock.advance(0);
    expect(s.state()).toMatchObject({ inFlight: 1, queued: 1 });
    slow.calls[0]?.resolve('x');
    await clock.advance(0);
    slow.calls[1]?.resolve('y');
    await Promise.all([a, b]);

    // Two successes already grew it to 3; five more restore the max, and no further.
    expect(s.state().concurrencyLimit).toBe(3);
    for (let i = 0; i < 20; i++) await s.run(async () => 'ok', { timeoutMs: 1000 });
    expect(s.state().concurrencyLimit).toBe(8);
    expect(limits).toEqual([8, 4, 2, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps its concurrency when a 429 comes with headers showing budget left (a storm, not our load)', async () => {
    const { clock, s } = setup({ maxConcurrency: 8 });
    const m = manual();
    const runs = Array.from({ length: 8 }, () => s.run(m.fn, { timeoutMs: 60_000 }));
    await clock.advance(0);
    for (const c of m.calls.slice(0, 4)) c.reject(err429(1000, { remainingRequests: 4000, remainingTokens: 700_000 }));
    await clock.advance(0);
    expect(s.state().concurrencyLimit).toBe(8);
    await clock.advance(1000);
    for (const c of m.calls) c.resolve('ok');
    await Promise.all(runs);
    expect(s.state().concurrencyLimit).toBe(8);
  });

  it('makes only the call that got a 429 wait its retry-after; the others go on', async () => {
    const { clock, s } = setup({ maxConcurrency: 4 });
    const m = manual();
    const first = s.run(m.fn, { timeoutMs: 60_000 });
    await clock.advance(0);
    m.calls[0]?.reject(err429(3000));
    await clock.advance(0);
    expect(s.state().cooling).toBe(false);
    const later = s.run(m.fn, { timeoutMs: 60_000 });
    await clock.advance(0);
    // The new call is dispatched at once; the 429'd one retries after exactly 3 s.
    expect(m.calls.map((c) => c.attemptNo)).toEqual([1, 1]);
    m.calls[1]?.resolve('later');
    await expect(later).resolves.toEqual({ value: 'later', attempts: 1 });
    await clock.advance(2999);
    expect(m.calls).toHaveLength(2);
    await clock.advance(1);
    expect(m.calls.map((c) => c.attemptNo)).toEqual([1, 1, 2]);
    m.calls[2]?.resolve('retry');
    await expect(first).resolves.toEqual({ value: 'retry', attempts: 2 });
  });

  it('retries 429s with short waits as often as it takes, beyond maxRetries', async () => {
    const { clock, s } = setup({ maxRetries: 3, retryAfterCapMs: 20_000 });
    let n = 0;
    const p = s.run(
      async () => {
        n++;
        if (n <= 12) throw err429(1000);
        return 'ok';
      },
      { timeoutMs: 10_000 },
    );
    await clock.advance(13_000);
    await expect(p).resolves.toEqual({ value: 'ok', attempts: 13 });
    expect(clock.t).toBe(13_000);
  });

  it('gives up on 429s clearly once one call has waited its whole rate-limit budget', async () => {
    const { clock, s } = setup({ retryAfterCapMs: 2000, rateLimitBudgetMs: 10_000 });
    let n = 0;
    const settled = s
      .run(
        async () => {
          n++;
          throw err429(2000);
        },
        { timeoutMs: 1000 },
      )
      .catch((e: unknown) => e);
    await clock.advance(60_000);
    const e = (await settled) as ProviderError;
    expect(n).toBe(6); // 5 waits of 2 s fill the 10 s budget; the 6th 429 is final
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryable).toBe(false);
    expect(e.message).toBe(
      'Groq kept answering 429 (rate limited) for 10s, the most one call waits (10s, 10× the retry-after cap); try later or raise the cap. (after 6 attempts)',
    );
  });

  it('still counts other transient failures against maxRetries when 429s come between them', async () => {
    const { clock, s } = setup({ maxRetries: 2 });
    let n = 0;
    const settled = s
      .run(
        async () => {
          n++;
          throw n % 2 ? err429(100) : err5xx();
        },
        { timeoutMs: 1000 },
      )
      .catch((e: unknown) => e);
    await clock.advance(60_000);
    const e = (await settled) as ProviderError;
    expect(e.code).toBe('PROVIDER_ERROR');
    expect(n).toBe(6); // 429, 503, 429, 503, 429, 503: the third 503 is one more than maxRetries
  });

  it('lets a retry go ahead of calls that queued while it backed off', async () => {
    const { clock, s } = setup({ maxConcurrency: 1, random: () => 1 });
    const order: string[] = [];
    const m = manual();
    const tracked = (name: string) => (sig: AbortSignal, n: number) => {
      order.push(`${name}${n}`);
      return m.fn(sig, n);
    };
    const a = s.run(tracked('A'), { timeoutMs: 60_000 });
    const b = s.run(tracked('B'), { timeoutMs: 60_000 });
    await clock.advance(0);
    m.calls[0]?.reject(err5xx()); // A fails; B takes the slot; A backs off 500 ms
    await clock.advance(0);
    const c = s.run(tracked('C'), { timeoutMs: 60_000 }); // C queues behind B
    await clock.advance(500); // A's retry now waits too, ahead of C
    expect(s.state().queued).toBe(2);
    m.calls[1]?.resolve('b');
    await clock.advance(0);
    expect(order).toEqual(['A1', 'B1', 'A2']);
    m.calls[2]?.resolve('a');
    await clock.advance(0);
    m.calls[3]?.resolve('c');
    await Promise.all([a, b, c]);
    expect(order).toEqual(['A1', 'B1', 'A2', 'C1']);
  });

  it('leaves no timer behind when the only call held by the rate-limit headers is cancelled', async () => {
    const { clock, s } = setup();
    await s.run(async () => 'x', {
      timeoutMs: 1000,
      observe: () => ({ rateLimit: rl({ remainingRequests: 0, resetRequestsMs: 10_000 }), tokens: null }),
    });
    const ctl = new AbortController();
    const waiting = s.run(async () => 'x', { timeoutMs: 1000, signal: ctl.signal }).catch((e: unknown) => e);
    await clock.advance(0);
    expect(s.state()).toMatchObject({ cooling: true, queued: 1, heldUntil: 10_000 });
    expect(clock.pending()).toEqual([10_000]);
    ctl.abort();
    expect(((await waiting) as ProviderError).code).toBe('CANCELLED');
    expect(clock.pending()).toEqual([]);
  });

  it('paces calls to the rpm limit', async () => {
    const { clock, s } = setup({ rpm: 60, rpmBurst: 2 });
    const starts: number[] = [];
    const runs = Array.from({ length: 5 }, () =>
      s.run(
        async () => {
          starts.push(clock.t);
          return 1;
        },
        { timeoutMs: 1000 },
      ),
    );
    await clock.advance(0);
    expect(starts).toEqual([0, 0]);
    await clock.advance(999);
    expect(starts).toEqual([0, 0]);
    await clock.advance(1);
    expect(starts).toEqual([0, 0, 1000]);
    await clock.advance(2000);
    expect(starts).toEqual([0, 0, 1000, 2000, 3000]);
    await Promise.all(runs);
  });

  it('removes a cancelled call from the queue without running it', async () => {
    const { clock, s } = setup({ maxConcurrency: 1 });
    const m = manual();
    const a = s.run(m.fn, { timeoutMs: 60_000 });
    const ctl = new AbortController();
    let ran = false;
    const b = s
      .run(
        async () => {
          ran = true;
          return 'b';
        },
        { timeoutMs: 1000, signal: ctl.signal },
      )
      .catch((e: unknown) => e);
    await clock.advance(0);
    expect(s.state().queued).toBe(1);
    ctl.abort();
    const e = (await b) as ProviderError;
    expect(e.code).toBe('CANCELLED');
    expect(e.attempts).toBe(0);
    expect(s.state().queued).toBe(0);
    m.calls[0]?.resolve('a');
    await a;
    expect(ran).toBe(false);
  });
});

describe('ProviderScheduler pacing by the rate-limit headers', () => {
  const seen =
    (o: Partial<RateLimitInfo>, tokens: number | null = null) =>
    () => ({ rateLimit: rl(o), tokens });

  it('sends no more calls than the remaining requests, then holds the rest until the reset', async () => {
    const { clock, s } = setup({ maxConcurrency: 16 });
    // The first answer says two requests are left in a window that resets in 2 s.
    await s.run(async () => 'a', { timeoutMs: 1000, observe: seen({ limitRequests: 600, remainingRequests: 2, resetRequestsMs: 2000 }) });
    const starts: number[] = [];
    const runs = Array.from({ length: 5 }, () =>
      s.run(
        async () => {
          starts.push(clock.t);
          return 1;
        },
        { timeoutMs: 1000 },
      ),
    );
    await clock.advance(0);
    expect(starts).toEqual([0, 0]);
    expect(s.state()).toMatchObject({ cooling: true, heldUntil: 2000, queued: 3 });
    await clock.advance(1999);
    expect(starts).toEqual([0, 0]);
    await clock.advance(1);
    expect(starts).toEqual([0, 0, 2000, 2000, 2000]);
    await Promise.all(runs);
  });

  it('counts a newer reading, not an older one that arrives late', async () => {
    const { clock, s } = setup();
    const m = manual();
    const older = s.run(m.fn, { timeoutMs: 60_000, observe: seen({ remainingRequests: 0, resetRequestsMs: 5000 }) });
    const newer = s.run(m.fn, { timeoutMs: 60_000, observe: seen({ remainingRequests: 50, resetRequestsMs: 5000 }) });
    await clock.advance(0);
    m.calls[1]?.resolve('newer');
    await newer;
    m.calls[0]?.resolve('older');
    await older;
    let ran = false;
    await s.run(
      async () => {
        ran = true;
        return 1;
      },
      { timeoutMs: 1000 },
    );
    expect(ran).toBe(true);
    expect(clock.t).toBe(0);
  });

  it('holds calls when the remaining tokens would not cover another call of the usual size', async () => {
    const { clock, s } = setup();
    // Calls use about 400 tokens; 1000 are left until the tokens reset in 3 s.
    await s.run(async () => 'a', { timeoutMs: 1000, observe: seen({ remainingTokens: 1000, resetTokensMs: 3000 }, 400) });
    const starts: number[] = [];
    const runs = Array.from({ length: 4 }, () =>
      s.run(
        async () => {
          starts.push(clock.t);
          return 1;
        },
        { timeoutMs: 1000 },
      ),
    );
    await clock.advance(0);
    expect(starts).toEqual([0, 0]);
    await clock.advance(3000);
    expect(starts).toEqual([0, 0, 3000, 3000]);
    await Promise.all(runs);
  });

  it('holds the model after a 429 whose headers say its requests are used up', async () => {
    const { clock, s } = setup();
    const m = manual();
    const first = s.run(m.fn, { timeoutMs: 60_000 });
    await clock.advance(0);
    m.calls[0]?.reject(err429(1000, { remainingRequests: 0, resetRequestsMs: 4000 }));
    await clock.advance(0);
    const later = s.run(m.fn, { timeoutMs: 60_000 });
    await clock.advance(3999);
    // The 429'd call's own wait (1 s) is over, but the model has nothing left until 4 s.
    expect(m.calls).toHaveLength(1);
    await clock.advance(1);
    expect(m.calls).toHaveLength(3);
    for (const c of m.calls.slice(1)) c.resolve('ok');
    await Promise.all([first, later]);
  });

  it('does not hold calls for a reset further away than the retry-after cap (the server then says why)', async () => {
    const { clock, s } = setup({ retryAfterCapMs: 20_000 });
    // Groq's request headers count per day: a used-up day resets in hours.
    await s.run(async () => 'a', {
      timeoutMs: 1000,
      observe: seen({ limitRequests: 1000, remainingRequests: 0, resetRequestsMs: 5 * 3_600_000 }),
    });
    let ran = false;
    await s.run(
      async () => {
        ran = true;
        return 1;
      },
      { timeoutMs: 1000 },
    );
    expect(ran).toBe(true);
    expect(clock.t).toBe(0);
  });

  it('shares one rpm bucket between schedulers (a provider-wide --rpm)', async () => {
    const clock = new FakeClock();
    const bucket = new RpmBucket(60, 1, 0);
    const mk = () => new ProviderScheduler({ sleep: clock.sleep, now: clock.now, random: () => 1, rpmBucket: bucket });
    const [a, b] = [mk(), mk()];
    const starts: string[] = [];
    const runs = [a, b, a, b].map((s, i) =>
      s.run(
        async () => {
          starts.push(`${i}@${clock.t}`);
          return i;
        },
        { timeoutMs: 1000 },
      ),
    );
    await clock.advance(3000);
    // One call a second across both models, whichever model's call goes.
    expect(starts.map((x) => x.split('@')[1])).toEqual(['0', '1000', '2000', '3000']);
    await Promise.all(runs);
  });
});

// One scheduler per model (provider + model id, as Groq and OpenAI count limits per model): calls
// queue FIFO behind an adaptive concurrency limit, are paced by the provider's x-ratelimit-*
// headers before a 429 happens, and are retried — a 429 waits exactly its retry-after and only
// the call that got it waits, within a time budget; other transient failures get bounded retries
// with full-jitter backoff. Plus an optional requests-per-minute bucket (which may be shared) and
// a per-attempt timeout. Providers make one HTTP attempt; this decides the rest.
// Over 400 lines: one state machine (queue, slots, header pacing, retry budget, rpm) whose parts
// read and write the same counters on every attempt.
import { AppError } from '#shared/errors.ts';
import { formatDuration } from './rateLimitHeaders.ts';
import { ProviderError, type RateLimitInfo } from './types.ts';

/** One attempt as the caller records it (every attempt, ok or failed). */
export interface AttemptOutcome {
  /** 1-based attempt number. */
  attempt: number;
  ok: boolean;
  error: ProviderError | null;
  /** Clock reading when the attempt was dispatched. */
  startedAt: number;
  durationMs: number;
  /** Time spent waiting for a slot (queue, rate-limit hold, rpm) before this attempt. */
  queuedMs: number;
  /** Wait before the next attempt; null when there is none. */
  nextDelayMs: number | null;
}

export interface SchedulerState {
  inFlight: number;
  queued: number;
  concurrencyLimit: number;
  /** The provider's rate-limit headers say the model's budget is used up; queued calls wait for its reset. */
  cooling: boolean;
  /** Clock reading until which queued calls are held for that reason; null when they are not. */
  heldUntil: number | null;
  /** Clock reading when the last call now backing off will retry; null when none is. */
  retryingUntil: number | null;
  /** Low-priority (shadow) calls in flight and waiting; `inFlight`/`queued` include them. */
  lowInFlight?: number;
  lowQueued?: number;
}

export interface SchedulerOptions {
  /** Provider name for messages ("Groq asked to wait …"). */
  label?: string;
  /** Upper bound and starting point of the adaptive concurrency limit. Default 16. */
  maxConcurrency?: number;
  /** Retries after the first attempt for failures other than 429 (5xx, timeouts, resets). Default 3. */
  maxRetries?: number;
  /** Backoff base and cap, ms. Defaults 500 and 8000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest server-requested wait honoured, ms; longer ones fail at once. Default 20 000. */
  retryAfterCapMs?: number;
  /**
   * How long one call may keep retrying 429s, from its first attempt, ms: any number of retries
   * while the waits are short. Default 10 × retryAfterCapMs.
   */
  rateLimitBudgetMs?: number;
  /** Requests per minute (developer plans); null/undefined = unlimited. */
  rpm?: number | null;
  /** Requests that may go at once from a full rpm bucket. Default = rpm. */
  rpmBurst?: number;
  /** A bucket shared with other schedulers (one --rpm for all of a provider's models); overrides rpm. */
  rpmBucket?: RpmBucket;
  /** Injected for tests: must reject when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** What a successful attempt tells the scheduler about the provider's limits. */
export interface AttemptObservation {
  rateLimit: RateLimitInfo | null;
  /** Tokens the call used (input + output), to pace by the tokens-per-minute headers. */
  tokens: number | null;
}

export interface RunOptions<T = unknown> {
  signal?: AbortSignal;
  /** Per-attempt timeout, ms. */
  timeoutMs: number;
  onAttempt?: (a: AttemptOutcome) => void;
  /** Reads the rate-limit headers and usage of a successful attempt (failed ones carry theirs). */
  observe?: (value: T) => AttemptObservation | null;
  /**
   * 'low': a call nobody waits for (a shadow model). It has its own lane beside the concurrency
   * limit: it goes only while no normal call is queued, leaves a quarter of the limit and the last
   * LOW_RESERVE_CALLS of a rate-limit window free, and never counts against a normal call's slot —
   * so a normal call never waits for a low one.
   */
  priority?: 'normal' | 'low';
}

/** Requests (and calls' worth of tokens) of a provider's window that low-priority calls leave to normal ones. */
export const LOW_RESERVE_CALLS = 2;

interface Waiter {
  /** Called with the attempt's dispatch number. */
  resolve: (seq: number) => void;
  reject: (e: ProviderError) => void;
  detach: () => void;
}

/** A rate-limit reading: what the server had left as of the attempt `seq`, and when it is whole again. */
interface Reading {
  remaining: number;
  resetAt: number;
  seq: number;
}

/** Used when a provider sends a remaining count without its reset time. */
const UNKNOWN_RESET_MS = 1000;

/** Sleep that rejects with the signal's reason on abort. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A requests-per-minute token bucket; one may serve several schedulers. */
export class RpmBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #at: number;
  constructor(rpm: number, burst: number, now: number) {
    this.#rate = rpm / 60_000;
    this.#burst = Math.max(1, burst);
    this.#tokens = this.#burst;
    this.#at = now;
  }
  /** Takes a token and returns 0, or returns the ms until one is there. */
  take(t: number): number {
    this.#tokens = Math.min(this.#burst, this.#tokens + (t - this.#at) * this.#rate);
    this.#at = t;
    // The epsilon absorbs float error so a wake-up at the computed time finds a whole token.
    if (this.#tokens < 1 - 1e-9) return (1 - this.#tokens) / this.#rate;
    this.#tokens = Math.max(0, this.#tokens - 1);
    return 0;
  }
}

const cancelled = (): ProviderError => new ProviderError({ code: 'CANCELLED', message: 'Cancelled.' });

const ATTEMPT_SETTLED = Object.freeze({ settled: true });

/** Retries, paces and limits calls to one model. */
export class ProviderScheduler {
  readonly #label: string;
  readonly #max: number;
  readonly #maxRetries: number;
  readonly #base: number;
  readonly #cap: number;
  readonly #retryAfterCap: number;
  readonly #rateBudget: number;
  readonly #bucket: RpmBucket | null;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #now: () => number;
  readonly #random: () => number;

  #limit: number;
  /** Normal calls in flight (what the concurrency limit counts). */
  #inFlight = 0;
  #queue: Waiter[] = [];
  /** Low-priority calls: their own count and queue, served only when no normal call waits. */
  #lowInFlight = 0;
  #lowQueue: Waiter[] = [];
  /** Bumped at each halving; attempts dispatched before it report the same overload. */
  #epoch = 0;
  /** Attempts dispatched so far; readings count what was dispatched after them. */
  #dispatched = 0;
  /** Dispatch numbers of the attempts in flight. */
  #open = new Set<number>();
  #requests: Reading | null = null;
  #tokens: Reading | null = null;
  /** Mean tokens per call (moving average), for the tokens-per-minute reading. */
  #tokensPerCall: number | null = null;
  #wakeAt: number | null = null;
  #wakeCtl: AbortController | null = null;
  #backoffEnds = new Map<symbol, number>();
  /** Clock reading of the last 429 answered; a hedge does not go for a while after one. */
  #last429: number | null = null;
  #listeners = new Set<(s: SchedulerState) => void>();

  constructor(opts: SchedulerOptions = {}) {
    this.#label = opts.label ?? 'The provider';
    this.#max = Math.max(1, Math.floor(opts.maxConcurrency ?? 16));
    this.#maxRetries = Math.max(0, Math.floor(opts.maxRetries ?? 3));
    this.#base = opts.baseDelayMs ?? 500;
    this.#cap = opts.maxDelayMs ?? 8000;
    this.#retryAfterCap = opts.retryAfterCapMs ?? 20_000;
    this.#rateBudget = Math.max(0, opts.rateLimitBudgetMs ?? 10 * this.#retryAfterCap);
    this.#sleep = opts.sleep ?? abortableSleep;
    this.#now = opts.now ?? (() => performance.now());
    this.#random = opts.random ?? Math.random;
    this.#limit = this.#max;
    const rpm = opts.rpm != null && opts.rpm > 0 ? opts.rpm : null;
    this.#bucket = opts.rpmBucket ?? (rpm === null ? null : new RpmBucket(rpm, opts.rpmBurst ?? rpm, this.#now()));
  }

  /** Current load, for the status bar. */
  state(): SchedulerState {
    const ends = [...this.#backoffEnds.values()];
    const held = this.#heldUntil(this.#now());
    return {
      inFlight: this.#inFlight + this.#lowInFlight,
      queued: this.#queue.length + this.#lowQueue.length,
      lowInFlight: this.#lowInFlight,
      lowQueued: this.#lowQueue.length,
      concurrencyLimit: this.#limit,
      cooling: held !== null,
      heldUntil: held,
      retryingUntil: ends.length > 0 ? Math.max(...ends) : null,
    };
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: (s: SchedulerState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs `attempt` until it succeeds, fails for good, or runs out of retries (or, for 429s, of
   * the rate-limit budget). Rejects with the final ProviderError, its `attempts` set.
   */
  async run<T>(
    attempt: (signal: AbortSignal, attemptNo: number, queuedMs: number) => Promise<T>,
    opts: RunOptions<T>,
  ): Promise<{ value: T; attempts: number }> {
    const caller = opts.signal;
    const low = opts.priority === 'low';
    let firstStart: number | null = null;
    let otherFailures = 0;
    let rateLimited = 0;
    for (let n = 1; ; n++) {
      const queuedFrom = this.#now();
      let seq: number;
      try {
        // Retries go to the front: a ticket half done should not wait behind a whole batch.
        seq = await this.#acquire(caller, n > 1, low);
      } catch (e) {
        throw annotate(e instanceof ProviderError ? e : cancelled(), n - 1);
      }
      const startedAt = this.#now();
      firstStart ??= startedAt;
      const epoch = this.#epoch;
      let value: T | undefined;
      let error: ProviderError | null = null;
      try {
        value = await this.#attemptWithTimeout(attempt, n, opts, startedAt - queuedFrom);
      } catch (e) {
        error = e as ProviderError;
      }
      this.#open.delete(seq);
      const durationMs = this.#now() - startedAt;
      const queuedMs = startedAt - queuedFrom;

      if (error === null) {
        let seen: AttemptObservation | null = null;
        try {
          seen = opts.observe?.(value as T) ?? null;
        } catch {
          // A reader's failure must not change the call's outcome.
        }
        this.#observe(seen?.rateLimit ?? null, seq, seen?.tokens ?? null);
        this.#onSuccess();
        this.#release(low);
        this.#report(opts, { attempt: n, ok: true, error: null, startedAt, durationMs, queuedMs, nextDelayMs: null });
        return { value: value as T, attempts: n };
      }

      this.#observe(error.rateLimit, seq, null);
      const is429 = error.code === 'RATE_LIMITED' && error.status === 429;
      if (is429) this.#on429(epoch, error);
      this.#release(low);
      if (is429 && error.retryable) rateLimited++;
      else if (error.code !== 'CANCELLED') otherFailures++;
      const plan = this.#planRetry(error, { n, rateLimited, otherFailures, elapsedMs: this.#now() - firstStart });
      this.#report(opts, {
        attempt: n,
        ok: false,
        error,
        startedAt,
        durationMs,
        queuedMs,
        nextDelayMs: plan.delayMs,
      });
      if (plan.delayMs === null) throw annotate(plan.error, n);

      const key = Symbol('backoff');
      this.#backoffEnds.set(key, this.#now() + plan.delayMs);
      this.#emit();
      try {
        await this.#sleep(plan.delayMs, caller);
      } catch {
        throw annotate(cancelled(), n);
      } finally {
        this.#backoffEnds.delete(key);
        this.#emit();
      }
      if (caller?.aborted) throw annotate(cancelled(), n);
    }
  }

  /**
   * A hedge (providers/hedge.ts): one duplicate of an attempt already in flight, sent only at
   * once — a slot free, nobody queued, the model neither held by its rate-limit readings nor its
   * rpm bucket, no call backing off and no 429 within `quietMs` — and never retried. Null when it
   * may not go. It holds a slot and counts as a request sent like any attempt; a failure's
   * headers and 429 are taken in (a success's are, by the run its answer is returned through).
   */
  tryDuplicate<T>(
    attempt: (signal: AbortSignal) => Promise<T>,
    opts: { signal?: AbortSignal; timeoutMs: number; quietMs: number },
  ): Promise<T> | null {
    const t = this.#now();
    if (opts.signal?.aborted || this.#queue.length > 0 || this.#inFlight >= this.#limit || this.#backoffEnds.size > 0) return null;
    if (this.#last429 !== null && t - this.#last429 < opts.quietMs) return null;
    if (this.#heldUntil(t) !== null) return null;
    if (this.#bucket !== null && this.#bucket.take(t) > 0) return null;
    this.#inFlight++;
    const seq = ++this.#dispatched;
    this.#open.add(seq);
    this.#emit();
    const epoch = this.#epoch;
    const end = (): void => {
      this.#open.delete(seq);
      this.#release(false);
    };
    return this.#attemptWithTimeout((s) => attempt(s), 1, { signal: opts.signal, timeoutMs: opts.timeoutMs }, 0).then(
      (v) => {
        end();
        return v;
      },
      (e: unknown) => {
        const error = e as ProviderError;
        this.#observe(error.rateLimit, seq, null);
        if (error.code === 'RATE_LIMITED' && error.status === 429) this.#on429(epoch, error);
        end();
        throw error;
      },
    );
  }

  #planRetry(
    error: ProviderError,
    c: { n: number; rateLimited: number; otherFailures: number; elapsedMs: number },
  ): { delayMs: number | null; error: ProviderError } {
    if (!error.retryable || error.code === 'CANCELLED') return { delayMs: null, error };
    if (error.retryAfterMs !== null && error.retryAfterMs > this.#retryAfterCap) {
      return {
        delayMs: null,
        error: new ProviderError({
          code: 'RATE_LIMITED',
          message: `${this.#label} asked to wait ${formatDuration(error.retryAfterMs)}, more than the ${formatDuration(this.#retryAfterCap)} cap; try later or raise the cap.`,
          status: error.status,
          retryable: false,
          retryAfterMs: error.retryAfterMs,
          raw: error.raw,
          rateLimit: error.rateLimit,
        }),
      };
    }
    const isRateLimit = error.code === 'RATE_LIMITED' && error.status === 429;
    // Full jitter: spreads retries of calls that failed together.
    const jitter = (k: number): number => this.#random() * Math.min(this.#cap, this.#base * 2 ** (k - 1));
    if (isRateLimit) {
      // The server's own wait, exactly; a 429 without one backs off like any transient failure.
      const delayMs = error.retryAfterMs ?? jitter(c.rateLimited);
      if (c.elapsedMs + delayMs > this.#rateBudget) {
        return {
          delayMs: null,
          error: new ProviderError({
            code: 'RATE_LIMITED',
            message: `${this.#label} kept answering 429 (rate limited) for ${formatDuration(c.elapsedMs)}, the most one call waits (${formatDuration(this.#rateBudget)}, 10× the retry-after cap); try later or raise the cap.`,
            status: error.status,
            retryable: false,
            retryAfterMs: error.retryAfterMs,
            raw: error.raw,
            rateLimit: error.rateLimit,
          }),
        };
      }
      return { delayMs, error };
    }
    if (c.otherFailures > this.#maxRetries) return { delayMs: null, error };
    return { delayMs: error.retryAfterMs ?? jitter(c.otherFailures), error };
  }

  async #attemptWithTimeout<T>(
    attempt: (signal: AbortSignal, attemptNo: number, queuedMs: number) => Promise<T>,
    n: number,
    opts: RunOptions<T>,
    queuedMs: number,
  ): Promise<T> {
    const caller = opts.signal;
    const ctl = new AbortController();
    const timerCtl = new AbortController();
    let fired: 'timeout' | 'cancelled' | null = null;
    const onCallerAbort = (): void => {
      fired ??= 'cancelled';
      ctl.abort(caller?.reason);
    };
    if (caller?.aborted) onCallerAbort();
    else caller?.addEventListener('abort', onCallerAbort, { once: true });
    // The timer runs on the injected sleep so tests can drive it with a fake clock.
    this.#sleep(opts.timeoutMs, timerCtl.signal).then(
      () => {
        fired ??= 'timeout';
        ctl.abort(new DOMException(`Timed out after ${opts.timeoutMs} ms`, 'TimeoutError'));
      },
      () => undefined,
    );
    // Race the abort too, so an attempt that ignores its signal cannot hang the scheduler.
    const aborted = new Promise<never>((_, reject) => {
      const fail = (): void => reject(new Error('aborted'));
      if (ctl.signal.aborted) fail();
      else ctl.signal.addEventListener('abort', fail, { once: true });
    });
    try {
      return await Promise.race([attempt(ctl.signal, n, queuedMs), aborted]);
    } catch (e) {
      throw this.#toProviderError(e, fired, opts.timeoutMs);
    } finally {
      // A fixed reason: abort() without one builds a DOMException (with a stack) on every call.
      timerCtl.abort(ATTEMPT_SETTLED);
      caller?.removeEventListener('abort', onCallerAbort);
    }
  }

  #toProviderError(e: unknown, fired: 'timeout' | 'cancelled' | null, timeoutMs: number): ProviderError {
    if (fired === 'cancelled') return cancelled();
    if (fired === 'timeout') {
      return new ProviderError({
        code: 'TIMEOUT',
        message: `${this.#label} did not answer within ${formatDuration(timeoutMs)}.`,
        retryable: true,
      });
    }
    if (e instanceof ProviderError) return e;
    if (e instanceof AppError) return new ProviderError({ code: e.code, message: e.message });
    const msg = e instanceof Error ? e.message : String(e);
    return new ProviderError({ code: 'INTERNAL', message: `Unexpected error: ${msg}` });
  }

  #report<T>(opts: RunOptions<T>, outcome: AttemptOutcome): void {
    try {
      opts.onAttempt?.(outcome);
    } catch {
      // A recorder's failure must not change the call's outcome.
    }
  }

  /** Additive growth of one per success: from 1 back to 16 in four round trips. */
  #onSuccess(): void {
    if (this.#limit < this.#max) {
      this.#limit++;
      this.#pump();
      this.#emit();
    }
  }

  /**
   * A 429 is answered by its own retry-after. It says something about load only when the
   * headers say the model's budget is used up — then the readings hold the queue until the
   * reset — or when it comes without any rate-limit headers, which cannot tell an overload from
   * chance: then the limit halves (once per overload) and grows back by one per success. A 429
   * whose headers show budget left (a provider's capacity blip, a storm) changes nothing else.
   */
  #on429(attemptEpoch: number, error: ProviderError): void {
    this.#last429 = this.#now();
    if (error.rateLimit !== null) return;
    // 429s from attempts already in flight at the last halving report the same overload.
    if (attemptEpoch === this.#epoch) {
      this.#limit = Math.max(1, Math.floor(this.#limit / 2));
      this.#epoch++;
      this.#emit();
    }
  }

  /** Takes in what an attempt's headers and usage say; a newer attempt's reading replaces an older one. */
  #observe(info: RateLimitInfo | null, seq: number, tokens: number | null): void {
    if (tokens !== null && tokens > 0) {
      this.#tokensPerCall = this.#tokensPerCall === null ? tokens : 0.8 * this.#tokensPerCall + 0.2 * tokens;
    }
    if (info === null) return;
    // Reset times count from the answer, not the dispatch: a request can reach the server long
    // after it was sent (a loaded client), and a reset read early costs a 429 — which providers
    // count against the limit too. Read late, it costs at most one round trip per window.
    const t = this.#now();
    const reading = (remaining: number, resetMs: number | null): Reading => ({
      remaining,
      resetAt: t + (resetMs ?? UNKNOWN_RESET_MS),
      seq,
    });
    if (info.remainingRequests !== null) this.#requests = merge(this.#requests, reading(info.remainingRequests, info.resetRequestsMs), t);
    if (info.remainingTokens !== null) this.#tokens = merge(this.#tokens, reading(info.remainingTokens, info.resetTokensMs), t);
  }

  /**
   * Until when the readings say the model has nothing left: the remaining requests (tokens)
   * minus the calls (their mean tokens) sent since. Null when calls may go — also when the reset
   * is further away than the retry-after cap, so the server's refusal says so clearly.
   */
  #heldUntil(t: number, reserve = 0): number | null {
    let until: number | null = null;
    // Sent since the reading, plus those sent before it still in flight: on a busy client a
    // request can reach the server after a later one, uncounted by the later one's reading.
    const since = (seq: number): number => {
      let older = 0;
      for (const s of this.#open) if (s < seq) older++;
      return this.#dispatched - seq + older;
    };
    const r = this.#requests;
    if (r !== null && t < r.resetAt && r.remaining - since(r.seq) < 1 + reserve) until = r.resetAt;
    const k = this.#tokens;
    if (k !== null && t < k.resetAt) {
      const need = this.#tokensPerCall ?? 1;
      if (k.remaining - since(k.seq) * need < need * (1 + reserve)) until = Math.max(until ?? 0, k.resetAt);
    }
    return until !== null && until - t <= this.#retryAfterCap ? until : null;
  }

  #acquire(signal: AbortSignal | undefined, front: boolean, low: boolean): Promise<number> {
    if (signal?.aborted) return Promise.reject(cancelled());
    const queue = low ? this.#lowQueue : this.#queue;
    if (this.#queue.length === 0 && queue.length === 0) {
      const seq = this.#tryTake(low);
      if (seq > 0) {
        this.#emit();
        return Promise.resolve(seq);
      }
    }
    return new Promise<number>((resolve, reject) => {
      const onAbort = (): void => {
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        this.#cancelIdleWake();
        this.#emit();
        reject(cancelled());
      };
      const waiter: Waiter = {
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (front) queue.unshift(waiter);
      else queue.push(waiter);
      this.#emit();
      this.#pump();
    });
  }

  #release(low: boolean): void {
    if (low) this.#lowInFlight--;
    else this.#inFlight--;
    this.#pump();
    this.#emit();
  }

  /**
   * Takes a slot if the limit, the rate-limit readings and the rpm bucket allow, and returns the
   * attempt's dispatch number; else schedules a wake-up and returns 0.
   */
  #tryTake(low = false): number {
    if (low) {
      // A low call goes only while no normal call waits, and leaves a quarter of the limit free.
      // It never holds a normal call's slot: normal calls count only each other (above), so one
      // arriving while low calls are in flight goes at once, borrowing their slots.
      if (this.#queue.length > 0) return 0;
      const reserve = Math.floor(this.#limit / 4);
      if (this.#inFlight + this.#lowInFlight >= this.#limit - reserve) return 0;
    } else if (this.#inFlight >= this.#limit) return 0;
    const t = this.#now();
    const held = this.#heldUntil(t, low ? LOW_RESERVE_CALLS : 0);
    if (held !== null) {
      this.#wakeIn(held - t);
      return 0;
    }
    if (this.#bucket !== null) {
      const wait = this.#bucket.take(t);
      if (wait > 0) {
        this.#wakeIn(wait);
        return 0;
      }
    }
    if (low) this.#lowInFlight++;
    else this.#inFlight++;
    this.#open.add(++this.#dispatched);
    return this.#dispatched;
  }

  #pump(): void {
    let changed = false;
    while (this.#queue.length > 0) {
      const seq = this.#tryTake();
      if (seq === 0) break;
      const w = this.#queue.shift() as Waiter;
      w.detach();
      w.resolve(seq);
      changed = true;
    }
    // Low-priority calls only once no normal call is waiting.
    while (this.#queue.length === 0 && this.#lowQueue.length > 0) {
      const seq = this.#tryTake(true);
      if (seq === 0) break;
      const w = this.#lowQueue.shift() as Waiter;
      w.detach();
      w.resolve(seq);
      changed = true;
    }
    if (changed) this.#emit();
  }

  #wakeIn(ms: number): void {
    const at = this.#now() + ms;
    if (this.#wakeAt !== null && this.#wakeAt <= at) return;
    this.#wakeCtl?.abort();
    const ctl = new AbortController();
    this.#wakeCtl = ctl;
    this.#wakeAt = at;
    void this.#sleep(Math.ceil(ms), ctl.signal).then(
      () => {
        if (this.#wakeCtl !== ctl) return;
        this.#wakeAt = null;
        this.#wakeCtl = null;
        this.#pump();
        this.#emit();
      },
      () => undefined,
    );
  }

  // A pending wake-up with nobody waiting would only keep the process alive.
  #cancelIdleWake(): void {
    if (this.#queue.length > 0 || this.#lowQueue.length > 0 || this.#wakeCtl === null) return;
    this.#wakeCtl.abort();
    this.#wakeCtl = null;
    this.#wakeAt = null;
  }

  #emit(): void {
    if (this.#listeners.size === 0) return;
    const s = this.state();
    for (const l of this.#listeners) {
      try {
        l(s);
      } catch {
        // A status-bar listener must not break scheduling.
      }
    }
  }
}

/**
 * The newer attempt's count wins; the reset is the later of the two while the current one runs:
 * a request admitted late (after a newer one) moves the window's end without being the newest.
 */
function merge(cur: Reading | null, next: Reading, now: number): Reading {
  // An expired reading says nothing any more; any fresh one replaces it.
  if (cur === null || now >= cur.resetAt) return next;
  const resetAt = Math.max(cur.resetAt, next.resetAt);
  return next.seq >= cur.seq ? { ...next, resetAt } : { ...cur, resetAt };
}

function annotate(err: ProviderError, attempts: number): ProviderError {
  const suffix = attempts > 1 && err.code !== 'CANCELLED' ? ` (after ${attempts} attempts)` : '';
  return new ProviderError({
    code: err.code,
    message: err.message + suffix,
    status: err.status,
    retryable: err.retryable,
    retryAfterMs: err.retryAfterMs,
    raw: err.raw,
    rateLimit: err.rateLimit,
    attempts,
  });
}

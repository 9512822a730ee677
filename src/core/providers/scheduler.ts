// One scheduler per provider+key: bounded retries with backoff, retry-after honoured up to a
// cap, adaptive concurrency (AIMD on 429s) over a FIFO queue, an optional requests-per-minute
// bucket, and a per-attempt timeout. Providers make one HTTP attempt; this decides the rest.
import { AppError } from '../../shared/errors.ts';
import { formatDuration } from './classifyError.ts';
import { ProviderError } from './types.ts';

/** One attempt as the caller records it (every attempt, ok or failed). */
export interface AttemptOutcome {
  /** 1-based attempt number. */
  attempt: number;
  ok: boolean;
  error: ProviderError | null;
  /** Clock reading when the attempt was dispatched. */
  startedAt: number;
  durationMs: number;
  /** Time spent waiting for a slot (queue, cooling, rpm) before this attempt. */
  queuedMs: number;
  /** Wait before the next attempt; null when there is none. */
  nextDelayMs: number | null;
}

export interface SchedulerState {
  inFlight: number;
  queued: number;
  concurrencyLimit: number;
  /** A 429 asked everyone to hold off; queued calls wait until it passes. */
  cooling: boolean;
  /** Clock reading when the last call now backing off will retry; null when none is. */
  retryingUntil: number | null;
}

export interface SchedulerOptions {
  /** Provider name for messages ("Groq asked to wait …"). */
  label?: string;
  /** Upper bound and starting point of the adaptive concurrency limit. Default 16. */
  maxConcurrency?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** Backoff base and cap, ms. Defaults 500 and 8000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest server-requested wait honoured, ms; longer ones fail at once. Default 20 000. */
  retryAfterCapMs?: number;
  /** Requests per minute (developer plans); null/undefined = unlimited. */
  rpm?: number | null;
  /** Requests that may go at once from a full rpm bucket. Default = rpm. */
  rpmBurst?: number;
  /** Consecutive successes before the concurrency limit grows by one. Default 8. */
  successesToGrow?: number;
  /** Injected for tests: must reject when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout, ms. */
  timeoutMs: number;
  onAttempt?: (a: AttemptOutcome) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (e: ProviderError) => void;
  detach: () => void;
}

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

const cancelled = (): ProviderError => new ProviderError({ code: 'CANCELLED', message: 'Cancelled.' });

const ATTEMPT_SETTLED = Object.freeze({ settled: true });

/** Retries, paces and limits calls to one provider account. */
export class ProviderScheduler {
  readonly #label: string;
  readonly #max: number;
  readonly #maxRetries: number;
  readonly #base: number;
  readonly #cap: number;
  readonly #retryAfterCap: number;
  readonly #rpm: number | null;
  readonly #burst: number;
  readonly #grow: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #now: () => number;
  readonly #random: () => number;

  #limit: number;
  #inFlight = 0;
  #queue: Waiter[] = [];
  #streak = 0;
  /** Bumped at each halving; attempts dispatched before it report the same overload. */
  #epoch = 0;
  #coolUntil = Number.NEGATIVE_INFINITY;
  #tokens: number;
  #tokensAt: number;
  #wakeAt: number | null = null;
  #wakeCtl: AbortController | null = null;
  #backoffEnds = new Map<symbol, number>();
  #listeners = new Set<(s: SchedulerState) => void>();

  constructor(opts: SchedulerOptions = {}) {
    this.#label = opts.label ?? 'The provider';
    this.#max = Math.max(1, Math.floor(opts.maxConcurrency ?? 16));
    this.#maxRetries = Math.max(0, Math.floor(opts.maxRetries ?? 3));
    this.#base = opts.baseDelayMs ?? 500;
    this.#cap = opts.maxDelayMs ?? 8000;
    this.#retryAfterCap = opts.retryAfterCapMs ?? 20_000;
    this.#rpm = opts.rpm != null && opts.rpm > 0 ? opts.rpm : null;
    this.#burst = Math.max(1, opts.rpmBurst ?? this.#rpm ?? 1);
    this.#grow = Math.max(1, opts.successesToGrow ?? 8);
    this.#sleep = opts.sleep ?? abortableSleep;
    this.#now = opts.now ?? (() => performance.now());
    this.#random = opts.random ?? Math.random;
    this.#limit = this.#max;
    this.#tokens = this.#burst;
    this.#tokensAt = this.#now();
  }

  /** Current load, for the status bar. */
  state(): SchedulerState {
    const ends = [...this.#backoffEnds.values()];
    return {
      inFlight: this.#inFlight,
      queued: this.#queue.length,
      concurrencyLimit: this.#limit,
      cooling: this.#now() < this.#coolUntil,
      retryingUntil: ends.length > 0 ? Math.max(...ends) : null,
    };
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: (s: SchedulerState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs `attempt` until it succeeds, fails for good, or runs out of retries. Rejects with the
   * final ProviderError, its `attempts` set.
   */
  async run<T>(
    attempt: (signal: AbortSignal, attemptNo: number, queuedMs: number) => Promise<T>,
    opts: RunOptions,
  ): Promise<{ value: T; attempts: number }> {
    const caller = opts.signal;
    for (let n = 1; ; n++) {
      const queuedFrom = this.#now();
      try {
        // Retries go to the front: a ticket half done should not wait behind a whole batch.
        await this.#acquire(caller, n > 1);
      } catch (e) {
        throw annotate(e instanceof ProviderError ? e : cancelled(), n - 1);
      }
      const startedAt = this.#now();
      const epoch = this.#epoch;
      let value: T | undefined;
      let error: ProviderError | null = null;
      try {
        value = await this.#attemptWithTimeout(attempt, n, opts, startedAt - queuedFrom);
      } catch (e) {
        error = e as ProviderError;
      } finally {
        this.#release();
      }
      const durationMs = this.#now() - startedAt;
      const queuedMs = startedAt - queuedFrom;

      if (error === null) {
        this.#onSuccess();
        this.#report(opts, { attempt: n, ok: true, error: null, startedAt, durationMs, queuedMs, nextDelayMs: null });
        return { value: value as T, attempts: n };
      }

      if (error.status === 429 && error.code === 'RATE_LIMITED') this.#on429(epoch, error.retryAfterMs);
      const plan = this.#planRetry(error, n);
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

  #planRetry(error: ProviderError, n: number): { delayMs: number | null; error: ProviderError } {
    if (!error.retryable || error.code === 'CANCELLED' || n > this.#maxRetries) return { delayMs: null, error };
    if (error.retryAfterMs !== null) {
      if (error.retryAfterMs > this.#retryAfterCap) {
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
      return { delayMs: error.retryAfterMs, error };
    }
    // Full jitter: spreads retries of calls that failed together.
    const ceiling = Math.min(this.#cap, this.#base * 2 ** (n - 1));
    return { delayMs: this.#random() * ceiling, error };
  }

  async #attemptWithTimeout<T>(
    attempt: (signal: AbortSignal, attemptNo: number, queuedMs: number) => Promise<T>,
    n: number,
    opts: RunOptions,
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

  #report(opts: RunOptions, outcome: AttemptOutcome): void {
    try {
      opts.onAttempt?.(outcome);
    } catch {
      // A recorder's failure must not change the call's outcome.
    }
  }

  #onSuccess(): void {
    this.#streak++;
    if (this.#streak >= this.#grow && this.#limit < this.#max) {
      this.#limit++;
      this.#streak = 0;
      this.#pump();
    }
  }

  #on429(attemptEpoch: number, retryAfterMs: number | null): void {
    this.#streak = 0;
    // One halving per congestion event: 429s from attempts already in flight at the last
    // halving report the same overload.
    if (attemptEpoch === this.#epoch) {
      this.#limit = Math.max(1, Math.floor(this.#limit / 2));
      this.#epoch++;
    }
    if (retryAfterMs !== null && retryAfterMs <= this.#retryAfterCap) {
      this.#coolUntil = Math.max(this.#coolUntil, this.#now() + retryAfterMs);
    }
    this.#emit();
  }

  #acquire(signal: AbortSignal | undefined, front: boolean): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.#queue.length === 0 && this.#tryTake()) {
      this.#emit();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
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
      if (front) this.#queue.unshift(waiter);
      else this.#queue.push(waiter);
      this.#emit();
      this.#pump();
    });
  }

  #release(): void {
    this.#inFlight--;
    this.#pump();
    this.#emit();
  }

  /** Takes a slot if the limit, cooling and rpm bucket allow; else schedules a wake-up. */
  #tryTake(): boolean {
    if (this.#inFlight >= this.#limit) return false;
    const t = this.#now();
    if (t < this.#coolUntil) {
      this.#wakeIn(this.#coolUntil - t);
      return false;
    }
    if (this.#rpm !== null) {
      const rate = this.#rpm / 60_000;
      this.#tokens = Math.min(this.#burst, this.#tokens + (t - this.#tokensAt) * rate);
      this.#tokensAt = t;
      // The epsilon absorbs float error so a wake-up at the computed time finds a whole token.
      if (this.#tokens < 1 - 1e-9) {
        this.#wakeIn((1 - this.#tokens) / rate);
        return false;
      }
      this.#tokens = Math.max(0, this.#tokens - 1);
    }
    this.#inFlight++;
    return true;
  }

  #pump(): void {
    let changed = false;
    while (this.#queue.length > 0 && this.#tryTake()) {
      const w = this.#queue.shift() as Waiter;
      w.detach();
      w.resolve();
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
    if (this.#queue.length > 0 || this.#wakeCtl === null) return;
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

// Hedged calls (issue 15 §2): when an attempt has run past its model's recorded p95 for the task,
// one duplicate goes out through the same model's scheduler and whichever answers first is the
// answer; the other is aborted. Both are recorded as attempts (the duplicate marked `hedge`, the
// one that was overtaken `primary`, the cancelled one `lost`). Hedges are bounded by a budget (a
// share of the calls made), take a scheduler slot like any call, and never go while the model is
// paced or has answered a 429 recently (ProviderScheduler.tryDuplicate decides that part).
import { quantileSorted } from '#shared/stats/quantiles.ts';
import type { TaskId } from '#shared/tasks.ts';
import { HedgedScheduler } from './hedgedScheduler.ts';
import { DEFAULT_HEDGE, type HedgeSettings, normaliseHedge } from './hedgeSettings.ts';
import type { ProviderScheduler } from './scheduler.ts';

/** A call is hedged past its p95 plus this margin (ms, or the share of the p95 if larger): our own overhead is not a tail. */
export const HEDGE_MARGIN_MS = 5;
export const HEDGE_MARGIN_SHARE = 0.1;
/** Warm, successful calls of a model × task needed before its p95 is trusted. */
export const HEDGE_MIN_SAMPLES = 20;
/** The most recent calls a model × task's p95 is taken over. */
export const HEDGE_WINDOW = 200;
/** A model that answered 429 within this long is not hedged. */
export const HEDGE_QUIET_AFTER_429_MS = 60_000;
/** Hedges that may go back to back after a quiet spell (the budget still accrues per call made). */
const MAX_BURST = 10;

/** Where a model × task's recorded latencies come from before this process has made calls. */
export interface LatencyHistory {
  /** The most recent warm, successful call times (ms) of a model × task, newest first. */
  recent(spec: string, task: TaskId, limit: number): number[];
}

export interface HedgeStats {
  /** Attempts made through hedging lanes (duplicates not counted). */
  attempts: number;
  /** Duplicates sent. */
  hedges: number;
  /** Duplicates that answered first. */
  wins: number;
  /** Attempts past their p95 that were not hedged: the budget was spent, or the model was busy/paced. */
  skippedBudget: number;
  skippedPaced: number;
}

/** Recent latencies of one model × task, its p95 recomputed as they land (not per call). */
class Cell {
  #xs: number[] = [];
  #next = 0;
  #sorted: Float64Array | null = null;
  #added = 0;
  seeded = false;

  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    if (this.#xs.length < HEDGE_WINDOW) this.#xs.push(ms);
    else {
      this.#xs[this.#next] = ms;
      this.#next = (this.#next + 1) % HEDGE_WINDOW;
    }
    this.#added++;
  }

  get n(): number {
    return this.#xs.length;
  }

  /** The p95, or null below the minimum sample; re-sorted after every few new samples. */
  p95(): number | null {
    if (this.#xs.length < HEDGE_MIN_SAMPLES) return null;
    if (this.#sorted === null || this.#added >= 5) {
      this.#sorted = Float64Array.from(this.#xs).sort();
      this.#added = 0;
    }
    return quantileSorted(this.#sorted, 0.95);
  }
}

interface ModelBudget {
  tokens: number;
}

/**
 * One per runtime: the latency book (per model × task), the budget (per model) and the settings.
 * `wrap` gives a model's scheduler the hedging `run`.
 */
export class Hedger {
  #settings: HedgeSettings;
  #history: LatencyHistory | null = null;
  readonly #cells = new Map<string, Cell>();
  readonly #budgets = new Map<string, ModelBudget>();
  readonly #wrapped = new WeakMap<ProviderScheduler, HedgedScheduler>();
  /** Models this process has had an answer from (its connections are open). */
  readonly #answered = new Set<string>();
  readonly #now: () => number;
  readonly stats: HedgeStats = { attempts: 0, hedges: 0, wins: 0, skippedBudget: 0, skippedPaced: 0 };
  readonly quietMs: number;

  constructor(settings: Partial<HedgeSettings> = {}, opts: { now?: () => number; quietMs?: number } = {}) {
    this.#settings = normaliseHedge({ ...DEFAULT_HEDGE, ...settings });
    this.#now = opts.now ?? (() => performance.now());
    this.quietMs = opts.quietMs ?? HEDGE_QUIET_AFTER_429_MS;
  }

  get settings(): HedgeSettings {
    return { ...this.#settings };
  }

  /** Changes the settings; `history` is read once per model × task on its next call. */
  configure(change: Partial<HedgeSettings> & { history?: LatencyHistory | null }): void {
    const { history, ...s } = change;
    this.#settings = normaliseHedge({ ...this.#settings, ...s });
    if (history !== undefined) {
      this.#history = history;
      for (const c of this.#cells.values()) c.seeded = false;
    }
  }

  /** The p95 a call of this model × task is hedged after, or null (too few samples so far). */
  threshold(spec: string, task: TaskId): number | null {
    return this.#cell(spec, task).p95();
  }

  /**
   * The p95 a call is hedged after now, or null: hedging off, too few samples, or no answer from
   * the model yet in this process — its first calls open connections, which the recorded (warm)
   * p95 leaves out, and a duplicate would have to open one too.
   */
  hedgeAfter(spec: string, task: TaskId): number | null {
    if (!this.#settings.enabled || !this.#answered.has(spec)) return null;
    const p95 = this.threshold(spec, task);
    // The p95 is of recorded call times (the provider's, stamped on the wire thread); the timer
    // runs on this thread from the attempt's start, which adds our own few ms (request building,
    // the loop's turn). Without a margin a tight distribution (every call 30 ± 1 ms) would hedge
    // far more than one call in twenty on that overhead alone.
    return p95 === null ? null : p95 + Math.max(HEDGE_MARGIN_MS, p95 * HEDGE_MARGIN_SHARE);
  }

  /** An answer came from the model (its connections are warm). */
  answered(spec: string): void {
    this.#answered.add(spec);
  }

  /** A call time seen (warm, successful; or a loser cancelled at this time, which took at least that long). */
  observe(spec: string, task: TaskId, ms: number): void {
    this.#cell(spec, task).add(ms);
  }

  /** The model's scheduler with hedging in front of it (one wrapper per scheduler). */
  wrap(spec: string, scheduler: ProviderScheduler): HedgedScheduler {
    let w = this.#wrapped.get(scheduler);
    if (!w) {
      w = new HedgedScheduler(this, spec, scheduler, this.#now);
      this.#wrapped.set(scheduler, w);
    }
    return w;
  }

  /** Counts an attempt toward the model's budget. */
  credit(spec: string): void {
    this.stats.attempts++;
    const b = this.#budget(spec);
    b.tokens = Math.min(MAX_BURST, b.tokens + this.#settings.budgetPct / 100);
  }

  /** Takes a hedge from the model's budget; false when it is spent. */
  spend(spec: string): boolean {
    const b = this.#budget(spec);
    if (b.tokens < 1 - 1e-9) return false;
    b.tokens -= 1;
    return true;
  }

  /** Gives back a hedge the scheduler would not send. */
  refund(spec: string): void {
    this.#budget(spec).tokens += 1;
  }

  #budget(spec: string): ModelBudget {
    let b = this.#budgets.get(spec);
    if (!b) this.#budgets.set(spec, (b = { tokens: 0 }));
    return b;
  }

  #cell(spec: string, task: TaskId): Cell {
    const key = `${spec}\u0000${task}`;
    let c = this.#cells.get(key);
    if (!c) this.#cells.set(key, (c = new Cell()));
    if (!c.seeded && this.#history !== null) {
      c.seeded = true;
      let past: number[] = [];
      try {
        past = this.#history.recent(spec, task, HEDGE_WINDOW);
      } catch {
        // A workspace that cannot be read leaves the book to this process's own calls.
      }
      // Oldest first, so this process's calls push the oldest out of the window.
      const fresh = c.n;
      if (fresh < HEDGE_WINDOW) for (const ms of past.slice(0, HEDGE_WINDOW - fresh).reverse()) c.add(ms);
    }
    return c;
  }
}

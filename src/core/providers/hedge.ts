// Hedged calls (issue 15 §2): when an attempt has run past its model's recorded p95 for the task,
// one duplicate goes out through the same model's scheduler and whichever answers first is the
// answer; the other is aborted. Both are recorded as attempts (the duplicate marked `hedge`, the
// one that was overtaken `primary`, the cancelled one `lost`). Hedges are bounded by a budget (a
// share of the calls made), take a scheduler slot like any call, and never go while the model is
// paced or has answered a 429 recently (ProviderScheduler.tryDuplicate decides that part).
import { quantileSorted } from '#shared/stats/quantiles.ts';
import type { TaskId } from '#shared/tasks.ts';
import type { EngineDeps } from '../graph/engine.ts';
import type { AttemptObservation, ProviderScheduler, RunOptions } from './scheduler.ts';

export interface HedgeSettings {
  /** Hedge calls that run past their model's p95. */
  enabled: boolean;
  /** Most extra calls hedging may add, as a percentage of the calls made (per model). */
  budgetPct: number;
}

/**
 * On, 5 %: a hedge costs at most a twentieth more calls and cuts the tail users wait on (a
 * ticket's critical path is three calls long, so one slow call in twenty is common). Experiments
 * turn it off unless asked (`casebench experiment --hedge`): they measure each model's own
 * latency distribution, whose tail a hedge would cut short.
 */
export const DEFAULT_HEDGE: Readonly<HedgeSettings> = Object.freeze({ enabled: true, budgetPct: 5 });
/** Largest budget accepted (a hedge per call would double the spend). */
export const MAX_HEDGE_BUDGET_PCT = 50;
/** Warm, successful calls of a model × task needed before its p95 is trusted. */
/** A call is hedged past its p95 plus this margin (ms, or the share of the p95 if larger): our own overhead is not a tail. */
export const HEDGE_MARGIN_MS = 5;
export const HEDGE_MARGIN_SHARE = 0.1;
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

/**
 * How an attempt took part in a hedge, filled in as it happens (the engine reads it when it
 * records the attempt): `primary` = it was overtaken by time and a duplicate was sent; `hedge` =
 * it is that duplicate; `lost` = it was cancelled because the other answered first.
 */
export interface HedgeMark {
  role: 'primary' | 'hedge' | null;
  lost: boolean;
}

/** The scheduler interface the engine calls (SchedulerLike in graph/engine.ts), with the hedge's extras. */
export interface HedgedRunOptions<T> extends RunOptions<T> {
  /** The task: the p95 is per model × task. Without it the call is not hedged. */
  task?: TaskId;
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

/** The reason a cancelled loser carries (so it is not mistaken for the caller's Ctrl-C). */
export const HEDGE_LOST = Object.freeze({ name: 'HedgeLost', message: 'the other attempt of a hedged call answered first' });

/** The error message the losing attempt is recorded with. */
export function hedgeLossMessage(mark: HedgeMark): string {
  return mark.role === 'hedge'
    ? 'cancelled: the original call answered first (this was its hedged duplicate)'
    : 'cancelled: the hedged duplicate answered first';
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

/** Engine deps whose lanes go straight to their schedulers, never hedged (the workbench's experiments). */
export function unhedged(deps: EngineDeps): EngineDeps {
  return {
    ...deps,
    lane: (spec) => {
      const l = deps.lane(spec);
      return l.scheduler instanceof HedgedScheduler ? { ...l, scheduler: l.scheduler.inner } : l;
    },
  };
}

export function normaliseHedge(s: HedgeSettings): HedgeSettings {
  const pct = Number.isFinite(s.budgetPct) ? Math.min(MAX_HEDGE_BUDGET_PCT, Math.max(0, s.budgetPct)) : DEFAULT_HEDGE.budgetPct;
  return { enabled: Boolean(s.enabled) && pct > 0, budgetPct: pct };
}

/** Parses `--hedge-budget`: a percentage from 0 to 50 ("5", "5%", "2.5"). */
export function parseHedgeBudget(v: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 0 && n <= MAX_HEDGE_BUDGET_PCT ? n : null;
}

type Attempt<T> = (signal: AbortSignal, attemptNo: number, queuedMs?: number, hedge?: HedgeMark) => Promise<T>;

/** One model's scheduler with hedging: `run` is ProviderScheduler.run with a duplicate past the p95. */
export class HedgedScheduler {
  readonly #hedger: Hedger;
  readonly #spec: string;
  readonly #inner: ProviderScheduler;
  readonly #now: () => number;

  constructor(hedger: Hedger, spec: string, inner: ProviderScheduler, now: () => number) {
    this.#hedger = hedger;
    this.#spec = spec;
    this.#inner = inner;
    this.#now = now;
  }

  get inner(): ProviderScheduler {
    return this.#inner;
  }

  /** The same hedging over another scheduler of the same model (an experiment's rpm-limited one). */
  over(inner: ProviderScheduler): HedgedScheduler {
    return this.#hedger.wrap(this.#spec, inner);
  }

  run<T>(attempt: Attempt<T>, opts: HedgedRunOptions<T>): Promise<{ value: T; attempts: number }> {
    const task = opts.task;
    // Low-priority calls (shadow models) are never hedged: a duplicate spends the budget that keeps
    // production's tail short, and a shadow call's latency delays nobody.
    if (task === undefined || opts.priority === 'low') return this.#inner.run((s, n, q) => attempt(s, n, q), opts);
    return this.#inner.run((signal, n, queuedMs) => this.#attempt(attempt, task, signal, n, queuedMs, opts), opts);
  }

  /** The latency an attempt's answer reports (the transport's), with whether it was a cold call. */
  #sample<T>(opts: HedgedRunOptions<T>, value: T, ownMs: number): { ms: number; cold: boolean } {
    type Seen = AttemptObservation & { latencyMs?: number | null; cold?: boolean | null };
    let seen: Seen | null = null;
    try {
      seen = (opts.observe?.(value) ?? null) as Seen | null;
    } catch {
      // a reader's failure changes nothing
    }
    return { ms: seen?.latencyMs ?? ownMs, cold: seen?.cold === true };
  }

  #attempt<T>(attempt: Attempt<T>, task: TaskId, signal: AbortSignal, n: number, queuedMs: number, opts: HedgedRunOptions<T>): Promise<T> {
    const h = this.#hedger;
    const spec = this.#spec;
    h.credit(spec);
    const t0 = this.#now();
    const pMark: HedgeMark = { role: null, lost: false };
    const pCtl = new AbortController();
    const hCtl = new AbortController();
    const onAbort = (): void => {
      pCtl.abort(signal.reason);
      hCtl.abort(signal.reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const threshold = h.hedgeAfter(spec, task);

    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let hedging: HedgeMark | null = null;
      let primaryError: { e: unknown } | null = null;
      let hedgeError: { e: unknown } | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const done = (): void => {
        settled = true;
        if (timer !== null) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };

      const fire = (): void => {
        timer = null;
        if (settled || signal.aborted) return;
        if (!h.spend(spec)) {
          h.stats.skippedBudget++;
          return;
        }
        const mark: HedgeMark = { role: 'hedge', lost: false };
        const p = this.#inner.tryDuplicate((s) => attempt(s, n, 0, mark), {
          signal: hCtl.signal,
          timeoutMs: opts.timeoutMs,
          quietMs: h.quietMs,
        });
        if (p === null) {
          h.refund(spec);
          h.stats.skippedPaced++;
          return;
        }
        hedging = mark;
        pMark.role = 'primary';
        h.stats.hedges++;
        p.then(
          (v) => win('hedge', v),
          (e: unknown) => lose('hedge', e),
        );
      };

      const win = (who: 'primary' | 'hedge', v: T): void => {
        if (settled) return;
        done();
        h.answered(spec);
        if (who === 'primary') {
          const s = this.#sample(opts, v, this.#now() - t0);
          if (!s.cold) h.observe(spec, task, s.ms);
          if (hedging !== null && hedgeError === null) {
            hedging.lost = true;
            hCtl.abort(HEDGE_LOST);
          }
        } else {
          h.stats.wins++;
          // The original took at least this long: counted at that, so the p95 keeps its tail.
          h.observe(spec, task, this.#now() - t0);
          if (primaryError === null) {
            pMark.lost = true;
            pCtl.abort(HEDGE_LOST);
          }
        }
        resolve(v);
      };

      const lose = (who: 'primary' | 'hedge', e: unknown): void => {
        if (settled) return;
        if (who === 'primary') primaryError = { e };
        else hedgeError = { e };
        // One failed while the other is still out: its answer may yet come.
        if (who === 'primary' && hedging !== null && hedgeError === null) return;
        if (who === 'hedge' && primaryError === null) return;
        done();
        // The original's failure decides what happens next (retry, 429 wait), as without a hedge.
        reject((primaryError ?? { e }).e);
      };

      attempt(pCtl.signal, n, queuedMs, pMark).then(
        (v) => win('primary', v),
        (e: unknown) => lose('primary', e),
      );
      if (threshold !== null && !settled) timer = setTimeout(fire, Math.max(0, threshold - (this.#now() - t0)));
    });
  }
}

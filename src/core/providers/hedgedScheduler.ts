// A model's scheduler with hedging in front of it (providers/hedge.ts has the whole story): one
// duplicate past the p95, the first answer wins and the other attempt is cancelled.
import type { TaskId } from '#shared/tasks.ts';
import type { EngineDeps } from '../graph/engine.ts';
import type { Hedger } from './hedge.ts';
import type { AttemptObservation, ProviderScheduler, RunOptions } from './scheduler.ts';

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

/** The reason a cancelled loser carries (so it is not mistaken for the caller's Ctrl-C). */
export const HEDGE_LOST = Object.freeze({ name: 'HedgeLost', message: 'the other attempt of a hedged call answered first' });

/** The error message the losing attempt is recorded with. */
export function hedgeLossMessage(mark: HedgeMark): string {
  return mark.role === 'hedge'
    ? 'cancelled: the original call answered first (this was its hedged duplicate)'
    : 'cancelled: the hedged duplicate answered first';
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

// Speculative execution of the triage graph. Product, asset ids and technical details wait for the
// platform (and technical details for the product) in a sequential run. Here they start at once on
// a platform (and product) guessed by the keyword rules; when the model answers, a run whose guess
// was right is kept — its prompt is byte for byte the one a sequential run sends, so its answer is
// the same fact — and a run whose guess was wrong is cancelled and discarded, and the task runs
// again on the real value. Every call is reported with `speculation: 'kept' | 'discarded'`; a
// discarded call is never a fact and never published as a task result.
import type { TaskResult, TicketResult, TicketSpeculation } from '#shared/results.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { predictPlatform, predictProduct, type KeywordGuess } from '../providers/demo/heuristicAnswers.ts';
import type { AttemptRecord, Assignment, EngineDeps, Launch, TriageOptions } from './engine.ts';

export interface SpeculateOptions {
  /** The platform guess; default the demo's keyword rules (heuristicAnswers.predictPlatform). */
  predictPlatform?: (text: string) => KeywordGuess;
  /** The product guess on a platform; default the keyword rules. */
  predictProduct?: (text: string, platform: string | null) => KeywordGuess;
  /** Least confidence (the winner's share of keyword hits) to start dependents on a platform guess. */
  minPlatformConfidence?: number;
  /** The same for starting technical details on a product guess (stricter: a miss costs a call). */
  minProductConfidence?: number;
}

export const DEFAULT_MIN_PLATFORM_CONFIDENCE = 0.5;
export const DEFAULT_MIN_PRODUCT_CONFIDENCE = 0.75;

type Upstream = 'platform' | 'product';
type Basis = { platform?: string | null; product?: string | null };

interface Run {
  task: TaskId;
  basis: Basis;
  /** Upstream values taken from a guess when the run started. */
  guessed: Upstream[];
  ctrl: AbortController;
  fate: 'pending' | 'kept' | 'discarded' | 'plain';
  buffered: AttemptRecord[];
  outcome: TaskResult | null;
  done: Promise<void>;
}

export interface SpeculateCtx {
  deps: EngineDeps;
  ticket: { id: string; text: string };
  assignment: Assignment;
  opts: TriageOptions;
  spec: SpeculateOptions;
  now: () => number;
  t0: number;
  results: Map<TaskId, TaskResult>;
  depResult: (task: TaskId) => TaskResult | undefined;
  runTask: (task: TaskId, launch?: Launch) => Promise<TaskResult>;
  skippedFor: (task: TaskId, failed: TaskId) => TaskResult;
  crashed: (task: TaskId, e: unknown) => TaskResult;
}

const okValue = (r: TaskResult): string | null => (r.status === 'ok' && typeof r.value === 'string' ? r.value : null);

/** The triage graph with speculation; resolves like triageTicket once every task is accounted for. */
export function speculateTicket(c: SpeculateCtx): Promise<TicketResult> {
  const { deps, ticket, assignment, opts, results, depResult } = c;
  const given = opts.given ?? {};
  const minPlatform = c.spec.minPlatformConfidence ?? DEFAULT_MIN_PLATFORM_CONFIDENCE;
  const minProduct = c.spec.minProductConfidence ?? DEFAULT_MIN_PRODUCT_CONFIDENCE;
  const live = new Map<TaskId, Run>();
  const skipping = new Set<TaskId>();
  /** Discarded runs per task until they have reported their last call. */
  const discarding = new Map<TaskId, Promise<void>[]>();
  const settling: Promise<void>[] = [];
  const summary: TicketSpeculation = {
    guesses: [],
    speculativeRuns: 0,
    kept: 0,
    discarded: 0,
    discardedCalls: 0,
    discardedCostUsd: 0,
    discardedCostUnknown: 0,
  };

  // A guess is brought into the value space of the task's own answers by the same parser, so a
  // right guess and the model's answer compare equal and build the same prompt.
  const normalised = (
    task: Upstream,
    value: string | null,
    platform: string | null,
  ): { ok: true; value: string | null } | { ok: false } => {
    const p = deps.parseAnswer(task, JSON.stringify({ [task]: value }), { platform });
    return p.ok && (p.value === null || typeof p.value === 'string') ? { ok: true, value: p.value } : { ok: false };
  };
  const guessRecord = new Map<string, TicketSpeculation['guesses'][number]>();
  const guessFor = (task: Upstream, platform: string | null): { value: string | null } | null => {
    const key = task === 'platform' ? 'platform' : `product\u0000${platform ?? ''}`;
    let g = guessRecord.get(key);
    if (!g) {
      const raw =
        task === 'platform'
          ? (c.spec.predictPlatform ?? predictPlatform)(ticket.text)
          : (c.spec.predictProduct ?? predictProduct)(ticket.text, platform);
      const min = task === 'platform' ? minPlatform : minProduct;
      const n = raw.value === null ? null : normalised(task, raw.value, platform);
      const usable = n?.ok === true && raw.confidence >= min;
      g = {
        task,
        value: n?.ok ? n.value : null,
        confidence: raw.confidence,
        ...(task === 'product' ? { platform } : {}),
        used: usable,
        hit: null,
      };
      guessRecord.set(key, g);
      summary.guesses.push(g);
    }
    return g.used ? { value: g.value } : null;
  };

  const emit = (run: Run, a: AttemptRecord): void => {
    if (run.fate === 'plain') return opts.onAttempt?.(a);
    if (run.fate === 'discarded') {
      summary.discardedCalls++;
      const cost = a.costUsd ?? cancelledCost(run, a);
      if (cost === null) summary.discardedCostUnknown++;
      else summary.discardedCostUsd += cost;
      return opts.onAttempt?.({ ...a, costUsd: cost, speculation: 'discarded' });
    }
    opts.onAttempt?.({ ...a, speculation: 'kept' });
  };
  // A call cancelled in flight has no usage: it is counted at its prompt's input price (the
  // provider has the prompt; tokens ≈ characters / 4), so the extra spend is an upper bound.
  const cancelledCost = (run: Run, a: AttemptRecord): number | null => {
    if (a.error?.code !== 'CANCELLED' || a.response) return null;
    const chars = deps.buildMessages(run.task, ticket.text, run.basis).reduce((n, m) => n + m.content.length, 0);
    return deps.cost(a.modelSpec, { inputTokens: Math.ceil(chars / 4), cachedTokens: null, outputTokens: 0 });
  };
  const flush = (run: Run): void => {
    const list = run.buffered;
    run.buffered = [];
    for (const a of list) emit(run, a);
  };

  const launch = (task: TaskId, basis: Basis, guessed: Upstream[]): void => {
    const ctrl = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, ctrl.signal]) : ctrl.signal;
    const run: Run = {
      task,
      basis,
      guessed,
      ctrl,
      fate: guessed.length ? 'pending' : 'plain',
      buffered: [],
      outcome: null,
      done: Promise.resolve(),
    };
    if (guessed.length) summary.speculativeRuns++;
    live.set(task, run);
    const onAttempt = (a: AttemptRecord): void => {
      if (run.fate === 'pending') run.buffered.push(a);
      else emit(run, a);
    };
    run.done = c.runTask(task, { upstream: basis, signal, onAttempt }).then(
      (r) => settle(run, r),
      (e: unknown) => settle(run, c.crashed(task, e)),
    );
    settling.push(run.done);
  };

  const confirmed = (run: Run): boolean =>
    run.guessed.every((d) => {
      const r = depResult(d);
      return r !== undefined && r.status === 'ok' && okValue(r) === run.basis[d];
    });
  const settle = (run: Run, r: TaskResult): void => {
    run.outcome = r;
    if (run.fate === 'discarded' || broken) return;
    if (run.fate === 'plain' || confirmed(run)) accept(run);
  };
  const accept = (run: Run): void => {
    if (run.fate === 'pending') keep(run);
    if (!run.outcome || live.get(run.task) !== run) return;
    live.delete(run.task);
    publish(run.fate === 'kept' ? { ...run.outcome, speculative: true } : run.outcome);
  };
  const keep = (run: Run): void => {
    run.fate = 'kept';
    summary.kept++;
    flush(run);
  };
  const discard = (run: Run): void => {
    run.fate = 'discarded';
    summary.discarded++;
    live.delete(run.task);
    run.ctrl.abort();
    flush(run);
    discarding.set(run.task, [...(discarding.get(run.task) ?? []), run.done]);
  };

  let broken = false;
  let finished = false;
  let resolveTicket!: (r: TicketResult) => void;
  let rejectTicket!: (e: unknown) => void;
  const promise = new Promise<TicketResult>((res, rej) => {
    resolveTicket = res;
    rejectTicket = rej;
  });

  const publish = (r: TaskResult): void => {
    if (broken) return;
    results.set(r.task, r);
    try {
      opts.onResult?.(r, assignment[r.task]);
    } catch (e) {
      broken = true;
      for (const run of live.values()) run.ctrl.abort();
      rejectTicket(e);
      return;
    }
    review(r.task);
    if (results.size === TASK_IDS.length && !finished) {
      finished = true;
      const totalMs = c.now() - c.t0;
      const tasks = Object.fromEntries(TASK_IDS.map((t) => [t, results.get(t)!])) as Record<TaskId, TaskResult>;
      const platform = results.get('platform')!;
      for (const g of summary.guesses) {
        if (!g.used) continue;
        const actual = results.get(g.task)!;
        // A product guess is judged only where the product ran on the platform it was made for.
        const comparable = g.task === 'platform' || (platform.status === 'ok' && okValue(platform) === g.platform);
        g.hit = comparable && actual.status === 'ok' ? okValue(actual) === g.value : null;
      }
      // Discarded runs report their last (cancelled) call when they stop; wait for them so every
      // call is reported before the ticket is.
      void Promise.all(settling).then(() => resolveTicket({ ticketId: ticket.id, totalMs, tasks, speculation: summary }));
      return;
    }
    schedule();
  };

  /** A task's answer is in: runs that guessed it right stand, the others are cancelled. */
  const review = (task: TaskId): void => {
    if (task !== 'platform' && task !== 'product') return;
    const ready: Run[] = [];
    for (const run of [...live.values()]) {
      if (!run.guessed.includes(task)) continue;
      const r = depResult(task)!;
      if (r.status !== 'ok' || okValue(r) !== run.basis[task]) {
        discard(run);
        continue;
      }
      if (confirmed(run)) ready.push(run);
    }
    for (const run of ready) {
      if (run.fate === 'pending') keep(run);
    }
    for (const run of ready) if (run.outcome) accept(run);
  };

  const schedule = (): void => {
    if (broken) return;
    for (const task of TASK_IDS) {
      if (results.has(task) || live.has(task)) continue;
      const needs = TASKS[task].dependsOn;
      const known = needs.map((d) => depResult(d));
      if (known.every((r) => r !== undefined)) {
        const failed = needs.find((d) => depResult(d)!.status !== 'ok');
        if (failed) {
          if (skipping.has(task)) continue;
          skipping.add(task);
          const r = c.skippedFor(task, failed);
          // After the task's discarded calls have reported (the cancelled one a moment after its
          // abort), so a recorder that writes a task's calls with its result has them all.
          void Promise.all(discarding.get(task) ?? []).then(() => publish(r));
          continue;
        }
        const basis: Basis = {};
        for (const d of needs) basis[d as Upstream] = okValue(depResult(d)!);
        launch(task, basis, []);
        continue;
      }
      if (given[task]) continue; // carried over: nothing to call, it waits for its dependencies
      // Some dependency is still running: start on guesses where every missing value has one.
      const basis: Basis = {};
      const guessed: Upstream[] = [];
      let ok = true;
      for (const d of needs as readonly Upstream[]) {
        const r = depResult(d);
        if (r) {
          basis[d] = okValue(r);
          continue;
        }
        if (given[d]) {
          ok = false; // carried over: known in a moment, nothing to guess
          break;
        }
        // Guess only a value that a running (or about to run) task will answer; a product guess is
        // made for the platform the product task itself is running on.
        const platformBasis = d === 'product' ? (basis.platform ?? null) : null;
        if (d === 'product') {
          const productRun = live.get('product');
          if (!productRun || productRun.basis.platform !== platformBasis) {
            ok = false;
            break;
          }
        }
        const g = guessFor(d, platformBasis);
        if (!g) {
          ok = false;
          break;
        }
        basis[d] = g.value;
        guessed.push(d);
      }
      if (ok) launch(task, basis, guessed);
    }
  };

  schedule();
  return promise;
}

// Shadow models on live tickets: when production has answered a ticket (pasted, opened, from the
// watched folder or posted to the HTTP intake), each task's candidate models answer the same task
// off the critical path — after production, at low priority in each model's scheduler (so a
// production call never waits for one), within the shadow set's rate, concurrency and spend limits.
// Their answers accumulate in a live experiment: a run of kind 'shadow' per production assignment,
// holding production's answers as each task's baseline (their calls stay in the production run,
// linked through shadow_baseline) and the candidates' answers and calls. The report, plan, plots
// and review queues read it as they read a batch experiment.
import { createHash } from 'node:crypto';
import type { AppEvent } from '#shared/routes.ts';
import type { TaskResult } from '#shared/results.ts';
import { TASK_IDS, TASKS, isTaskId, type TaskId } from '#shared/tasks.ts';
import { callRecordOf } from '../experiments/batchRun.ts';
import { triageTicket, type Assignment, type EngineDeps, type SchedulerLike } from '../graph/engine.ts';
import { ProviderScheduler, RpmBucket, abortableSleep } from '../providers/scheduler.ts';
import { HedgedScheduler } from '../providers/hedgedScheduler.ts';
import type { Runtime } from '../runtime.ts';
import type { CallRecord, Store } from '../store/store.ts';
import { asStoreError } from '../store/storeErrors.ts';
import { shadowSpendMeter } from './shadowBudget.ts';
import { createLoopGovernor, type LoopGovernor } from './loopGovernor.ts';
import { hasCandidates, loadShadowSet, type ShadowSet } from './shadowSet.ts';

export interface ShadowDeps {
  store: Store;
  /** The runtime now (it is rebuilt when keys or limits change). */
  runtime(): Runtime;
  emit(e: AppEvent): void;
  /** Epoch clock (tests move the day). */
  clock?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Per-attempt timeout of a shadow call, ms. Default 30 s. */
  timeoutMs?: number;
  /** Holds shadow calls while the event loop is busy (default: createLoopGovernor()). */
  governor?: LoopGovernor;
}

/** Refusals that say a model cannot be called at all: not the candidate's answer, and the candidate is held. */
const UNUSABLE_CODES: ReadonlySet<string> = new Set(['AUTH', 'KEY_MISSING', 'MODEL_NOT_FOUND', 'MODEL_RETIRED', 'BAD_INPUT']);
/** Refusals that are ours, not the model's (a stop, a spend limit): nothing is kept. */
const NOT_AN_ANSWER: ReadonlySet<string> = new Set(['CANCELLED', 'SPEND_LIMIT']);
/** How long a candidate that cannot be called is held before it is tried again (a key may be set meanwhile). */
const UNUSABLE_HOLD_MS = 60_000;

export interface ShadowRuntimeState {
  queued: number;
  inFlight: number;
  /** Shadow calls not made: the backlog was full, or the spend limit was reached. */
  dropped: { backlog: number; spendLimit: number };
  /** Why shadow calls are held now (the spend limit), or null. */
  blocked: string | null;
  /** Candidates that cannot be called now (no key, unknown model), with the reason; tried again after a minute. */
  unusable: Array<{ spec: string; message: string }>;
}

export interface ShadowService {
  /** Production finished `ticketId` in `runId`: queue its shadow calls. Never throws (faults become notices). */
  afterProduction(runId: string, ticketId: string): void;
  state(): ShadowRuntimeState;
  /** Resolves once nothing is queued or in flight (tests, the benchmark). */
  idle(): Promise<void>;
  close(): void;
}

interface Job {
  runId: string;
  ticket: { id: string; text: string };
  hash: string | null;
  task: TaskId;
  spec: string;
  production: Assignment;
  given: Partial<Record<TaskId, TaskResult>>;
}

/** The live experiment of a production assignment (one per assignment, so each keeps one baseline). */
export function shadowRunId(production: Assignment): string {
  const canon = JSON.stringify(TASK_IDS.map((t) => [t, production[t]]));
  return `shadow-${createHash('sha256').update(`shadow\n${canon}`).digest('hex').slice(0, 16)}`;
}

/** The engine's dependencies with every call sent at low priority (see ProviderScheduler's priority). */
export function lowPriorityDeps(deps: EngineDeps): EngineDeps {
  return {
    ...deps,
    lane(spec) {
      const lane = deps.lane(spec);
      const inner = lane.scheduler;
      const scheduler: SchedulerLike = {
        // A hedging scheduler passes the priority to its model's scheduler and never hedges a low call.
        run: (attempt, opts) =>
          inner instanceof ProviderScheduler || inner instanceof HedgedScheduler
            ? inner.run(attempt, { ...opts, priority: 'low' })
            : inner.run(attempt, opts),
      };
      return { ...lane, scheduler };
    },
  };
}

/** Creates or updates the shadow run of `production` so its config names every model it holds. */
export function ensureShadowRun(store: Store, set: ShadowSet, production: Assignment): string {
  const runId = shadowRunId(production);
  const run = store.getRun(runId);
  const prev = Array.isArray(run?.config?.models) ? (run!.config!.models as string[]) : [];
  const baselines = [...new Set(TASK_IDS.map((t) => production[t]))];
  const current = TASK_IDS.flatMap((t) => set.candidates[t].filter((s) => s !== production[t]));
  // Models keep their place once they have shadowed here (a removed candidate's answers stay readable).
  const models = [...new Set([...baselines, ...prev, ...current])];
  const config = {
    models,
    baseline: production.platform,
    baselineByTask: production,
    candidates: set.candidates,
    live: true,
  };
  if (!run) {
    store.createRun({ id: runId, kind: 'shadow', label: 'shadow models (live)', assignment: production, config });
  } else if (JSON.stringify(run.config) !== JSON.stringify(config)) {
    store.prepare('UPDATE runs SET config = ? WHERE id = ?').run(JSON.stringify(config), runId);
  }
  return runId;
}

export function createShadowService(d: ShadowDeps): ShadowService {
  const { store } = d;
  const sleep = d.sleep ?? abortableSleep;
  const clock = d.clock ?? (() => new Date());
  const abort = new AbortController();
  const queue: Job[] = [];
  let active = 0;
  let closed = false;
  const dropped = { backlog: 0, spendLimit: 0 };
  let blocked: string | null = null;
  let bucket: { rpm: number; b: RpmBucket } | null = null;
  let idleWaiters: Array<() => void> = [];
  /** Tickets of a shadow run with shadow calls still to finish. */
  const open = new Map<string, number>();
  const meter = shadowSpendMeter(store, clock);
  const unusable = new Map<string, { message: string; until: number }>();
  const isUnusable = (spec: string): boolean => {
    const u = unusable.get(spec);
    if (u && u.until <= Date.now()) unusable.delete(spec);
    return unusable.has(spec);
  };
  const governor = d.governor ?? createLoopGovernor();

  // The view refreshes on this; a burst of results is one event.
  let pendingEmit: ReturnType<typeof setTimeout> | null = null;
  const changed = (): void => {
    if (pendingEmit || closed) return;
    pendingEmit = setTimeout(() => {
      pendingEmit = null;
      if (!closed) d.emit({ type: 'shadow.changed', at: Date.now() });
    }, 250);
    pendingEmit.unref?.();
  };
  const fault = (what: string, e: unknown): void => {
    if (closed || !store.isOpen()) return;
    const msg = (asStoreError(e, store.path) as Error)?.message ?? String(e);
    d.emit({ type: 'notice', level: 'error', message: d.runtime().deps.scrub(`shadow ${what}: ${msg}`), at: Date.now() });
  };
  const settleIdle = (): void => {
    if (queue.length > 0 || active > 0) return;
    const w = idleWaiters;
    idleWaiters = [];
    for (const f of w) f();
  };

  /** Waits for a token of the shadow set's rate (shared by every candidate). */
  const rateToken = async (rpm: number): Promise<void> => {
    if (!bucket || bucket.rpm !== rpm) bucket = { rpm, b: new RpmBucket(rpm, 1, performance.now()) };
    for (;;) {
      const wait = bucket.b.take(performance.now());
      if (wait <= 0) return;
      await sleep(Math.ceil(wait), abort.signal);
    }
  };

  const ticketDone = (job: Job): void => {
    const key = `${job.runId}\u0000${job.ticket.id}`;
    const left = (open.get(key) ?? 1) - 1;
    if (left > 0) {
      open.set(key, left);
      return;
    }
    open.delete(key);
    try {
      if (store.isOpen()) store.setRunTicket(job.runId, job.ticket.id, 'done', null, job.hash);
    } catch (e) {
      fault(`ticket ${job.ticket.id}`, e);
    }
  };

  const runJob = async (job: Job, set: ShadowSet): Promise<void> => {
    // The one place the spend limit is checked before a shadow call (the workspace's daily limit,
    // where set, is enforced for every call by the core as well).
    blocked = meter.blocked(set);
    if (blocked) {
      dropped.spendLimit++;
      return;
    }
    await rateToken(set.rpm);
    // Production's answers are read on this event loop: a shadow call starts only while the loop
    // has room, and after whatever production has waiting on it now.
    await governor.quiet(abort.signal);
    await new Promise<void>((r) => setImmediate(r));
    if (abort.signal.aborted) return;
    const deps = lowPriorityDeps(d.runtime().deps);
    const assignment: Assignment = { ...job.production, [job.task]: job.spec };
    const calls: CallRecord[] = [];
    await triageTicket(deps, job.ticket, assignment, {
      signal: abort.signal,
      timeoutMs: d.timeoutMs,
      given: job.given,
      onAttempt: (a) => {
        if (a.task !== job.task) return;
        calls.push(callRecordOf(job.runId, a));
        meter.charge(a.costUsd, a.provider);
      },
      onResult: (r) => {
        if (r.task !== job.task) return;
        const code = r.status === 'error' ? (r.error?.code ?? '') : '';
        // Our own stop, a spend refusal, or a model that cannot be called at all is not the
        // candidate's answer: nothing of it is kept (its attempts, if any went out, are).
        const keep = !NOT_AN_ANSWER.has(code) && !UNUSABLE_CODES.has(code);
        if (UNUSABLE_CODES.has(code) && !unusable.has(job.spec)) {
          unusable.set(job.spec, { message: `${code}: ${r.error!.message}`, until: Date.now() + UNUSABLE_HOLD_MS });
          d.emit({
            type: 'notice',
            level: 'warn',
            message: d
              .runtime()
              .deps.scrub(
                `shadow model ${job.spec} cannot be called (${code}: ${r.error!.message}); it is not shadowing until that is fixed`,
              ),
            at: Date.now(),
          });
        }
        store.transaction(() => {
          for (const c of calls) store.insertCall(c);
          if (keep) store.saveResult(job.runId, job.ticket.id, job.spec, r);
        });
      },
    });
  };

  const pump = (): void => {
    while (!closed && queue.length > 0) {
      const set = loadShadowSet(store);
      if (active >= set.concurrency) break;
      const job = queue.shift()!;
      active++;
      void runJob(job, set)
        .catch((e: unknown) => fault(`${job.spec} on ${job.ticket.id}`, e))
        .finally(() => {
          active--;
          ticketDone(job);
          changed();
          if (queue.length === 0 && active === 0) {
            try {
              // A live experiment is 'running' only while shadow calls are in flight, so a restart
              // does not count it as left unfinished.
              if (store.isOpen() && !closed) store.setRunStatus(job.runId, 'done');
            } catch {
              // the next ticket sets it again
            }
          }
          pump();
          settleIdle();
        });
    }
  };

  const enqueue = (runId: string, ticketId: string): void => {
    const set = loadShadowSet(store);
    if (!hasCandidates(set)) return;
    const rows = store
      .prepare('SELECT task, model_spec, status, error_code FROM results WHERE run_id = ? AND ticket_id = ?')
      .all(runId, ticketId) as Array<Record<string, unknown>>;
    const specs = new Map<TaskId, string>();
    for (const r of rows) {
      const task = String(r.task);
      // A production ticket we stopped ourselves has nothing to compare against.
      if (r.status === 'error' && r.error_code === 'CANCELLED') return;
      if (isTaskId(task)) specs.set(task, String(r.model_spec));
    }
    if (specs.size < TASK_IDS.length) return;
    const results = new Map(store.resultsForTicket(runId, ticketId).map((r) => [r.task, r]));
    // A ticket refused before any call (empty, too short) is not one to compare models on.
    if (TASK_IDS.every((t) => results.get(t)?.status === 'skipped')) return;
    const ticket = store.ticketForRun(runId, ticketId);
    if (!ticket) return;
    const production = Object.fromEntries(TASK_IDS.map((t) => [t, specs.get(t)!])) as Assignment;
    const shadowRun = ensureShadowRun(store, set, production);
    const already = new Set(
      (
        store
          .prepare('SELECT task, model_spec FROM results WHERE run_id = ?1 AND ticket_id = ?2 AND coalesce(ticket_hash, ?3) = ?3')
          .all(shadowRun, ticketId, ticket.hash ?? '') as Array<Record<string, unknown>>
      ).map((r) => `${String(r.task)}\u0000${String(r.model_spec)}`),
    );
    const jobs: Job[] = [];
    for (const task of TASK_IDS) {
      for (const spec of set.candidates[task]) {
        if (spec === production[task]) continue; // production itself is the baseline
        if (isUnusable(spec)) continue; // no key, unknown model: said once, tried again later
        if (already.has(`${task}\u0000${spec}`)) continue; // answered for this text before (a re-run)
        // The candidate answers on production's upstream (as the article's shadow runs did): with a
        // failed upstream there is nothing fair to ask.
        if (TASKS[task].dependsOn.some((dep) => results.get(dep)?.status !== 'ok')) continue;
        const given: Partial<Record<TaskId, TaskResult>> = {};
        for (const t of TASK_IDS) if (t !== task) given[t] = results.get(t)!;
        jobs.push({ runId: shadowRun, ticket: { id: ticketId, text: ticket.text }, hash: ticket.hash, task, spec, production, given });
      }
    }
    store.transaction(() => {
      store.setRunTicket(shadowRun, ticketId, jobs.length > 0 ? 'pending' : 'done', null, ticket.hash);
      const link = store.prepare(
        'INSERT INTO shadow_baseline (run_id, ticket_id, task, model_spec, source_run_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT(run_id, ticket_id, task) DO UPDATE SET model_spec = excluded.model_spec, source_run_id = excluded.source_run_id',
      );
      for (const task of TASK_IDS) {
        store.saveResult(shadowRun, ticketId, production[task], results.get(task)!);
        link.run(shadowRun, ticketId, task, production[task], runId);
      }
      if (jobs.length > 0) store.setRunStatus(shadowRun, 'running');
    });
    let taken = 0;
    for (const job of jobs) {
      if (queue.length >= set.maxBacklog) {
        dropped.backlog++;
        continue;
      }
      queue.push(job);
      taken++;
    }
    if (taken > 0) open.set(`${shadowRun}\u0000${ticketId}`, (open.get(`${shadowRun}\u0000${ticketId}`) ?? 0) + taken);
    else if (jobs.length > 0) store.setRunTicket(shadowRun, ticketId, 'done', null, ticket.hash);
    changed();
    pump();
  };

  return {
    afterProduction(runId, ticketId) {
      if (closed) return;
      try {
        enqueue(runId, ticketId);
      } catch (e) {
        fault(`ticket ${ticketId}`, e);
      }
    },
    state: () => ({
      queued: queue.length,
      inFlight: active,
      dropped: { ...dropped },
      blocked,
      unusable: [...unusable.keys()].filter(isUnusable).map((spec) => ({ spec, message: unusable.get(spec)!.message })),
    }),
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      }),
    close() {
      closed = true;
      queue.length = 0;
      abort.abort();
      if (pendingEmit) clearTimeout(pendingEmit);
      settleIdle();
    },
  };
}

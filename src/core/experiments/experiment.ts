// `casebench experiment`: every ticket × model × task, recorded. Each model walks the tickets at
// its own pace (a rate-limited model never holds back the others), either on its own upstream
// answers or on the baseline's. Built for hours against real limits: every finished task is one
// committed write, a resumed run repeats no finished call, a model whose calls keep failing for
// transient reasons is paused instead of burning through the tickets, and a model that cannot be
// called at all (bad key, unknown model) is stopped without recording its refusals as answers.
// Over 400 lines: the runner's per-model loops, pauses and resume bookkeeping share one progress
// record and one abort; split further they would pass that state around.
import { createHash } from 'node:crypto';
import { AppError, type ErrorCode } from '#shared/errors.ts';
import type { TaskResult, TicketInput } from '#shared/results.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { triageTicket, type Assignment, type AttemptRecord, type EngineDeps } from '../graph/engine.ts';
import { costUsd, findModel, parseModelSpec, retiredInfo, type ModelsRegistry } from '../models.ts';
import { abortableSleep } from '../providers/scheduler.ts';
import { runSpend, storedFailures, storedResultCounts, ticketSourcesOf } from '../store/experimentQueries.ts';
import { ticketHash } from '../store/migrations.ts';
import type { CallRecord, Store } from '../store/store.ts';
import { gateResult } from './gate.ts';
import { callRecordOf } from './batchRun.ts';

export type UpstreamMode = 'own' | 'baseline';
export const UPSTREAM_MODES: readonly UpstreamMode[] = ['own', 'baseline'];

export interface ExperimentPlan {
  models: string[];
  baseline: string;
  upstream: UpstreamMode;
}

/** Codes after which a model cannot be called at all: the model is stopped, and the refusal is not recorded as its answer. */
const CONFIG_CODES: ReadonlySet<string> = new Set<ErrorCode>(['AUTH', 'KEY_MISSING', 'MODEL_NOT_FOUND', 'MODEL_RETIRED']);
/** Codes that say "the provider is struggling", which pause a model when they come in a row. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set<ErrorCode>(['RATE_LIMITED', 'NETWORK', 'PROVIDER_ERROR', 'TIMEOUT']);

/**
 * Checks the models and the baseline before anything is called: every model must be in the
 * registry (or on an openai-compatible endpoint), not shut down, listed once, and the baseline
 * among them. Throws a one-line BAD_INPUT / MODEL_RETIRED otherwise; returns the canonical specs.
 */
export function checkExperimentModels(
  models: readonly string[],
  baseline: string,
  registry: ModelsRegistry,
  today: string,
): Pick<ExperimentPlan, 'models' | 'baseline'> {
  if (models.length === 0) throw new AppError('BAD_INPUT', '--models names no model');
  const out: string[] = [];
  for (const raw of models) {
    const { provider, model } = parseModelSpec(raw);
    // A prompt variant stays on the spec: the same model with another prompt version is another arm.
    const spec = `${provider}:${model}${/@[a-z_]+=v\d+$/.exec(raw.trim())?.[0] ?? ''}`;
    if (out.includes(spec)) throw new AppError('BAD_INPUT', `--models lists ${spec} twice`);
    if (provider !== 'openai-compatible' && !findModel(spec, registry)) {
      const same = registry.models.filter((m) => m.provider === provider && m.status !== 'retired').map((m) => m.model);
      throw new AppError(
        'BAD_INPUT',
        `unknown model ${spec}: not in resources/models.json (${provider} models: ${same.join(', ') || 'none'}); other endpoints: openai-compatible:<model>`,
      );
    }
    const retired = retiredInfo(provider, model, today, registry);
    if (retired) {
      throw new AppError(
        'MODEL_RETIRED',
        `${spec} was shut down on ${retired.retiredOn}${retired.replacement ? `; use ${retired.replacement} instead` : ''}`,
      );
    }
    out.push(spec);
  }
  const base = (() => {
    try {
      const { provider, model } = parseModelSpec(baseline);
      return `${provider}:${model}`;
    } catch (e) {
      throw new AppError('BAD_INPUT', `--baseline: ${(e as Error).message}`);
    }
  })();
  if (!out.includes(base)) throw new AppError('BAD_INPUT', `--baseline ${base} is not among --models (${out.join(', ')})`);
  return { models: out, baseline: base };
}

/** A stable id for the same experiment (models, baseline, upstream mode, ticket source), so a re-run resumes it. */
export function experimentRunId(plan: ExperimentPlan, source: string): string {
  const canon = JSON.stringify([[...plan.models].sort(), plan.baseline, plan.upstream]);
  return `experiment-${createHash('sha256').update(`experiment\n${canon}\n${source}`).digest('hex').slice(0, 16)}`;
}

// ---------------------------------------------------------------------------------------------
// Cost estimate

/** Output tokens per call guessed for the estimate (the answers are short JSON). */
export const OUTPUT_TOKENS_GUESS: Readonly<Record<TaskId, number>> = {
  platform: 12,
  product: 14,
  technical_details: 80,
  asset_ids: 30,
  severity: 10,
};
/** Extra output tokens guessed for models that reason before answering (billed as output). */
export const REASONING_TOKENS_GUESS = 200;
const REASONING_MODEL = /(^|\/)(gpt-oss|gpt-5|o\d|qwen3|deepseek-r1)/;

export interface CostEstimate {
  calls: number;
  /** Mean prompt size per call, tokens (≈ characters / 4). */
  inputTokensPerCall: number;
  perModel: Array<{ model: string; calls: number; costUsd: number | null }>;
  /** Sum over models with a known price. */
  totalUsd: number;
  /** Models without a price (their cost is not in the total). */
  unknown: string[];
}

/** Mean prompt size per task, tokens (≈ characters / 4), from the real prompts of a sample of up to 200 tickets. */
export function promptTokensPerTask(deps: Pick<EngineDeps, 'buildMessages'>, tickets: readonly TicketInput[]): Record<TaskId, number> {
  const sample = tickets.length <= 200 ? tickets : tickets.filter((_, i) => i % Math.ceil(tickets.length / 200) === 0);
  const platforms = ['aws', 'gcp', 'azure'];
  const inputPerTask = {} as Record<TaskId, number>;
  for (const task of TASK_IDS) {
    let chars = 0;
    sample.forEach((t, i) => {
      const platform = platforms[i % platforms.length]!;
      const msgs = deps.buildMessages(task, t.text, { platform, product: null });
      for (const m of msgs) chars += m.content.length;
    });
    inputPerTask[task] = sample.length ? Math.ceil(chars / sample.length / 4) : 0;
  }
  return inputPerTask;
}

/** The guessed cost of one call of `task` on `model` with a prompt of `inputTokens`; null when unpriced. */
export function guessedCallCost(model: string, task: TaskId, inputTokens: number, registry: ModelsRegistry, extra?: number): number | null {
  const reasoning = extra ?? (REASONING_MODEL.test(parseModelSpec(model).model) ? REASONING_TOKENS_GUESS : 0);
  return costUsd(model, { inputTokens, outputTokens: OUTPUT_TOKENS_GUESS[task] + reasoning }, registry);
}

/**
 * Estimates the spend from prompt sizes × prices × tickets: the real prompts are built for a
 * sample of tickets (upstream platforms cycling through aws, gcp, azure), output is guessed.
 */
export function estimateExperimentCost(
  deps: Pick<EngineDeps, 'buildMessages'>,
  registry: ModelsRegistry,
  tickets: readonly TicketInput[],
  unitsPerModel: ReadonlyMap<string, number>,
): CostEstimate {
  const inputPerTask = promptTokensPerTask(deps, tickets);
  let calls = 0;
  let totalUsd = 0;
  const unknown: string[] = [];
  const perModel: CostEstimate['perModel'] = [];
  for (const [model, units] of unitsPerModel) {
    let cost: number | null = 0;
    const extra = REASONING_MODEL.test(parseModelSpec(model).model) ? REASONING_TOKENS_GUESS : 0;
    for (const task of TASK_IDS) {
      const c = guessedCallCost(model, task, inputPerTask[task], registry, extra);
      cost = c === null || cost === null ? null : cost + c * units;
    }
    calls += units * TASK_IDS.length;
    perModel.push({ model, calls: units * TASK_IDS.length, costUsd: cost });
    if (cost === null) unknown.push(model);
    else totalUsd += cost;
  }
  const mean = TASK_IDS.reduce((a, t) => a + inputPerTask[t], 0) / TASK_IDS.length;
  return { calls, inputTokensPerCall: Math.round(mean), perModel, totalUsd, unknown };
}

// ---------------------------------------------------------------------------------------------
// The run

export interface OutageOptions {
  /** Transient failures in a row that pause a model. Default 5. */
  threshold: number;
  /** First pause, ms; doubles while failures continue. Default 30 s. */
  pauseMs: number;
  /** Longest pause, ms. Default 5 min. */
  maxPauseMs: number;
}
const OUTAGE_DEFAULTS: OutageOptions = { threshold: 5, pauseMs: 30_000, maxPauseMs: 300_000 };

export interface ModelProgress {
  /** Tasks of this model over all tickets. */
  total: number;
  /** Tasks with a final result, including those done before this session. */
  done: number;
  doneBefore: number;
  /** Epoch ms until which the model is paused after repeated failures; null when running. */
  pausedUntil: number | null;
  /** Why the model was stopped (it cannot be called), or null. */
  stopped: string | null;
}

export interface ExperimentProgress {
  totalTasks: number;
  doneTasks: number;
  doneBefore: number;
  /** This session: tasks that failed and tasks not called because a dependency failed. */
  failedTasks: number;
  skippedTasks: number;
  /** Failed tasks kept from earlier sessions (not called again without --retry-failed). */
  failedBefore: number;
  /** This session: calls sent, and retries among them. */
  calls: number;
  retries: number;
  /** Spend so far, previous sessions included; calls with tokens but no price are counted apart. */
  costUsd: number;
  unpricedCalls: number;
  perModel: Record<string, ModelProgress>;
}

export interface ExperimentOptions {
  store: Store;
  deps: EngineDeps;
  runId: string;
  plan: ExperimentPlan;
  tickets: readonly TicketInput[];
  source: string;
  /**
   * Tickets the workspace already holds keep the source they came from (the workbench runs
   * experiments on workspace tickets); new ones get `source`. Default: every ticket is written
   * with `source` (the CLI's ticket file).
   */
  keepSources?: boolean;
  /** Tickets in flight per model. */
  concurrency: number;
  timeoutMs?: number;
  stream?: boolean;
  signal?: AbortSignal;
  gate?: (text: string) => { ok: true } | { ok: false; code: 'EMPTY_TICKET' | 'NEEDS_INFO' | 'BAD_INPUT'; message: string };
  /** Call again the tasks whose stored result is a failure (RATE_LIMITED, TIMEOUT, …) and what depends on them. */
  retryFailed?: boolean;
  /**
   * Speculative execution (engine/speculate.ts); off unless asked: an experiment measures each
   * model per task, and the discarded calls of wrong guesses would add spend and load the very lanes
   * being measured (kept calls are the sequential calls and are recorded as usual).
   */
  speculate?: boolean;
  outage?: Partial<OutageOptions>;
  /** Injected for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  onProgress?: (p: ExperimentProgress) => void;
  /** One-line notices: a model paused or stopped. */
  onNotice?: (message: string) => void;
}

export interface ExperimentOutcome {
  progress: ExperimentProgress;
  /** Every ticket × model has all five results. */
  complete: boolean;
  interrupted: boolean;
  /** Models stopped because they cannot be called, with the reason. */
  stopped: Record<string, string>;
  /** Set when a spend limit stopped the run (resumable): its message. */
  spendLimited?: string;
}

const uniform = (model: string): Assignment => Object.fromEntries(TASK_IDS.map((t) => [t, model])) as Assignment;
const unitKey = (ticketId: string, model: string): string => `${ticketId}\u0000${model}`;
const specOf = (r: TaskResult): string => `${r.provider}:${r.model}`;

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  settled: boolean;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  const d: Deferred<T> = {
    promise,
    settled: false,
    resolve: (v) => {
      if (d.settled) return;
      d.settled = true;
      resolve(v);
    },
  };
  return d;
}

/** Runs (or resumes) an experiment; resolves when every unit is done, the run is interrupted, or nothing more can run. */
export async function runExperiment(o: ExperimentOptions): Promise<ExperimentOutcome> {
  const { store, runId, plan } = o;
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  const outage = { ...OUTAGE_DEFAULTS, ...o.outage };
  const { models, baseline } = plan;

  if (!store.getRun(runId)) {
    store.createRun({
      id: runId,
      kind: 'experiment',
      assignment: uniform(baseline),
      config: { models, baseline, upstream: plan.upstream, source: o.source, concurrency: o.concurrency },
    });
  } else store.setRunStatus(runId, 'running');

  // A unit is done for the ticket's current text only: an edited ticket is answered again.
  const hashes = new Map(o.tickets.map((t) => [t.id, ticketHash(t.text)]));
  const retryFailed = Boolean(o.retryFailed);
  const stored = storedResultCounts(store, runId, { hashes, retryFailed });
  const doneTickets = store.runTicketVersions(runId, 'done');
  const kept = o.keepSources
    ? ticketSourcesOf(
        store,
        o.tickets.map((t) => t.id),
      )
    : null;
  store.transaction(() => {
    for (const t of o.tickets) {
      // Every ticket is written again, so gold labels edited since the last session count.
      store.upsertTicket(t, kept?.has(t.id) ? kept.get(t.id)! : o.source);
      const h = hashes.get(t.id)!;
      const before = doneTickets.get(t.id);
      const done = doneTickets.has(t.id) && (before === h || before === null);
      if (!done || (retryFailed && models.some((m) => (stored.get(unitKey(t.id, m)) ?? 0) < TASK_IDS.length))) {
        store.setRunTicket(runId, t.id, 'pending', null, h);
      }
    }
  });

  const spend = runSpend(store, runId);
  const p: ExperimentProgress = {
    totalTasks: o.tickets.length * models.length * TASK_IDS.length,
    doneTasks: 0,
    doneBefore: 0,
    failedTasks: 0,
    skippedTasks: 0,
    failedBefore: retryFailed ? 0 : storedFailures(store, runId, hashes),
    calls: 0,
    retries: 0,
    costUsd: spend.costUsd,
    unpricedCalls: spend.unpriced,
    perModel: {},
  };
  for (const m of models) {
    let before = 0;
    for (const t of o.tickets) before += Math.min(TASK_IDS.length, stored.get(unitKey(t.id, m)) ?? 0);
    p.perModel[m] = { total: o.tickets.length * TASK_IDS.length, done: before, doneBefore: before, pausedUntil: null, stopped: null };
    p.doneBefore += before;
  }
  p.doneTasks = p.doneBefore;
  const progress = (): void => o.onProgress?.(p);
  progress();

  const unitDone = (ticketId: string, model: string): boolean => (stored.get(unitKey(ticketId, model)) ?? 0) >= TASK_IDS.length;
  const modelsLeft = new Map<string, number>();
  for (const t of o.tickets) modelsLeft.set(t.id, models.filter((m) => !unitDone(t.id, m)).length);
  const stopped: Record<string, string> = {};
  // A spend limit stops every model (no unit starts); tasks it refused are not kept, so they resume.
  let spendLimited: string | undefined;

  // Baseline upstream mode: a model's ticket waits for the baseline's platform and product of it.
  const upstreamOf = new Map<string, Deferred<Partial<Record<TaskId, TaskResult>> | null>>();
  const upstreamFor = (ticketId: string): Deferred<Partial<Record<TaskId, TaskResult>> | null> => {
    let d = upstreamOf.get(ticketId);
    if (!d) upstreamOf.set(ticketId, (d = deferred()));
    return d;
  };
  const pickUpstream = (rs: Iterable<TaskResult>): Partial<Record<TaskId, TaskResult>> => {
    const up: Partial<Record<TaskId, TaskResult>> = {};
    for (const r of rs) if (r.task === 'platform' || r.task === 'product') up[r.task] = r;
    return up;
  };

  // Outage guard, per model: transient failures in a row pause the model with a growing pause.
  const guards = new Map(models.map((m) => [m, { streak: 0, level: 0 }]));
  const observe = (model: string, r: TaskResult): void => {
    const g = guards.get(model)!;
    if (r.status === 'ok') {
      g.streak = 0;
      g.level = 0;
      return;
    }
    if (r.status !== 'error' || !r.error || !TRANSIENT_CODES.has(r.error.code)) return;
    if (++g.streak < outage.threshold) return;
    const ms = Math.min(outage.maxPauseMs, outage.pauseMs * 2 ** g.level);
    g.level++;
    g.streak = 0;
    p.perModel[model]!.pausedUntil = now() + ms;
    o.onNotice?.(
      `${model}: ${outage.threshold} calls in a row failed (${r.error.code}: ${r.error.message}); pausing ${Math.round(ms / 1000)}s before its next ticket`,
    );
    progress();
  };
  const waitIfPaused = async (model: string): Promise<void> => {
    const mp = p.perModel[model]!;
    while (mp.pausedUntil !== null && now() < mp.pausedUntil && !o.signal?.aborted) {
      try {
        await sleep(mp.pausedUntil - now(), o.signal);
      } catch {
        return;
      }
    }
    mp.pausedUntil = null;
  };

  const runUnit = async (model: string, ticket: TicketInput): Promise<void> => {
    const isBaselineFeed = plan.upstream === 'baseline' && model === baseline;
    if (unitDone(ticket.id, model)) {
      if (isBaselineFeed)
        upstreamFor(ticket.id).resolve(
          pickUpstream(store.resultsForTicket(runId, ticket.id, hashes.get(ticket.id)).filter((r) => specOf(r) === model)),
        );
      return;
    }
    let upstream: Partial<Record<TaskId, TaskResult>> | undefined;
    if (plan.upstream === 'baseline' && model !== baseline) {
      const up = await upstreamFor(ticket.id).promise;
      if (up === null || o.signal?.aborted) return;
      upstream = up;
    }
    await waitIfPaused(model);
    if (o.signal?.aborted || stopped[model] || spendLimited) return;

    // Tasks that finished before an interruption are reused, so no finished call is repeated.
    const given: Partial<Record<TaskId, TaskResult>> = {};
    for (const r of store.resultsForTicket(runId, ticket.id, hashes.get(ticket.id))) {
      if (specOf(r) !== model || (r.status === 'error' && r.error?.code === 'CANCELLED')) continue;
      // --retry-failed: a failure, and a skip caused by one, are called again.
      if (
        retryFailed &&
        !(
          r.status === 'ok' ||
          (r.status === 'skipped' && (r.error?.code === 'EMPTY_TICKET' || r.error?.code === 'NEEDS_INFO' || r.error?.code === 'BAD_INPUT'))
        )
      )
        continue;
      given[r.task] = r;
    }
    const saved = new Set<TaskId>(Object.keys(given) as TaskId[]);
    const pending = new Map<TaskId, CallRecord[]>();
    const final = new Map<TaskId, TaskResult>();

    const onAttempt = (a: AttemptRecord): void => {
      let list = pending.get(a.task);
      if (!list) pending.set(a.task, (list = []));
      list.push(callRecordOf(runId, a));
      p.calls++;
      if (a.attempt > 1) p.retries++;
      if (a.costUsd !== null) p.costUsd += a.costUsd;
      else if (a.response?.inputTokens != null) p.unpricedCalls++;
    };
    const onResult = (r: TaskResult): void => {
      if (given[r.task]) return;
      final.set(r.task, r);
      const code = r.error?.code;
      // Kept as the model's outcome unless it is our own cancellation, a refusal to call the model
      // at all, or a skip caused by one of those (those tasks run again on resume).
      const depUnsaved = r.status === 'skipped' && TASKS[r.task].dependsOn.some((d) => !upstream?.[d] && !saved.has(d));
      const keep =
        !(r.status === 'error' && code !== undefined && (code === 'CANCELLED' || code === 'SPEND_LIMIT' || CONFIG_CODES.has(code))) &&
        !depUnsaved;
      if (code === 'SPEND_LIMIT' && !spendLimited) {
        spendLimited = r.error!.message;
        o.onNotice?.(`stopped: ${spendLimited}`);
      }
      const calls = pending.get(r.task) ?? [];
      pending.delete(r.task);
      store.transaction(() => {
        for (const c of calls) store.insertCall(c);
        if (keep) store.saveResult(runId, ticket.id, model, r);
      });
      if (keep) {
        saved.add(r.task);
        p.doneTasks++;
        p.perModel[model]!.done++;
        if (r.status === 'error') p.failedTasks++;
        if (r.status === 'skipped') p.skippedTasks++;
      }
      if (r.status === 'error' && code !== undefined && CONFIG_CODES.has(code) && !stopped[model]) {
        stopped[model] = `${code}: ${r.error!.message}`;
        p.perModel[model]!.stopped = stopped[model];
        o.onNotice?.(`${model}: stopped (${stopped[model]}); fix it and run the same command again to resume`);
      }
      observe(model, r);
      progress();
    };

    const gated = o.gate?.(ticket.text);
    if (gated && !gated.ok) {
      const g = gateResult(ticket.id, uniform(model), o.deps, gated);
      for (const t of TASK_IDS) if (!given[t]) onResult(g.tasks[t]);
    } else {
      await triageTicket(o.deps, ticket, uniform(model), {
        signal: o.signal,
        timeoutMs: o.timeoutMs,
        stream: o.stream,
        given,
        upstream,
        onAttempt,
        onResult: (r) => onResult(r),
        speculate: o.speculate ? {} : null,
      });
    }
    const complete = saved.size === TASK_IDS.length;
    if (isBaselineFeed) upstreamFor(ticket.id).resolve(complete ? pickUpstream([...Object.values(given), ...final.values()]) : null);
    if (!complete) return;
    stored.set(unitKey(ticket.id, model), TASK_IDS.length);
    const left = (modelsLeft.get(ticket.id) ?? 1) - 1;
    modelsLeft.set(ticket.id, left);
    if (left === 0) store.setRunTicket(runId, ticket.id, 'done');
  };

  // A write that fails (the disk is full) stops every model's workers; in-flight tickets finish,
  // then the cause is thrown (the CLI prints it; the run is resumable).
  let fatal: { error: unknown } | null = null;
  const runModel = async (model: string): Promise<void> => {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < o.tickets.length && !o.signal?.aborted && !stopped[model] && !fatal && !spendLimited) {
        const ticket = o.tickets[next++]!;
        try {
          await runUnit(model, ticket);
        } catch (e) {
          fatal ??= { error: e };
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
    } finally {
      // Whatever the baseline did not finish, the models waiting on it cannot run this session.
      if (plan.upstream === 'baseline' && model === baseline) for (const t of o.tickets) upstreamFor(t.id).resolve(null);
    }
  };

  await Promise.all(models.map(runModel));
  if (fatal) {
    try {
      store.setRunStatus(runId, 'interrupted');
    } catch {
      // the disk may refuse this too; a re-run resumes either way
    }
    throw (fatal as { error: unknown }).error;
  }
  let complete = true;
  for (const t of o.tickets) for (const m of models) if (!unitDone(t.id, m)) complete = false;
  store.setRunStatus(runId, complete ? 'done' : 'interrupted');
  progress();
  return {
    progress: p,
    complete,
    interrupted: Boolean(o.signal?.aborted) || Boolean(spendLimited),
    stopped,
    ...(spendLimited ? { spendLimited } : {}),
  };
}

/** Time left at the pace of this session: the slowest model's remaining tasks over its own rate, ms (NaN before any progress). */
export function experimentEtaMs(p: ExperimentProgress, elapsedMs: number): number {
  let worst = 0;
  for (const m of Object.values(p.perModel)) {
    if (m.stopped) continue;
    const left = m.total - m.done;
    if (left <= 0) continue;
    const doneNow = m.done - m.doneBefore;
    if (doneNow <= 0 || elapsedMs <= 0) return Number.NaN;
    worst = Math.max(worst, (left * elapsedMs) / doneNow);
  }
  return worst;
}

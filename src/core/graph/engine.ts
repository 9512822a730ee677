// The triage graph: each task starts the moment its dependencies are done and its result is
// published the moment it is done (contracts §1). Every attempt is reported for recording.
import { uncalledResult, type TaskResult, type TicketResult } from '#shared/results.ts';
import { longestChain, TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { hedgeLossMessage } from '../providers/hedgedScheduler.ts';
import { ProviderError, type CallSpan, type ChatResponse } from '../providers/types.ts';
import { callSpan, hedgeOf, scrubResponse, splitSpec, toError, tokensOf, untilAborted } from './callHelpers.ts';
import type { AttemptRecord, EngineDeps, Lane } from './engineTypes.ts';
import { speculateTicket, type SpeculateOptions } from './speculate.ts';

export type { AttemptRecord, EngineDeps, Lane, ParsedAnswer, SchedulerLike, SpendGate } from './engineTypes.ts';

export type Assignment = Record<TaskId, string>;

export interface TriageOptions {
  signal?: AbortSignal;
  /** Per-attempt timeout, ms. */
  timeoutMs?: number;
  stream?: boolean;
  /** Extra attempts when the answer is not schema-valid JSON. */
  invalidOutputRetries?: number;
  onStarted?: (task: TaskId, spec: string, startedMs: number) => void;
  onResult?: (r: TaskResult, spec: string) => void;
  onAttempt?: (a: AttemptRecord) => void;
  /** Results already known (e.g. finished before an interruption), used instead of running those tasks. */
  given?: Partial<Record<TaskId, TaskResult>>;
  /**
   * Dependency outcomes taken from elsewhere (an experiment's baseline): dependents read their
   * values and start from them, while the tasks themselves still run and are reported as usual.
   */
  upstream?: Partial<Record<TaskId, TaskResult>>;
  /** Start dependents on a guessed platform/product before their model answers (speculate.ts); off when absent. */
  speculate?: SpeculateOptions | null;
}

/** One run of a task on given upstream values (speculate.ts launches them; the plain graph does not). */
export interface Launch {
  upstream: { platform?: string | null; product?: string | null };
  signal: AbortSignal;
  onAttempt: (a: AttemptRecord) => void;
}

/** Runs the five-task graph for one ticket; resolves when every task is accounted for. */
export async function triageTicket(
  deps: EngineDeps,
  ticket: { id: string; text: string },
  assignment: Assignment,
  opts: TriageOptions = {},
): Promise<TicketResult> {
  const now = deps.now ?? (() => performance.now());
  const t0 = now();
  const results = new Map<TaskId, TaskResult>();
  const started = new Set<TaskId>();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  // What leaves the machine: the ticket with its secrets (and personal data, per setting) masked.
  const masked = deps.redact?.(ticket.text) ?? null;
  const sentText = masked ? masked.text : ticket.text;

  const blank = (task: TaskId, spec: string): TaskResult =>
    uncalledResult(task, { status: 'skipped', ...splitSpec(spec), promptVersion: deps.promptVersion(task, spec) });

  // What dependents see: an upstream override when given, else this run's own result.
  const depResult = (task: TaskId): TaskResult | undefined => opts.upstream?.[task] ?? results.get(task);
  const upstreamValue = (task: TaskId): string | null => {
    const r = depResult(task);
    return r && r.status === 'ok' && typeof r.value === 'string' ? r.value : null;
  };

  const runTask = async (task: TaskId, launch?: Launch): Promise<TaskResult> => {
    const spec = assignment[task];
    const given = opts.given?.[task];
    if (given) return given;
    const res = blank(task, spec);
    res.startedMs = now() - t0;
    opts.onStarted?.(task, spec, res.startedMs);
    // The task's latency is its final call's own time; waits for a slot add up apart (slotWaitMs);
    // the task's window (startedMs → endedMs) holds both, with any retries and back-off.
    let lastCallMs: number | null = null;
    const finish = (): TaskResult => {
      res.endedMs = now() - t0;
      res.latencyMs = lastCallMs ?? res.endedMs - res.startedMs;
      return res;
    };
    let lane: Lane;
    try {
      lane = deps.lane(spec);
    } catch (e) {
      res.status = 'error';
      res.error = toError(e, deps.scrub);
      return finish();
    }
    res.provider = lane.providerId;
    res.model = lane.model;
    const platform = launch ? (launch.upstream.platform ?? null) : upstreamValue('platform');
    const upstream: { platform?: string | null; product?: string | null } = {};
    if (TASKS[task].dependsOn.includes('platform')) upstream.platform = platform;
    if (TASKS[task].dependsOn.includes('product')) upstream.product = launch ? (launch.upstream.product ?? null) : upstreamValue('product');
    const onAttempt = launch ? launch.onAttempt : opts.onAttempt;
    const messages = deps.buildMessages(task, sentText, upstream, spec);
    const responseFormat = deps.responseFormat(spec, task);
    const invalidRetries = opts.invalidOutputRetries ?? 1;
    let lastRaw: string | null = null;
    // A hedged call's answer, for the cost of the attempt it overtook (billed all the same).
    let answered: ChatResponse | null = null;

    try {
      const { value, attempts } = await lane.scheduler.run(
        async (signal, attemptNo, queuedMs, hedge) => {
          // Refused for spend: nothing is sent and no call is recorded (thrown outside the record).
          deps.spend?.beforeCall(spec);
          const wall0 = Date.now();
          const a0 = now();
          if (queuedMs !== undefined) res.slotWaitMs = (res.slotWaitMs ?? 0) + queuedMs;
          // The call's own span where the transport saw it, else our clock around the call.
          const span = (s: CallSpan | null | undefined): { startedAt: number; latencyMs: number; cold: boolean | null } => {
            const own = callSpan(s, wall0, now() - a0);
            // A hedged call's loser is not the task's call: its time does not become the task's.
            if (!hedge?.lost) lastCallMs = own.latencyMs;
            return own;
          };
          let response: ChatResponse | null = null;
          try {
            response = await untilAborted(
              lane.provider.complete({
                model: lane.model,
                messages,
                responseFormat,
                stream: opts.stream ?? false,
                temperature: 0,
                timeoutMs,
                signal,
                task,
              }),
              signal,
              timeoutMs,
            );
            lastRaw = response.text;
            const parsed = deps.parseAnswer(task, response.text, { platform });
            const cost = deps.cost(spec, response);
            deps.spend?.charge(spec, cost);
            if (!parsed.ok) {
              throw new ProviderError({
                code: 'INVALID_OUTPUT',
                message: parsed.message,
                raw: response.text,
                retryable: attemptNo <= invalidRetries,
                rateLimit: response.rateLimit,
              });
            }
            const own = span(response);
            answered ??= response;
            onAttempt?.({
              ticketId: ticket.id,
              task,
              modelSpec: spec,
              provider: lane.providerId,
              model: lane.model,
              attempt: attemptNo,
              promptVersion: res.promptVersion,
              ...own,
              slotWaitMs: queuedMs ?? null,
              response: scrubResponse(response, deps),
              costUsd: cost,
              error: null,
              raw: deps.scrub(response.text),
              ...hedgeOf(hedge),
            });
            return { response, value: parsed.value, cost, callMs: own.latencyMs };
          } catch (e) {
            const lost = hedge?.lost === true;
            const err = lost ? { code: 'CANCELLED' as const, message: hedgeLossMessage(hedge) } : toError(e, deps.scrub);
            const raw = e instanceof ProviderError ? e.raw : null;
            if (raw !== null && !lost) lastRaw = raw;
            // A cancelled loser is assumed billed like the answer that beat it (same prompt; the
            // provider does not stop on a dropped connection); a failure is billed for what it returned.
            const billed = response ?? (lost ? answered : null);
            onAttempt?.({
              ticketId: ticket.id,
              task,
              modelSpec: spec,
              provider: lane.providerId,
              model: lane.model,
              attempt: attemptNo,
              promptVersion: res.promptVersion,
              ...span(response ?? (e instanceof ProviderError ? e.span : null)),
              slotWaitMs: queuedMs ?? null,
              response: response && scrubResponse(response, deps),
              costUsd: billed ? deps.cost(spec, billed) : null,
              error: { ...err, status: e instanceof ProviderError ? e.status : null },
              raw: raw === null ? null : deps.scrub(raw),
              ...hedgeOf(hedge),
            });
            throw e;
          }
        },
        {
          signal: launch?.signal ?? opts.signal,
          timeoutMs,
          task,
          observe: ({ response }) => ({
            rateLimit: response.rateLimit,
            tokens: tokensOf(response),
            latencyMs: response.callMs ?? null,
            cold: response.cold ?? null,
          }),
        },
      );
      const r = value.response;
      lastCallMs = value.callMs;
      res.status = 'ok';
      // Placeholders put back for display; then our own keys scrubbed as always.
      const shown = masked ? masked.restore(value.value) : value.value;
      res.value = deps.scrubDeep ? deps.scrubDeep(shown) : shown;
      res.raw = deps.scrub(r.text);
      res.ttftMs = r.ttftMs;
      res.queueTimeMs = r.queueTimeMs;
      res.providerTotalMs = r.providerTotalMs;
      res.inputTokens = r.inputTokens;
      res.outputTokens = r.outputTokens;
      res.cachedTokens = r.cachedTokens;
      res.reasoningTokens = r.reasoningTokens;
      res.costUsd = value.cost;
      res.attempts = attempts;
    } catch (e) {
      res.status = 'error';
      res.error = toError(e, deps.scrub);
      res.raw = lastRaw === null ? null : deps.scrub(lastRaw);
      res.attempts = e instanceof ProviderError && e.attempts !== null ? e.attempts : 1;
    }
    return finish();
  };

  const skippedFor = (task: TaskId, failed: TaskId): TaskResult => {
    const r = blank(task, assignment[task]);
    const why = depResult(failed)!;
    r.startedMs = r.endedMs = now() - t0;
    if (why.error?.code === 'SPEND_LIMIT') {
      // Not a skip caused by a failure: this task was not called for the same reason (resumable).
      r.status = 'error';
      r.error = { ...why.error };
      return r;
    }
    r.error = {
      code: 'SKIPPED',
      message: `${opts.upstream?.[failed] ? 'upstream ' : ''}${failed} ${why.status === 'skipped' ? 'was skipped' : `failed (${why.error?.code ?? 'error'})`}`,
    };
    return r;
  };
  const crashed = (task: TaskId, e: unknown): TaskResult => {
    const r = blank(task, assignment[task]);
    r.status = 'error';
    r.error = toError(e, deps.scrub);
    return r;
  };
  if (opts.speculate) {
    return speculateTicket({
      deps,
      ticket,
      assignment,
      opts,
      spec: opts.speculate,
      now,
      t0,
      results,
      depResult,
      runTask,
      skippedFor,
      crashed,
    });
  }

  return new Promise<TicketResult>((resolve, reject) => {
    let broken = false;
    const publish = (r: TaskResult): void => {
      if (broken) return;
      results.set(r.task, r);
      try {
        opts.onResult?.(r, assignment[r.task]);
      } catch (e) {
        // A result its caller cannot take (the disk is full) ends the ticket with that error,
        // instead of an uncaught exception and a promise that never settles.
        broken = true;
        reject(e);
        return;
      }
      if (results.size === TASK_IDS.length) {
        const tasks = Object.fromEntries(TASK_IDS.map((t) => [t, results.get(t)!])) as Record<TaskId, TaskResult>;
        resolve({ ticketId: ticket.id, totalMs: now() - t0, tasks });
        return;
      }
      schedule();
    };
    const schedule = (): void => {
      for (const task of TASK_IDS) {
        if (started.has(task)) continue;
        const deps_ = TASKS[task].dependsOn;
        if (!deps_.every((d) => depResult(d) !== undefined)) continue;
        started.add(task);
        const failed = deps_.find((d) => depResult(d)!.status !== 'ok');
        if (failed) {
          const r = skippedFor(task, failed);
          queueMicrotask(() => publish(r));
          continue;
        }
        void runTask(task).then(publish, (e: unknown) => publish(crashed(task, e)));
      }
    };
    schedule();
  });
}

/** Critical path of a ticket from per-task latencies (contracts §1): its longest chain of dependencies (TASKS.dependsOn). */
export function criticalPathMs(lat: Record<TaskId, number>): number {
  return longestChain(lat).ms;
}

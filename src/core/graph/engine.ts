// The triage graph: each task starts the moment its dependencies are done and its result is
// published the moment it is done (contracts §1). Every attempt is reported for recording.
import { AppError, type ErrorCode } from '#shared/errors.ts';
import type { TaskResult, TicketResult } from '#shared/results.ts';
import { longestChain, TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { hedgeLossMessage, type HedgeMark } from '../providers/hedgedScheduler.ts';
import { speculateTicket, type SpeculateOptions } from './speculate.ts';
import {
  ProviderError,
  type CallSpan,
  type ChatMessage,
  type ChatProvider,
  type ChatResponse,
  type ResponseFormat,
} from '../providers/types.ts';

export type Assignment = Record<TaskId, string>;

export interface SchedulerLike {
  run<T>(
    /** `queuedMs`: how long this attempt waited for a free slot (concurrency, rate limit), when the scheduler knows. */
    /** `hedge`: how this attempt takes part in a hedged call (providers/hedge.ts), when it does. */
    attempt: (signal: AbortSignal, attemptNo: number, queuedMs?: number, hedge?: HedgeMark) => Promise<T>,
    opts: {
      signal?: AbortSignal;
      timeoutMs: number;
      /** What a successful attempt says about the provider's limits (headers, tokens used), for pacing; and its own time, for hedging. */
      observe?: (
        value: T,
      ) => { rateLimit: ChatResponse['rateLimit']; tokens: number | null; latencyMs?: number | null; cold?: boolean | null } | null;
      /** The task, for a hedging scheduler (its p95 is per model × task). */
      task?: TaskId;
    },
  ): Promise<{ value: T; attempts: number }>;
}

export interface Lane {
  providerId: string;
  model: string;
  provider: ChatProvider;
  scheduler: SchedulerLike;
}

export type ParsedAnswer = { ok: true; value: unknown } | { ok: false; message: string };

/** One attempt as the engine saw it, for the store's calls table. */
export interface AttemptRecord {
  ticketId: string;
  task: TaskId;
  modelSpec: string;
  provider: string;
  model: string;
  attempt: number;
  promptVersion: string;
  /** Epoch ms when the request went out (when it was seen on the socket; else when the attempt began). */
  startedAt: number;
  /** The call itself: request sent → answer received, from the transport where it was observed. */
  latencyMs: number;
  /** Time this attempt waited for a free slot before it began; null when the scheduler does not say. */
  slotWaitMs: number | null;
  /** The request was the first on its connection; null when unknown. */
  cold: boolean | null;
  response: ChatResponse | null;
  costUsd: number | null;
  error: { code: ErrorCode; message: string; status: number | null } | null;
  raw: string | null;
  /**
   * Part of a hedged call: `primary` (it ran past the p95 and a duplicate was sent) or `hedge`
   * (that duplicate, same attempt number); null/absent when not hedged.
   */
  hedge?: 'primary' | 'hedge' | null;
  /** Cancelled because the other attempt of its hedged call answered first (cost: estimated as billed). */
  hedgeLost?: boolean;
  /**
   * Set on calls made on a guessed upstream value (speculative execution, speculate.ts): `kept`
   * when the guess proved right (the call is the one a sequential run makes), `discarded` when not.
   */
  speculation?: 'kept' | 'discarded';
}

/** The spend limit as the engine sees it (core/spend/guard.ts): asked before every attempt. */
export interface SpendGate {
  /** Throws a SPEND_LIMIT ProviderError when the call must not be sent. */
  beforeCall(spec: string): void;
  /** The cost of a call that was answered (null when unknown). */
  charge(spec: string, costUsd: number | null): void;
}

export interface EngineDeps {
  /** `spec` (the task's model) picks the prompt version when versions differ per model or a spec carries a prompt variant. */
  buildMessages(task: TaskId, text: string, upstream: { platform?: string | null; product?: string | null }, spec?: string): ChatMessage[];
  promptVersion(task: TaskId, spec?: string): string;
  responseFormat(spec: string, task: TaskId): ResponseFormat;
  parseAnswer(task: TaskId, raw: string, ctx: { platform: string | null }): ParsedAnswer;
  cost(spec: string, usage: { inputTokens: number | null; cachedTokens: number | null; outputTokens: number | null }): number | null;
  /** The provider lane for a model spec; throws AppError (KEY_MISSING, BAD_INPUT) when it cannot be used. */
  lane(spec: string): Lane;
  /** Removes secrets from any text before it leaves the engine. */
  scrub(text: string): string;
  /** Removes known keys from every string of a parsed value (answers are data: no pattern masking). */
  scrubDeep?<T>(value: T): T;
  now?: () => number;
  /** Spend limit checked where each call is dispatched; absent: no limit. */
  spend?: SpendGate;
  /**
   * Masks a ticket's secrets and personal data before any call (secrets/mask.ts): the models see
   * `text`, answers are put back with `restore`. Absent or null: the ticket goes as it is.
   */
  redact?: (text: string) => { text: string; items: ReadonlyArray<{ value: string; placeholder: string }>; restore<T>(value: T): T } | null;
}

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

const splitSpec = (spec: string): { provider: string; model: string } => {
  const i = spec.indexOf(':');
  return i < 0 ? { provider: spec, model: '' } : { provider: spec.slice(0, i), model: spec.slice(i + 1) };
};

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

  const blank = (task: TaskId, spec: string): TaskResult => {
    const { provider, model } = splitSpec(spec);
    return {
      task,
      status: 'skipped',
      value: null,
      raw: null,
      provider,
      model,
      promptVersion: deps.promptVersion(task, spec),
      startedMs: 0,
      endedMs: 0,
      latencyMs: 0,
      slotWaitMs: null,
      ttftMs: null,
      queueTimeMs: null,
      providerTotalMs: null,
      inputTokens: null,
      outputTokens: null,
      cachedTokens: null,
      reasoningTokens: null,
      costUsd: null,
      attempts: 0,
      error: null,
    };
  };

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
            const wall = now() - a0;
            const callMs = s?.callMs ?? null;
            const sentAt = s?.sentAt ?? null;
            const startedAt = sentAt !== null ? Date.now() - (performance.now() - sentAt) : wall0;
            // A hedged call's loser is not the task's call: its time does not become the task's.
            if (!hedge?.lost) lastCallMs = callMs ?? wall;
            return { startedAt, latencyMs: callMs ?? wall, cold: s?.cold ?? null };
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

/** An attempt record's hedge fields (absent when the attempt was not part of a hedged call). */
function hedgeOf(h: HedgeMark | undefined): Pick<AttemptRecord, 'hedge' | 'hedgeLost'> {
  return h?.role ? { hedge: h.role, hedgeLost: h.lost } : {};
}

/** Tokens a call used, when the provider said. */
function tokensOf(r: ChatResponse): number | null {
  return r.inputTokens === null && r.outputTokens === null ? null : (r.inputTokens ?? 0) + (r.outputTokens ?? 0);
}

/**
 * Settles with the call, or as soon as the attempt's signal aborts (timeout or cancel), so the
 * attempt is recorded before the scheduler moves on even if the SDK is slow to notice the abort.
 */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal, timeoutMs));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal, timeoutMs));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function abortError(signal: AbortSignal, timeoutMs: number): ProviderError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new ProviderError({ code: 'TIMEOUT', message: `no answer within ${timeoutMs} ms`, retryable: true })
    : new ProviderError({ code: 'CANCELLED', message: 'cancelled' });
}

/** What an attempt record keeps of a response: its texts scrubbed (a gateway may echo the key into a request id). */
function scrubResponse(r: ChatResponse, deps: EngineDeps): ChatResponse {
  return { ...r, text: deps.scrub(r.text), requestId: r.requestId === null ? null : deps.scrub(r.requestId) };
}

function toError(e: unknown, scrub: (s: string) => string): { code: ErrorCode; message: string } {
  if (e instanceof ProviderError || e instanceof AppError) return { code: e.code, message: scrub(e.message) };
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof Error && e.name === 'AbortError') return { code: 'CANCELLED', message: 'cancelled' };
  return { code: 'INTERNAL', message: scrub(msg) };
}

/** Critical path of a ticket from per-task latencies (contracts §1): its longest chain of dependencies (TASKS.dependsOn). */
export function criticalPathMs(lat: Record<TaskId, number>): number {
  return longestChain(lat).ms;
}

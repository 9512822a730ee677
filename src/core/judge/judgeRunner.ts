// Runs a judge model over a run's recorded answers (an experiment, a shadow run, an imported trace
// set), off the critical path: every call goes through the judge model's scheduler at low priority
// (like shadow calls: a production call never waits for one), within an optional rpm of its own and
// a small concurrency, and past the spend guard before each attempt (a refusal stops the job, with
// what was judged kept). Each judge call is recorded in `calls` under the judge's run, and each
// verdict with its call in judge_verdicts, in one transaction. Judging again with the same judge and
// prompt version judges only what is left.
import { maskWith } from '../secrets/mask.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { AppError, type ErrorCode } from '#shared/errors.ts';
import { findModel, parseModelSpec } from '../models.ts';
import { ProviderScheduler, RpmBucket, abortableSleep } from '../providers/scheduler.ts';
import { HedgedScheduler } from '../providers/hedgedScheduler.ts';
import { ProviderError, type ChatResponse } from '../providers/types.ts';
import type { Runtime } from '../runtime.ts';
import type { CallRecord, Store } from '../store/store.ts';
import {
  buildJudgeMessages,
  judgeVersionTag,
  loadJudgePrompt,
  parseVerdict,
  verdictFormat,
  type JudgePrompt,
  type Verdict,
} from './judgePrompt.ts';
import { insertVerdict, judgeRunId, judgeTargets, judgeableRun, type JudgeTarget } from './judgeRepo.ts';

export interface JudgeProgress {
  total: number;
  judged: number;
  failed: number;
  costUsd: number;
}

export interface JudgeRunOptions {
  runId: string;
  /** provider:model of the judge. */
  judgeModel: string;
  tasks?: readonly TaskId[];
  signal?: AbortSignal;
  /** Judge calls per minute (none: only the model's own limits pace it). */
  rpm?: number;
  /** Judge calls in flight. Default 4. */
  concurrency?: number;
  /** Per-attempt timeout, ms. Default 60 s. */
  timeoutMs?: number;
  /** The judge prompt (default: the highest version shipped). */
  prompt?: JudgePrompt;
  resourcesDir?: string;
  onProgress?(p: JudgeProgress): void;
}

export interface JudgeOutcome extends JudgeProgress {
  judgeRunId: string;
  judgeModel: string;
  promptVersion: string;
  /** Answers this judge and prompt had already scored (left as they were). */
  alreadyJudged: number;
  /** Failed calls by error code (their answers stay unjudged; judging again retries them). */
  failures: Record<string, number>;
  /** Why the job stopped early (spend limit, a judge that cannot be called, a stop), or null. */
  stopped: { code: ErrorCode; message: string } | null;
}

/** Errors that say the judge cannot be called at all: the job stops instead of failing every answer. */
const FATAL: ReadonlySet<string> = new Set(['AUTH', 'KEY_MISSING', 'MODEL_NOT_FOUND', 'MODEL_RETIRED', 'BAD_INPUT', 'SPEND_LIMIT']);

const tokensOf = (r: ChatResponse): number | null =>
  r.inputTokens === null && r.outputTokens === null ? null : (r.inputTokens ?? 0) + (r.outputTokens ?? 0);

/** The canonical spec of a judge model, or BAD_INPUT saying why it is not one. */
export function judgeSpec(spec: string): string {
  try {
    const { provider, model } = parseModelSpec(spec);
    return `${provider}:${model}`;
  } catch (e) {
    throw new AppError('BAD_INPUT', `--model ${spec}: ${(e as Error).message}`);
  }
}

/** Judges what is left of a run's answers; resolves with the counts (never rejects for a call's failure). */
export async function runJudge(store: Store, rt: Runtime, o: JudgeRunOptions): Promise<JudgeOutcome> {
  const spec = judgeSpec(o.judgeModel);
  const tasks = o.tasks?.length ? [...o.tasks] : [...TASK_IDS];
  const source = judgeableRun(store, o.runId);
  rt.checkModels(Object.fromEntries(TASK_IDS.map((t) => [t, spec])) as Record<TaskId, string>, '--model');
  const prompt = o.prompt ?? loadJudgePrompt(o.resourcesDir);
  const version = judgeVersionTag(prompt);
  const deps = rt.deps;
  // The lane throws KEY_MISSING / BAD_INPUT now, before anything is written.
  const lane = deps.lane(spec);
  const level = findModel(spec, rt.models)?.structuredOutput ?? 'json_schema';
  const all = judgeTargets(store, source.id, tasks);
  const todo = judgeTargets(store, source.id, tasks, { model: spec, promptVersion: version });
  const runId = judgeRunId(source.id, spec, version);
  if (!store.getRun(runId)) {
    store.createRun({
      id: runId,
      kind: 'judge',
      label: `judge ${spec} on ${source.label ?? source.id}`,
      assignment: { judge: spec },
      config: { sourceRunId: source.id, judgeModel: spec, promptVersion: version, promptHash: prompt.hash },
    });
  }
  const progress: JudgeProgress = { total: todo.length, judged: 0, failed: 0, costUsd: 0 };
  const failures: Record<string, number> = {};
  let stopped: JudgeOutcome['stopped'] = null;
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(o.signal?.reason);
  if (o.signal?.aborted) ac.abort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  const timeoutMs = o.timeoutMs ?? 60_000;
  const bucket = o.rpm ? new RpmBucket(o.rpm, 1, performance.now()) : null;
  const report = (): void => o.onProgress?.({ ...progress });
  const done = (): JudgeOutcome => ({
    ...progress,
    judgeRunId: runId,
    judgeModel: spec,
    promptVersion: version,
    alreadyJudged: all.length - todo.length,
    failures,
    stopped,
  });
  if (todo.length === 0) {
    store.setRunStatus(runId, 'done');
    report();
    return done();
  }
  store.setRunStatus(runId, 'running');
  report();

  // Low priority in the judge model's own scheduler, as shadow calls are (never hedged).
  const inner = lane.scheduler;
  const schedule = <T>(
    attempt: (signal: AbortSignal, n: number, queuedMs?: number) => Promise<T>,
    observe: (v: T) => ReturnType<NonNullable<Parameters<typeof inner.run<T>>[1]['observe']>>,
  ) =>
    inner instanceof ProviderScheduler || inner instanceof HedgedScheduler
      ? inner.run(attempt, { signal: ac.signal, timeoutMs, observe, priority: 'low' })
      : inner.run(attempt, { signal: ac.signal, timeoutMs, observe });

  const record = (
    t: JudgeTarget,
    attemptNo: number,
    startedAt: number,
    latencyMs: number,
    queuedMs: number | undefined,
    response: ChatResponse | null,
    cost: number | null,
    err: { code: string; message: string; status: number | null } | null,
    verdict: Verdict | null,
  ): void => {
    const call: CallRecord = {
      runId,
      ticketId: t.ticketId,
      task: `judge:${t.task}` as TaskId,
      modelSpec: spec,
      provider: lane.providerId,
      model: lane.model,
      attempt: attemptNo,
      promptVersion: version,
      startedAt,
      latencyMs,
      ttftMs: null,
      queueTimeMs: response?.queueTimeMs ?? null,
      providerTotalMs: response?.providerTotalMs ?? null,
      status: err ? 'error' : 'ok',
      errorCode: err?.code ?? null,
      errorMessage: err ? deps.scrub(err.message) : null,
      httpStatus: err?.status ?? null,
      requestId: response?.requestId ? deps.scrub(response.requestId) : null,
      inputTokens: response?.inputTokens ?? null,
      outputTokens: response?.outputTokens ?? null,
      cachedTokens: response?.cachedTokens ?? null,
      reasoningTokens: response?.reasoningTokens ?? null,
      costUsd: cost,
      raw: response ? deps.scrub(response.text) : null,
      slotWaitMs: queuedMs ?? null,
      cold: response?.cold ?? null,
    };
    store.transaction(() => {
      store.insertCall(call);
      if (verdict) {
        const callId = Number((store.prepare('SELECT last_insert_rowid() AS id').get() as { id: number | bigint }).id);
        insertVerdict(store, {
          judgeRunId: runId,
          sourceRunId: source.id,
          target: t,
          judgeModel: spec,
          promptVersion: version,
          promptHash: prompt.hash,
          verdict: { ...verdict, reasoning: deps.scrub(verdict.reasoning) },
          callId,
          judgedAt: Date.now(),
        });
      }
    });
  };

  const judgeOne = async (t: JudgeTarget): Promise<void> => {
    // The judge is a model call like any other: the ticket goes masked (the workspace's privacy
    // setting), and the answer with the same placeholders, so the judge compares like with like.
    const masked = deps.redact?.(t.text) ?? null;
    const sentAnswer = masked ? maskWith(t.answer, masked.items) : t.answer;
    const messages = buildJudgeMessages(prompt, t.task, masked ? masked.text : t.text, sentAnswer);
    const responseFormat = verdictFormat(t.task, level);
    try {
      await schedule(
        async (signal, attemptNo, queuedMs) => {
          // Refused for spend: nothing is sent and no call is recorded.
          deps.spend?.beforeCall(spec);
          const wall0 = Date.now();
          const a0 = performance.now();
          let response: ChatResponse | null = null;
          let cost: number | null = null;
          try {
            response = await lane.provider.complete({
              model: lane.model,
              messages,
              responseFormat,
              stream: false,
              temperature: 0,
              timeoutMs,
              signal,
              task: `judge:${t.task}`,
            });
            cost = deps.cost(spec, response);
            deps.spend?.charge(spec, cost);
            if (cost !== null) progress.costUsd += cost;
            const parsed = parseVerdict(t.task, response.text, sentAnswer, t.platform);
            if (!parsed.ok)
              throw new ProviderError({
                code: 'INVALID_OUTPUT',
                message: parsed.message,
                raw: response.text,
                retryable: attemptNo <= 1,
                rateLimit: response.rateLimit,
              });
            record(
              t,
              attemptNo,
              wall0,
              response.callMs ?? performance.now() - a0,
              queuedMs,
              response,
              cost,
              null,
              masked ? masked.restore(parsed.verdict) : parsed.verdict,
            );
            return response;
          } catch (e) {
            const code = e instanceof ProviderError || e instanceof AppError ? e.code : 'INTERNAL';
            const message = e instanceof Error ? e.message : String(e);
            record(
              t,
              attemptNo,
              wall0,
              response?.callMs ?? performance.now() - a0,
              queuedMs,
              response,
              cost,
              { code, message, status: e instanceof ProviderError ? e.status : null },
              null,
            );
            throw e;
          }
        },
        (r) => ({ rateLimit: r.rateLimit, tokens: tokensOf(r), latencyMs: r.callMs ?? null, cold: r.cold ?? null }),
      );
      progress.judged++;
    } catch (e) {
      const code = e instanceof ProviderError || e instanceof AppError ? e.code : 'INTERNAL';
      if (code === 'CANCELLED' && (ac.signal.aborted || o.signal?.aborted)) return;
      if (FATAL.has(code)) {
        if (!stopped) stopped = { code, message: deps.scrub(e instanceof Error ? e.message : String(e)) };
        ac.abort();
        return;
      }
      progress.failed++;
      failures[code] = (failures[code] ?? 0) + 1;
    } finally {
      report();
    }
  };

  const queue = [...todo];
  const worker = async (): Promise<void> => {
    while (queue.length > 0 && !ac.signal.aborted) {
      if (bucket) {
        let wait = bucket.take(performance.now());
        while (wait > 0) {
          try {
            await abortableSleep(Math.ceil(wait), ac.signal);
          } catch {
            return;
          }
          wait = bucket.take(performance.now());
        }
      }
      const t = queue.shift();
      if (!t) return;
      await judgeOne(t);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 4, todo.length)) }, worker));
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
  }
  if (!stopped && o.signal?.aborted)
    stopped = { code: 'CANCELLED', message: 'stopped; what was judged is kept — start the judge again to finish' };
  if (store.isOpen()) store.setRunStatus(runId, stopped ? 'interrupted' : 'done');
  report();
  return done();
}

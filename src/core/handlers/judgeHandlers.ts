// Route handlers of the LLM judge (src/shared/routes/judgeRoutes.ts): estimate, start (after the
// estimate was confirmed), stop, the session's jobs, a run's judge summary (scores beside the human
// reviews, judge vs humans per task) and one verdict with the answer it judged. A job runs in this
// process (core/judge/judgeRunner.ts) with its own AbortController; progress is a `judge.progress`
// event carrying a full snapshot, at most five a second.
import { randomUUID } from 'node:crypto';
import { AppError } from '#shared/errors.ts';
import type { JudgeJobView, JudgeRouteOutputs, JudgeSummary, JudgeVerdictView } from '#shared/routes/judgeRoutes.ts';
import { isTaskId, TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { TRUST_MIN_AGREEMENT, TRUST_MIN_ANSWERS, judgeScores, judgeVsHumans, sameAnswer } from '../judge/judgeAgreement.ts';
import { estimateJudge } from '../judge/judgeEstimate.ts';
import { loadJudgePrompt, judgeVersionTag } from '../judge/judgePrompt.ts';
import { getVerdict, judgesOf, pickJudge, verdictsOf } from '../judge/judgeRepo.ts';
import { judgeSpec, runJudge } from '../judge/judgeRunner.ts';
import { latestPerReviewer, listReviews } from '../review/reviewsRepo.ts';
import { reviewScores } from '../experiments/reportData.ts';
import type { SpendGuard } from '../spend/guard.ts';
import type { HandlerContext } from './context.ts';

type Handlers = { [R in keyof JudgeRouteOutputs]: (input: never) => Promise<JudgeRouteOutputs[R]> };

export interface JudgeHandlerDeps {
  guard: SpendGuard;
  resourcesDir?: string;
}

const parseJson = (v: unknown): unknown => {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
};

export function judgeHandlers(ctx: HandlerContext, d: JudgeHandlerDeps): Handlers {
  const jobs = new Map<string, { view: JudgeJobView; ac: AbortController }>();
  const prompt = () => loadJudgePrompt(d.resourcesDir);
  const emitTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const lastEmit = new Map<string, number>();
  const publish = (id: string, now = false): void => {
    const job = jobs.get(id);
    if (!job || ctx.closed()) return;
    const send = (): void => {
      emitTimers.delete(id);
      lastEmit.set(id, Date.now());
      ctx.emit({ type: 'judge.progress', job: { ...job.view } });
    };
    if (now) {
      const t = emitTimers.get(id);
      if (t) clearTimeout(t);
      send();
      return;
    }
    if (emitTimers.has(id)) return;
    const wait = Math.max(0, 200 - (Date.now() - (lastEmit.get(id) ?? 0)));
    const t = setTimeout(send, wait);
    t.unref?.();
    emitTimers.set(id, t);
  };
  ctx.onClose(() => {
    for (const j of jobs.values()) j.ac.abort();
    for (const t of emitTimers.values()) clearTimeout(t);
  });

  const tasksOf = (t: readonly string[] | undefined): TaskId[] => (t?.length ? t.filter(isTaskId) : [...TASK_IDS]);

  const summary = (runId: string, judge?: string, promptVersion?: string): JudgeSummary => {
    const judges = judgesOf(ctx.store, runId);
    const chosen = pickJudge(ctx.store, runId, judge ? judgeSpec(judge) : undefined, promptVersion);
    const verdicts = chosen ? verdictsOf(ctx.store, runId, chosen) : [];
    const reviews = listReviews(ctx.store, { runId });
    return {
      runId,
      judges,
      judge: chosen,
      scores: judgeScores(verdicts),
      human: reviewScores(ctx.store, runId),
      vsHumans: judgeVsHumans(verdicts, reviews),
      thresholds: { minAnswers: TRUST_MIN_ANSWERS, minAgreement: TRUST_MIN_AGREEMENT },
    };
  };

  return {
    'judge.estimate': async (input: { runId: string; model: string; tasks?: string[] }) =>
      estimateJudge(ctx.store, ctx.runtime().models, prompt(), {
        runId: input.runId,
        judgeModel: input.model,
        tasks: tasksOf(input.tasks),
        blocked: d.guard.blocked(),
      }),
    'judge.start': async (input: { runId: string; model: string; tasks?: string[]; rpm?: number; concurrency?: number }) => {
      const spec = judgeSpec(input.model);
      const running = [...jobs.values()].find((j) => j.view.runId === input.runId && j.view.status === 'running');
      if (running)
        throw new AppError('BAD_INPUT', `a judge (${running.view.judgeModel}) is already scoring run ${input.runId}: stop it first`);
      const p = prompt();
      const tasks = tasksOf(input.tasks);
      const rt = ctx.runtime();
      // Fail now, in words, for what would fail every call: no key, an unknown or retired model, the spend limit.
      rt.deps.lane(spec);
      const blocked = spec.startsWith('demo:') ? null : d.guard.blocked();
      if (blocked) throw new AppError('SPEND_LIMIT', blocked);
      const id = `judge-job-${randomUUID().slice(0, 8)}`;
      const ac = new AbortController();
      const view: JudgeJobView = {
        id,
        runId: input.runId,
        judgeModel: spec,
        promptVersion: judgeVersionTag(p),
        tasks,
        status: 'running',
        total: 0,
        judged: 0,
        failed: 0,
        costUsd: 0,
        startedAt: Date.now(),
        finishedAt: null,
        message: null,
      };
      jobs.set(id, { view, ac });
      // Checks that need the store (the run exists, the model is not retired) reject the start itself.
      const started = runJudge(ctx.store, rt, {
        runId: input.runId,
        judgeModel: spec,
        tasks,
        signal: ac.signal,
        rpm: input.rpm,
        concurrency: input.concurrency,
        prompt: p,
        onProgress: (pr) => {
          Object.assign(view, { total: pr.total, judged: pr.judged, failed: pr.failed, costUsd: pr.costUsd });
          publish(id);
        },
      });
      // Let the synchronous checks at its start surface as this route's error.
      const early = await Promise.race([
        started.then(
          () => null,
          (e: unknown) => e,
        ),
        new Promise<null>((r) => setTimeout(() => r(null), 0)),
      ]);
      if (early) {
        jobs.delete(id);
        throw early;
      }
      void started
        .then((out) => {
          view.status = out.stopped ? (out.stopped.code === 'CANCELLED' ? 'stopped' : 'failed') : 'done';
          view.message =
            out.stopped?.message ??
            (out.failed
              ? `${out.failed} judge calls failed (${Object.entries(out.failures)
                  .map(([c, n]) => `${c} ${n}`)
                  .join(', ')}); start again to retry them`
              : null);
          if (out.stopped && out.stopped.code !== 'CANCELLED') ctx.notice('warn', `Judge ${spec} stopped: ${out.stopped.message}`);
          else if (!out.stopped)
            ctx.notice(
              'info',
              `Judge ${spec} scored ${out.judged} answers of run ${input.runId}${out.alreadyJudged ? ` (${out.alreadyJudged} earlier)` : ''}`,
            );
        })
        .catch((e: unknown) => {
          view.status = 'failed';
          view.message = ctx.runtime().deps.scrub(e instanceof Error ? e.message : String(e));
          ctx.notice('error', `Judge ${spec} failed: ${view.message}`);
        })
        .finally(() => {
          view.finishedAt = Date.now();
          publish(id, true);
        });
      publish(id, true);
      return { ...view };
    },
    'judge.stop': async (input: { jobId: string }) => {
      const job = jobs.get(input.jobId);
      if (job?.view.status !== 'running') return { stopping: false };
      job.ac.abort();
      return { stopping: true };
    },
    'judge.jobs': async (input: { runId?: string } | undefined) => ({
      jobs: [...jobs.values()]
        .map((j) => ({ ...j.view }))
        .filter((j) => !input?.runId || j.runId === input.runId)
        .sort((a, b) => Number(b.status === 'running') - Number(a.status === 'running') || b.startedAt - a.startedAt),
    }),
    'judge.summary': async (input: { runId: string; judge?: string; promptVersion?: string }) => {
      if (!ctx.store.getRun(input.runId)) throw new AppError('BAD_INPUT', `no run ${input.runId}`);
      return summary(input.runId, input.judge, input.promptVersion);
    },
    'judge.verdict': async (input: { verdictId: number }): Promise<JudgeVerdictView> => {
      const r = getVerdict(ctx.store, input.verdictId);
      const task = String(r.task);
      if (!isTaskId(task)) throw new AppError('BAD_INPUT', `verdict ${input.verdictId} is not about a task`);
      const row = {
        id: r.id,
        ticketId: String(r.ticket_id),
        task,
        model: String(r.model_spec),
        sourceRunId: String(r.source_run_id),
        answerJson: typeof r.answer_value === 'string' ? r.answer_value : null,
        score: Number(r.score),
        reasoning: typeof r.reasoning === 'string' ? r.reasoning : null,
        judgeModel: String(r.judge_model),
        promptVersion: String(r.prompt_version),
      };
      const human = latestPerReviewer(listReviews(ctx.store, { ticketId: row.ticketId, task }).filter((v) => sameAnswer(row, v))).map(
        (v) => ({ reviewer: v.reviewer, score: v.score, note: v.note }),
      );
      return {
        id: row.id,
        ticketId: row.ticketId,
        ticketTitle: typeof r.title === 'string' ? r.title : null,
        task,
        model: row.model,
        runId: row.sourceRunId,
        answer: parseJson(row.answerJson),
        judgeModel: row.judgeModel,
        promptVersion: row.promptVersion,
        score: row.score,
        reasoning: row.reasoning,
        correctValue: parseJson(r.correct_value),
        expected: parseJson(r.expected) as string[] | null,
        missing: parseJson(r.missing) as string[] | null,
        callId: typeof r.call_id === 'number' ? r.call_id : typeof r.call_id === 'bigint' ? Number(r.call_id) : null,
        judgedAt: Number(r.judged_at),
        human,
      };
    },
  };
}

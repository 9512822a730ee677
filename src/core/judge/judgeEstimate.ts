// What judging a run would take before anything is sent: the answers left to judge by this judge and
// prompt version, one call each, and the cost — each judge prompt's length (≈ 4 characters a token)
// × the judge's input price, plus a verdict of about 120 tokens × its output price.
import type { TaskId } from '#shared/tasks.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import type { JudgeEstimate } from '#shared/routes/judgeRoutes.ts';
import { costUsd, type ModelsRegistry } from '../models.ts';
import type { Store } from '../store/store.ts';
import { buildJudgeMessages, judgeVersionTag, type JudgePrompt } from './judgePrompt.ts';
import { judgeTargets, judgeableRun } from './judgeRepo.ts';
import { judgeSpec } from './judgeRunner.ts';

/** Tokens a verdict takes (reasoning of a sentence or three and the fields), for the estimate. */
export const VERDICT_TOKENS = 120;

export function estimateJudge(
  store: Store,
  models: ModelsRegistry,
  prompt: JudgePrompt,
  o: { runId: string; judgeModel: string; tasks?: readonly TaskId[]; blocked?: string | null },
): JudgeEstimate {
  const spec = judgeSpec(o.judgeModel);
  const source = judgeableRun(store, o.runId);
  const tasks = o.tasks?.length ? [...o.tasks] : [...TASK_IDS];
  const version = judgeVersionTag(prompt);
  const all = judgeTargets(store, source.id, tasks).length;
  const todo = judgeTargets(store, source.id, tasks, { model: spec, promptVersion: version });
  let usd: number | null = 0;
  for (const t of todo) {
    const chars = buildJudgeMessages(prompt, t.task, t.text, t.answer).reduce((n, m) => n + m.content.length, 0);
    const c = costUsd(spec, { inputTokens: Math.ceil(chars / 4), cachedTokens: 0, outputTokens: VERDICT_TOKENS }, models);
    if (c === null) {
      usd = null;
      break;
    }
    usd += c;
  }
  const simulated = spec.startsWith('demo:');
  return {
    runId: source.id,
    judgeModel: spec,
    promptVersion: version,
    tasks,
    answers: all,
    alreadyJudged: all - todo.length,
    calls: todo.length,
    usd: simulated ? 0 : usd,
    simulated,
    blocked: simulated ? null : (o.blocked ?? null),
  };
}

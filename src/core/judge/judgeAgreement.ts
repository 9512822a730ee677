// How far a judge model can be trusted on a task: its scores against human reviewers' on the answers
// both scored. Each (answer, reviewer) pair is one item — the judge's score of the answer beside that
// reviewer's latest score of it — so an answer two reviewers scored counts twice, once per human.
// Exact tasks (platform, product, asset ids: 0 or 1) get Cohen's κ over those items; graded tasks
// (severity 0/0.5/1, technical details 1 − missing/M) get Krippendorff's α with the interval metric,
// where a half-point gap weighs a quarter of a full one. Both reuse the reviewer-agreement code.
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { JudgeDisagreement, JudgeHumanTask, JudgeScoreCell } from '#shared/routes/judgeRoutes.ts';
import { cohensKappa } from '../metrics/agreement.ts';
import { krippendorffAlphaInterval } from '../review/agreement.ts';
import { answerKey, latestPerReviewer, reviewsByAnswer, type Review } from '../review/reviewsRepo.ts';

/** A judge is trusted on a task once this many answers were scored by it and by a human… */
export const TRUST_MIN_ANSWERS = 10;
/** …and its κ (exact tasks) or α (graded tasks) with them is at least this ("substantial"). */
export const TRUST_MIN_AGREEMENT = 0.6;

/** Tasks whose score is graded (0.5 steps, fractions): α, not κ. */
export const GRADED_TASKS: readonly TaskId[] = ['severity', 'technical_details'];

/** One stored verdict as the agreement needs it. */
export interface VerdictRow {
  id: number;
  ticketId: string;
  task: TaskId;
  /** The judged answer's model (never shown to the judge). */
  model: string;
  sourceRunId: string;
  /** The judged answer, as stored in results.value. */
  answerJson: string | null;
  score: number;
  reasoning: string | null;
  judgeModel: string;
  promptVersion: string;
}

const EPS = 1e-6;
const scoreKey = (s: number): string => String(Math.round(s * 1e6) / 1e6);
const canon = (json: string | null): string => {
  if (json === null) return 'null';
  try {
    return JSON.stringify(JSON.parse(json));
  } catch {
    return json;
  }
};

/** Whether a human review is about the very answer a verdict judged (same run, or the same value recorded). */
export function sameAnswer(v: VerdictRow, r: Review): boolean {
  if (r.ticketId !== v.ticketId || r.task !== v.task || r.model !== v.model) return false;
  if (r.runId !== null && r.runId === v.sourceRunId) return true;
  return r.answerValue !== undefined && JSON.stringify(r.answerValue ?? null) === canon(v.answerJson);
}

export interface JudgeHumanOptions {
  minAnswers?: number;
  minAgreement?: number;
  /** Disagreements listed per task (the rest are counted). Default 200. */
  listLimit?: number;
}

/** Judge vs humans per task (every task is present; tasks nobody scored twice say so). */
export function judgeVsHumans(verdicts: readonly VerdictRow[], reviews: readonly Review[], o: JudgeHumanOptions = {}): JudgeHumanTask[] {
  const minAnswers = o.minAnswers ?? TRUST_MIN_ANSWERS;
  const minAgreement = o.minAgreement ?? TRUST_MIN_AGREEMENT;
  const limit = o.listLimit ?? 200;
  const byAnswer = reviewsByAnswer(reviews);
  return TASK_IDS.map((task): JudgeHumanTask => {
    const graded = GRADED_TASKS.includes(task);
    const judge: string[] = [];
    const human: string[] = [];
    const units: number[][] = [];
    let answers = 0;
    let absDiff = 0;
    const differ: JudgeDisagreement[] = [];
    let differing = 0;
    for (const v of verdicts) {
      if (v.task !== task) continue;
      const matched = (byAnswer.get(answerKey(v)) ?? []).filter((r) => sameAnswer(v, r));
      if (matched.length === 0) continue;
      answers++;
      for (const r of latestPerReviewer(matched)) {
        judge.push(scoreKey(v.score));
        human.push(scoreKey(r.score));
        units.push([v.score, r.score]);
        absDiff += Math.abs(v.score - r.score);
        if (Math.abs(v.score - r.score) > EPS) {
          differing++;
          if (differ.length < limit) {
            differ.push({
              verdictId: v.id,
              ticketId: v.ticketId,
              task,
              model: v.model,
              runId: v.sourceRunId,
              judgeScore: v.score,
              humanScore: r.score,
              reviewer: r.reviewer,
              reasoning: v.reasoning,
              note: r.note,
            });
          }
        }
      }
    }
    const pairs = judge.length;
    const agree = judge.filter((x, i) => x === human[i]).length;
    const kappa = !graded && pairs ? cohensKappa(judge, human) : null;
    const alpha = graded && pairs ? krippendorffAlphaInterval(units) : null;
    const stat = graded ? alpha : kappa;
    const statName = graded ? 'α' : 'κ';
    let trusted = false;
    let trust: string;
    if (answers === 0) trust = 'not trusted: no answer was scored by both the judge and a reviewer yet';
    else if (answers < minAnswers)
      trust = `not trusted yet: ${answers} answer${answers === 1 ? '' : 's'} scored by both (needs ${minAnswers})`;
    else if (stat === null)
      trust = `not trusted: ${statName} is undefined (every score the same), agreement ${Math.round((agree / pairs) * 100)} %`;
    else if (stat < minAgreement - 1e-12) trust = `not trusted: ${statName} ${stat.toFixed(2)} < ${minAgreement} over ${answers} answers`;
    else {
      trusted = true;
      trust = `trusted: ${statName} ${stat.toFixed(2)} ≥ ${minAgreement} over ${answers} answers`;
    }
    differ.sort(
      (a, b) => Math.abs(b.judgeScore - b.humanScore) - Math.abs(a.judgeScore - a.humanScore) || a.ticketId.localeCompare(b.ticketId),
    );
    return {
      task,
      metric: graded ? 'alpha' : 'kappa',
      answers,
      pairs,
      agreement: pairs ? agree / pairs : null,
      kappa,
      alpha,
      meanAbsDiff: pairs ? absDiff / pairs : null,
      trusted,
      trust,
      disagreements: differ,
      disagreementCount: differing,
    };
  });
}

/** The judge's mean score per task and model over the verdicts given (one per answer: the latest). */
export function judgeScores(verdicts: readonly VerdictRow[]): Record<TaskId, Record<string, JudgeScoreCell>> {
  const out = Object.fromEntries(TASK_IDS.map((t) => [t, {}])) as Record<TaskId, Record<string, JudgeScoreCell>>;
  const sums = new Map<string, { task: TaskId; model: string; sum: number; n: number }>();
  for (const v of verdicts) {
    const k = `${v.task}\u0000${v.model}`;
    const s = sums.get(k) ?? { task: v.task, model: v.model, sum: 0, n: 0 };
    s.sum += v.score;
    s.n++;
    sums.set(k, s);
  }
  for (const s of sums.values()) out[s.task][s.model] = { score: s.sum / s.n, n: s.n };
  return out;
}

// Routes of the LLM judge (issue 17 §1): a judge model scores a run's answers (an experiment, a
// shadow run, an imported trace set) with the review rubric, off the critical path; its scores sit
// beside the human reviews, and its agreement with them says whether it can be trusted per task.
// Merged into the route contract by src/shared/routes.ts; handlers in src/core/handlers/judgeHandlers.ts.
import { z } from 'zod';
import { TASK_IDS, type TaskId } from '../tasks.ts';

const id = z.string().min(1).max(200);
const spec = z.string().trim().min(3).max(200);
const tasks = z.array(z.enum(TASK_IDS)).min(1).max(TASK_IDS.length);

export const judgeRouteInputs = {
  /** What judging a run would take: answers to judge (not yet judged by this judge and prompt), calls, cost. */
  'judge.estimate': z.object({ runId: id, model: spec, tasks: tasks.optional() }),
  /** Starts judging (after the estimate was seen: confirmed). One judge job per run at a time. */
  'judge.start': z.object({
    runId: id,
    model: spec,
    tasks: tasks.optional(),
    confirmed: z.literal(true),
    rpm: z.number().int().min(1).max(10_000).optional(),
    concurrency: z.number().int().min(1).max(32).optional(),
  }),
  'judge.stop': z.object({ jobId: id }),
  /** Judge jobs of this session (running first). */
  'judge.jobs': z.object({ runId: id.optional() }).optional(),
  /** The judges that scored a run, the chosen judge's scores, and judge vs humans per task. */
  'judge.summary': z.object({ runId: id, judge: spec.optional(), promptVersion: z.string().max(40).optional() }),
  /** One verdict with the answer it judged (a clicked disagreement). */
  'judge.verdict': z.object({ verdictId: z.number().int().positive() }),
} satisfies Record<string, z.ZodType>;

export interface JudgeEstimate {
  runId: string;
  judgeModel: string;
  promptVersion: string;
  tasks: TaskId[];
  /** Successful answers of the run for those tasks. */
  answers: number;
  /** Already judged by this judge model and prompt version (skipped: judging is resumable). */
  alreadyJudged: number;
  /** Calls to make (one per answer still to judge, before retries). */
  calls: number;
  /** Estimated cost, USD (prompt sizes × the judge's price); null when its price is unknown. */
  usd: number | null;
  /** Simulated (a demo judge): nothing is spent. */
  simulated: boolean;
  /** The workspace's daily spend limit stops it now (the message), or null. */
  blocked: string | null;
}

export interface JudgeJobView {
  id: string;
  runId: string;
  judgeModel: string;
  promptVersion: string;
  tasks: TaskId[];
  status: 'running' | 'done' | 'stopped' | 'failed';
  total: number;
  judged: number;
  /** Judge calls that failed (their answers stay unjudged; a new start retries them). */
  failed: number;
  /** Spent so far, USD (judge calls with a known price). */
  costUsd: number;
  startedAt: number;
  finishedAt: number | null;
  /** Why it stopped or failed (spend limit, no key, …), or null. */
  message: string | null;
}

/** The judge's mean score of one model on one task. */
export interface JudgeScoreCell {
  score: number;
  n: number;
}

/** One (answer, reviewer) pair where the judge's score differs from the human's. */
export interface JudgeDisagreement {
  verdictId: number;
  ticketId: string;
  task: TaskId;
  model: string;
  /** The run whose answer was judged (opens the ticket on it). */
  runId: string;
  judgeScore: number;
  humanScore: number;
  reviewer: string;
  reasoning: string | null;
  note: string | null;
}

/** Judge vs humans on one task, over the answers both scored. */
export interface JudgeHumanTask {
  task: TaskId;
  /** κ for exact tasks (0/1), α (interval) for graded ones (severity, technical details). */
  metric: 'kappa' | 'alpha';
  /** Answers scored by the judge and at least one reviewer. */
  answers: number;
  /** (answer, reviewer) pairs: the items agreement, κ and α are computed over. */
  pairs: number;
  /** Share of pairs with the same score. */
  agreement: number | null;
  kappa: number | null;
  alpha: number | null;
  meanAbsDiff: number | null;
  /** Measured on enough answers and agreeing enough: its scores may stand in for human ones. */
  trusted: boolean;
  /** The sentence saying so ("trusted: κ 0.82 ≥ 0.6 over 24 answers", "not trusted yet: 3 answers …"). */
  trust: string;
  /** The largest differences first (at most 200 listed). */
  disagreements: JudgeDisagreement[];
  disagreementCount: number;
}

/** A judge (model + prompt version) that scored answers of a run. */
export interface JudgeInfo {
  judgeModel: string;
  promptVersion: string;
  verdicts: number;
  lastAt: number;
}

export interface JudgeSummary {
  runId: string;
  judges: JudgeInfo[];
  /** The judge shown (the one asked for, else the latest), or null when the run was never judged. */
  judge: JudgeInfo | null;
  scores: Record<TaskId, Record<string, JudgeScoreCell>>;
  /** Human review means over the same run, for the side-by-side columns. */
  human: Partial<Record<TaskId, Record<string, { score: number; n: number }>>>;
  vsHumans: JudgeHumanTask[];
  thresholds: { minAnswers: number; minAgreement: number };
}

export interface JudgeVerdictView {
  id: number;
  ticketId: string;
  ticketTitle: string | null;
  task: TaskId;
  model: string;
  runId: string;
  answer: unknown;
  judgeModel: string;
  promptVersion: string;
  score: number;
  reasoning: string | null;
  /** What the judge said is correct (exact tasks), or its expected/missing details. */
  correctValue: unknown;
  expected: string[] | null;
  missing: string[] | null;
  callId: number | null;
  judgedAt: number;
  /** Each reviewer's latest score of the same answer. */
  human: Array<{ reviewer: string; score: number; note: string | null }>;
}

export interface JudgeRouteOutputs {
  'judge.estimate': JudgeEstimate;
  'judge.start': JudgeJobView;
  'judge.stop': { stopping: boolean };
  'judge.jobs': { jobs: JudgeJobView[] };
  'judge.summary': JudgeSummary;
  'judge.verdict': JudgeVerdictView;
}

/** A judge job moved (a full snapshot, at most a few a second). */
export type JudgeEvent = { type: 'judge.progress'; job: JudgeJobView };

// Review results: the seed article's manual-review table (mean score per model per task) with n
// and a 95 % interval, agreement among reviewers, and how the automated agreement-with-baseline
// compares with what reviewers found on the same answers — where the automated metric misleads.
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { cohensKappa, comparisonKey } from '../metrics/agreement.ts';
import type { Store } from '../store/store.ts';
import { reviewerAgreement, type ReviewerAgreement } from './agreement.ts';
import { latestPerReviewer, listReviews, reviewConflicts, type Review, type ReviewConflict, type ReviewFilter } from './reviewsRepo.ts';
import type { BaselineCheckView } from '#shared/review.ts';

type Row = Record<string, unknown>;

/** Mean review score of one model on one task. */
export interface ScoreSummary {
  mean: number;
  /** Answers reviewed (an answer scored by several reviewers counts once, at their mean). */
  n: number;
  /** 95 % Wilson interval of the mean; null when n = 0. */
  ci95: [number, number] | null;
}

export interface ScoreCell extends ScoreSummary {
  task: TaskId;
  model: string;
  /** Individual scores behind the n answers. */
  reviews: number;
}

/**
 * The 95 % Wilson score interval for a mean of scores in [0, 1] over n answers. Exact for 0/1
 * scores; for 0.5 steps and fractions it is conservative, since a [0, 1] score with mean p has
 * variance at most p(1 − p). Unlike mean ± 1.96·s/√n it never collapses to a point when every
 * score is 1 (the article's 1.00 from a small sample still gets a lower bound).
 */
export function wilsonInterval(mean: number, n: number, z = 1.959963984540054): [number, number] | null {
  if (n <= 0) return null;
  const p = Math.min(1, Math.max(0, mean));
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** One reviewed answer: its score is the mean of its reviewers' latest scores. */
export interface AnswerScore {
  ticketId: string;
  task: TaskId;
  model: string;
  runId: string | null;
  answerValue: unknown;
  score: number;
  reviewers: number;
  reviews: number;
}

/** Reviews folded to one score per answer (each reviewer's latest score, averaged over reviewers). */
export function answerScores(reviews: readonly Review[]): AnswerScore[] {
  const groups = new Map<string, Review[]>();
  for (const r of reviews) {
    const k = `${r.ticketId}\u0000${r.task}\u0000${r.model}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()].map((g) => {
    const latest = latestPerReviewer(g);
    const last = g.reduce((a, b) => (Date.parse(b.scoredAt) >= Date.parse(a.scoredAt) ? b : a));
    return {
      ticketId: last.ticketId,
      task: last.task,
      model: last.model,
      runId: last.runId,
      answerValue: last.answerValue,
      score: latest.reduce((s, r) => s + r.score, 0) / latest.length,
      reviewers: latest.length,
      reviews: g.length,
    };
  });
}

export interface ReviewTable {
  tasks: TaskId[];
  models: string[];
  cells: ScoreCell[];
}

/** The manual-review table over the given reviews: mean, n and 95 % interval per task and model. */
export function scoreTable(reviews: readonly Review[]): ReviewTable {
  const answers = answerScores(reviews);
  const cells = new Map<string, { task: TaskId; model: string; sum: number; n: number; reviews: number }>();
  for (const a of answers) {
    const k = `${a.task}\u0000${a.model}`;
    const c = cells.get(k) ?? { task: a.task, model: a.model, sum: 0, n: 0, reviews: 0 };
    c.sum += a.score;
    c.n++;
    c.reviews += a.reviews;
    cells.set(k, c);
  }
  const out: ScoreCell[] = [...cells.values()]
    .map((c) => ({ task: c.task, model: c.model, mean: c.sum / c.n, n: c.n, reviews: c.reviews, ci95: wilsonInterval(c.sum / c.n, c.n) }))
    .sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : TASK_IDS.indexOf(a.task) - TASK_IDS.indexOf(b.task)));
  return {
    tasks: TASK_IDS.filter((t) => out.some((c) => c.task === t)),
    models: [...new Set(out.map((c) => c.model))].sort(),
    cells: out,
  };
}

/**
 * Review scores per task per model, {mean, n, ci95}, for the planner's quality floor and the
 * report: every task is a key (empty when none of its answers was reviewed). With a run id, only
 * reviews of answers recorded in that run count.
 */
export function reviewScores(store: Store, runId?: string): Record<TaskId, Record<string, ScoreSummary>> {
  const out = Object.fromEntries(TASK_IDS.map((t) => [t, {}])) as Record<TaskId, Record<string, ScoreSummary>>;
  for (const c of scoreTable(listReviews(store, runId ? { runId } : {})).cells)
    out[c.task][c.model] = { mean: c.mean, n: c.n, ci95: c.ci95 };
  return out;
}

/** How the automated agreement with a baseline compares with reviewers' scores of the same answers (shared with the Review view). */
export type BaselineCheck = BaselineCheckView;

export interface BaselineOptions {
  /** The baseline model; default: each run's recorded baseline, else openai:gpt-4o where it answered. */
  baseline?: string;
  /** An answer "passes" review when its score is at least this. Default 1 (fully right). */
  passAt?: number;
}

function runBaseline(store: Store, runId: string | null, cache: Map<string, string | null>): string | null {
  if (!runId) return null;
  if (cache.has(runId)) return cache.get(runId)!;
  const r = store.prepare('SELECT config FROM runs WHERE id = ?').get(runId) as Row | undefined;
  let b: string | null = null;
  try {
    const cfg = r?.config ? (JSON.parse(String(r.config)) as { baseline?: unknown }) : null;
    if (typeof cfg?.baseline === 'string' && cfg.baseline) b = cfg.baseline;
  } catch {
    // A config that is not JSON has no baseline.
  }
  if (!b && store.prepare(`SELECT 1 FROM results WHERE run_id = ? AND model_spec = 'openai:gpt-4o' LIMIT 1`).get(runId))
    b = 'openai:gpt-4o';
  cache.set(runId, b);
  return b;
}

function baselineValue(store: Store, a: AnswerScore, baseline: string): { found: boolean; value: unknown } {
  const r = ((a.runId
    ? store
        .prepare(`SELECT value FROM results WHERE run_id = ? AND ticket_id = ? AND task = ? AND model_spec = ? AND status = 'ok'`)
        .get(a.runId, a.ticketId, a.task, baseline)
    : undefined) ??
    store
      .prepare(
        `SELECT value FROM results WHERE ticket_id = ? AND task = ? AND model_spec = ? AND status = 'ok' ORDER BY recorded_at DESC LIMIT 1`,
      )
      .get(a.ticketId, a.task, baseline)) as Row | undefined;
  if (!r) return { found: false, value: undefined };
  return { found: true, value: r.value == null ? null : (JSON.parse(String(r.value)) as unknown) };
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

/** Per task and model: automated agreement with the baseline beside the reviewers' verdict on the same answers. */
export function baselineCheck(store: Store, reviews: readonly Review[], opts: BaselineOptions = {}): BaselineCheck[] {
  const passAt = opts.passAt ?? 1;
  const cache = new Map<string, string | null>();
  const answers = answerScores(reviews);
  const groups = new Map<string, Array<{ agree: boolean; score: number }>>();
  const baselines = new Map<string, string>();
  const baselineScores = new Map<string, number[]>();
  for (const a of answers) {
    const baseline = opts.baseline ?? runBaseline(store, a.runId, cache);
    if (!baseline) continue;
    if (a.model === baseline) {
      const k = `${a.task}\u0000${baseline}`;
      baselineScores.set(k, [...(baselineScores.get(k) ?? []), a.score]);
      continue;
    }
    const b = baselineValue(store, a, baseline);
    if (!b.found || a.answerValue === undefined) continue;
    const k = `${a.task}\u0000${a.model}\u0000${baseline}`;
    baselines.set(k, baseline);
    const g = groups.get(k) ?? [];
    g.push({ agree: comparisonKey(a.task, a.answerValue) === comparisonKey(a.task, b.value), score: a.score });
    groups.set(k, g);
  }
  const out: BaselineCheck[] = [];
  for (const [k, g] of groups) {
    const [task, model, baseline] = k.split('\u0000') as [TaskId, string, string];
    const agreeScores = g.filter((x) => x.agree).map((x) => x.score);
    const disagreeScores = g.filter((x) => !x.agree).map((x) => x.score);
    out.push({
      task,
      model,
      baseline,
      n: g.length,
      agreementRate: g.length ? agreeScores.length / g.length : null,
      reviewMean: mean(g.map((x) => x.score)),
      meanWhenAgree: mean(agreeScores),
      meanWhenDisagree: mean(disagreeScores),
      agreeButWrong: agreeScores.filter((s) => s < passAt).length,
      disagreeButRight: disagreeScores.filter((s) => s >= passAt).length,
      kappa: cohensKappa(
        g.map((x) => (x.agree ? 'yes' : 'no')),
        g.map((x) => (x.score >= passAt ? 'yes' : 'no')),
      ),
      baselineReviewMean: mean(baselineScores.get(`${task}\u0000${baseline}`) ?? []),
    });
  }
  return out.sort((a, b) => TASK_IDS.indexOf(a.task) - TASK_IDS.indexOf(b.task) || (a.model < b.model ? -1 : 1));
}

export interface ReviewResultsOptions extends BaselineOptions {
  runId?: string;
  queueId?: string;
  /** Only these reviewers' scores. */
  reviewers?: string[];
}

export interface ReviewResults {
  /** Scores counted and distinct reviewers behind them. */
  reviews: number;
  reviewers: string[];
  table: ReviewTable;
  agreement: ReviewerAgreement[];
  baseline: BaselineCheck[];
  conflicts: ReviewConflict[];
}

/** Everything the results view and `casebench reviews results` show, over the selected reviews. */
export function reviewResults(store: Store, opts: ReviewResultsOptions = {}): ReviewResults {
  const filter: ReviewFilter = {};
  if (opts.runId) filter.runId = opts.runId;
  if (opts.queueId) filter.queueId = opts.queueId;
  let reviews = listReviews(store, filter);
  if (opts.reviewers?.length) reviews = reviews.filter((r) => opts.reviewers!.includes(r.reviewer));
  const answers = new Set(reviews.map((r) => `${r.ticketId}\u0000${r.task}\u0000${r.model}`));
  return {
    reviews: reviews.length,
    reviewers: [...new Set(reviews.map((r) => r.reviewer))].sort(),
    table: scoreTable(reviews),
    agreement: reviewerAgreement(reviews),
    baseline: baselineCheck(store, reviews, opts),
    conflicts: reviewConflicts(store, filter).filter((c) => answers.has(`${c.ticketId}\u0000${c.task}\u0000${c.model}`)),
  };
}

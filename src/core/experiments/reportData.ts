// A run's report data: the rows the store reads (store/reportQueries.ts) and the reviewers' scores
// the review layer computes (review/results.ts), joined here so the store never imports upward.
import type { ReportData, ReportJudge, ReviewScores } from '../metrics/report.ts';
import { judgeScores, judgeVsHumans } from '../judge/judgeAgreement.ts';
import { pickJudge, verdictsOf } from '../judge/judgeRepo.ts';
import { listReviews } from '../review/reviewsRepo.ts';
import { reviewScores as reviewSummaries } from '../review/results.ts';
import type { RunRow, Store } from '../store/store.ts';
import { loadReportRows } from '../store/reportQueries.ts';
import { TASK_IDS } from '#shared/tasks.ts';

/** Everything buildReport needs for one run (`judge`: the judge model whose scores to show, default the latest). */
export function loadReportData(store: Store, run: RunRow, opts: { judge?: string } = {}): ReportData {
  const judge = loadReportJudge(store, run.id, opts.judge);
  return { ...loadReportRows(store, run), reviews: reviewScores(store, run.id), ...(judge ? { judge } : {}) };
}

/** Disagreements kept per task in a report (the workbench lists them all through judge.summary). */
const REPORT_DISAGREEMENTS = 20;

/**
 * The judge's part of a run's report: the judge asked for (`model`, its latest prompt version),
 * else the latest judge of the run; undefined when none scored it (or the workspace predates judges).
 */
export function loadReportJudge(store: Store, runId: string, model?: string): ReportJudge | undefined {
  if (!store.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'judge_verdicts'").get()) return undefined;
  const judge = pickJudge(store, runId, model);
  if (!judge) return undefined;
  const verdicts = verdictsOf(store, runId, judge);
  const vs = judgeVsHumans(verdicts, listReviews(store, { runId }), { listLimit: REPORT_DISAGREEMENTS });
  return {
    model: judge.judgeModel,
    prompt_version: judge.promptVersion,
    verdicts: verdicts.length,
    scores: judgeScores(verdicts),
    vs_humans: vs,
  };
}

/**
 * Manual review scores per task and model for a run (contracts §5 `reviews`): the rubric means
 * from src/core/review; tasks and models nobody reviewed are absent, never scored 0.
 */
export function reviewScores(store: Store, runId: string): ReviewScores {
  const out: ReviewScores = {};
  const all = reviewSummaries(store, runId);
  for (const t of TASK_IDS) {
    for (const [model, s] of Object.entries(all[t])) {
      if (s.n === 0) continue;
      (out[t] ??= {})[model] = { score: s.mean, n: s.n };
    }
  }
  return out;
}

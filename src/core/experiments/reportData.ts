// A run's report data: the rows the store reads (store/reportQueries.ts) and the reviewers' scores
// the review layer computes (review/results.ts), joined here so the store never imports upward.
import type { ReportData, ReviewScores } from '../metrics/report.ts';
import { reviewScores as reviewSummaries } from '../review/results.ts';
import type { RunRow, Store } from '../store/store.ts';
import { loadReportRows } from '../store/reportQueries.ts';
import { TASK_IDS } from '../../shared/tasks.ts';

/** Everything buildReport needs for one run. */
export function loadReportData(store: Store, run: RunRow): ReportData {
  return { ...loadReportRows(store, run), reviews: reviewScores(store, run.id) };
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

// Agreement between reviewers on the same answers. Krippendorff's α with the INTERVAL metric
// δ(a, b) = (a − b)² for any number of reviewers and missing scores: the scores are numbers on one
// scale (severity's 0.5 lies exactly halfway, technical details give fractions such as 2/3), so a
// half-point disagreement should weigh a quarter of a full one, which an ordinal or nominal metric
// would not say. Cohen's κ for a pair of reviewers is the one in metrics/agreement.ts (nominal:
// each distinct score is a category), reused rather than written twice.
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { cohensKappa } from '../metrics/agreement.ts';
import { latestPerReviewer, reviewsByAnswer, type Review } from './reviewsRepo.ts';

/**
 * Krippendorff's α (interval metric) over units of scores, one array per unit holding every
 * reviewer's score of it (missing ones left out). Units with fewer than two scores are not
 * pairable and are ignored. α = 1 − (n − 1)·Σᵤ[Σ_{i≠j∈u} δ / (mᵤ − 1)] / Σ_{i≠j} δ over all n
 * pairable values. Null when nothing is pairable or every value is the same (no expected disagreement).
 */
export function krippendorffAlphaInterval(units: ReadonlyArray<readonly number[]>): number | null {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let within = 0;
  for (const u of units) {
    const m = u.length;
    if (m < 2) continue;
    let s = 0;
    let s2 = 0;
    for (const v of u) {
      s += v;
      s2 += v * v;
    }
    // Σ over ordered pairs i≠j of (vᵢ − vⱼ)² = 2m·Σv² − 2(Σv)².
    within += (2 * m * s2 - 2 * s * s) / (m - 1);
    n += m;
    sum += s;
    sumSq += s2;
  }
  if (n < 2) return null;
  const total = 2 * n * sumSq - 2 * sum * sum;
  // Scores are multiples of small fractions; treat round-off as no spread.
  if (total <= 1e-12) return null;
  return 1 - ((n - 1) * within) / total;
}

export interface PairAgreement {
  a: string;
  b: string;
  /** Answers both scored. */
  n: number;
  /** Share of those where their scores are equal. */
  agreement: number | null;
  kappa: number | null;
}

export interface ReviewerAgreement {
  /** A task, or 'all' for every task pooled (α only makes sense pooled because all scores share the 0–1 scale). */
  task: TaskId | 'all';
  reviewers: string[];
  /** Answers scored by at least two reviewers (the units α and κ are computed over). */
  units: number;
  alpha: number | null;
  metric: 'interval';
  /** Cohen's κ when exactly two reviewers scored shared answers; otherwise null (see pairs). */
  kappa: number | null;
  pairs: PairAgreement[];
}

const key = (s: number): string => String(Math.round(s * 1e6) / 1e6);

/**
 * Agreement among reviewers per task and pooled, over answers scored by two or more of them. A
 * reviewer's latest score of an answer stands for them (a re-score replaces their earlier one).
 */
export function reviewerAgreement(reviews: readonly Review[]): ReviewerAgreement[] {
  const byAnswer = reviewsByAnswer(reviews);
  const units = [...byAnswer].map(([k, g]) => ({
    task: g[0]!.task,
    key: k,
    scores: new Map(latestPerReviewer(g).map((r) => [r.reviewer, r.score])),
  }));
  const rows: ReviewerAgreement[] = [];
  for (const task of [...TASK_IDS, 'all'] as const) {
    const us = units.filter((u) => (task === 'all' || u.task === task) && u.scores.size >= 2);
    if (us.length === 0 && task !== 'all') continue;
    const reviewers = [...new Set(us.flatMap((u) => [...u.scores.keys()]))].sort();
    const pairs: PairAgreement[] = [];
    for (let i = 0; i < reviewers.length; i++) {
      for (let j = i + 1; j < reviewers.length; j++) {
        const a = reviewers[i]!;
        const b = reviewers[j]!;
        const xs: string[] = [];
        const ys: string[] = [];
        for (const u of us) {
          const x = u.scores.get(a);
          const y = u.scores.get(b);
          if (x !== undefined && y !== undefined) xs.push(key(x)), ys.push(key(y));
        }
        if (xs.length === 0) continue;
        const agree = xs.filter((x, k) => x === ys[k]).length;
        pairs.push({ a, b, n: xs.length, agreement: agree / xs.length, kappa: cohensKappa(xs, ys) });
      }
    }
    rows.push({
      task,
      reviewers,
      units: us.length,
      alpha: krippendorffAlphaInterval(us.map((u) => [...u.scores.values()])),
      metric: 'interval',
      kappa: reviewers.length === 2 && pairs.length === 1 ? pairs[0]!.kappa : null,
      pairs,
    });
  }
  return rows;
}

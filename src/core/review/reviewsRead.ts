// Reading stored review scores: the Review shape and its row decoder, reviews by filter, reviewer
// names, and the groupings results and agreement are built on (conflicts, by answer, latest per reviewer).
import type { TaskId } from '#shared/tasks.ts';
import type { Store } from '../store/store.ts';
import type { CorrectValue } from './rubric.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const parseJson = (v: unknown): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : undefined);

/** One stored score of one model answer. */
export interface Review {
  id: number;
  ticketId: string;
  task: TaskId;
  /** The model spec (`provider:model`) whose answer was scored. */
  model: string;
  runId: string | null;
  /** The normalised answer the score is about (undefined when it was not known). */
  answerValue: unknown;
  reviewer: string;
  score: number;
  /** undefined when the reviewer entered none. */
  correctValue: CorrectValue | undefined;
  missing: string[] | null;
  expected: string[] | null;
  expectedCount: number | null;
  note: string | null;
  /** ISO-8601. */
  scoredAt: string;
  queueId: string | null;
  /** 'local', or the name of the file it was imported from. */
  source: string;
}

/** A reviews-table row as a Review. */
export function toReview(r: Row): Review {
  return {
    id: num(r.id) ?? 0,
    ticketId: String(r.ticket_id),
    task: String(r.task) as TaskId,
    model: String(r.model_spec),
    runId: str(r.run_id),
    answerValue: r.answer_value == null ? undefined : parseJson(r.answer_value),
    reviewer: String(r.reviewer),
    score: num(r.score) ?? 0,
    correctValue: r.correct_value == null ? undefined : (parseJson(r.correct_value) as CorrectValue),
    missing: r.missing == null ? null : (parseJson(r.missing) as string[]),
    expected: r.expected == null ? null : (parseJson(r.expected) as string[]),
    expectedCount: num(r.expected_count),
    note: str(r.note),
    scoredAt: String(r.scored_at),
    queueId: str(r.queue_id),
    source: String(r.source),
  };
}

/** One review by id. */
export function getReview(store: Store, id: number): Review | null {
  const r = store.prepare('SELECT * FROM reviews WHERE id = ?').get(id) as Row | undefined;
  return r ? toReview(r) : null;
}

export interface ReviewFilter {
  /** Reviews of answers in this run (the answer scored there, or the same value recorded there). */
  runId?: string;
  reviewer?: string;
  /** Reviews of the answers in this queue. */
  queueId?: string;
  ticketId?: string;
  task?: TaskId;
}

/** Stored reviews matching the filter, oldest first. */
export function listReviews(store: Store, f: ReviewFilter = {}): Review[] {
  const where: string[] = ['v.superseded_by IS NULL'];
  const args: string[] = [];
  if (f.runId) {
    where.push(`(v.run_id = ? OR EXISTS (SELECT 1 FROM results x WHERE x.run_id = ? AND x.ticket_id = v.ticket_id AND x.task = v.task
      AND x.model_spec = v.model_spec AND x.status = 'ok' AND x.value IS v.answer_value))`);
    args.push(f.runId, f.runId);
  }
  if (f.reviewer) where.push('v.reviewer = ?'), args.push(f.reviewer);
  if (f.queueId) {
    // Reviews of the queue's answers, wherever given (imported ones carry no queue).
    where.push(`EXISTS (SELECT 1 FROM review_queue_items i, json_each(i.answers) a WHERE i.queue_id = ? AND i.ticket_id = v.ticket_id
      AND i.task = v.task AND a.value ->> '$.model' = v.model_spec)`);
    args.push(f.queueId);
  }
  if (f.ticketId) where.push('v.ticket_id = ?'), args.push(f.ticketId);
  if (f.task) where.push('v.task = ?'), args.push(f.task);
  const sql = `SELECT * FROM reviews v WHERE ${where.join(' AND ')} ORDER BY v.scored_ms, v.id`;
  return (store.prepare(sql).all(...args) as Row[]).map(toReview);
}

/** Every reviewer name known to the workspace (scores and queue assignments), sorted. */
export function listReviewers(store: Store): string[] {
  const rows = store.prepare('SELECT reviewer FROM reviews UNION SELECT reviewer FROM review_queue_reviewers ORDER BY 1').all() as Row[];
  return rows.map((r) => String(r.reviewer));
}

/** Scores of the same answer that disagree. */
export interface ReviewConflict {
  ticketId: string;
  task: TaskId;
  model: string;
  /** 'reviewers differ': two reviewers gave different scores; 'same reviewer twice': one reviewer did. */
  kinds: Array<'reviewers differ' | 'same reviewer twice'>;
  reviews: Array<{ reviewer: string; score: number; scoredAt: string; source: string }>;
}

/** Answers whose scores disagree: different reviewers' scores differ, or one reviewer scored it twice differently. */
export function reviewConflicts(store: Store, f: ReviewFilter = {}): ReviewConflict[] {
  const groups = reviewsByAnswer(listReviews(store, f));
  const out: ReviewConflict[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const kinds: ReviewConflict['kinds'] = [];
    const byReviewer = new Map<string, Set<number>>();
    for (const r of g) {
      const s = byReviewer.get(r.reviewer) ?? new Set<number>();
      s.add(r.score);
      byReviewer.set(r.reviewer, s);
    }
    if ([...byReviewer.values()].some((s) => s.size > 1)) kinds.push('same reviewer twice');
    // Each reviewer's latest score stands for them; those must agree across reviewers.
    const latest = new Set(latestPerReviewer(g).map((r) => r.score));
    if (byReviewer.size > 1 && latest.size > 1) kinds.push('reviewers differ');
    if (kinds.length) {
      const first = g[0]!;
      out.push({
        ticketId: first.ticketId,
        task: first.task,
        model: first.model,
        kinds,
        reviews: g.map((r) => ({ reviewer: r.reviewer, score: r.score, scoredAt: r.scoredAt, source: r.source })),
      });
    }
  }
  return out;
}

/** The key of one scored answer: a ticket's task as one model answered it. */
export const answerKey = (a: { ticketId: string; task: string; model: string }): string => `${a.ticketId}\u0000${a.task}\u0000${a.model}`;

/** Reviews grouped by the answer they score (answerKey), in the order given. */
export function reviewsByAnswer(reviews: readonly Review[]): Map<string, Review[]> {
  const groups = new Map<string, Review[]>();
  for (const r of reviews) {
    const k = answerKey(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

/** Each reviewer's latest review among those given (by scored time, then insertion). */
export function latestPerReviewer(reviews: readonly Review[]): Review[] {
  const m = new Map<string, Review>();
  for (const r of reviews) {
    const cur = m.get(r.reviewer);
    if (!cur || Date.parse(r.scoredAt) > Date.parse(cur.scoredAt) || (Date.parse(r.scoredAt) === Date.parse(cur.scoredAt) && r.id > cur.id))
      m.set(r.reviewer, r);
  }
  return [...m.values()];
}

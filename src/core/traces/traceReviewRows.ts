// The trace review model's rows (traceReview.ts and its results/JSON-lines files): the row
// decoders, a queue's row, rubric, items and each reviewer's progress, and its view.
import { AppError } from '#shared/errors.ts';
import { DEFAULT_RUBRIC, rubricSchema, type Criterion, type TraceQueueView } from '#shared/traceReview.ts';
import type { Store } from '../store/store.ts';
import type { Row } from './traceQueries.ts';

export const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
export const parse = (v: unknown): unknown => {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
};

function queueRow(store: Store, id: string): Row {
  const r = store.prepare('SELECT * FROM trace_review_queues WHERE id = ?').get(id) as Row | undefined;
  if (!r) throw new AppError('BAD_INPUT', `no trace review queue ${id} in this workspace`);
  return r;
}

function rubricOf(r: Row): Criterion[] {
  const p = rubricSchema.safeParse(parse(r.rubric));
  return p.success ? p.data : DEFAULT_RUBRIC;
}

/** A reviewer's latest value per (call, criterion) in a queue (superseded rows left out). */
export function latestMine(store: Store, queueId: string, reviewer: string, callId?: number): Row[] {
  return (
    callId === undefined
      ? store.prepare(`SELECT * FROM trace_reviews WHERE queue_id = ? AND reviewer = ? AND superseded_by IS NULL`).all(queueId, reviewer)
      : store
          .prepare(`SELECT * FROM trace_reviews WHERE queue_id = ? AND reviewer = ? AND call_id = ? AND superseded_by IS NULL`)
          .all(queueId, reviewer, callId)
  ) as Row[];
}

/** The criteria that count for "done" (a note is optional). */
export const required = (rubric: Criterion[]): Criterion[] => rubric.filter((c) => c.kind !== 'note');

export function itemsOf(store: Store, queueId: string): number[] {
  return (store.prepare('SELECT call_id FROM trace_review_items WHERE queue_id = ? ORDER BY pos').all(queueId) as Row[]).map(
    (r) => num(r.call_id)!,
  );
}

/** Calls each reviewer has fully scored in the queue. */
function progressOf(store: Store, queueId: string, rubric: Criterion[]): Array<{ reviewer: string; done: number }> {
  const need = required(rubric).map((c) => c.id);
  const rows = store
    .prepare(`SELECT r.reviewer, r.call_id, r.criterion FROM trace_reviews r JOIN trace_review_items i ON i.queue_id = r.queue_id AND i.call_id = r.call_id
      WHERE r.queue_id = ? AND r.superseded_by IS NULL GROUP BY r.reviewer, r.call_id, r.criterion`)
    .all(queueId) as Row[];
  const per = new Map<string, Map<number, Set<string>>>();
  for (const r of rows) {
    const rv = String(r.reviewer);
    let m = per.get(rv);
    if (!m) per.set(rv, (m = new Map()));
    let s = m.get(num(r.call_id)!);
    if (!s) m.set(num(r.call_id)!, (s = new Set()));
    s.add(String(r.criterion));
  }
  return [...per.entries()]
    .map(([reviewer, m]) => ({ reviewer, done: [...m.values()].filter((s) => need.every((c) => s.has(c))).length }))
    .sort((a, b) => a.reviewer.localeCompare(b.reviewer));
}

export function traceQueueView(store: Store, id: string): TraceQueueView {
  const r = queueRow(store, id);
  const rubric = rubricOf(r);
  return {
    id,
    name: String(r.name),
    items: num((store.prepare('SELECT count(*) AS n FROM trace_review_items WHERE queue_id = ?').get(id) as Row).n) ?? 0,
    rubric,
    blind: num(r.blind) === 1,
    createdAt: num(r.created_at) ?? 0,
    source: (parse(r.source) as Record<string, unknown>) ?? {},
    progress: progressOf(store, id, rubric),
  };
}

// Review queues: a set of (ticket, task) items, each with the successful answers of up to six
// models, dealt to named reviewers so that every answer is scored by k of them. Items are chosen
// from a run, a list of tickets, the ticket list's filter, or a seeded random sample stratified by
// task and model (chosen in sampling.ts); the seed is recorded so the same queue can be rebuilt and
// every shuffle replayed.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { ticketFilterSchema } from '#shared/routes.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { seedFor } from '../metrics/bootstrap.ts';
import type { Store } from '../store/store.ts';
import { listTickets } from '../tickets/ticketQueries.ts';
import { reviewerName } from './reviewsRepo.ts';
import { candidates, shuffleAnswers, stratifiedSample } from './sampling.ts';
import type { QueueView, ReviewerProgressView } from '#shared/review.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);

/** Most answers one item shows side by side (the review screen's limit). */
export const MAX_MODELS_PER_ITEM = 6;

/** How to build a queue; every field optional (default: every successful answer in the workspace). */
export const queueSpecSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  /** Answers recorded in this run only (an experiment or batch run). */
  runId: z.string().min(1).max(200).optional(),
  /** Only these tickets. */
  ticketIds: z.array(z.string().min(1).max(200)).min(1).optional(),
  /** Only tickets the ticket list shows for this filter. */
  filter: ticketFilterSchema.optional(),
  tasks: z.array(z.enum(TASK_IDS)).min(1).optional(),
  /** Only these models' answers (at most six per item). */
  models: z.array(z.string().min(1).max(200)).min(1).optional(),
  /** A random sample of this many items, spread evenly over tasks and, within a task, over models. */
  sample: z.number().int().min(1).max(1_000_000).optional(),
  /** Reviewers wanted per answer. */
  k: z.number().int().min(1).max(20).optional(),
  /** Hide model names and shuffle their order until the reviewer has scored the item (default true). */
  blind: z.boolean().optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  reviewers: z.array(z.string()).optional(),
});
export type QueueSpec = z.input<typeof queueSpecSchema>;

/** One answer in an item: whose it is and the run it was recorded in. */
export interface QueueAnswer {
  model: string;
  runId: string;
}

export interface QueueItem {
  queueId: string;
  /** 0-based place in the queue. */
  pos: number;
  ticketId: string;
  task: TaskId;
  /** Sorted by model; the screen shows them in `shuffleAnswers(answers, seed)` order when blind. */
  answers: QueueAnswer[];
  /** The recorded seed of this item's shuffle. */
  seed: number;
}

/** Per-reviewer progress and a queue as listed (the types are shared with the Review view). */
export type ReviewerProgress = ReviewerProgressView;
export type QueueInfo = QueueView;

function nextQueueId(store: Store): string {
  const rows = store.prepare(`SELECT id FROM review_queues WHERE id GLOB 'q[0-9]*'`).all() as Row[];
  const max = rows.reduce((m, r) => Math.max(m, Number(String(r.id).slice(1)) || 0), 0);
  return `q${max + 1}`;
}

/** Builds a queue from a spec (a refusal says what was wrong), deals it to the given reviewers, and returns it. */
export function createQueue(store: Store, spec: QueueSpec, opts: { now?: () => number } = {}): QueueInfo {
  const parsed = queueSpecSchema.safeParse(spec);
  if (!parsed.success)
    throw new AppError(
      'BAD_INPUT',
      `bad queue: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}`,
    );
  const s = parsed.data;
  if (s.runId && !store.prepare('SELECT 1 FROM runs WHERE id = ?').get(s.runId))
    throw new AppError('BAD_INPUT', `run ${s.runId} is not in this workspace`);
  const reviewers = (s.reviewers ?? []).map(reviewerName);

  let tickets: Set<string> | null = null;
  if (s.ticketIds) {
    const unknown = s.ticketIds.filter((id) => !store.prepare('SELECT 1 FROM tickets WHERE id = ?').get(id));
    if (unknown.length)
      throw new AppError(
        'BAD_INPUT',
        `not in this workspace: ticket${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`,
      );
    tickets = new Set(s.ticketIds);
  }
  if (s.filter) {
    const matching = new Set(listTickets(store, s.filter).rows.map((t) => t.id));
    tickets = tickets ? new Set([...tickets].filter((t) => matching.has(t))) : matching;
  }

  const all = candidates(store, s, tickets);
  if (all.length === 0)
    throw new AppError('BAD_INPUT', 'nothing to review: no successful answers match (check the run, tickets, filter, tasks and models)');
  const models = [...new Set(all.flatMap((c) => c.answers.map((a) => a.model)))].sort();
  if (models.length > MAX_MODELS_PER_ITEM) {
    throw new AppError(
      'BAD_INPUT',
      `${models.length} models answered (${models.join(', ')}); a review shows at most ${MAX_MODELS_PER_ITEM} side by side: choose them with models`,
    );
  }
  const seed = s.seed ?? randomInt(0, 0xffffffff);
  const chosen = s.sample !== undefined ? stratifiedSample(all, s.sample, seed) : all;

  // Grouped by ticket (one read of a ticket serves all its tasks), tasks in graph order; a sample's
  // tickets come in shuffled order so no stratum is reviewed first.
  const ticketOrder: string[] = [];
  for (const c of chosen) if (!ticketOrder.includes(c.ticketId)) ticketOrder.push(c.ticketId);
  if (s.sample === undefined) ticketOrder.sort();
  const rank = new Map(
    (s.sample !== undefined ? shuffleAnswers(ticketOrder, seedFor(seed, 'tickets')) : ticketOrder).map((t, i) => [t, i]),
  );
  const ordered = [...chosen].sort(
    (a, b) => rank.get(a.ticketId)! - rank.get(b.ticketId)! || TASK_IDS.indexOf(a.task) - TASK_IDS.indexOf(b.task),
  );

  const source: Partial<typeof s> = { ...s };
  delete source.reviewers;
  const now = opts.now?.() ?? Date.now();
  const id = store.transaction(() => {
    const qid = nextQueueId(store);
    const from = s.runId ? `run ${s.runId}` : s.ticketIds || s.filter ? 'selected tickets' : 'all answers';
    const name = s.name ?? (s.sample !== undefined ? `sample of ${ordered.length} from ${from}` : from);
    store
      .prepare('INSERT INTO review_queues (id, name, source, k, blind, seed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(qid, name, JSON.stringify(source), s.k ?? 1, s.blind === false ? 0 : 1, seed, now);
    const ins = store.prepare('INSERT INTO review_queue_items (queue_id, pos, ticket_id, task, answers, seed) VALUES (?, ?, ?, ?, ?, ?)');
    ordered.forEach((c, pos) => {
      const answers = [...c.answers].sort((a, b) => (a.model < b.model ? -1 : 1)).map((a) => ({ model: a.model, run_id: a.runId }));
      ins.run(qid, pos, c.ticketId, c.task, JSON.stringify(answers), seedFor(seed, c.ticketId, c.task));
    });
    return qid;
  });
  if (reviewers.length) return assignReviewers(store, id, reviewers, opts);
  return getQueue(store, id)!;
}

function toItem(r: Row): QueueItem {
  const answers = (JSON.parse(String(r.answers)) as Array<{ model: string; run_id: string }>).map((a) => ({
    model: a.model,
    runId: a.run_id,
  }));
  return {
    queueId: String(r.queue_id),
    pos: num(r.pos) ?? 0,
    ticketId: String(r.ticket_id),
    task: String(r.task) as TaskId,
    answers,
    seed: num(r.seed) ?? 0,
  };
}

/** Every item of a queue, in order. */
export function queueItems(store: Store, queueId: string): QueueItem[] {
  return (store.prepare('SELECT * FROM review_queue_items WHERE queue_id = ? ORDER BY pos').all(queueId) as Row[]).map(toItem);
}

/** One item of a queue, or null. */
export function queueItem(store: Store, queueId: string, pos: number): QueueItem | null {
  const r = store.prepare('SELECT * FROM review_queue_items WHERE queue_id = ? AND pos = ?').get(queueId, pos) as Row | undefined;
  return r ? toItem(r) : null;
}

/** The queue's reviewers in the order they were added. */
export function queueReviewers(store: Store, queueId: string): string[] {
  return (
    store.prepare('SELECT reviewer FROM review_queue_reviewers WHERE queue_id = ? ORDER BY added_at, rowid').all(queueId) as Row[]
  ).map((r) => String(r.reviewer));
}

/** Per item position: the reviewers it is dealt to. */
function dealt(store: Store, queueId: string): Map<number, Set<string>> {
  const m = new Map<number, Set<string>>();
  for (const r of store.prepare('SELECT pos, reviewer FROM review_item_reviewers WHERE queue_id = ?').all(queueId) as Row[]) {
    const pos = num(r.pos) ?? 0;
    const s = m.get(pos) ?? new Set<string>();
    s.add(String(r.reviewer));
    m.set(pos, s);
  }
  return m;
}

/** Per item: reviewer → answers of it they have scored (in any queue, imports included). */
function scoredBy(store: Store, queueId: string, items: readonly QueueItem[]): Map<number, Map<string, number>> {
  const keys = new Map<string, Map<string, Set<string>>>();
  const rows = store
    .prepare(
      `SELECT DISTINCT v.reviewer, v.ticket_id, v.task, v.model_spec FROM reviews v
       WHERE v.superseded_by IS NULL AND v.ticket_id IN (SELECT ticket_id FROM review_queue_items WHERE queue_id = ?)`,
    )
    .all(queueId) as Row[];
  for (const r of rows) {
    const k = `${String(r.ticket_id)}\u0000${String(r.task)}`;
    const byReviewer = keys.get(k) ?? new Map<string, Set<string>>();
    const s = byReviewer.get(String(r.reviewer)) ?? new Set<string>();
    s.add(String(r.model_spec));
    byReviewer.set(String(r.reviewer), s);
    keys.set(k, byReviewer);
  }
  const out = new Map<number, Map<string, number>>();
  for (const it of items) {
    const byReviewer = keys.get(`${it.ticketId}\u0000${it.task}`);
    const m = new Map<string, number>();
    if (byReviewer) for (const [rev, models] of byReviewer) m.set(rev, it.answers.filter((a) => models.has(a.model)).length);
    out.set(it.pos, m);
  }
  return out;
}

/**
 * Adds reviewers to a queue and deals its items so each goes to min(k, reviewers) of them with the
 * load balanced. An item someone has started stays with them; only untouched items are re-dealt,
 * so adding a reviewer mid-way spreads the remaining work without moving anyone's finished items.
 */
export function assignReviewers(store: Store, queueId: string, reviewers: readonly string[], opts: { now?: () => number } = {}): QueueInfo {
  const q = store.prepare('SELECT k FROM review_queues WHERE id = ?').get(queueId) as Row | undefined;
  if (!q) throw new AppError('BAD_INPUT', `review queue ${queueId} is not in this workspace`);
  const names = reviewers.map(reviewerName);
  const now = opts.now?.() ?? Date.now();
  store.transaction(() => {
    const add = store.prepare('INSERT OR IGNORE INTO review_queue_reviewers (queue_id, reviewer, added_at) VALUES (?, ?, ?)');
    for (const n of names) add.run(queueId, n, now);
    const all = queueReviewers(store, queueId);
    const want = Math.min(num(q.k) ?? 1, all.length);
    const items = queueItems(store, queueId);
    const scored = scoredBy(store, queueId, items);
    const load = new Map(all.map((r) => [r, 0]));
    const kept = new Map<number, string[]>();
    for (const it of items) {
      // Keep whoever has started the item (dealt or not, e.g. from an import).
      const started = all.filter((r) => (scored.get(it.pos)?.get(r) ?? 0) > 0);
      kept.set(it.pos, started);
      for (const r of started) load.set(r, load.get(r)! + 1);
    }
    store.prepare('DELETE FROM review_item_reviewers WHERE queue_id = ?').run(queueId);
    const ins = store.prepare('INSERT INTO review_item_reviewers (queue_id, pos, reviewer) VALUES (?, ?, ?)');
    for (const it of items) {
      const has = [...kept.get(it.pos)!];
      while (has.length < want) {
        // Least loaded first; ties rotate with the position so equal loads do not always favour the first name.
        const rot = (r: string): number => (((all.indexOf(r) - it.pos) % all.length) + all.length) % all.length;
        const pick = all.filter((r) => !has.includes(r)).sort((a, b) => load.get(a)! - load.get(b)! || rot(a) - rot(b))[0]!;
        has.push(pick);
        load.set(pick, load.get(pick)! + 1);
      }
      for (const r of has) ins.run(queueId, it.pos, r);
    }
  });
  return getQueue(store, queueId)!;
}

// Answers of item i the reviewer d has scored (any queue, imports included); an index lookup per answer.
const SCORED_SQL = `(SELECT count(DISTINCT v.model_spec) FROM reviews v, json_each(i.answers) a
  WHERE v.ticket_id = i.ticket_id AND v.task = i.task AND v.model_spec = a.value ->> '$.model' AND v.reviewer = d.reviewer AND v.superseded_by IS NULL)`;

/** The first position dealt to `reviewer` that they have not finished, or null. */
export function firstUnfinished(store: Store, queueId: string, reviewer: string): number | null {
  const r = store
    .prepare(
      `SELECT d.pos FROM review_item_reviewers d JOIN review_queue_items i ON i.queue_id = d.queue_id AND i.pos = d.pos
       WHERE d.queue_id = ? AND d.reviewer = ? AND ${SCORED_SQL} < json_array_length(i.answers) ORDER BY d.pos LIMIT 1`,
    )
    .get(queueId, reviewer) as Row | undefined;
  return r ? (num(r.pos) ?? 0) : null;
}

/** One reviewer's progress over the items dealt to them, without computing everyone's. */
export function reviewerProgress(store: Store, queueId: string, reviewer: string): { assigned: number; done: number } {
  const r = store
    .prepare(
      `SELECT count(*) AS assigned, coalesce(sum(${SCORED_SQL} >= json_array_length(i.answers)), 0) AS done
       FROM review_item_reviewers d JOIN review_queue_items i ON i.queue_id = d.queue_id AND i.pos = d.pos
       WHERE d.queue_id = ? AND d.reviewer = ?`,
    )
    .get(queueId, reviewer) as Row;
  return { assigned: num(r.assigned) ?? 0, done: num(r.done) ?? 0 };
}

/** The nearest positions dealt to `reviewer` before and after `pos`. */
export function dealtNeighbours(
  store: Store,
  queueId: string,
  reviewer: string,
  pos: number,
): { prev: number | null; next: number | null; dealt: boolean } {
  const one = (sql: string): number | null => {
    const r = store.prepare(sql).get(queueId, reviewer, pos) as Row | undefined;
    return r ? (num(r.pos) ?? 0) : null;
  };
  return {
    prev: one('SELECT pos FROM review_item_reviewers WHERE queue_id = ? AND reviewer = ? AND pos < ? ORDER BY pos DESC LIMIT 1'),
    next: one('SELECT pos FROM review_item_reviewers WHERE queue_id = ? AND reviewer = ? AND pos > ? ORDER BY pos LIMIT 1'),
    dealt: one('SELECT pos FROM review_item_reviewers WHERE queue_id = ? AND reviewer = ? AND pos = ?') !== null,
  };
}

/** The queue's settings row (name, blind, k), or null. */
export function queueHeader(store: Store, queueId: string): { id: string; name: string; blind: boolean; k: number; items: number } | null {
  const r = store
    .prepare(
      'SELECT q.id, q.name, q.blind, q.k, (SELECT count(*) FROM review_queue_items i WHERE i.queue_id = q.id) AS items FROM review_queues q WHERE q.id = ?',
    )
    .get(queueId) as Row | undefined;
  return r ? { id: String(r.id), name: String(r.name), blind: num(r.blind) !== 0, k: num(r.k) ?? 1, items: num(r.items) ?? 0 } : null;
}

/** A queue with its progress per reviewer, or null when there is no such queue. */
export function getQueue(store: Store, queueId: string): QueueInfo | null {
  const q = store.prepare('SELECT * FROM review_queues WHERE id = ?').get(queueId) as Row | undefined;
  if (!q) return null;
  const items = queueItems(store, queueId);
  const reviewers = queueReviewers(store, queueId);
  const deal = dealt(store, queueId);
  const scored = scoredBy(store, queueId, items);
  const k = num(q.k) ?? 1;
  const progress = new Map<string, ReviewerProgress>(
    reviewers.map((r) => [r, { reviewer: r, assigned: 0, done: 0, remaining: 0, extra: 0 }]),
  );
  let complete = 0;
  for (const it of items) {
    const s = scored.get(it.pos)!;
    const finished = [...s].filter(([, n]) => n === it.answers.length).map(([r]) => r);
    if (finished.length >= Math.max(1, Math.min(k, reviewers.length || 1))) complete++;
    for (const p of progress.values()) {
      const isDealt = deal.get(it.pos)?.has(p.reviewer) ?? false;
      const isDone = finished.includes(p.reviewer);
      if (isDealt) {
        p.assigned++;
        if (isDone) p.done++;
        else p.remaining++;
      } else if (isDone) p.extra++;
    }
  }
  return {
    id: String(q.id),
    name: String(q.name),
    createdAt: num(q.created_at) ?? 0,
    k,
    blind: num(q.blind) !== 0,
    seed: num(q.seed) ?? 0,
    source: JSON.parse(String(q.source)) as Record<string, unknown>,
    items: items.length,
    answers: items.reduce((n, it) => n + it.answers.length, 0),
    tasks: TASK_IDS.filter((t) => items.some((it) => it.task === t)),
    models: [...new Set(items.flatMap((it) => it.answers.map((a) => a.model)))].sort(),
    reviewers: [...progress.values()],
    complete,
  };
}

/** Every queue, newest first, with progress. */
export function listQueues(store: Store): QueueInfo[] {
  const ids = (store.prepare('SELECT id FROM review_queues ORDER BY created_at DESC, rowid DESC').all() as Row[]).map((r) => String(r.id));
  return ids.map((id) => getQueue(store, id)!);
}

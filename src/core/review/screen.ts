// The review screen's model (the UI only renders it): one queue item for one reviewer — the ticket,
// the task's answers in the item's recorded shuffled order under slot letters, model names hidden
// until the reviewer has scored them all — plus scoring by slot and undo of the last score.
import { AppError } from '#shared/errors.ts';
import { TASKS } from '#shared/tasks.ts';
import { detailsFor } from '../catalog.ts';
import type { Store } from '../store/store.ts';
import {
  dealtNeighbours,
  firstUnfinished,
  queueHeader,
  queueItem,
  queueReviewers,
  reviewerProgress,
  type QueueAnswer,
  type QueueItem,
} from './queues.ts';
import { shuffleAnswers } from './sampling.ts';
import { goldLabel, listReviews, reviewerName, submitScore, undoLastAction, type Review, type UndoneAction } from './reviewsRepo.ts';
import { RUBRIC } from './rubric.ts';
import { SLOTS, slotScoreSchema, type AnswerView, type MyScore, type ReviewItemView, type SlotScoreInput } from './types.ts';

type Row = Record<string, unknown>;

function requireReviewer(store: Store, queueId: string, reviewer: string): string {
  const name = reviewerName(reviewer);
  if (!store.prepare('SELECT 1 FROM review_queues WHERE id = ?').get(queueId))
    throw new AppError('BAD_INPUT', `review queue ${queueId} is not in this workspace`);
  if (!queueReviewers(store, queueId).includes(name))
    throw new AppError('BAD_INPUT', `${name} is not a reviewer of queue ${queueId}; assign them first`);
  return name;
}

/** The item's answers in display order (shuffled by the recorded seed when blind, by model otherwise). */
export function displayOrder(item: QueueItem, blind: boolean): QueueAnswer[] {
  return blind ? shuffleAnswers(item.answers, item.seed) : [...item.answers];
}

function answerValue(store: Store, item: QueueItem, a: QueueAnswer): unknown {
  const r = store
    .prepare('SELECT value FROM results WHERE run_id = ? AND ticket_id = ? AND task = ? AND model_spec = ?')
    .get(a.runId, item.ticketId, item.task, a.model) as Row | undefined;
  return r?.value == null ? null : (JSON.parse(String(r.value)) as unknown);
}

const mine = (r: Review): MyScore => ({
  reviewId: r.id,
  score: r.score,
  ...(r.correctValue !== undefined ? { correctValue: r.correctValue } : {}),
  missing: r.missing,
  expected: r.expected,
  note: r.note,
  scoredAt: r.scoredAt,
});

/** Details to choose the expected ones from: those the answers name, then the catalog's for the ticket's product. */
function detailSuggestions(store: Store, item: QueueItem, values: unknown[]): string[] {
  const out: string[] = [];
  const add = (d: unknown): void => {
    if (typeof d === 'string' && d.trim() && !out.includes(d.trim())) out.push(d.trim());
  };
  for (const v of values) {
    const td = v && typeof v === 'object' ? (v as { present?: unknown; missing?: unknown }) : {};
    for (const d of [...(Array.isArray(td.present) ? td.present : []), ...(Array.isArray(td.missing) ? td.missing : [])]) add(d);
  }
  const fact = (task: 'platform' | 'product'): string | null => {
    const label = goldLabel(store, item.ticketId, task);
    if (typeof label === 'string') return label;
    const run = item.answers[0]?.runId;
    const r = run
      ? (store
          .prepare(`SELECT value FROM results WHERE run_id = ? AND ticket_id = ? AND task = ? AND status = 'ok' LIMIT 1`)
          .get(run, item.ticketId, task) as Row | undefined)
      : undefined;
    const v = r?.value == null ? null : (JSON.parse(String(r.value)) as unknown);
    return typeof v === 'string' ? v : null;
  };
  for (const d of detailsFor(fact('platform'), fact('product'))) add(d);
  return out;
}

/** One item of a queue as the review screen shows it to a reviewer. */
export function reviewItem(store: Store, queueId: string, reviewer: string, position: number): ReviewItemView {
  const name = requireReviewer(store, queueId, reviewer);
  const queue = queueHeader(store, queueId)!;
  const item = queueItem(store, queueId, position);
  if (!item) throw new AppError('BAD_INPUT', `queue ${queueId} has no item ${position + 1} (it has ${queue.items})`);
  // The text the answers were given for (the version their run ran on), not the ticket's latest text.
  const run = item.answers[0]?.runId;
  const ran = run
    ? (store
        .prepare('SELECT ticket_id AS id, title, text FROM run_ticket_versions WHERE run_id = ? AND ticket_id = ? AND text IS NOT NULL')
        .get(run, item.ticketId) as Row | undefined)
    : undefined;
  const ticket = ran ?? (store.prepare('SELECT id, title, text FROM tickets WHERE id = ?').get(item.ticketId) as Row | undefined);
  const reviews = listReviews(store, { ticketId: item.ticketId, task: item.task, reviewer: name });
  const order = displayOrder(item, queue.blind);
  const latest = (model: string): Review | null => reviews.filter((r) => r.model === model).at(-1) ?? null;
  const done = order.every((a) => latest(a.model) !== null);
  const revealed = !queue.blind || done;
  const values = order.map((a) => answerValue(store, item, a));
  const answers: AnswerView[] = order.map((a, i) => {
    const r = latest(a.model);
    return { slot: SLOTS[i]!, value: values[i], model: revealed ? a.model : null, mine: r ? mine(r) : null };
  });
  const around = dealtNeighbours(store, queueId, name, position);
  return {
    queueId,
    queueName: queue.name,
    reviewer: name,
    position,
    total: queue.items,
    dealt: around.dealt,
    prevPosition: around.prev,
    nextPosition: around.next,
    progress: reviewerProgress(store, queueId, name),
    ticket: { id: item.ticketId, title: ticket?.title == null ? null : String(ticket.title), text: ticket ? String(ticket.text) : '' },
    task: item.task,
    question: TASKS[item.task].question,
    rubric: RUBRIC[item.task],
    blind: queue.blind,
    revealed,
    seed: item.seed,
    answers,
    detailSuggestions: item.task === 'technical_details' ? detailSuggestions(store, item, values) : [],
    done,
  };
}

/** The reviewer's first dealt item they have not finished, or null when their share is done. */
export function nextItem(store: Store, queueId: string, reviewer: string): ReviewItemView | null {
  const name = requireReviewer(store, queueId, reviewer);
  const pos = firstUnfinished(store, queueId, name);
  return pos === null ? null : reviewItem(store, queueId, name, pos);
}

/**
 * Scores the answer in `slot` of a queue item (the model is looked up from the recorded order, so
 * the screen never needs it); committed at once. Returns the review and the item as it now shows.
 */
export function scoreSlot(store: Store, input: SlotScoreInput, opts: { now?: () => Date } = {}): { review: Review; item: ReviewItemView } {
  const parsed = slotScoreSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError(
      'BAD_INPUT',
      `bad score: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
    );
  const x = parsed.data;
  const name = requireReviewer(store, x.queueId, x.reviewer);
  const queue = queueHeader(store, x.queueId)!;
  const item = queueItem(store, x.queueId, x.position);
  if (!item) throw new AppError('BAD_INPUT', `queue ${x.queueId} has no item ${x.position + 1}`);
  const order = displayOrder(item, queue.blind);
  const answer = order[SLOTS.indexOf(x.slot)];
  if (!answer)
    throw new AppError(
      'BAD_INPUT',
      `this item has ${order.length} answers (${SLOTS.slice(0, order.length).join(', ')}); there is no ${x.slot}`,
    );
  const review = submitScore(
    store,
    {
      ticketId: item.ticketId,
      task: item.task,
      model: answer.model,
      runId: answer.runId,
      reviewer: name,
      score: x.score,
      expected: x.expected,
      missing: x.missing,
      note: x.note,
      queueId: x.queueId,
    },
    opts,
  );
  return { review, item: reviewItem(store, x.queueId, name, x.position) };
}

/** The slot an answer of `model` has on an item (its recorded display order), or null. */
export function slotOf(store: Store, queueId: string, position: number, model: string): (typeof SLOTS)[number] | null {
  const queue = queueHeader(store, queueId);
  const it = queueItem(store, queueId, position);
  if (!queue || !it) return null;
  const i = displayOrder(it, queue.blind).findIndex((a) => a.model === model);
  return i >= 0 ? (SLOTS[i] ?? null) : null;
}

/** Undoes the reviewer's last action in this queue; returns it and its item as it now shows (null when nothing to undo). */
export function undoInQueue(store: Store, queueId: string, reviewer: string): { undone: UndoneAction; item: ReviewItemView } | null {
  const name = requireReviewer(store, queueId, reviewer);
  const undone = undoLastAction(store, name, { queueId });
  if (!undone) return null;
  const what = undone.reviews[0] ?? undone.gold[0]!;
  const pos = store
    .prepare('SELECT pos FROM review_queue_items WHERE queue_id = ? AND ticket_id = ? AND task = ? ORDER BY pos LIMIT 1')
    .get(queueId, what.ticketId, what.task) as Row | undefined;
  return { undone, item: reviewItem(store, queueId, name, Number(pos?.pos ?? 0)) };
}

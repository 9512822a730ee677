// The workbench's side of manual review, over the review core (index.ts): the remembered reviewer
// name, the screen as one of three states (an item, the reviewer's share done, not on the queue),
// scoring every unscored answer from an entered correct value, and undo that says which slot it
// took back (the screen names answers by slot, never by model).
import { AppError } from '../../shared/errors.ts';
import type { GoldLabelView, ReviewExport, ReviewOverview, ReviewScreenView, ScoreFromCorrectResult, Slot, UndoResult } from '../../shared/review.ts';
import { SLOTS } from '../../shared/review.ts';
import { loadUi, saveUi } from '../settings/settingsStore.ts';
import type { Store } from '../store/store.ts';
import { exportReviews } from './jsonl.ts';
import { getQueue, listQueues, queueHeader, queueItem, queueReviewers, reviewerProgress } from './queues.ts';
import { goldLabel, listReviewers, reviewerName } from './reviewsRepo.ts';
import { displayOrder, nextItem, reviewItem, scoreSlot, undoInQueue } from './screen.ts';

const ME_KEY = 'reviewer';

/** The reviewer name this workspace remembers, or null. */
export function rememberedReviewer(store: Store): string | null {
  const v = loadUi(store)[ME_KEY];
  return typeof v === 'string' && v.trim() ? v : null;
}

/** Remembers the reviewer name (checked like every reviewer name). */
export function rememberReviewer(store: Store, name: string): string {
  const n = reviewerName(name);
  saveUi(store, ME_KEY, n);
  return n;
}

export function reviewOverview(store: Store): ReviewOverview {
  return { me: rememberedReviewer(store), reviewers: listReviewers(store), queues: listQueues(store) };
}

export function goldOf(store: Store, ticketId: string, task: Parameters<typeof goldLabel>[2]): GoldLabelView {
  const v = goldLabel(store, ticketId, task);
  return v === undefined ? { has: false, value: null } : { has: true, value: v };
}

const requireQueue = (store: Store, queueId: string): NonNullable<ReturnType<typeof queueHeader>> => {
  const q = queueHeader(store, queueId);
  if (!q) throw new AppError('BAD_INPUT', `review queue ${queueId} is not in this workspace`);
  return q;
};

/** The screen for a reviewer: the item at `position`, else their next unfinished one, else "done". */
export function openScreen(store: Store, input: { queueId: string; reviewer: string; position?: number }): ReviewScreenView {
  const q = requireQueue(store, input.queueId);
  const name = reviewerName(input.reviewer);
  const reviewers = queueReviewers(store, input.queueId);
  if (!reviewers.includes(name)) return { state: 'not-reviewer', queueId: q.id, queueName: q.name, reviewer: name, reviewers };
  const item = input.position === undefined ? nextItem(store, input.queueId, name) : reviewItem(store, input.queueId, name, input.position);
  if (!item) return { state: 'done', queueId: q.id, queueName: q.name, reviewer: name, progress: reviewerProgress(store, input.queueId, name), total: q.items };
  return { state: 'item', item, gold: goldOf(store, item.ticket.id, item.task) };
}

/** Scores the answer in a slot; the screen as it now shows. */
export function scoreOnScreen(store: Store, input: Parameters<typeof scoreSlot>[1]): ReviewScreenView {
  const { item } = scoreSlot(store, input);
  return { state: 'item', item, gold: goldOf(store, item.ticket.id, item.task) };
}

/**
 * Scores every answer of the item the reviewer has not scored yet from the correct value they
 * entered (the rubric derives each score, and the value becomes the ticket's gold label). Answers
 * already scored keep their score. Each score is its own committed write, as on the screen.
 */
export function scoreFromCorrect(store: Store, input: { queueId: string; position: number; reviewer: string; correctValue: unknown }): ScoreFromCorrectResult {
  const start = reviewItem(store, input.queueId, input.reviewer, input.position);
  const scored: Slot[] = [];
  const refused: Array<{ slot: Slot; reason: string }> = [];
  for (const a of start.answers) {
    if (a.mine) continue;
    try {
      scoreSlot(store, { queueId: input.queueId, position: input.position, slot: a.slot, reviewer: input.reviewer, correctValue: input.correctValue });
      scored.push(a.slot);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      refused.push({ slot: a.slot, reason: e.message });
      // The same value fails the same way for every answer (it is the value that is wrong).
      break;
    }
  }
  const item = reviewItem(store, input.queueId, input.reviewer, input.position);
  return { item, gold: goldOf(store, item.ticket.id, item.task), scored, refused };
}

/** Undoes the reviewer's last score in the queue: which slot it was, and the item it belonged to. */
export function undoOnScreen(store: Store, input: { queueId: string; reviewer: string }): UndoResult {
  const r = undoInQueue(store, input.queueId, input.reviewer);
  if (!r) return { undone: null, screen: null };
  const q = requireQueue(store, input.queueId);
  const it = queueItem(store, input.queueId, r.item.position);
  const slotIndex = it ? displayOrder(it, q.blind).findIndex((a) => a.model === r.undone.model) : -1;
  return {
    undone: { slot: slotIndex >= 0 ? (SLOTS[slotIndex] ?? null) : null, score: r.undone.score, position: r.item.position },
    screen: { state: 'item', item: r.item, gold: goldOf(store, r.item.ticket.id, r.item.task) },
  };
}

/** The selected reviews as a JSONL file to save. */
export function exportForDownload(store: Store, sel: { queueId?: string; runId?: string; reviewers?: string[] }): ReviewExport {
  const reviewer = sel.reviewers?.length === 1 ? sel.reviewers[0] : undefined;
  const { text, count } = exportReviews(store, { queueId: sel.queueId, runId: sel.runId, reviewer });
  const stamp = new Date().toISOString().slice(0, 10);
  const scope = sel.queueId ? `-${sel.queueId}` : sel.runId ? `-${sel.runId}` : '';
  const who = reviewer ? `-${reviewer.replace(/[^\w.-]+/g, '_')}` : '';
  return { fileName: `reviews${scope}${who}-${stamp}.jsonl`, text, count };
}

/** The queue with progress, or an error naming it. */
export function queueOrThrow(store: Store, queueId: string): NonNullable<ReturnType<typeof getQueue>> {
  const q = getQueue(store, queueId);
  if (!q) throw new AppError('BAD_INPUT', `review queue ${queueId} is not in this workspace`);
  return q;
}

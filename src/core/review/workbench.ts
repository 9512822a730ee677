// The workbench's side of manual review, over the review core (index.ts): the remembered reviewer
// name, the screen as one of three states (an item, the reviewer's share done, not on the queue),
// scoring every unscored answer from an entered correct value, and undo that says which slot it
// took back (the screen names answers by slot, never by model).
import { AppError } from '#shared/errors.ts';
import type {
  GoldChangeView,
  GoldLabelView,
  ReviewExport,
  ReviewItemView,
  ReviewOverview,
  ReviewScreenView,
  ScoreFromCorrectResult,
  Slot,
  UndoResult,
} from '#shared/review.ts';
import { SLOTS } from '#shared/review.ts';
import { loadUi, saveUi } from '../settings/settingsStore.ts';
import type { Store } from '../store/store.ts';
import { exportReviews } from './jsonl.ts';
import { getQueue, listQueues, queueHeader, queueItem, queueReviewers, reviewerProgress } from './queues.ts';
import { changeGold, goldHistory, labelValue, newAction, restoreGold } from './gold.ts';
import { goldLabel, listReviewers, recordScore, reviewerName } from './reviewsRepo.ts';
import { checkScore, normaliseCorrectValue } from './rubric.ts';
import { displayOrder, nextItem, reviewItem, scoreSlot, slotOf, undoInQueue } from './screen.ts';

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

/** The item's gold label and its history as the screen may show them: hidden while blind and not revealed. */
export function goldOf(store: Store, item: ReviewItemView): GoldLabelView {
  if (item.blind && !item.revealed) return { has: false, value: null, hidden: true, history: [] };
  const v = goldLabel(store, item.ticket.id, item.task);
  const history: GoldChangeView[] = goldHistory(store, item.ticket.id, item.task).map((c) => ({
    id: c.id,
    before: c.before,
    after: c.after,
    by: c.by,
    at: c.at,
    source: c.source,
    detail: c.detail,
  }));
  return { has: v !== undefined, value: v === undefined ? null : v, hidden: false, history };
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
  if (!item)
    return {
      state: 'done',
      queueId: q.id,
      queueName: q.name,
      reviewer: name,
      progress: reviewerProgress(store, input.queueId, name),
      total: q.items,
    };
  return { state: 'item', item, gold: goldOf(store, item) };
}

/** Scores the answer in a slot; the screen as it now shows. */
export function scoreOnScreen(store: Store, input: Parameters<typeof scoreSlot>[1]): ReviewScreenView {
  const { item } = scoreSlot(store, input);
  return { state: 'item', item, gold: goldOf(store, item) };
}

/**
 * Sets the ticket's gold label from the correct value the reviewer confirmed and scores every
 * answer of the item they have not scored yet from it (the rubric derives each score) — one
 * transaction and one action, which undo takes back whole. Answers already scored keep their
 * score; those the new label contradicts are listed so the screen shows them. A value the rubric
 * refuses writes nothing.
 */
export function scoreFromCorrect(
  store: Store,
  input: { queueId: string; position: number; reviewer: string; correctValue: unknown; confirmed?: boolean },
): ScoreFromCorrectResult {
  if (input.confirmed !== true) throw new AppError('BAD_INPUT', 'a gold label is written only once the reviewer has confirmed it');
  const start = reviewItem(store, input.queueId, input.reviewer, input.position);
  const name = start.reviewer;
  const platform = start.task === 'product' ? platformOf(store, start) : null;
  const normal = normaliseCorrectValue(start.task, input.correctValue, platform);
  if (!normal.ok) throw new AppError('BAD_INPUT', normal.reason);
  const kept: ScoreFromCorrectResult['kept'] = [];
  for (const a of start.answers) {
    if (!a.mine) continue;
    const c = checkScore({ task: start.task, correctValue: input.correctValue }, { answer: a.value, platform });
    if (c.ok && Math.abs(c.value.score - a.mine.score) > 1e-9) kept.push({ slot: a.slot, score: a.mine.score, wouldBe: c.value.score });
  }
  const scored: Slot[] = [];
  const refused: Array<{ slot: Slot; reason: string }> = [];
  let goldChanged = false;
  try {
    store.transaction(() => {
      const actionId = newAction(store, { reviewer: name, queueId: input.queueId, kind: 'gold' });
      goldChanged =
        changeGold(store, {
          ticketId: start.ticket.id,
          task: start.task,
          to: { has: true, value: labelValue(start.task, normal.value) },
          by: name,
          source: 'review',
          queueId: input.queueId,
          actionId,
        }) !== null;
      for (const a of start.answers) {
        if (a.mine) continue;
        const item = queueItem(store, input.queueId, input.position)!;
        const q = queueHeader(store, input.queueId)!;
        const answer = displayOrder(item, q.blind)[SLOTS.indexOf(a.slot)]!;
        try {
          recordScore(
            store,
            {
              ticketId: item.ticketId,
              task: item.task,
              model: answer.model,
              runId: answer.runId,
              reviewer: name,
              correctValue: input.correctValue,
              queueId: input.queueId,
            },
            { actionId, writeGold: false },
          );
          scored.push(a.slot);
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          refused.push({ slot: a.slot, reason: e.message });
          throw e;
        }
      }
    });
  } catch (e) {
    if (!(e instanceof AppError) || !refused.length) throw e;
    scored.length = 0;
    goldChanged = false;
  }
  const item = reviewItem(store, input.queueId, name, input.position);
  return { item, gold: goldOf(store, item), goldChanged, scored, refused, kept };
}

/** The platform a product name is folded through: the ticket's platform label, else the item's platform answer. */
function platformOf(store: Store, item: ReviewItemView): string | null {
  const label = goldLabel(store, item.ticket.id, 'platform');
  if (typeof label === 'string') return label;
  const q = queueItem(store, item.queueId, item.position);
  const run = q?.answers[0]?.runId;
  if (!run) return null;
  const r = store
    .prepare(`SELECT value FROM results WHERE run_id = ? AND ticket_id = ? AND task = 'platform' AND status = 'ok' LIMIT 1`)
    .get(run, item.ticket.id) as Record<string, unknown> | undefined;
  const v = r?.value == null ? null : (JSON.parse(String(r.value)) as unknown);
  return typeof v === 'string' ? v : null;
}

/** Undoes the reviewer's last action in the queue: which slots it scored, what it did to the gold label, and the item it belonged to. */
export function undoOnScreen(store: Store, input: { queueId: string; reviewer: string }): UndoResult {
  const r = undoInQueue(store, input.queueId, input.reviewer);
  if (!r) return { undone: null, screen: null };
  const slots = r.undone.reviews
    .map((x) => slotOf(store, input.queueId, r.item.position, x.model))
    .filter((x): x is Slot => x !== null)
    .sort((a, b) => SLOTS.indexOf(a) - SLOTS.indexOf(b));
  const first = r.undone.reviews[0];
  return {
    undone: {
      // The score reported is this slot's (an action of several scores names them all in slots).
      slot: first ? slotOf(store, input.queueId, r.item.position, first.model) : null,
      slots,
      score: first ? first.score : null,
      position: r.item.position,
      gold: { restored: r.undone.gold.filter((g) => g.restored).length, kept: r.undone.gold.filter((g) => !g.restored).length },
    },
    screen: { state: 'item', item: r.item, gold: goldOf(store, r.item) },
  };
}

/** Puts the item's gold label back to its value before a recorded change; the screen as it now shows. */
export function restoreOnScreen(
  store: Store,
  input: { queueId: string; position: number; reviewer: string; entryId: number },
): ReviewScreenView {
  const item = reviewItem(store, input.queueId, input.reviewer, input.position);
  if (item.blind && !item.revealed)
    throw new AppError('BAD_INPUT', 'the gold label is hidden in a blind review until you have scored every answer');
  restoreGold(store, {
    ticketId: item.ticket.id,
    task: item.task,
    entryId: input.entryId,
    reviewer: item.reviewer,
    queueId: input.queueId,
  });
  const after = reviewItem(store, input.queueId, input.reviewer, input.position);
  return { state: 'item', item: after, gold: goldOf(store, after) };
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

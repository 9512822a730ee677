// Writing manual review scores to the workspace database (reviews table, migration 5). Every score
// is its own committed write the moment it is given, so a reviewer who closes the app mid-queue loses
// nothing; scores are never overwritten (a re-score is a new row). Reading them: reviewsRead.ts.
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { Store } from '../store/store.ts';
import { changeGold, getGoldChange, goldLabel, goldState, labelValue, newAction, type GoldChange } from './gold.ts';
import { checkScore, type CheckedScore, type CorrectValue } from './rubric.ts';
import { getReview, toReview, type Review } from './reviewsRead.ts';

export {
  answerKey,
  getReview,
  latestPerReviewer,
  listReviewers,
  listReviews,
  reviewConflicts,
  reviewsByAnswer,
  type Review,
  type ReviewConflict,
  type ReviewFilter,
} from './reviewsRead.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const parseJson = (v: unknown): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : undefined);

/** Reviewer names: local labels (no accounts), one line, 1–64 characters. */
export const reviewerNameSchema = z
  .string()
  .trim()
  .min(1, 'a reviewer needs a name')
  .max(64, 'a reviewer name is at most 64 characters')
  .refine((s) => !/\p{Cc}/u.test(s), 'a reviewer name is one line without control characters');

/** A reviewer's name, trimmed, or an error saying why it is not one. */
export function reviewerName(s: string): string {
  const r = reviewerNameSchema.safeParse(s);
  if (!r.success) throw new AppError('BAD_INPUT', r.error.issues[0]?.message ?? 'bad reviewer name');
  return r.data;
}

/** A score given in the app, before checking (the review screen and `submitScore`). */
export const scoreInputSchema = z.object({
  ticketId: z.string().min(1).max(200),
  task: z.enum(TASK_IDS),
  model: z.string().min(1).max(200),
  /** The run whose answer is scored; default: the latest successful answer of that model. */
  runId: z.string().min(1).max(200).optional(),
  reviewer: z.string(),
  score: z.number().optional(),
  correctValue: z.unknown().optional(),
  missing: z.array(z.string().max(500)).max(200).optional(),
  expected: z.array(z.string().max(500)).max(200).optional(),
  note: z.string().max(4000).optional(),
  queueId: z.string().max(200).optional(),
});
export type ScoreInput = z.input<typeof scoreInputSchema>;

/** A successful answer that can be reviewed. */
export interface AnswerRef {
  runId: string;
  value: unknown;
  /** The value as stored in results (kept verbatim so a review can be matched to the same answer in another run). */
  valueJson: string | null;
}

/**
 * The answer of `model` to `task` for a ticket: from `runId` when given, else the latest recorded
 * one; or the reason there is nothing to review (unknown ticket, no such answer, a failed call).
 */
export function findAnswer(
  store: Store,
  ticketId: string,
  task: TaskId,
  model: string,
  runId?: string,
): { ok: true; answer: AnswerRef } | { ok: false; reason: string } {
  const rows = (
    runId
      ? store
          .prepare(
            'SELECT run_id, status, value, error_code FROM results WHERE run_id = ? AND ticket_id = ? AND task = ? AND model_spec = ?',
          )
          .all(runId, ticketId, task, model)
      : store
          .prepare(
            `SELECT run_id, status, value, error_code FROM results WHERE ticket_id = ? AND task = ? AND model_spec = ? ORDER BY (status = 'ok') DESC, recorded_at DESC LIMIT 1`,
          )
          .all(ticketId, task, model)
  ) as Row[];
  const r = rows[0];
  if (!r) {
    if (!store.prepare('SELECT 1 FROM tickets WHERE id = ?').get(ticketId))
      return { ok: false, reason: `ticket ${ticketId} is not in this workspace` };
    return {
      ok: false,
      reason: `no ${task} answer from ${model} for ticket ${ticketId}${runId ? ` in run ${runId}` : ''} in this workspace`,
    };
  }
  if (r.status !== 'ok') {
    return {
      ok: false,
      reason: `the ${task} answer from ${model} for ticket ${ticketId} ${r.status === 'skipped' ? 'was skipped' : `failed (${str(r.error_code) ?? 'error'})`}: there is nothing to review`,
    };
  }
  return { ok: true, answer: { runId: String(r.run_id), value: r.value == null ? null : parseJson(r.value), valueJson: str(r.value) } };
}

export { goldLabel } from './gold.ts';

/** The platform used to fold a product name: the ticket's platform label, else the platform answer of the same run. */
function platformFor(store: Store, ticketId: string, runId: string | null): string | null {
  const label = goldLabel(store, ticketId, 'platform');
  if (typeof label === 'string') return label;
  if (!runId) return null;
  const r = store
    .prepare(`SELECT value FROM results WHERE run_id = ? AND ticket_id = ? AND task = 'platform' AND status = 'ok' LIMIT 1`)
    .get(runId, ticketId) as Row | undefined;
  const v = r ? parseJson(r.value) : null;
  return typeof v === 'string' ? v : null;
}

export interface NewReview {
  ticketId: string;
  task: TaskId;
  model: string;
  runId: string | null;
  /** The answer's stored JSON (results.value), or null when unknown. */
  answerJson: string | null;
  reviewer: string;
  checked: CheckedScore;
  note: string | null;
  scoredAt: string;
  queueId: string | null;
  source: string;
  /** The review action it belongs to (local scores); null for imports. */
  actionId: number | null;
}

/** Inserts one checked review row; returns its id. */
export function insertReview(store: Store, r: NewReview): number {
  const c = r.checked;
  const res = store
    .prepare(
      `INSERT INTO reviews (ticket_id, task, model_spec, run_id, answer_value, reviewer, score, correct_value, missing, expected,
         expected_count, note, scored_at, scored_ms, queue_id, source, action_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.ticketId,
      r.task,
      r.model,
      r.runId,
      r.answerJson,
      r.reviewer,
      c.score,
      c.correctValue === undefined ? null : JSON.stringify(c.correctValue),
      c.missing ? JSON.stringify(c.missing) : null,
      c.expected ? JSON.stringify(c.expected) : null,
      c.expectedCount,
      r.note,
      r.scoredAt,
      Date.parse(r.scoredAt),
      r.queueId,
      r.source,
      r.actionId,
    );
  return Number(res.lastInsertRowid);
}

/**
 * Writes an imported correct value into the ticket's gold label unless a different label is there
 * (returned as the conflict); the change is recorded in the label's history with the file and reviewer.
 */
export function importLabel(
  store: Store,
  ticketId: string,
  task: TaskId,
  v: CorrectValue,
  by: { reviewer: string; file: string },
): { conflict: unknown; written: boolean } {
  const cur = goldState(store, ticketId, task);
  if (!cur) return { conflict: undefined, written: false };
  const next = labelValue(task, v);
  if (cur.has && JSON.stringify(cur.value) === JSON.stringify(next)) return { conflict: undefined, written: false };
  if (cur.has) return { conflict: cur.value, written: false };
  const change = changeGold(store, { ticketId, task, to: { has: true, value: next }, by: by.reviewer, source: 'import', detail: by.file });
  return { conflict: undefined, written: change !== null };
}

export interface ScoreOptions {
  now?: () => Date;
  /** The action this score is part of (a gold label with the scores it gave); default: an action of its own. */
  actionId?: number;
  /** Whether an entered correct value becomes the ticket's gold label (default true; false when the caller wrote it). */
  writeGold?: boolean;
}

/**
 * Records one reviewer's score of one answer, checked against the rubric (a refusal says why), and
 * writes an entered correct value into the ticket's gold label (recorded in its history) — one
 * transaction, committed at once.
 */
export function submitScore(store: Store, input: ScoreInput, opts: ScoreOptions = {}): Review {
  return store.transaction(() => recordScore(store, input, opts));
}

/** submitScore inside a transaction the caller holds. */
export function recordScore(store: Store, input: ScoreInput, opts: ScoreOptions = {}): Review {
  const parsed = scoreInputSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError(
      'BAD_INPUT',
      `bad score: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
    );
  const x = parsed.data;
  const reviewer = reviewerName(x.reviewer);
  const found = findAnswer(store, x.ticketId, x.task, x.model, x.runId);
  if (!found.ok) throw new AppError('BAD_INPUT', found.reason);
  const checked = checkScore(
    { task: x.task, score: x.score, correctValue: x.correctValue, missing: x.missing, expected: x.expected },
    { answer: found.answer.value, platform: platformFor(store, x.ticketId, found.answer.runId) },
  );
  if (!checked.ok) throw new AppError('BAD_INPUT', checked.reason);
  const now = opts.now?.() ?? new Date();
  const scoredAt = now.toISOString();
  const note = x.note?.trim() ? x.note.trim() : null;
  const queueId = x.queueId ?? null;
  const actionId = opts.actionId ?? newAction(store, { reviewer, queueId, kind: 'score', now });
  const cv = checked.value.correctValue;
  if (cv !== undefined && opts.writeGold !== false) {
    changeGold(store, {
      ticketId: x.ticketId,
      task: x.task,
      to: { has: true, value: labelValue(x.task, cv) },
      by: reviewer,
      source: 'review',
      queueId,
      actionId,
      now,
    });
  }
  const newId = insertReview(store, {
    ticketId: x.ticketId,
    task: x.task,
    model: x.model,
    runId: found.answer.runId,
    answerJson: found.answer.valueJson,
    reviewer,
    checked: checked.value,
    note,
    scoredAt,
    queueId,
    source: 'local',
    actionId,
  });
  // A re-score in this app is the reviewer correcting themself, not a second opinion: the earlier
  // one is kept (undo brings it back) but no longer counts. Imported scores are never superseded.
  store
    .prepare(
      `UPDATE reviews SET superseded_by = ? WHERE ticket_id = ? AND task = ? AND model_spec = ? AND reviewer = ? AND source = 'local'
         AND superseded_by IS NULL AND id != ?`,
    )
    .run(newId, x.ticketId, x.task, x.model, reviewer, newId);
  return getReview(store, newId)!;
}

/** What one undo took back: the action's scores, and its gold-label changes (put back, or kept because the label changed since). */
export interface UndoneAction {
  actionId: number;
  kind: string;
  reviews: Review[];
  gold: Array<{ ticketId: string; task: TaskId; restored: boolean; change: GoldChange }>;
}

/**
 * Undoes the reviewer's latest action in this app (in one queue when given): deletes its scores
 * (bringing back the scores they replaced) and puts back every gold label it changed — unless that
 * label was changed since, which is kept and reported. The put-back is itself recorded in the
 * label's history. Returns what was undone, or null when there is nothing to undo.
 */
export function undoLastAction(store: Store, reviewer: string, opts: { queueId?: string; now?: Date } = {}): UndoneAction | null {
  const name = reviewerName(reviewer);
  return store.transaction(() => {
    for (;;) {
      const row = (
        opts.queueId
          ? store
              .prepare('SELECT * FROM review_actions WHERE reviewer = ? AND queue_id = ? AND undone_ms IS NULL ORDER BY id DESC LIMIT 1')
              .get(name, opts.queueId)
          : store.prepare('SELECT * FROM review_actions WHERE reviewer = ? AND undone_ms IS NULL ORDER BY id DESC LIMIT 1').get(name)
      ) as Row | undefined;
      if (!row) return null;
      const actionId = num(row.id)!;
      const now = opts.now ?? new Date();
      store.prepare('UPDATE review_actions SET undone_ms = ? WHERE id = ?').run(now.getTime(), actionId);
      const rows = store.prepare('SELECT * FROM reviews WHERE action_id = ? ORDER BY id DESC').all(actionId) as Row[];
      const reviews = rows.map(toReview);
      for (const r of rows) {
        store.prepare('DELETE FROM reviews WHERE id = ?').run(r.id as number);
        store.prepare('UPDATE reviews SET superseded_by = NULL WHERE superseded_by = ?').run(r.id as number);
        // Scores given before gold-label history existed carry the label they replaced.
        const legacy = r.label_before == null ? null : (parseJson(r.label_before) as { had: boolean; value: unknown });
        const review = toReview(r);
        if (legacy && review.correctValue !== undefined) {
          const cur = goldState(store, review.ticketId, review.task);
          if (cur?.has && JSON.stringify(cur.value) === JSON.stringify(labelValue(review.task, review.correctValue))) {
            changeGold(store, {
              ticketId: review.ticketId,
              task: review.task,
              to: { has: legacy.had, value: legacy.value },
              by: name,
              source: 'undo',
              detail: `score #${review.id}`,
              queueId: review.queueId,
              now,
            });
          }
        }
      }
      const gold: UndoneAction['gold'] = [];
      const changes = (store.prepare('SELECT id FROM gold_label_history WHERE action_id = ? ORDER BY id DESC').all(actionId) as Row[]).map(
        (g) => getGoldChange(store, num(g.id)!)!,
      );
      for (const c of changes) {
        const cur = goldState(store, c.ticketId, c.task);
        const unchanged =
          cur !== null && cur.has === c.after.has && (!cur.has || JSON.stringify(cur.value) === JSON.stringify(c.after.value));
        if (unchanged) {
          changeGold(store, {
            ticketId: c.ticketId,
            task: c.task,
            to: c.before,
            by: name,
            source: 'undo',
            detail: `change #${c.id}`,
            queueId: c.queueId,
            now,
          });
        }
        gold.push({ ticketId: c.ticketId, task: c.task, restored: unchanged, change: c });
      }
      // An action with nothing left to take back (its scores were removed some other way): the one before it.
      if (reviews.length || gold.length) return { actionId, kind: String(row.kind), reviews, gold };
    }
  });
}

/** Undoes the reviewer's latest action and returns its last score (null when it had none): see undoLastAction. */
export function undoLastScore(store: Store, reviewer: string, opts: { queueId?: string } = {}): Review | null {
  return undoLastAction(store, reviewer, opts)?.reviews[0] ?? null;
}

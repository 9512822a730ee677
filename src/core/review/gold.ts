// Gold labels: the ticket's correct value per task that reports score against. The current label
// lives in the ticket's labels (every reader finds it there); every change of it is also written
// to gold_label_history (migration 8), keyed by ticket id and task — who changed it, when, from
// what to what, and why (a reviewer's confirmed correct value, an import, an undo, a restore) —
// so no change is lost and each can be taken back. Review actions group what one reviewer did in
// one step (a score, or a gold label with the scores it gave) so undo takes it back whole.
import { AppError } from '#shared/errors.ts';
import type { TicketInput } from '#shared/results.ts';
import type { TaskId } from '#shared/tasks.ts';
import type { Store } from '../store/store.ts';
import type { CorrectValue } from './rubric.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const parseJson = (v: unknown): unknown => (typeof v === 'string' ? (JSON.parse(v) as unknown) : undefined);

/** The ticket's label field each task's correct value is written to. */
export const LABEL_FIELD = {
  platform: 'platform',
  product: 'product',
  severity: 'severity',
  asset_ids: 'asset_ids',
  technical_details: 'has_technical_details',
} as const satisfies Record<TaskId, keyof NonNullable<TicketInput['labels']>>;

type Labels = Record<string, unknown>;

function readLabels(store: Store, ticketId: string): Labels | null {
  const r = store.prepare('SELECT labels FROM tickets WHERE id = ?').get(ticketId) as Row | undefined;
  if (!r) return null;
  const v = r.labels == null ? {} : parseJson(r.labels);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Labels) : {};
}

function writeLabels(store: Store, ticketId: string, labels: Labels): void {
  const json = Object.keys(labels).length ? JSON.stringify(labels) : null;
  store.prepare('UPDATE tickets SET labels = ? WHERE id = ?').run(json, ticketId);
  // Labels belong to a ticket version (migration 9): the ticket's current text gets the same label,
  // so reports reading a run's version see it.
  store
    .prepare('UPDATE ticket_versions SET labels = ? WHERE ticket_id = ? AND hash = (SELECT hash FROM tickets WHERE id = ?)')
    .run(json, ticketId, ticketId);
}

/** The label value a correct value becomes (technical details: "has details"). */
export function labelValue(task: TaskId, v: CorrectValue): unknown {
  if (task !== 'technical_details') return v;
  return typeof v === 'boolean' ? v : (v as { present: string[] }).present.length > 0;
}

/** The ticket's current gold label for a task, or undefined when it has none. */
export function goldLabel(store: Store, ticketId: string, task: TaskId): unknown {
  return readLabels(store, ticketId)?.[LABEL_FIELD[task]];
}

/** A gold label's state: absent, or a value (null is a value: "no platform"). */
export interface GoldState {
  has: boolean;
  value: unknown;
}

export type GoldSource = 'review' | 'import' | 'undo' | 'restore';

/** One change of one ticket's gold label for one task. */
export interface GoldChange {
  id: number;
  ticketId: string;
  task: TaskId;
  before: GoldState;
  after: GoldState;
  by: string;
  /** ISO-8601. */
  at: string;
  source: GoldSource;
  /** The imported file, or which entry an undo/restore went back from. */
  detail: string | null;
  queueId: string | null;
  actionId: number | null;
}

const same = (a: GoldState, b: GoldState): boolean => a.has === b.has && (!a.has || JSON.stringify(a.value) === JSON.stringify(b.value));

function toChange(r: Row): GoldChange {
  return {
    id: num(r.id) ?? 0,
    ticketId: String(r.ticket_id),
    task: String(r.task) as TaskId,
    before: { has: r.had_before === 1 || r.had_before === 1n, value: r.value_before == null ? null : parseJson(r.value_before) },
    after: { has: r.has_after === 1 || r.has_after === 1n, value: r.value_after == null ? null : parseJson(r.value_after) },
    by: String(r.changed_by),
    at: String(r.changed_at),
    source: String(r.source) as GoldSource,
    detail: str(r.detail),
    queueId: str(r.queue_id),
    actionId: num(r.action_id),
  };
}

/** The current state of a ticket's gold label for a task (null when the ticket is not in the workspace). */
export function goldState(store: Store, ticketId: string, task: TaskId): GoldState | null {
  const labels = readLabels(store, ticketId);
  if (!labels) return null;
  const field = LABEL_FIELD[task];
  return Object.hasOwn(labels, field) ? { has: true, value: labels[field] } : { has: false, value: null };
}

export interface GoldWrite {
  ticketId: string;
  task: TaskId;
  /** The label value to set (already the label's form: see labelValue), or absent to remove it. */
  to: GoldState;
  by: string;
  source: GoldSource;
  detail?: string | null;
  queueId?: string | null;
  actionId?: number | null;
  now?: Date;
}

/**
 * Sets a ticket's gold label and records the change. Call it inside a transaction (the label and
 * its history are written together). Returns the recorded change, or null when the label already
 * has that value (nothing to record) or the ticket is not in the workspace.
 */
export function changeGold(store: Store, w: GoldWrite): GoldChange | null {
  const labels = readLabels(store, w.ticketId);
  if (!labels) return null;
  const field = LABEL_FIELD[w.task];
  const before: GoldState = Object.hasOwn(labels, field) ? { has: true, value: labels[field] } : { has: false, value: null };
  if (same(before, w.to)) return null;
  const next = { ...labels };
  if (w.to.has) next[field] = w.to.value;
  else delete next[field];
  writeLabels(store, w.ticketId, next);
  const at = w.now ?? new Date();
  const res = store
    .prepare(
      `INSERT INTO gold_label_history (ticket_id, task, had_before, value_before, has_after, value_after, changed_by, changed_at, changed_ms, source, detail, queue_id, action_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      w.ticketId,
      w.task,
      before.has ? 1 : 0,
      before.has ? JSON.stringify(before.value ?? null) : null,
      w.to.has ? 1 : 0,
      w.to.has ? JSON.stringify(w.to.value ?? null) : null,
      w.by,
      at.toISOString(),
      at.getTime(),
      w.source,
      w.detail ?? null,
      w.queueId ?? null,
      w.actionId ?? null,
    );
  return getGoldChange(store, Number(res.lastInsertRowid));
}

export function getGoldChange(store: Store, id: number): GoldChange | null {
  const r = store.prepare('SELECT * FROM gold_label_history WHERE id = ?').get(id) as Row | undefined;
  return r ? toChange(r) : null;
}

/** Every recorded change of a ticket's gold label for a task, newest first. */
export function goldHistory(store: Store, ticketId: string, task: TaskId): GoldChange[] {
  return (
    store.prepare('SELECT * FROM gold_label_history WHERE ticket_id = ? AND task = ? ORDER BY id DESC').all(ticketId, task) as Row[]
  ).map(toChange);
}

/** Starts a review action (one step a reviewer can take back whole); call inside the transaction that writes it. */
export function newAction(
  store: Store,
  a: { reviewer: string; queueId: string | null; kind: 'score' | 'gold' | 'restore'; now?: Date },
): number {
  const res = store
    .prepare('INSERT INTO review_actions (queue_id, reviewer, kind, at_ms) VALUES (?, ?, ?, ?)')
    .run(a.queueId, a.reviewer, a.kind, (a.now ?? new Date()).getTime());
  return Number(res.lastInsertRowid);
}

/**
 * Puts a gold label back to what it was before a recorded change (a new change, source 'restore',
 * itself undoable). Refuses when the change is not of that ticket and task.
 */
export function restoreGold(
  store: Store,
  input: { ticketId: string; task: TaskId; entryId: number; reviewer: string; queueId?: string | null; now?: Date },
): GoldChange | null {
  const entry = getGoldChange(store, input.entryId);
  if (!entry || entry.ticketId !== input.ticketId || entry.task !== input.task) {
    throw new AppError('BAD_INPUT', `gold-label change ${input.entryId} is not in the history of ticket ${input.ticketId}'s ${input.task}`);
  }
  return store.transaction(() => {
    const actionId = newAction(store, { reviewer: input.reviewer, queueId: input.queueId ?? null, kind: 'restore', now: input.now });
    return changeGold(store, {
      ticketId: entry.ticketId,
      task: entry.task,
      to: entry.before,
      by: input.reviewer,
      source: 'restore',
      detail: `the value before change #${entry.id}`,
      queueId: input.queueId ?? null,
      actionId,
      now: input.now,
    });
  });
}

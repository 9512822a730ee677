// Review of generic traces (issue 14 §3): queues over imported calls with a per-queue rubric,
// blind scoring (the model, its metadata and the source's own scores hidden until the reviewer has
// scored every criterion of the item) and undo. Every score is its own committed row; a re-score
// supersedes, never overwrites. Results per model with κ/α between reviewers are in
// traceReviewResults.ts, JSON lines in and out in traceReviewLines.ts, the shared row decoders and
// the queue view in traceReviewRows.ts; review/ holds the casebench-task counterpart.
import { randomUUID } from 'node:crypto';
import { AppError } from '#shared/errors.ts';
import {
  DEFAULT_RUBRIC,
  traceQueueSpecSchema,
  type Criterion,
  type MyScore,
  type TraceQueueSpec,
  type TraceQueueView,
  type TraceReviewScreen,
  type TraceScoreInput,
} from '#shared/traceReview.ts';
import type { TraceCallView } from '#shared/traceView.ts';
import { seededRandom } from '../random.ts';
import { reviewerName } from '../review/reviewsRepo.ts';
import type { Store } from '../store/store.ts';
import type { Row } from './traceQueries.ts';
import { itemsOf, latestMine, num, parse, required, traceQueueView } from './traceReviewRows.ts';
import { listGenericTraces } from './traceList.ts';
import { scoreView, traceOfCall } from './traceView.ts';

export function listTraceQueues(store: Store): TraceQueueView[] {
  return (store.prepare('SELECT id FROM trace_review_queues ORDER BY created_at DESC, id').all() as Row[]).map((r) =>
    traceQueueView(store, String(r.id)),
  );
}

/** Creates a queue over imported calls chosen by file, model, status and search, optionally a seeded sample. */
export function createTraceQueue(store: Store, input: TraceQueueSpec, opts: { now?: () => number } = {}): TraceQueueView {
  const p = traceQueueSpecSchema.safeParse(input);
  if (!p.success)
    throw new AppError('BAD_INPUT', `bad queue: ${p.error.issues.map((i) => `${i.path.join('.') || 'queue'}: ${i.message}`).join('; ')}`);
  const spec = p.data;
  const seed = spec.seed ?? Math.floor(Math.random() * 2 ** 31);
  let calls: number[];
  if (spec.includeTickets) {
    const rows = store
      .prepare(
        `SELECT c.id, c.run_id, c.model_spec, c.status, c.task, o.input_messages FROM calls c JOIN call_origins o ON o.call_id = c.id ORDER BY c.id`,
      )
      .all() as Row[];
    const q = spec.search?.trim().toLowerCase();
    calls = rows
      .filter(
        (r) =>
          (!spec.runIds || spec.runIds.includes(String(r.run_id))) &&
          (!spec.models || spec.models.includes(String(r.model_spec))) &&
          (!spec.status || r.status === spec.status),
      )
      .filter((r) => !q || `${String(r.task)} ${String(r.input_messages ?? '')}`.toLowerCase().includes(q))
      .map((r) => num(r.id)!);
  } else {
    // every call of every generic trace the filters keep (the Traces list's rule), then by model/status per call
    const runs = spec.runIds ?? [undefined];
    const keys: Array<{ runId: string; callId: number }> = [];
    for (const runId of runs) {
      const list = listGenericTraces(store, { runId, search: spec.search, limit: 5000 });
      for (const t of list.rows) keys.push({ runId: t.runId, callId: t.callId });
    }
    const groupOf = store.prepare('SELECT run_id, ticket_id FROM calls WHERE id = ?');
    const inGroup = store.prepare(`SELECT id, model_spec, status FROM calls WHERE run_id = ? AND ticket_id = ? ORDER BY started_at, id`);
    calls = [];
    for (const k of keys) {
      const g = groupOf.get(k.callId) as Row;
      for (const c of inGroup.all(String(g.run_id), String(g.ticket_id)) as Row[]) {
        if (spec.models && !spec.models.includes(String(c.model_spec))) continue;
        if (spec.status && c.status !== spec.status) continue;
        calls.push(num(c.id)!);
      }
    }
    calls.sort((a, b) => a - b);
  }
  if (calls.length === 0)
    throw new AppError('BAD_INPUT', 'no imported call matches: nothing to review (import a trace file, or widen the filter)');
  if (spec.sample !== undefined && spec.sample < calls.length) {
    const rnd = seededRandom(seed);
    const a = [...calls];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    calls = a.slice(0, spec.sample).sort((x, y) => x - y);
  }
  const id = `tq-${randomUUID().slice(0, 8)}`;
  const { rubric, name, blind, ...source } = spec;
  store.prepare('BEGIN IMMEDIATE').run();
  try {
    store
      .prepare('INSERT INTO trace_review_queues (id, name, source, rubric, blind, seed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(
        id,
        name,
        JSON.stringify({ ...source, seed }),
        JSON.stringify(rubric ?? DEFAULT_RUBRIC),
        blind === false ? 0 : 1,
        seed,
        (opts.now ?? Date.now)(),
      );
    const ins = store.prepare('INSERT INTO trace_review_items (queue_id, pos, call_id) VALUES (?, ?, ?)');
    calls.forEach((c, i) => ins.run(id, i, c));
    store.prepare('COMMIT').run();
  } catch (e) {
    store.prepare('ROLLBACK').run();
    throw e;
  }
  return traceQueueView(store, id);
}

function mineOf(rows: Row[]): Record<string, MyScore> {
  const out: Record<string, MyScore> = {};
  for (const r of rows) {
    const v = r.value === null ? null : parse(r.value);
    out[String(r.criterion)] = {
      value: typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string' ? v : null,
      note: typeof r.note === 'string' ? r.note : null,
    };
  }
  return out;
}

/** What a blind reviewer may see of a call before scoring it: no model, provider, metadata or source scores. */
export function blindCall(c: TraceCallView): TraceCallView {
  return {
    ...c,
    modelSpec: 'hidden',
    provider: 'hidden',
    model: 'hidden',
    requestId: null,
    metadata: {},
    scores: [],
    costUsd: null,
    origin: c.origin ? { ...c.origin, source: null } : null,
  };
}

/** The screen for one item (or the reviewer's first unscored one). */
export function openTraceReview(store: Store, input: { queueId: string; reviewer: string; position?: number }): TraceReviewScreen {
  const reviewer = reviewerName(input.reviewer);
  const queue = traceQueueView(store, input.queueId);
  const items = itemsOf(store, input.queueId);
  const need = required(queue.rubric).map((c) => c.id);
  const scored = new Map<number, Set<string>>();
  for (const r of latestMine(store, input.queueId, reviewer)) {
    const k = num(r.call_id)!;
    let s = scored.get(k);
    if (!s) scored.set(k, (s = new Set()));
    s.add(String(r.criterion));
  }
  const isDone = (callId: number): boolean => need.every((c) => scored.get(callId)?.has(c));
  const done = items.filter(isDone).length;
  if (items.length === 0)
    return {
      queue,
      reviewer,
      position: null,
      call: null,
      revealed: false,
      mine: {},
      missing: [],
      others: [],
      prev: null,
      next: null,
      nextUnscored: null,
      done,
    };
  let pos = input.position ?? items.findIndex((c) => !isDone(c));
  if (pos < 0) pos = items.length - 1;
  if (pos >= items.length) throw new AppError('BAD_INPUT', `queue ${input.queueId} has ${items.length} items; there is no item ${pos + 1}`);
  const callId = items[pos]!;
  const t = traceOfCall(store, callId);
  const full = t.calls.find((c) => c.callId === callId)!;
  const mine = mineOf(latestMine(store, input.queueId, reviewer, callId));
  const missing = need.filter((c) => !(c in mine));
  const revealed = !queue.blind || missing.length === 0;
  const others = revealed ? full.scores.filter((s) => s.reviewer !== reviewer) : [];
  let nextUnscored: number | null = null;
  for (let i = 1; i <= items.length; i++) {
    const j = (pos + i) % items.length;
    if (j !== pos && !isDone(items[j]!)) {
      nextUnscored = j;
      break;
    }
  }
  return {
    queue,
    reviewer,
    position: pos,
    call: revealed ? full : blindCall(full),
    revealed,
    mine,
    missing,
    others,
    prev: pos > 0 ? pos - 1 : null,
    next: pos + 1 < items.length ? pos + 1 : null,
    nextUnscored,
    done,
  };
}

/** Checks a value against its criterion; returns it as stored. */
export function checkValue(c: Criterion, value: unknown, note: string | null | undefined): { value: string | null; note: string | null } {
  const n = note?.trim() ? note.trim() : null;
  switch (c.kind) {
    case 'pass_fail':
      if (typeof value !== 'boolean')
        throw new AppError('BAD_INPUT', `${c.label} is pass or fail (true/false), not ${JSON.stringify(value)}`);
      return { value: JSON.stringify(value), note: n };
    case 'score':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1)
        throw new AppError('BAD_INPUT', `${c.label} is a score from 0 to 1, not ${JSON.stringify(value)}`);
      return { value: JSON.stringify(value), note: n };
    case 'label':
      if (typeof value !== 'string' || !c.labels!.includes(value))
        throw new AppError('BAD_INPUT', `${c.label} is one of ${c.labels!.join(', ')}, not ${JSON.stringify(value)}`);
      return { value: JSON.stringify(value), note: n };
    case 'note': {
      const text = typeof value === 'string' && value.trim() ? value.trim() : n;
      if (!text) throw new AppError('BAD_INPUT', `${c.label}: an empty note is not a score`);
      return { value: null, note: text };
    }
  }
}

/** One score on one criterion of the item at a position; committed at once; a re-score supersedes the earlier one. */
export function scoreTraceItem(store: Store, input: TraceScoreInput, opts: { now?: () => Date } = {}): TraceReviewScreen {
  const reviewer = reviewerName(input.reviewer);
  const queue = traceQueueView(store, input.queueId);
  const items = itemsOf(store, input.queueId);
  const callId = items[input.position];
  if (callId === undefined) throw new AppError('BAD_INPUT', `queue ${input.queueId} has no item ${input.position + 1}`);
  const c = queue.rubric.find((x) => x.id === input.criterion);
  if (!c)
    throw new AppError(
      'BAD_INPUT',
      `queue ${queue.name} has no criterion ${input.criterion} (it has ${queue.rubric.map((x) => x.id).join(', ')})`,
    );
  const v = checkValue(c, input.value, input.note);
  const at = (opts.now ?? (() => new Date()))();
  store.prepare('BEGIN IMMEDIATE').run();
  try {
    const prev = store
      .prepare(
        `SELECT id FROM trace_reviews WHERE queue_id = ? AND reviewer = ? AND call_id = ? AND criterion = ? AND superseded_by IS NULL`,
      )
      .all(input.queueId, reviewer, callId, c.id) as Row[];
    const res = store
      .prepare(
        `INSERT INTO trace_reviews (call_id, queue_id, criterion, kind, value, note, reviewer, scored_at, scored_ms, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'local')`,
      )
      .run(callId, input.queueId, c.id, c.kind, v.value, v.note, reviewer, at.toISOString(), at.getTime());
    for (const p of prev)
      store.prepare('UPDATE trace_reviews SET superseded_by = ? WHERE id = ?').run(Number(res.lastInsertRowid), num(p.id)!);
    store.prepare('COMMIT').run();
  } catch (e) {
    store.prepare('ROLLBACK').run();
    throw e;
  }
  return openTraceReview(store, { queueId: input.queueId, reviewer, position: input.position });
}

/** Takes back the reviewer's latest score in the queue (the one it superseded, if any, counts again); opens its item. */
export function undoTraceScore(store: Store, input: { queueId: string; reviewer: string }): TraceReviewScreen {
  const reviewer = reviewerName(input.reviewer);
  const last = store
    .prepare(
      `SELECT * FROM trace_reviews WHERE queue_id = ? AND reviewer = ? AND source = 'local' AND superseded_by IS NULL ORDER BY id DESC LIMIT 1`,
    )
    .get(input.queueId, reviewer) as Row | undefined;
  if (!last) throw new AppError('BAD_INPUT', 'nothing to undo in this queue');
  store.prepare('BEGIN IMMEDIATE').run();
  try {
    store.prepare('UPDATE trace_reviews SET superseded_by = NULL WHERE superseded_by = ?').run(num(last.id)!);
    store.prepare('DELETE FROM trace_reviews WHERE id = ?').run(num(last.id)!);
    store.prepare('COMMIT').run();
  } catch (e) {
    store.prepare('ROLLBACK').run();
    throw e;
  }
  const pos = itemsOf(store, input.queueId).indexOf(num(last.call_id)!);
  return openTraceReview(store, { queueId: input.queueId, reviewer, position: pos < 0 ? undefined : pos });
}

export { scoreView, traceQueueView };

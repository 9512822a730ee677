// Review of generic traces (issue 14 §3): queues over imported calls with a per-queue rubric,
// blind scoring (the model, its metadata and the source's own scores hidden until the reviewer has
// scored every criterion of the item), undo, results per model with κ/α between reviewers
// (shared maths: metrics/agreement.ts's κ, review/agreement.ts's interval α; nominal α here), and
// JSON lines in and out. Every score is its own committed row; a re-score supersedes, never overwrites.
// Over 400 lines: queues, blind scoring, undo, results and JSON lines of one review model, sharing
// its row decoders; review/ holds the casebench-task counterpart.
import { randomUUID } from 'node:crypto';
import { AppError } from '#shared/errors.ts';
import {
  DEFAULT_RUBRIC,
  rubricSchema,
  traceQueueSpecSchema,
  type Criterion,
  type CriterionResult,
  type MyScore,
  type PairAgreementView,
  type TraceQueueSpec,
  type TraceQueueView,
  type TraceReviewImportView,
  type TraceReviewResults,
  type TraceReviewScreen,
  type TraceScoreInput,
} from '#shared/traceReview.ts';
import type { TraceCallView } from '#shared/traceView.ts';
import { cohensKappa } from '../metrics/agreement.ts';
import { seededRandom } from '../random.ts';
import { krippendorffAlphaInterval } from '../review/agreement.ts';
import { reviewerName } from '../review/reviewsRepo.ts';
import type { Store } from '../store/store.ts';
import type { Row } from './traceQueries.ts';
import { listGenericTraces, scoreView, traceOfCall } from './traceView.ts';

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const parse = (v: unknown): unknown => {
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
function latestMine(store: Store, queueId: string, reviewer: string, callId?: number): Row[] {
  return (
    callId === undefined
      ? store.prepare(`SELECT * FROM trace_reviews WHERE queue_id = ? AND reviewer = ? AND superseded_by IS NULL`).all(queueId, reviewer)
      : store
          .prepare(`SELECT * FROM trace_reviews WHERE queue_id = ? AND reviewer = ? AND call_id = ? AND superseded_by IS NULL`)
          .all(queueId, reviewer, callId)
  ) as Row[];
}

/** The criteria that count for "done" (a note is optional). */
const required = (rubric: Criterion[]): Criterion[] => rubric.filter((c) => c.kind !== 'note');

function itemsOf(store: Store, queueId: string): number[] {
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

/**
 * Krippendorff's α, nominal metric, over units of values (one array per unit; units with fewer than
 * two values are not pairable). α = 1 − (n − 1)·Σᵤ(Σ_{i≠j} [vᵢ ≠ vⱼ] / (mᵤ − 1)) / Σ_{c≠k} n_c·n_k.
 * Null when nothing is pairable or every value is the same.
 */
export function krippendorffAlphaNominal(units: ReadonlyArray<readonly string[]>): number | null {
  let n = 0;
  let within = 0;
  const counts = new Map<string, number>();
  for (const u of units) {
    const m = u.length;
    if (m < 2) continue;
    const c = new Map<string, number>();
    for (const v of u) c.set(v, (c.get(v) ?? 0) + 1);
    let same = 0;
    for (const k of c.values()) same += k * (k - 1);
    within += (m * (m - 1) - same) / (m - 1);
    n += m;
    for (const [v, k] of c) counts.set(v, (counts.get(v) ?? 0) + k);
  }
  if (n < 2) return null;
  let sq = 0;
  for (const k of counts.values()) sq += k * k;
  const expected = n * n - sq;
  if (expected === 0) return null;
  return 1 - ((n - 1) * within) / expected;
}

const keyOf = (v: unknown): string => JSON.stringify(v);

/** Results per criterion: per model what the calls got, and agreement between reviewers (the source counts as one). */
export function traceReviewResults(store: Store, opts: { queueId?: string } = {}): TraceReviewResults {
  const rubric = opts.queueId ? traceQueueView(store, opts.queueId).rubric : null;
  const rows = (
    opts.queueId
      ? store
          .prepare(`SELECT r.*, c.model_spec FROM trace_reviews r JOIN calls c ON c.id = r.call_id
          WHERE r.superseded_by IS NULL AND r.call_id IN (SELECT call_id FROM trace_review_items WHERE queue_id = ?) ORDER BY r.id`)
          .all(opts.queueId)
      : store
          .prepare(
            `SELECT r.*, c.model_spec FROM trace_reviews r JOIN calls c ON c.id = r.call_id WHERE r.superseded_by IS NULL ORDER BY r.id`,
          )
          .all()
  ) as Row[];
  // the latest value per (criterion, call, reviewer)
  const latest = new Map<string, Row>();
  for (const r of rows) latest.set(`${String(r.criterion)}\u0000${num(r.call_id)}\u0000${String(r.reviewer)}`, r);
  const byCriterion = new Map<string, Row[]>();
  for (const r of latest.values()) {
    const k = String(r.criterion);
    const l = byCriterion.get(k);
    if (l) l.push(r);
    else byCriterion.set(k, [r]);
  }
  const criteria: CriterionResult[] = [];
  const ids = rubric ? rubric.map((c) => c.id) : [...byCriterion.keys()].sort();
  for (const id of ids) {
    const list = (byCriterion.get(id) ?? []).filter((r) => r.kind !== 'note');
    const def = rubric?.find((c) => c.id === id);
    const kind = (def?.kind ?? (list[0]?.kind as CriterionResult['kind'] | undefined) ?? 'note') as CriterionResult['kind'];
    if (kind === 'note') continue;
    const models = new Map<string, { n: number; pass: number; passN: number; sum: number; sumN: number; labels: Record<string, number> }>();
    for (const r of list) {
      const m = String(r.model_spec);
      let s = models.get(m);
      if (!s) models.set(m, (s = { n: 0, pass: 0, passN: 0, sum: 0, sumN: 0, labels: {} }));
      s.n++;
      const v = parse(r.value);
      if (typeof v === 'boolean') {
        s.passN++;
        if (v) s.pass++;
      } else if (typeof v === 'number') {
        s.sum += v;
        s.sumN++;
      } else if (typeof v === 'string') s.labels[v] = (s.labels[v] ?? 0) + 1;
    }
    // agreement: per call, each reviewer's value
    const perCall = new Map<number, Map<string, unknown>>();
    for (const r of list) {
      const c = num(r.call_id)!;
      let m = perCall.get(c);
      if (!m) perCall.set(c, (m = new Map()));
      m.set(String(r.reviewer), parse(r.value));
    }
    const reviewers = [...new Set(list.map((r) => String(r.reviewer)))].sort();
    const units = [...perCall.values()].filter((m) => m.size >= 2);
    const alpha =
      kind === 'score'
        ? krippendorffAlphaInterval(units.map((m) => [...m.values()].filter((v): v is number => typeof v === 'number')))
        : krippendorffAlphaNominal(units.map((m) => [...m.values()].map(keyOf)));
    const pairs: PairAgreementView[] = [];
    for (let i = 0; i < reviewers.length; i++) {
      for (let j = i + 1; j < reviewers.length; j++) {
        const a: string[] = [];
        const b: string[] = [];
        for (const m of perCall.values()) {
          if (m.has(reviewers[i]!) && m.has(reviewers[j]!)) {
            a.push(keyOf(m.get(reviewers[i]!)));
            b.push(keyOf(m.get(reviewers[j]!)));
          }
        }
        if (a.length === 0) continue;
        const agree = a.filter((x, k) => x === b[k]).length;
        pairs.push({ a: reviewers[i]!, b: reviewers[j]!, n: a.length, agreement: agree / a.length, kappa: cohensKappa(a, b) });
      }
    }
    criteria.push({
      criterion: id,
      label: def?.label ?? id,
      kind,
      models: [...models.entries()]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([model, s]) => ({
          model,
          n: s.n,
          passRate: s.passN ? s.pass / s.passN : null,
          mean: s.sumN ? s.sum / s.sumN : null,
          labels: s.labels,
        })),
      reviewers,
      units: units.length,
      alpha,
      pairs,
    });
  }
  return { queueId: opts.queueId ?? null, criteria };
}

/** Where a call is, in ids that mean the same thing in another workspace holding the same import. */
function callRef(r: Row): Record<string, unknown> {
  return { format: r.format, file: r.file, trace_id: r.trace_id ?? null, span_id: r.span_id ?? null };
}

/** Trace reviews as JSON lines (`{"casebench":"trace_review", call, criterion, kind, value, note, reviewer, scored_at, queue}`). */
export function exportTraceReviews(store: Store, opts: { queueId?: string; local?: boolean } = {}): { text: string; count: number } {
  const rows = store
    .prepare(`SELECT r.*, o.format, o.file, o.trace_id, o.span_id, q.name AS queue_name FROM trace_reviews r JOIN call_origins o ON o.call_id = r.call_id
      LEFT JOIN trace_review_queues q ON q.id = r.queue_id WHERE r.superseded_by IS NULL ${opts.queueId ? 'AND r.queue_id = ?' : ''} ${opts.local ? "AND r.source = 'local'" : ''} ORDER BY r.id`)
    .all(...(opts.queueId ? [opts.queueId] : [])) as Row[];
  const lines = rows.map((r) =>
    JSON.stringify({
      casebench: 'trace_review',
      call: callRef(r),
      criterion: r.criterion,
      kind: r.kind,
      value: r.value === null ? null : parse(r.value),
      ...(r.note ? { note: r.note } : {}),
      reviewer: r.reviewer,
      scored_at: r.scored_at,
      ...(r.queue_id ? { queue: r.queue_name ?? r.queue_id } : {}),
    }),
  );
  return { text: lines.length ? `${lines.join('\n')}\n` : '', count: lines.length };
}

/** Reads trace review lines (or LangSmith feedback records) into the workspace; a bad line is reported by number and skipped. */
export function importTraceReviews(store: Store, text: string, opts: { source: string }): TraceReviewImportView {
  const out: TraceReviewImportView = { imported: 0, duplicates: 0, bad: [] };
  // every imported call by its source ids (one scan; the import is rare and small)
  const byRef = new Map<string, number>();
  const byLangsmithRun = new Map<string, number>();
  for (const r of store.prepare('SELECT call_id, format, trace_id, span_id FROM call_origins').iterate() as Iterable<Row>) {
    byRef.set(`${String(r.trace_id)}\u0000${String(r.span_id)}`, num(r.call_id)!);
    if (r.format === 'langsmith' && typeof r.span_id === 'string') byLangsmithRun.set(r.span_id, num(r.call_id)!);
  }
  const dup = store.prepare(
    `SELECT 1 FROM trace_reviews WHERE call_id = ? AND criterion = ? AND reviewer = ? AND scored_at = ? AND coalesce(value, '') = coalesce(?, '') LIMIT 1`,
  );
  const ins = store.prepare(
    `INSERT INTO trace_reviews (call_id, queue_id, criterion, kind, value, note, reviewer, scored_at, scored_ms, source) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const trimmed = text.trim();
  // a LangSmith feedback export: one record, an array, or JSON lines
  let records: Array<{ line: number; v: unknown }>;
  if (trimmed.startsWith('[') || (trimmed.startsWith('{') && !trimmed.includes('\n'))) {
    try {
      const v = JSON.parse(trimmed) as unknown;
      records = (Array.isArray(v) ? v : [v]).map((x, i) => ({ line: i + 1, v: x }));
    } catch (e) {
      return { ...out, bad: [{ line: 1, message: `not JSON: ${(e as Error).message}` }] };
    }
  } else {
    records = [];
    text.split('\n').forEach((l, i) => {
      if (!l.trim()) return;
      try {
        records.push({ line: i + 1, v: JSON.parse(l) as unknown });
      } catch (e) {
        out.bad.push({ line: i + 1, message: `not JSON: ${(e as Error).message.slice(0, 100)}` });
      }
    });
  }
  store.prepare('BEGIN IMMEDIATE').run();
  try {
    for (const { line, v } of records) {
      const o = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
      if (!o) {
        out.bad.push({ line, message: 'not an object' });
        continue;
      }
      let callId: number | undefined;
      let criterion: string;
      let kind: string;
      let value: unknown;
      let note: string | null;
      let reviewer: string;
      let scoredAt: string;
      if (o.casebench === 'trace_review') {
        const ref = o.call && typeof o.call === 'object' ? (o.call as Record<string, unknown>) : {};
        callId = byRef.get(`${String(ref.trace_id ?? null)}\u0000${String(ref.span_id ?? null)}`);
        criterion = String(o.criterion ?? '');
        kind = String(o.kind ?? '');
        value = o.value ?? null;
        note = typeof o.note === 'string' ? o.note : null;
        reviewer = String(o.reviewer ?? '');
        scoredAt = String(o.scored_at ?? '');
        if (!criterion || !['pass_fail', 'score', 'label', 'note'].includes(kind) || !reviewer || !scoredAt) {
          out.bad.push({ line, message: 'a trace review needs criterion, kind (pass_fail|score|label|note), reviewer and scored_at' });
          continue;
        }
        if (
          (kind === 'pass_fail' && typeof value !== 'boolean') ||
          (kind === 'score' && typeof value !== 'number') ||
          (kind === 'label' && typeof value !== 'string')
        ) {
          out.bad.push({ line, message: `value ${JSON.stringify(value)} is not a ${kind} value` });
          continue;
        }
      } else if (typeof o.run_id === 'string' && typeof o.key === 'string') {
        // LangSmith feedback: the reviewer is the source
        callId = byLangsmithRun.get(o.run_id.toLowerCase());
        const src = o.feedback_source && typeof o.feedback_source === 'object' ? (o.feedback_source as Record<string, unknown>) : {};
        reviewer = `langsmith:${typeof src.type === 'string' ? src.type.toLowerCase() : 'feedback'}`;
        criterion = o.key;
        note = typeof o.comment === 'string' ? o.comment : null;
        scoredAt = typeof o.created_at === 'string' ? o.created_at : new Date().toISOString();
        if (typeof o.score === 'boolean') [kind, value] = ['pass_fail', o.score];
        else if (typeof o.score === 'number') [kind, value] = ['score', o.score];
        else if (typeof o.value === 'string') [kind, value] = ['label', o.value];
        else [kind, value] = ['note', null];
      } else {
        out.bad.push({ line, message: 'neither a casebench trace_review line nor a LangSmith feedback record' });
        continue;
      }
      if (callId === undefined) {
        out.bad.push({ line, message: 'its call is not in this workspace (import the trace file it belongs to first)' });
        continue;
      }
      const val = value === null ? null : JSON.stringify(value);
      if (dup.get(callId, criterion, reviewer, scoredAt, val)) {
        out.duplicates++;
        continue;
      }
      const ms = Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(scoredAt) ? scoredAt : `${scoredAt}Z`);
      ins.run(callId, criterion, kind, val, note, reviewer, scoredAt, Number.isFinite(ms) ? ms : Date.now(), opts.source);
      out.imported++;
    }
    store.prepare('COMMIT').run();
  } catch (e) {
    store.prepare('ROLLBACK').run();
    throw e;
  }
  return out;
}

export { scoreView };

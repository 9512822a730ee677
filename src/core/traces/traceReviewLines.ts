// Trace reviews as JSON lines, out and back in (LangSmith feedback records too): calls are named
// by their source ids, so the lines mean the same in another workspace holding the same import.
import type { TraceReviewImportView } from '#shared/traceReview.ts';
import type { Store } from '../store/store.ts';
import type { Row } from './traceQueries.ts';
import { num, parse } from './traceReviewRows.ts';

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

// SQL of the trace import/export, kept apart from the Store class (store.prepare caches each
// statement). Imported calls live in the ordinary tables (runs kind 'import', tickets, calls,
// results, run_tickets) so every view sees them; call_origins (migration 4) says where each came from.
import type { Store } from '../store/store.ts';

/** Task stored for a call whose trace names no task (calls.task is NOT NULL); exported as null. */
export const UNKNOWN_TASK = '(unknown)';

export type Row = Record<string, unknown>;

/** Where one imported call came from, for the UI's "origin" line. */
export interface CallOrigin {
  callId: number;
  runId: string;
  /** Format of the imported file (casebench | langsmith | langfuse | otlp | openinference | promptfoo). */
  format: string;
  file: string;
  locator: string | null;
  traceId: string | null;
  spanId: string | null;
  parentSpanId: string | null;
  /** Ids in the tool that produced the record: {format, id, parent_id, trace_id, …}. */
  source: Record<string, unknown> | null;
  /** A generic trace: not a casebench task, no ticket named (shown in the trace view, not as a ticket). */
  generic: boolean;
}

/** One import as the UI lists it (runs of kind 'import'). */
export interface ImportSummary {
  runId: string;
  label: string | null;
  createdAt: number;
  config: Record<string, unknown> | null;
  calls: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const parseObj = (v: unknown): Record<string, unknown> | null => {
  if (typeof v !== 'string') return null;
  try {
    const o = JSON.parse(v) as unknown;
    return typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** The origin of a call, or null for a call casebench recorded itself. */
export function originOfCall(store: Store, callId: number): CallOrigin | null {
  const r = store.prepare('SELECT * FROM call_origins WHERE call_id = ?').get(callId) as Row | undefined;
  if (!r) return null;
  return {
    callId,
    runId: String(r.run_id),
    format: String(r.format),
    file: String(r.file),
    locator: str(r.locator),
    traceId: str(r.trace_id),
    spanId: str(r.span_id),
    parentSpanId: str(r.parent_span_id),
    source: parseObj(r.source),
    generic: r.generic === 1,
  };
}

/** Every import, newest first, with its call count. */
export function listImports(store: Store): ImportSummary[] {
  const rows = store
    .prepare(
      `SELECT r.id, r.label, r.created_at, r.config, (SELECT count(*) FROM calls c WHERE c.run_id = r.id) AS n FROM runs r WHERE r.kind = 'import' ORDER BY r.created_at DESC, r.id`,
    )
    .all() as Row[];
  return rows.map((r) => ({
    runId: String(r.id),
    label: str(r.label),
    createdAt: Number(r.created_at),
    config: parseObj(r.config),
    calls: Number(r.n),
  }));
}

/** The import run that already holds a file with this content, if any. */
export function importRunForSha(store: Store, sha256: string): string | null {
  const r = store.prepare(`SELECT id FROM runs WHERE kind = 'import' AND json_extract(config, '$.sha256') = ? LIMIT 1`).get(sha256) as
    | Row
    | undefined;
  return r ? String(r.id) : null;
}

/** An import run of a file with this fingerprint (the same size, first and last MiB), if any. */
export function importRunForFingerprint(store: Store, fingerprint: string): string | null {
  const r = store
    .prepare(`SELECT id FROM runs WHERE kind = 'import' AND json_extract(config, '$.fingerprint') = ? LIMIT 1`)
    .get(fingerprint) as Row | undefined;
  return r ? String(r.id) : null;
}

/** Whether an import run is named base or base-… (a file's runs share the prefix). */
export function importRunNamed(store: Store, base: string): boolean {
  return store.prepare(`SELECT 1 FROM runs WHERE id = ?1 OR substr(id, 1, length(?1) + 1) = ?1 || '-' LIMIT 1`).get(base) !== undefined;
}

/** Whether a table exists (reviews arrive with a later schema version). */
export function hasTable(store: Store, name: string): boolean {
  return store.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** Column names of a table. */
export function tableColumns(store: Store, name: string): string[] {
  return (store.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as Row[]).map((r) => String(r.name));
}

const LATEST_WINS = [
  'status',
  'value',
  'raw',
  'provider',
  'model',
  'prompt_version',
  'started_ms',
  'ended_ms',
  'latency_ms',
  'ttft_ms',
  'queue_time_ms',
  'provider_total_ms',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'reasoning_tokens',
  'cost_usd',
  'error_code',
  'error_message',
]
  .map((c) => `${c} = iif(excluded.started_ms >= results.started_ms, excluded.${c}, results.${c})`)
  .join(', ');

// A foreign call is its group's result as it is written: the latest call (by start) wins, every
// call counts as an attempt. started_ms/ended_ms hold epoch ms until relativeResultTimes runs.
// The first call of a group is a plain insert (the common case: no conflict, nothing to read back);
// a later one reads the group's count and latest start, then updates it.
const RESULT_INSERT = `INSERT INTO results (run_id, ticket_id, task, model_spec, status, value, raw, provider, model, prompt_version,
      started_ms, ended_ms, latency_ms, ttft_ms, queue_time_ms, provider_total_ms, input_tokens, output_tokens, cached_tokens,
      reasoning_tokens, cost_usd, attempts, error_code, error_message, recorded_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
    ON CONFLICT(run_id, ticket_id, task, model_spec) DO`;

// An imported ticket is added; one already in the workspace keeps its text, and only gets one if it had none.
const TICKET_UPSERT = `ON CONFLICT(id) DO UPDATE SET text = excluded.text, title = coalesce(excluded.title, tickets.title),
      created_at = coalesce(excluded.created_at, tickets.created_at), labels = coalesce(excluded.labels, tickets.labels)
    WHERE tickets.text = '' AND excluded.text <> ''`;

const NUMBERING = `UPDATE calls SET attempt = x.rn FROM (
      SELECT id, ROW_NUMBER() OVER (PARTITION BY ticket_id, task, model_spec ORDER BY started_at, id) AS rn FROM calls WHERE run_id = ?
    ) AS x WHERE calls.id = x.id`;

export const SQL = {
  begin: 'BEGIN IMMEDIATE',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  insertRun: `INSERT INTO runs (id, kind, label, assignment, config, status, created_at) VALUES (?, 'import', ?, '{}', ?, 'running', ?)`,
  upsertTicket: `INSERT INTO tickets (id, text, title, created_at, labels, source, added_at) VALUES (?, ?, ?, ?, ?, ?, ?) ${TICKET_UPSERT}`,
  // A staged import's tickets into the workspace, by the same rule.
  mergeTickets: `INSERT INTO main.tickets (id, text, title, created_at, labels, source, added_at)
    SELECT id, text, title, created_at, labels, source, added_at FROM stg.tickets WHERE true ${TICKET_UPSERT}`,
  mergeTicketConflicts: `SELECT count(*) AS n FROM stg.tickets s JOIN main.tickets m ON m.id = s.id WHERE s.text <> '' AND m.text <> '' AND m.text <> s.text`,
  ticketText: 'SELECT text FROM tickets WHERE id = ?',
  insertCall: `INSERT INTO calls (run_id, ticket_id, task, model_spec, provider, model, attempt, prompt_version, started_at, latency_ms,
      ttft_ms, queue_time_ms, provider_total_ms, status, error_code, error_message, http_status, request_id, input_tokens,
      output_tokens, cached_tokens, reasoning_tokens, cost_usd, raw, slot_wait_ms, cold, hedge, hedge_lost)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertOrigin: `INSERT INTO call_origins (call_id, run_id, format, file, locator, trace_id, span_id, parent_span_id, source, start_ns,
      end_ns, input_messages, parsed_output, metadata, value, generic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertSpan: `INSERT INTO trace_spans (run_id, trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status, error, input, output, metadata, locator)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertSourceScore: `INSERT INTO trace_reviews (call_id, queue_id, criterion, kind, value, note, reviewer, scored_at, scored_ms, source)
    VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertResult: `INSERT OR REPLACE INTO results (run_id, ticket_id, task, model_spec, status, value, raw, provider, model, prompt_version,
      started_ms, ended_ms, latency_ms, ttft_ms, queue_time_ms, provider_total_ms, input_tokens, output_tokens, cached_tokens,
      reasoning_tokens, cost_usd, attempts, error_code, error_message, recorded_at, slot_wait_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // Calls of foreign traces carry no attempt number: the n-th call of a ticket/task/model (by start) is attempt n.
  numberAttempts: `${NUMBERING} AND calls.attempt = 0`,
  // Auto-numbered calls (numbered as they arrived) that turn out not to have arrived in start order.
  renumberAttempts: `${NUMBERING} AND calls.attempt <> x.rn`,
  // The latest call of each ticket/task/model is its result (unless a result line already gave one).
  // SQLite's bare-column rule: with max(started_at), the other columns come from that latest row.
  resultsFromCalls: `INSERT OR IGNORE INTO results (run_id, ticket_id, task, model_spec, status, value, raw, provider, model, prompt_version,
      started_ms, ended_ms, latency_ms, ttft_ms, queue_time_ms, provider_total_ms, input_tokens, output_tokens, cached_tokens,
      reasoning_tokens, cost_usd, attempts, error_code, error_message, recorded_at)
    SELECT c.run_id, c.ticket_id, c.task, c.model_spec, c.status, o.value, c.raw, c.provider, c.model, c.prompt_version,
      c.started_at - t.t0, c.started_at - t.t0 + coalesce(c.latency_ms, 0), c.latency_ms, c.ttft_ms, c.queue_time_ms, c.provider_total_ms,
      c.input_tokens, c.output_tokens, c.cached_tokens, c.reasoning_tokens, c.cost_usd, g.n, c.error_code, c.error_message, ?
    FROM (SELECT id, max(started_at) AS latest, count(*) AS n FROM calls WHERE run_id = ?
      AND NOT EXISTS (SELECT 1 FROM call_origins g WHERE g.call_id = calls.id AND g.generic = 1) GROUP BY ticket_id, task, model_spec) AS g
    JOIN calls c ON c.id = g.id
    JOIN (SELECT ticket_id, min(started_at) AS t0 FROM calls WHERE run_id = ? GROUP BY ticket_id) AS t ON t.ticket_id = c.ticket_id
    LEFT JOIN call_origins o ON o.call_id = c.id`,
  runTickets: `INSERT OR IGNORE INTO run_tickets (run_id, ticket_id, status, total_ms, started_at, finished_at)
    SELECT ?, ticket_id, 'done', max(started_at + coalesce(latency_ms, 0)) - min(started_at), CAST(min(started_at) AS INTEGER),
      CAST(max(started_at + coalesce(latency_ms, 0)) AS INTEGER)
    FROM calls WHERE run_id = ? GROUP BY ticket_id HAVING ticket_id IN (SELECT id FROM tickets)`,
  runTicketsFromResults: `INSERT OR IGNORE INTO run_tickets (run_id, ticket_id, status, total_ms, started_at, finished_at)
    SELECT DISTINCT run_id, ticket_id, 'done', NULL, NULL, NULL FROM results WHERE run_id = ? AND ticket_id IN (SELECT id FROM tickets)`,
  firstResult: `${RESULT_INSERT} NOTHING`,
  resultGroup: 'SELECT attempts, started_ms FROM results WHERE run_id = ? AND ticket_id = ? AND task = ? AND model_spec = ?',
  nextResult: `${RESULT_INSERT} UPDATE SET attempts = results.attempts + 1, ${LATEST_WINS}`,
  relativeResultTimes: `UPDATE results SET started_ms = results.started_ms - t.t0, ended_ms = results.ended_ms - t.t0
    FROM (SELECT ticket_id, min(started_at) AS t0 FROM calls WHERE run_id = ? GROUP BY ticket_id) AS t
    WHERE results.run_id = ? AND results.ticket_id = t.ticket_id`,
  upsertRunTicket: `INSERT OR REPLACE INTO run_tickets (run_id, ticket_id, status, total_ms, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?)`,
  modelsPerTask:
    'SELECT task, model_spec, count(*) AS n FROM calls WHERE run_id = ? GROUP BY task, model_spec ORDER BY task, n DESC, model_spec',
  finishRun: `UPDATE runs SET status = 'done', finished_at = ?, assignment = ?, config = ? WHERE id = ?`,
  runCounts:
    'SELECT (SELECT count(*) FROM calls WHERE run_id = ?) AS calls, (SELECT count(*) FROM results WHERE run_id = ?) AS results, (SELECT count(DISTINCT ticket_id) FROM run_tickets WHERE run_id = ?) AS tickets',
} as const;

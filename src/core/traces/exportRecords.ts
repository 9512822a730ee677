// Reads the workspace as export records, streaming (statement iterators, nothing loaded whole):
// per run, each ticket's line before its first call, every call, every final result; then the
// reviews when the database has a reviews table. Calls imported earlier keep their origin, their
// exact ns times and the ids of the tool that produced them; a casebench JSONL import keeps the
// run it was recorded in, so export → import → export gives the same lines.
import { createHash } from 'node:crypto';
import type { Store } from '../store/store.ts';
import type { CallLine, ResultLine, RunLine, RunRef, RunTicketLine, TicketLine } from './casebenchJsonl.ts';
import { hasTable, UNKNOWN_TASK, type Row } from './traceQueries.ts';
import type { ChatMessage, SourceIds, TraceFormat } from './types.ts';
import { TRACE_FORMATS } from './types.ts';
import { MAX_TIME_NS, msToNs, nsToIso, storedTimeNs } from './values.ts';

export type ExportRecord =
  | { type: 'run'; line: RunLine }
  | { type: 'run_ticket'; line: RunTicketLine }
  | { type: 'ticket'; line: TicketLine }
  | { type: 'call'; line: CallLine; ticketText: string | null }
  | { type: 'result'; line: ResultLine }
  | { type: 'review'; line: Record<string, unknown> }
  /** A stored row that cannot be written (a time out of range left by an older version): named, not exported. */
  | { type: 'skipped'; where: string; message: string };

const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const n = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const parse = (v: unknown): unknown => {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

function hex(input: string, chars: number): string {
  return createHash('sha256').update(input).digest('hex').slice(0, chars);
}

/** Stable trace id of a ticket in a run (32 hex, as OTLP wants). */
export function traceIdFor(runId: string, ticketId: string): string {
  return hex(`${runId}\u0000${ticketId}`, 32);
}

/** The run as exported: an import of casebench JSONL is exported as the run it was recorded in. */
function runLineOf(r: Row): RunLine {
  const cfg = parse(r.config);
  const src = typeof cfg === 'object' && cfg !== null ? (cfg as Record<string, unknown>).source_run : null;
  if (r.kind === 'import' && typeof src === 'object' && src !== null && typeof (src as RunRef).id === 'string') {
    const x = src as Partial<RunLine> & RunRef;
    return {
      casebench: 'run',
      id: x.id,
      kind: x.kind,
      label: x.label ?? null,
      assignment: x.assignment ?? {},
      config: x.config ?? null,
      status: x.status ?? 'done',
      created_at: x.created_at ?? 0,
      finished_at: x.finished_at ?? null,
    };
  }
  return {
    casebench: 'run',
    id: String(r.id),
    kind: String(r.kind),
    label: s(r.label),
    assignment: parse(r.assignment),
    config: parse(r.config),
    status: String(r.status),
    created_at: n(r.created_at) ?? 0,
    finished_at: n(r.finished_at),
  };
}

/** The ms time as ns when it is a real time, else null. */
function msTime(ms: number | null): bigint | null {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return null;
  const ns = msToNs(ms);
  return ns <= MAX_TIME_NS ? ns : null;
}

function callLine(c: Row, run: RunRef): CallLine | { skipped: string } {
  const imported = c.o_format !== null && c.o_format !== undefined;
  const traceId = s(c.o_trace_id) ?? traceIdFor(run.id, String(c.ticket_id));
  const spanId = s(c.o_span_id) ?? hex(`${run.id}\u0000${String(c.id)}`, 16);
  const startedMs = n(c.started_at) ?? 0;
  // Stored times are checked, not trusted: one bad row (from a version that imported any number)
  // must not end every export with "Invalid time value".
  const startNs = (c.start_ns !== null && c.start_ns !== undefined ? storedTimeNs(c.start_ns) : null) ?? msTime(startedMs);
  if (startNs === null) return { skipped: `its start time (${String(c.start_ns ?? startedMs)}) is not a real time` };
  const latency = n(c.latency_ms);
  const endFromLatency = latency === null || !Number.isFinite(latency) ? null : startNs + BigInt(Math.round(latency * 1e6));
  let endNs = c.end_ns !== null && c.end_ns !== undefined ? storedTimeNs(c.end_ns) : endFromLatency;
  if (endNs !== null && endNs > MAX_TIME_NS) endNs = null;
  const meta = (imported ? parse(c.o_meta) : null) as Record<string, unknown> | null;
  const src = (imported ? parse(c.o_source) : null) as Record<string, unknown> | null;
  const format = (TRACE_FORMATS as readonly string[]).includes(String(src?.format)) ? (src!.format as TraceFormat) : 'casebench';
  const source: SourceIds = src
    ? { ...src, format, id: s(src.id), parent_id: s(src.parent_id), trace_id: s(src.trace_id) }
    : { format: 'casebench', id: spanId, parent_id: null, trace_id: traceId, run_id: run.id, call_id: n(c.id) };
  const task = String(c.task);
  return {
    casebench: 'call',
    run,
    trace_id: traceId,
    span_id: spanId,
    parent_span_id: s(c.o_parent),
    ticket_id: s(c.ticket_id),
    task: task === UNKNOWN_TASK ? null : task,
    provider: s(c.provider) === 'unknown' ? null : s(c.provider),
    model: s(c.model) === 'unknown' ? null : s(c.model),
    model_spec: String(c.model_spec),
    attempt: n(c.attempt) ?? 0,
    prompt_version: s(c.prompt_version),
    started_at: nsToIso(startNs),
    started_at_ms: startedMs,
    ended_at: endNs === null ? null : nsToIso(endNs),
    latency_ms: latency,
    ...(n(c.slot_wait_ms) !== null ? { slot_wait_ms: n(c.slot_wait_ms) } : {}),
    ...(n(c.cold) !== null ? { cold: n(c.cold) === 1 } : {}),
    ...(c.hedge === 'primary' || c.hedge === 'hedge' ? { hedge: c.hedge, hedge_lost: n(c.hedge_lost) === 1 } : {}),
    ttft_ms: n(c.ttft_ms),
    queue_time_ms: n(c.queue_time_ms),
    provider_total_ms: n(c.provider_total_ms),
    input_tokens: n(c.input_tokens),
    output_tokens: n(c.output_tokens),
    cached_tokens: n(c.cached_tokens),
    reasoning_tokens: n(c.reasoning_tokens),
    cost_usd: n(c.cost_usd),
    status: c.status === 'ok' ? 'success' : 'error',
    error_code: s(c.error_code),
    error: s(c.error_message),
    http_status: n(c.http_status),
    request_id: s(c.request_id),
    input_messages: imported ? ((parse(c.o_input) as ChatMessage[] | null) ?? []) : [],
    output_text: s(c.raw),
    parsed_output: imported ? (parse(c.o_parsed) ?? null) : null,
    metadata: { ...(meta ?? {}), source },
    origin: imported
      ? {
          format: String(c.o_format),
          file: String(c.o_file),
          locator: s(c.o_locator),
          ...(n(c.o_generic) === 1 ? { generic: true as const } : {}),
        }
      : null,
  };
}

function resultLine(r: Row, run: RunRef): ResultLine {
  return {
    casebench: 'result',
    run,
    ticket_id: String(r.ticket_id),
    task: String(r.task),
    model_spec: String(r.model_spec),
    status: String(r.status),
    value: parse(r.value),
    raw: s(r.raw),
    provider: String(r.provider),
    model: String(r.model),
    prompt_version: s(r.prompt_version),
    started_ms: n(r.started_ms),
    ended_ms: n(r.ended_ms),
    latency_ms: n(r.latency_ms),
    ...(n(r.slot_wait_ms) !== null ? { slot_wait_ms: n(r.slot_wait_ms) } : {}),
    ttft_ms: n(r.ttft_ms),
    queue_time_ms: n(r.queue_time_ms),
    provider_total_ms: n(r.provider_total_ms),
    input_tokens: n(r.input_tokens),
    output_tokens: n(r.output_tokens),
    cached_tokens: n(r.cached_tokens),
    reasoning_tokens: n(r.reasoning_tokens),
    cost_usd: n(r.cost_usd),
    attempts: n(r.attempts) ?? 0,
    error_code: s(r.error_code),
    error_message: s(r.error_message),
    recorded_at: n(r.recorded_at) ?? 0,
  };
}

function ticketLine(r: Row): TicketLine {
  return {
    casebench: 'ticket',
    id: String(r.id),
    text: String(r.text),
    title: s(r.title),
    created_at: s(r.created_at),
    labels: r.labels === null || r.labels === undefined ? null : parse(r.labels),
    source: s(r.source),
  };
}

const CALLS_SQL = `SELECT c.*, o.format AS o_format, o.file AS o_file, o.locator AS o_locator, o.trace_id AS o_trace_id,
    o.span_id AS o_span_id, o.parent_span_id AS o_parent, o.source AS o_source, o.start_ns, o.end_ns,
    o.input_messages AS o_input, o.parsed_output AS o_parsed, o.metadata AS o_meta, o.generic AS o_generic
  FROM calls c LEFT JOIN call_origins o ON o.call_id = c.id WHERE c.run_id = ? ORDER BY c.ticket_id, c.id`;

/** Every record of the workspace (or of the given runs) in export order. */
export function* exportRecords(store: Store, opts: { runIds?: readonly string[] } = {}): Generator<ExportRecord> {
  // Runs in the order of the id they are exported under, so a re-import exports in the same order.
  const runs = (store.prepare('SELECT * FROM runs').all() as Row[])
    .filter((r) => !opts.runIds || opts.runIds.includes(String(r.id)))
    .map((r) => ({ r, line: runLineOf(r) }))
    .sort((a, b) => (a.line.id < b.line.id ? -1 : a.line.id > b.line.id ? 1 : 0));
  // A ticket line per version exported: each run's calls and results sit beside the text they were
  // answered for (the version the run ran on), not the ticket's latest text.
  const emitted = new Set<string>();
  const versionStmt = store.prepare(
    `SELECT v.ticket_id AS id, v.text, v.title, v.created_at, v.labels, v.source, v.hash FROM ticket_versions v WHERE v.ticket_id = ? AND v.hash = ?`,
  );
  const runVersionStmt = store.prepare(
    'SELECT coalesce(rt.ticket_hash, t.hash) AS hash FROM tickets t LEFT JOIN run_tickets rt ON rt.run_id = ? AND rt.ticket_id = t.id WHERE t.id = ?',
  );
  const ticketStmt = store.prepare('SELECT * FROM tickets WHERE id = ?');
  const ticketOf = (runId: string, id: string, callHash: string | null = null): { record: ExportRecord | null; text: string | null } => {
    const hash = callHash ?? s((runVersionStmt.get(runId, id) as Row | undefined)?.hash);
    const t = ((hash ? versionStmt.get(id, hash) : undefined) ?? ticketStmt.get(id)) as Row | undefined;
    if (!t) return { record: null, text: null };
    const key = `${id}\u0000${String(t.text)}`;
    const rec = emitted.has(key) ? null : ({ type: 'ticket', line: ticketLine(t) } as const);
    emitted.add(key);
    return { record: rec, text: String(t.text) };
  };
  for (const { r, line } of runs) {
    const run: RunRef = { id: line.id, kind: line.kind, label: line.label };
    const runId = String(r.id);
    yield { type: 'run', line };
    let current: string | null = null;
    let currentText: string | null = null;
    const seenInRun = new Set<string>();
    for (const c of store.prepare(CALLS_SQL).iterate(runId) as Iterable<Row>) {
      const tid = String(c.ticket_id);
      const version = `${tid}\u0000${s(c.ticket_hash) ?? ''}`;
      if (version !== current) {
        current = version;
        const t = ticketOf(runId, tid, s(c.ticket_hash));
        currentText = t.text;
        seenInRun.add(tid);
        if (t.record) yield t.record;
      }
      const line = callLine(c, run);
      if ('skipped' in line) yield { type: 'skipped', where: `call ${String(c.id)} of run ${run.id}`, message: line.skipped };
      else yield { type: 'call', line, ticketText: currentText };
    }
    for (const row of store
      .prepare('SELECT * FROM results WHERE run_id = ? ORDER BY ticket_id, task, model_spec')
      .iterate(runId) as Iterable<Row>) {
      const tid = String(row.ticket_id);
      if (!seenInRun.has(tid)) {
        seenInRun.add(tid);
        const t = ticketOf(runId, tid, s(row.ticket_hash));
        if (t.record) yield t.record;
      }
      yield { type: 'result', line: resultLine(row, run) };
    }
    for (const row of store.prepare('SELECT * FROM run_tickets WHERE run_id = ? ORDER BY ticket_id').iterate(runId) as Iterable<Row>) {
      const tid = String(row.ticket_id);
      if (!seenInRun.has(tid)) {
        seenInRun.add(tid);
        const t = ticketOf(runId, tid, s(row.ticket_hash));
        if (t.record) yield t.record;
      }
      yield {
        type: 'run_ticket',
        line: {
          casebench: 'run_ticket',
          run,
          ticket_id: tid,
          status: String(row.status),
          total_ms: n(row.total_ms),
          started_at: n(row.started_at),
          finished_at: n(row.finished_at),
        },
      };
    }
  }
  if (hasTable(store, 'reviews')) {
    for (const row of store.prepare('SELECT * FROM reviews').iterate() as Iterable<Row>) {
      const line: Record<string, unknown> = { casebench: 'review' };
      for (const [k, v] of Object.entries(row)) line[k] = typeof v === 'bigint' ? Number(v) : v;
      yield { type: 'review', line };
    }
  }
}

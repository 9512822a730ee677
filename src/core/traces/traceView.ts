// The read side of generic traces (issue 14 §3): one trace as the trace view draws it — the span
// tree with timings (the spans the importer kept in trace_spans, plus the model calls), and each
// call's messages, output, tokens, cost, errors, metadata and scores. The Traces list is traceList.ts.
// A trace is the calls of one import that share the trace key the importer gave them
// (calls.ticket_id: the ticket, or for generic calls `<format>:<trace id>` / the promptfoo test case);
// that key is indexed, so no index on call_origins' trace ids is needed.
import { AppError } from '#shared/errors.ts';
import type { ChatMessageView, SpanNodeView, TraceCallView, TraceScoreView, TraceView } from '#shared/traceView.ts';
import type { Store } from '../store/store.ts';
import { originOfCall, type Row } from './traceQueries.ts';

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const json = (v: unknown): unknown => {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};
const objOf = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** A call's input messages as stored (a JSON array), for the view and the list. */
export function messages(v: unknown): ChatMessageView[] {
  const a = json(v);
  if (!Array.isArray(a)) return [];
  return a.flatMap((m) => {
    const o = objOf(m);
    return o
      ? [{ role: String(o.role ?? 'user'), content: typeof o.content === 'string' ? o.content : JSON.stringify(o.content ?? '') }]
      : [];
  });
}

/** Every score of a call, newest first (superseded re-scores left out). */
export function callScores(store: Store, callId: number): TraceScoreView[] {
  const rows = store
    .prepare(`SELECT * FROM trace_reviews WHERE call_id = ? AND superseded_by IS NULL ORDER BY scored_ms DESC, id DESC`)
    .all(callId) as Row[];
  return rows.map(scoreView);
}

export function scoreView(r: Row): TraceScoreView {
  const v = r.value === null ? null : json(r.value);
  return {
    id: num(r.id)!,
    criterion: String(r.criterion),
    kind: String(r.kind) as TraceScoreView['kind'],
    value: typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string' ? v : null,
    note: str(r.note),
    reviewer: String(r.reviewer),
    source: String(r.source),
    queueId: str(r.queue_id),
    scoredAt: String(r.scored_at),
  };
}

/** Reasoning and tool calls, where the source kept them in the call's metadata or structured output. */
function extras(meta: Record<string, unknown>, parsed: unknown): { reasoning: string | null; toolCalls: unknown[] } {
  const reasoning = str(meta.reasoning) ?? str(meta.reasoning_content) ?? str(objOf(meta.output_details)?.reasoning) ?? null;
  const tc = meta.tool_calls ?? meta.output_tool_calls ?? objOf(parsed)?.tool_calls;
  return { reasoning, toolCalls: Array.isArray(tc) ? tc : [] };
}

const CALL_SQL = `SELECT c.*, o.trace_id, o.span_id, o.parent_span_id, o.start_ns, o.end_ns, o.input_messages, o.parsed_output, o.metadata AS meta,
  o.generic, o.format, o.file, o.run_id AS o_run FROM calls c JOIN call_origins o ON o.call_id = c.id`;

function callView(store: Store, r: Row): TraceCallView {
  const meta = objOf(json(r.meta)) ?? {};
  const parsed = r.parsed_output === null ? null : json(r.parsed_output);
  const callId = num(r.id)!;
  const o = originOfCall(store, callId);
  const generic = num(r.generic) === 1;
  return {
    callId,
    name: String(r.task),
    modelSpec: String(r.model_spec),
    provider: String(r.provider),
    model: String(r.model),
    status: r.status === 'ok' ? 'ok' : 'error',
    errorCode: str(r.error_code),
    errorMessage: str(r.error_message),
    httpStatus: num(r.http_status),
    requestId: str(r.request_id),
    startedAt: num(r.started_at) ?? 0,
    latencyMs: num(r.latency_ms),
    ttftMs: num(r.ttft_ms),
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    cachedTokens: num(r.cached_tokens),
    reasoningTokens: num(r.reasoning_tokens),
    costUsd: num(r.cost_usd),
    input: messages(r.input_messages),
    output: str(r.raw),
    parsedOutput: parsed,
    ...extras(meta, parsed),
    metadata: meta,
    scores: callScores(store, callId),
    origin: o
      ? {
          callId,
          runId: o.runId,
          format: o.format,
          file: o.file,
          locator: o.locator,
          traceId: o.traceId,
          spanId: o.spanId,
          parentSpanId: o.parentSpanId,
          source: o.source,
        }
      : null,
    generic,
    ticketId: generic ? null : String(r.ticket_id),
  };
}

const nsToMs = (v: unknown): number | null => {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) return null;
  return Number(BigInt(v) / 1000n) / 1000;
};

/** The trace that holds an imported call: its calls, its other spans as a tree with timings. */
export function traceOfCall(store: Store, callId: number): TraceView {
  const first = store.prepare(`${CALL_SQL} WHERE c.id = ?`).get(callId) as Row | undefined;
  if (!first) throw new AppError('BAD_INPUT', `call ${callId} is not an imported call in this workspace`);
  const runId = String(first.run_id);
  const traceId = str(first.trace_id);
  const generic = num(first.generic) === 1;
  // Generic calls share their trace key; a ticket's calls are narrowed to the same source trace.
  const rows = (
    generic || traceId === null
      ? store
          .prepare(`${CALL_SQL} WHERE c.run_id = ? AND c.ticket_id = ? ORDER BY c.started_at, c.id LIMIT 2000`)
          .all(runId, String(first.ticket_id))
      : store
          .prepare(`${CALL_SQL} WHERE c.run_id = ? AND c.ticket_id = ? AND o.trace_id = ? ORDER BY c.started_at, c.id LIMIT 2000`)
          .all(runId, String(first.ticket_id), traceId)
  ) as Row[];
  const calls = rows.map((r) => callView(store, r));
  // Spans: those of the calls' trace ids, then any ancestor named by a parent id but not found yet
  // (a LangSmith dump without trace ids files its chains under no trace).
  const traceIds = [...new Set(rows.map((r) => str(r.trace_id)).filter((t): t is string => t !== null))];
  const spanRows = new Map<string, Row>();
  const byTrace = store.prepare(`SELECT * FROM trace_spans WHERE run_id = ? AND trace_id = ? LIMIT 5000`);
  for (const t of traceIds) for (const s of byTrace.all(runId, t) as Row[]) spanRows.set(String(s.span_id), s);
  const bySpan = store.prepare(`SELECT * FROM trace_spans WHERE run_id = ? AND span_id = ? LIMIT 1`);
  const callSpanIds = new Set(rows.map((r) => str(r.span_id)).filter((s): s is string => s !== null));
  let wanted = rows.map((r) => str(r.parent_span_id));
  for (let hops = 0; hops < 100 && wanted.length; hops++) {
    const next: Array<string | null> = [];
    for (const p of wanted) {
      if (p === null || spanRows.has(p) || callSpanIds.has(p)) continue;
      const s = bySpan.get(runId, p) as Row | undefined;
      if (s) {
        spanRows.set(p, s);
        next.push(str(s.parent_span_id));
      }
    }
    wanted = next;
  }
  // ...and the descendants of what was found that carry no trace id of their own (siblings of a call: a tool run).
  const byParent = store.prepare(`SELECT * FROM trace_spans WHERE run_id = ? AND parent_span_id = ? LIMIT 1000`);
  let frontier = [...spanRows.keys()];
  while (frontier.length && spanRows.size < 5000) {
    const next: string[] = [];
    for (const p of frontier) {
      for (const s of byParent.all(runId, p) as Row[]) {
        const k = String(s.span_id);
        if (spanRows.has(k)) continue;
        spanRows.set(k, s);
        next.push(k);
      }
    }
    frontier = next;
  }

  // Times: ns where the source has them, else the call's ms start.
  interface N {
    key: string;
    parent: string | null;
    id: string | null;
    startMs: number | null;
    endMs: number | null;
    node: Omit<SpanNodeView, 'depth' | 'startMs'>;
  }
  const items: N[] = [];
  rows.forEach((r, i) => {
    const c = calls[i]!;
    const s = nsToMs(r.start_ns) ?? c.startedAt;
    const e = nsToMs(r.end_ns) ?? (c.latencyMs !== null ? s + c.latencyMs : null);
    items.push({
      key: `call:${c.callId}`,
      parent: str(r.parent_span_id),
      id: str(r.span_id),
      startMs: s,
      endMs: e,
      node: {
        key: `call:${c.callId}`,
        kind: 'call',
        name: c.name === '(unknown)' ? c.model : c.name,
        type: 'llm',
        durationMs: c.latencyMs,
        status: c.status,
        call: i,
        span: null,
      },
    });
  });
  for (const s of spanRows.values()) {
    const st = nsToMs(s.start_ns);
    const en = nsToMs(s.end_ns);
    items.push({
      key: `span:${num(s.id)}`,
      parent: str(s.parent_span_id),
      id: String(s.span_id),
      startMs: st,
      endMs: en,
      node: {
        key: `span:${num(s.id)}`,
        kind: 'span',
        name: str(s.name) ?? String(s.span_id),
        type: str(s.kind),
        durationMs: st !== null && en !== null ? en - st : null,
        status: s.status === 'error' ? 'error' : 'ok',
        call: null,
        span: {
          input: json(s.input),
          output: json(s.output),
          metadata: objOf(json(s.metadata)),
          error: str(s.error),
          locator: str(s.locator),
          spanId: String(s.span_id),
        },
      },
    });
  }
  const starts = items.map((x) => x.startMs).filter((x): x is number => x !== null);
  const ends = items.map((x) => x.endMs ?? x.startMs).filter((x): x is number => x !== null);
  const t0 = starts.length ? Math.min(...starts) : null;
  const tEnd = ends.length ? Math.max(...ends) : null;
  // The tree: children by parent id; an item whose parent is not in the trace is a root, or hangs
  // under the trace's own root span when there is exactly one (a Langfuse trace).
  const byId = new Map<string, N>();
  for (const it of items) if (it.id !== null && !byId.has(it.id)) byId.set(it.id, it);
  const roots0 = items.filter((it) => it.parent === null || !byId.has(it.parent) || it.parent === it.id);
  const single = roots0.filter((it) => it.node.kind === 'span' && it.node.type === 'trace');
  const kids = new Map<string, N[]>();
  const roots: N[] = [];
  for (const it of items) {
    const p =
      it.parent !== null && it.parent !== it.id && byId.has(it.parent)
        ? it.parent
        : single.length === 1 && single[0] !== it
          ? single[0]!.id
          : null;
    if (p === null) roots.push(it);
    else {
      const l = kids.get(p);
      if (l) l.push(it);
      else kids.set(p, [it]);
    }
  }
  const order = (a: N, b: N): number =>
    (a.startMs ?? Infinity) - (b.startMs ?? Infinity) || (a.node.kind === b.node.kind ? 0 : a.node.kind === 'span' ? -1 : 1);
  const nodes: SpanNodeView[] = [];
  const seen = new Set<N>();
  const walk = (it: N, depth: number): void => {
    if (seen.has(it)) return;
    seen.add(it);
    nodes.push({ ...it.node, depth, startMs: it.startMs !== null && t0 !== null ? it.startMs - t0 : null });
    if (it.id !== null) for (const k of (kids.get(it.id) ?? []).sort(order)) walk(k, depth + 1);
  };
  for (const r of roots.sort(order)) walk(r, 0);
  for (const it of items) if (!seen.has(it)) walk(it, 0); // cycles in a damaged file: still shown

  const rootName = roots.length === 1 ? roots[0]!.node.name : null;
  const sum = (f: (c: TraceCallView) => number | null): number | null => {
    const xs = calls.map(f).filter((x): x is number => x !== null);
    return xs.length ? xs.reduce((a, b) => a + b, 0) : null;
  };
  const meta0 = calls[0]?.metadata ?? {};
  return {
    runId,
    file: String(first.file),
    format: String(first.format),
    traceId,
    name: rootName ?? calls[0]?.name ?? String(first.ticket_id),
    startedAt: t0,
    durationMs: t0 !== null && tEnd !== null ? tEnd - t0 : null,
    approximateTimes: typeof meta0.approximate_time === 'string',
    nodes,
    calls,
    totals: {
      calls: calls.length,
      errors: calls.filter((c) => c.status === 'error').length,
      inputTokens: sum((c) => c.inputTokens),
      outputTokens: sum((c) => c.outputTokens),
      costUsd: sum((c) => c.costUsd),
      unpriced: calls.filter((c) => c.costUsd === null).length,
    },
    focus: Math.max(
      0,
      calls.findIndex((c) => c.callId === callId),
    ),
    generic,
    ticketId: generic ? null : String(first.ticket_id),
  };
}

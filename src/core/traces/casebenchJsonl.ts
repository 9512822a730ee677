// casebench's own trace JSONL: one JSON object a line, tagged by "casebench": "run" | "ticket" |
// "call" | "result" | "run_ticket" | "review". A call line is the exchange record (trace-formats note) plus every column
// casebench stores, so export → import → export loses nothing; results (including skipped tasks
// that made no call) and tickets travel as their own lines.
import type { Decision, PathSeg } from './jsonStream.ts';
import type { FileContext, Plan, Unit } from './plan.ts';
import type { ChatMessage, ImportedCall, SourceIds, TraceFormat } from './types.ts';
import { TRACE_FORMATS } from './types.ts';
import { arr, count, isoToNs, num, obj, str, type Obj } from './values.ts';

export interface RunRef {
  id: string;
  kind: string;
  label: string | null;
}

/** One model call (every calls column, the exchange record's fields, and where it came from). */
export interface CallLine {
  casebench: 'call';
  run: RunRef;
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  ticket_id: string | null;
  task: string | null;
  provider: string | null;
  model: string | null;
  model_spec: string;
  attempt: number;
  prompt_version: string | null;
  started_at: string;
  started_at_ms: number;
  ended_at: string | null;
  /** The call itself: request sent (started_at) → answer received (ended_at). */
  latency_ms: number | null;
  /** Time the attempt waited for a free slot before started_at (casebench's own calls; absent when unknown). */
  slot_wait_ms?: number | null;
  /** The request was the first on a newly opened connection (absent when unknown). */
  cold?: boolean | null;
  /** Part of a hedged call: 'primary' (the original) or 'hedge' (its duplicate); absent when not hedged. */
  hedge?: 'primary' | 'hedge' | null;
  /** Cancelled because the other attempt of its hedged call answered first (absent when not hedged). */
  hedge_lost?: boolean | null;
  ttft_ms: number | null;
  queue_time_ms: number | null;
  provider_total_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  status: 'success' | 'error';
  error_code: string | null;
  error: string | null;
  http_status: number | null;
  request_id: string | null;
  input_messages: ChatMessage[];
  output_text: string | null;
  parsed_output: unknown;
  metadata: Record<string, unknown> & { source: SourceIds };
  /** generic: a generic trace (no ticket, not a casebench task); only written when true. */
  origin: { format: string; file: string; locator: string | null; generic?: true } | null;
}

/** A run as recorded (every runs column), before its calls. */
export interface RunLine {
  casebench: 'run';
  id: string;
  kind: string;
  label: string | null;
  assignment: unknown;
  config: unknown;
  status: string;
  created_at: number;
  finished_at: number | null;
}

/** A ticket's state in a run (every run_tickets column). */
export interface RunTicketLine {
  casebench: 'run_ticket';
  run: RunRef;
  ticket_id: string;
  status: string;
  total_ms: number | null;
  started_at: number | null;
  finished_at: number | null;
}

export interface TicketLine {
  casebench: 'ticket';
  id: string;
  text: string;
  title: string | null;
  created_at: string | null;
  labels: unknown;
  source: string | null;
}

/** The final outcome of one task for one ticket and model (every results column). */
export interface ResultLine {
  casebench: 'result';
  run: RunRef;
  ticket_id: string;
  task: string;
  model_spec: string;
  status: string;
  value: unknown;
  raw: string | null;
  provider: string;
  model: string;
  prompt_version: string | null;
  started_ms: number | null;
  ended_ms: number | null;
  /** The final call itself; started_ms → ended_ms is the task's window (slot waits, retries included). */
  latency_ms: number | null;
  /** Time the task's attempts waited for a free slot (absent when unknown). */
  slot_wait_ms?: number | null;
  ttft_ms: number | null;
  queue_time_ms: number | null;
  provider_total_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  recorded_at: number;
}

function runRef(v: unknown): RunRef | null {
  const o = obj(v);
  const id = str(o?.id);
  return o && id ? { id, kind: str(o.kind) ?? 'run', label: str(o.label) } : null;
}

function messages(v: unknown): ChatMessage[] {
  return arr(v).flatMap((m) => {
    const o = obj(m);
    return o && typeof o.role === 'string' && typeof o.content === 'string' ? [{ role: o.role, content: o.content }] : [];
  });
}

const nullableNum = (o: Obj, k: string): number | null => num(o[k]);

/** A call line as an ImportedCall (validated field by field; the message names the first bad field). */
export function callFromLine(o: Obj, where: string): ImportedCall | string {
  const run = runRef(o.run);
  if (!run) return '`run` must be {"id", "kind", "label"}';
  const traceId = str(o.trace_id);
  const spanId = str(o.span_id);
  if (!traceId || !spanId) return '`trace_id` and `span_id` are required';
  const startedAt = str(o.started_at);
  const startNs = startedAt ? isoToNs(startedAt) : null;
  if (startNs === null) return `\`started_at\` is not an ISO-8601 time: ${JSON.stringify(o.started_at ?? null)}`;
  const endedAt = str(o.ended_at);
  const endNs = endedAt ? isoToNs(endedAt) : null;
  if (endedAt && endNs === null) return `\`ended_at\` is not an ISO-8601 time: ${JSON.stringify(o.ended_at)}`;
  const status = o.status === 'success' || o.status === 'ok' ? 'success' : o.status === 'error' ? 'error' : null;
  if (!status) return `\`status\` must be "success" or "error", got ${JSON.stringify(o.status ?? null)}`;
  const modelSpec = str(o.model_spec);
  if (!modelSpec) return '`model_spec` is required';
  const meta = obj(o.metadata) ?? {};
  const src = obj(meta.source);
  const format = (TRACE_FORMATS as readonly string[]).includes(String(src?.format)) ? (src!.format as TraceFormat) : 'casebench';
  const source: SourceIds = src
    ? { ...src, format, id: str(src.id), parent_id: str(src.parent_id), trace_id: str(src.trace_id) }
    : { format, id: spanId, parent_id: null, trace_id: traceId };
  return {
    record: {
      trace_id: traceId,
      ticket_id: str(o.ticket_id),
      task: str(o.task),
      provider: str(o.provider),
      model: str(o.model),
      // kept as written: the exact value is startNs/endNs, re-rendered canonically on export
      started_at: startedAt!,
      ended_at: endNs === null ? null : endedAt,
      latency_ms: nullableNum(o, 'latency_ms'),
      ttft_ms: nullableNum(o, 'ttft_ms'),
      input_tokens: count(o.input_tokens),
      output_tokens: count(o.output_tokens),
      cost_usd: nullableNum(o, 'cost_usd'),
      status,
      error: typeof o.error === 'string' ? o.error : null,
      input_messages: messages(o.input_messages),
      output_text: typeof o.output_text === 'string' ? o.output_text : null,
      parsed_output: o.parsed_output ?? null,
      metadata: { ...meta, source },
    },
    x: {
      ticketText: null,
      spanId,
      parentSpanId: str(o.parent_span_id),
      cachedTokens: count(o.cached_tokens),
      reasoningTokens: count(o.reasoning_tokens),
      requestId: str(o.request_id),
      errorCode: str(o.error_code),
      httpStatus: num(o.http_status),
      queueTimeMs: nullableNum(o, 'queue_time_ms'),
      providerTotalMs: nullableNum(o, 'provider_total_ms'),
      slotWaitMs: nullableNum(o, 'slot_wait_ms'),
      cold: typeof o.cold === 'boolean' ? o.cold : null,
      hedge: o.hedge === 'primary' || o.hedge === 'hedge' ? o.hedge : null,
      hedgeLost: typeof o.hedge_lost === 'boolean' ? o.hedge_lost : null,
      attempt: count(o.attempt),
      promptVersion: str(o.prompt_version),
      modelSpec,
      startedAtMs: num(o.started_at_ms),
      groupKey: null,
      generic: obj(o.origin)?.generic === true,
      startNs,
      endNs,
      run,
    },
    where,
  };
}

/** The plan for casebench JSONL (each line is its own document). */
export function casebenchPlan(_ctx: FileContext): Plan {
  return {
    fallback: 'parent',
    select: (p: readonly PathSeg[]): Decision => (p.length === 0 ? 'value' : 'skip'),
    onValue(_p, v, where): Unit[] {
      const o = obj(v);
      const type = o ? o.casebench : undefined;
      if (!o || typeof type !== 'string') return [{ issue: { where, message: 'not a casebench line (no "casebench" type)' } }];
      if (type === 'call') {
        const c = callFromLine(o, where);
        if (typeof c === 'string') return [{ issue: { where, message: c } }];
        return [
          {
            node: {
              key: `${c.record.trace_id}/${c.x.spanId}`,
              parentKey: null,
              name: c.record.task,
              task: c.record.task,
              ticketId: c.record.ticket_id,
              ticketText: null,
              agentName: null,
              call: c,
            },
          },
        ];
      }
      if (type === 'ticket') {
        if (!str(o.id) || typeof o.text !== 'string') return [{ issue: { where, message: 'ticket line needs "id" and "text"' } }];
        return [{ item: { type: 'ticket', line: o, where } }];
      }
      if (type === 'result') {
        if (!runRef(o.run) || !str(o.ticket_id) || !str(o.task) || !str(o.model_spec) || !str(o.status)) {
          return [{ issue: { where, message: 'result line needs "run", "ticket_id", "task", "model_spec" and "status"' } }];
        }
        return [{ item: { type: 'result', line: o, where } }];
      }
      if (type === 'run') {
        if (!str(o.id) || !str(o.kind)) return [{ issue: { where, message: 'run line needs "id" and "kind"' } }];
        return [{ item: { type: 'run', line: o, where } }];
      }
      if (type === 'run_ticket') {
        if (!runRef(o.run) || !str(o.ticket_id) || !str(o.status))
          return [{ issue: { where, message: 'run_ticket line needs "run", "ticket_id" and "status"' } }];
        return [{ item: { type: 'run_ticket', line: o, where } }];
      }
      if (type === 'review') return [{ item: { type: 'review', line: o, where } }];
      if (type === 'header') return [];
      return [{ issue: { where, message: `unknown casebench line type ${JSON.stringify(type)}` } }];
    },
    finish: () => [],
  };
}

// One casebench call as a canonical OTLP/JSON TracesData line (trace-formats note §2.4 export
// recipe): GenAI semconv attributes plus the LangSmith and Langfuse mirror attributes, so one
// file loads into any OpenTelemetry backend and into both vendors without conversion.
import { createHash } from 'node:crypto';
import type { CallLine } from './casebenchJsonl.ts';
import { isoToNs, nsToIso } from './values.ts';

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface ReviewEvent {
  name: string;
  score: number | null;
  label: string | null;
  explanation: string | null;
  timeNs: bigint | null;
}

const sv = (key: string, v: string | null | undefined): KeyValue[] =>
  v === null || v === undefined ? [] : [{ key, value: { stringValue: v } }];
const iv = (key: string, v: number | null | undefined): KeyValue[] =>
  v === null || v === undefined ? [] : [{ key, value: { intValue: String(Math.round(v)) } }];
const dv = (key: string, v: number | null | undefined): KeyValue[] =>
  v === null || v === undefined ? [] : [{ key, value: { doubleValue: v } }];

function hexId(id: string, chars: 16 | 32): string {
  const plain = id.replace(/-/g, '').toLowerCase();
  if (plain.length === chars && /^[0-9a-f]+$/.test(plain)) return plain;
  return createHash('sha256').update(id).digest('hex').slice(0, chars);
}

/** The call as one OTLP/JSON TracesData object (one JSONL line of the OTel file exporter format). */
export function callToTracesData(
  c: CallLine,
  ticketText: string | null,
  version: string,
  reviews: readonly ReviewEvent[] = [],
): Record<string, unknown> {
  const startNs = isoToNs(c.started_at)!;
  const endNs = c.ended_at ? isoToNs(c.ended_at) : null;
  const isError = c.status === 'error';
  const input = c.input_messages.map((m) => ({ role: m.role, parts: [{ type: 'text', content: m.content }] }));
  const output =
    c.output_text === null
      ? null
      : [{ role: 'assistant', parts: [{ type: 'text', content: c.output_text }], finish_reason: isError ? 'error' : 'stop' }];
  const responseModel = typeof c.metadata.response_model === 'string' ? c.metadata.response_model : c.model;
  const src = c.metadata.source;
  const attrs: KeyValue[] = [
    ...sv('gen_ai.operation.name', 'chat'),
    ...sv('gen_ai.provider.name', c.provider),
    ...sv('gen_ai.system', c.provider),
    ...sv('gen_ai.request.model', c.model),
    ...sv('gen_ai.response.model', responseModel),
    ...sv('gen_ai.response.id', c.request_id),
    ...iv('gen_ai.usage.input_tokens', c.input_tokens),
    ...iv('gen_ai.usage.output_tokens', c.output_tokens),
    ...iv('gen_ai.usage.cache_read.input_tokens', c.cached_tokens),
    ...iv('gen_ai.usage.reasoning.output_tokens', c.reasoning_tokens),
    ...dv('gen_ai.response.time_to_first_chunk', c.ttft_ms === null ? null : c.ttft_ms / 1000),
    ...sv('langfuse.observation.completion_start_time', c.ttft_ms === null ? null : nsToIso(startNs + BigInt(Math.round(c.ttft_ms * 1e6)))),
    ...dv('gen_ai.usage.cost', c.cost_usd),
    ...dv('llm.cost.total', c.cost_usd),
    ...(input.length ? sv('gen_ai.input.messages', JSON.stringify(input)) : []),
    ...(output ? sv('gen_ai.output.messages', JSON.stringify(output)) : []),
    ...(c.parsed_output !== null && c.parsed_output !== undefined
      ? [...sv('gen_ai.output.type', 'json'), ...sv('output.parsed', JSON.stringify(c.parsed_output))]
      : []),
    ...sv('ticket.id', c.ticket_id),
    ...sv('langsmith.metadata.ticket_id', c.ticket_id),
    ...sv('langfuse.trace.metadata.ticket_id', c.ticket_id),
    ...sv('ticket.text', ticketText),
    ...sv('task.name', c.task),
    ...sv('langsmith.metadata.task', c.task),
    ...sv('langfuse.trace.name', c.task),
    ...sv('langsmith.span.kind', 'llm'),
    ...sv('langfuse.observation.type', 'generation'),
    ...(isError
      ? [
          ...sv('error.type', c.error_code ?? 'error'),
          ...sv('langfuse.observation.level', 'ERROR'),
          ...sv('langfuse.observation.status_message', c.error),
        ]
      : []),
    ...sv('casebench.model_spec', c.model_spec),
    ...iv('casebench.attempt', c.attempt),
    // The span is the call itself; the wait for a free slot came before its start.
    ...dv('casebench.slot_wait_ms', c.slot_wait_ms),
    ...(typeof c.cold === 'boolean' ? [{ key: 'casebench.cold', value: { boolValue: c.cold } }] : []),
    ...sv('casebench.prompt_version', c.prompt_version),
    ...sv('casebench.error_code', c.error_code),
    ...sv('casebench.run.id', c.run.id),
    ...sv('casebench.source.format', src.format),
    ...sv('casebench.source.id', src.id),
    ...sv('casebench.source.trace_id', src.trace_id),
  ];
  const events: Array<Record<string, unknown>> = [];
  if (isError) {
    events.push({
      timeUnixNano: (endNs ?? startNs).toString(),
      name: 'exception',
      attributes: [...sv('exception.type', c.error_code ?? 'error'), ...sv('exception.message', c.error ?? '')],
    });
  }
  for (const r of reviews) {
    events.push({
      timeUnixNano: (r.timeNs ?? endNs ?? startNs).toString(),
      name: 'gen_ai.evaluation.result',
      attributes: [
        ...sv('gen_ai.evaluation.name', r.name),
        ...dv('gen_ai.evaluation.score.value', r.score),
        ...sv('gen_ai.evaluation.score.label', r.label),
        ...sv('gen_ai.evaluation.explanation', r.explanation),
        ...sv('gen_ai.response.id', c.request_id),
      ],
    });
  }
  const span = {
    traceId: hexId(c.trace_id, 32),
    spanId: hexId(c.span_id, 16),
    name: `chat ${c.model ?? 'unknown'}`,
    kind: 3,
    startTimeUnixNano: startNs.toString(),
    // an unknown end (a record that carried no times) stays unknown rather than a zero-length span
    ...(endNs !== null ? { endTimeUnixNano: endNs.toString() } : {}),
    attributes: attrs,
    events,
    status: isError ? { code: 2, message: c.error ?? '' } : { code: 1 },
  };
  return {
    resourceSpans: [
      {
        resource: { attributes: [...sv('service.name', 'casebench'), ...sv('service.version', version)] },
        scopeSpans: [{ scope: { name: 'casebench', version }, spans: [span] }],
      },
    ],
  };
}

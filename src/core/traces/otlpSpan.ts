// One OTLP span read into a resolver node: the GenAI semantic-convention (current and legacy names),
// OpenInference and Langfuse attribute mapping to a call, or a plain span. otlp.ts walks the files.
import { makeCall, providerName } from './draft.ts';
import { contentText, parsedFromText, partsText, toMessages, toolCallArgs } from './messages.ts';
import type { FileContext, Unit } from './plan.ts';
import type { ChatMessage, ImportedCall, TraceFormat } from './types.ts';
import { spanDraft } from './spans.ts';
import { arr, at, count, first, int64, isoToNs, maybeJson, normaliseId, num, obj, str, type Obj } from './values.ts';

/** An OTel time as epoch ns: an OTLP int64 (any of its JSON forms) or an SDK HrTime `[seconds, nanos]`. */
export function otelTime(v: unknown): bigint | null {
  if (Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && Number.isInteger(v[1])) {
    return BigInt(v[0] as number) * 1_000_000_000n + BigInt(v[1] as number);
  }
  return int64(v);
}

const CALL_OPS = new Set(['chat', 'text_completion', 'generate_content', 'completion']);
const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

/** An OTLP AnyValue as a plain JS value (int64 beyond 2^53 stays a decimal string). */
export function anyValue(v: unknown): unknown {
  const o = obj(v);
  if (!o) return v;
  if ('stringValue' in o) return o.stringValue;
  if ('boolValue' in o) return o.boolValue;
  if ('intValue' in o) {
    const b = int64(o.intValue);
    if (b === null) return null;
    return b <= BigInt(Number.MAX_SAFE_INTEGER) && b >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b.toString();
  }
  if ('doubleValue' in o) return num(o.doubleValue);
  if ('arrayValue' in o) return arr(obj(o.arrayValue)?.values).map(anyValue);
  if ('kvlistValue' in o) return attributes(obj(o.kvlistValue)?.values);
  if ('bytesValue' in o) return o.bytesValue;
  if (Object.keys(o).length === 0) return null;
  return v;
}

/** Span/resource attributes as a flat map: from a KeyValue list or a plain object. */
export function attributes(v: unknown): Obj {
  const out: Obj = {};
  if (Array.isArray(v)) {
    for (const kv of v) {
      const o = obj(kv);
      if (o && typeof o.key === 'string') out[o.key] = anyValue(o.value);
    }
  } else {
    const o = obj(v);
    if (o) for (const [k, x] of Object.entries(o)) out[k] = anyValue(x);
  }
  return out;
}

function enumNumber(v: unknown, names: Record<string, number>): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const u = v.toUpperCase();
    if (u in names) return names[u]!;
    for (const [k, n] of Object.entries(names)) if (k.endsWith(`_${u}`)) return n;
    return num(v);
  }
  return null;
}

function statusCode(v: unknown): number | null {
  return enumNumber(v, { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 });
}

const LEGACY_CALL_KEY = /^(gen_ai\.(request\.model|response\.model|system|usage\.|prompt|completion)|llm\.request\.type)/;

function isModelCall(a: Obj): boolean {
  const op = str(a['gen_ai.operation.name'])?.toLowerCase();
  if (op) return CALL_OPS.has(op);
  const oi = str(a['openinference.span.kind'])?.toUpperCase();
  if (oi) return oi === 'LLM';
  const lf = str(a['langfuse.observation.type'])?.toLowerCase();
  if (lf) return lf === 'generation';
  return Object.keys(a).some((k) => LEGACY_CALL_KEY.test(k));
}

// Attributes already read into the record's own fields (messages, output, model, tokens, cost,
// ticket, task, times, casebench extras): metadata keeps only the others, as the note asks.
const CONTENT_KEY =
  /^(gen_ai\.(input|output)\.messages|gen_ai\.system_instructions|gen_ai\.prompt(\.\d+\..*)?|gen_ai\.completion(\.\d+\..*)?|llm\.(input|output)_messages\..*|input\.value|output\.value|output\.parsed|langfuse\.observation\.(input|output|completion_start_time|type|level|status_message|cost_details)|gen_ai\.(provider\.name|system|request\.model|response\.model|response\.id|response\.time_to_first_chunk|output\.type)|gen_ai\.usage\.(input_tokens|output_tokens|prompt_tokens|completion_tokens|cost|cache_read\.input_tokens|reasoning\.output_tokens)|llm\.(model_name|provider|system|cost\.total|token_count\.(prompt|completion|prompt_details\.cache_read|completion_details\.reasoning))|ticket\.(id|text)|task\.name|langsmith\.metadata\.(ticket_id|task)|langfuse\.trace\.(metadata\.ticket_id|name)|langsmith\.span\.kind|casebench\..*)$/;

function indexed(a: Obj, prefix: string): Map<number, Obj> {
  // "llm.input_messages.0.message.role" → {0: {"message.role": …}}
  const out = new Map<number, Obj>();
  for (const [k, v] of Object.entries(a)) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    const dot = rest.indexOf('.');
    const i = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(i)) continue;
    let m = out.get(i);
    if (!m) out.set(i, (m = {}));
    m[dot < 0 ? '' : rest.slice(dot + 1)] = v;
  }
  return new Map([...out.entries()].sort((x, y) => x[0] - y[0]));
}

function oiMessage(m: Obj): ChatMessage {
  const role = str(m['message.role']) ?? 'user';
  if (typeof m['message.content'] === 'string') return { role, content: m['message.content'] };
  const texts = [...indexed(m, 'message.contents.').values()].map((c) => str(c['message_content.text']) ?? '').filter((s) => s !== '');
  const calls = [...indexed(m, 'message.tool_calls.').values()].map((c) =>
    JSON.stringify({ id: c['tool_call.id'], name: c['tool_call.function.name'], arguments: maybeJson(c['tool_call.function.arguments']) }),
  );
  return { role, content: [...texts, ...calls].join('\n') };
}

interface SpanEvent {
  name: string;
  timeNs: bigint | null;
  attrs: Obj;
}

function inputMessages(a: Obj, events: SpanEvent[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  const sys = a['gen_ai.system_instructions'];
  if (sys !== undefined && sys !== null) {
    const v = maybeJson(sys);
    out.push({ role: 'system', content: Array.isArray(v) ? partsText(v) : contentText(v) });
  }
  if (a['gen_ai.input.messages'] !== undefined) return [...out, ...toMessages(a['gen_ai.input.messages'])];
  const details = events.find((e) => e.name === 'gen_ai.client.inference.operation.details');
  if (details?.attrs['gen_ai.input.messages'] !== undefined) return [...out, ...toMessages(details.attrs['gen_ai.input.messages'])];
  const legacy = indexed(a, 'gen_ai.prompt.');
  if (legacy.size > 0)
    return [...out, ...[...legacy.values()].map((m) => ({ role: str(m.role) ?? 'user', content: contentText(m.content) }))];
  if (typeof a['gen_ai.prompt'] === 'string') {
    const m = toMessages(a['gen_ai.prompt']);
    return [...out, ...(m.length ? m : [{ role: 'user', content: a['gen_ai.prompt'] }])];
  }
  const msgEvents = events.filter((e) => /^gen_ai\.(system|user|assistant|tool)\.message$/.test(e.name));
  if (msgEvents.length) {
    return [
      ...out,
      ...msgEvents.map((e) => ({
        role: e.name.split('.')[1]!,
        content: contentText(e.attrs.content ?? at(maybeJson(e.attrs['gen_ai.event.content']), 'content')),
      })),
    ];
  }
  const oi = indexed(a, 'llm.input_messages.');
  if (oi.size > 0) return [...out, ...[...oi.values()].map(oiMessage)];
  if (a['input.value'] !== undefined) return [...out, ...toMessages(a['input.value'])];
  if (a['langfuse.observation.input'] !== undefined) return [...out, ...toMessages(a['langfuse.observation.input'])];
  return out;
}

function outputText(a: Obj, events: SpanEvent[]): string | null {
  const msgs = maybeJson(
    a['gen_ai.output.messages'] ??
      events.find((e) => e.name === 'gen_ai.client.inference.operation.details')?.attrs['gen_ai.output.messages'],
  );
  if (Array.isArray(msgs) && msgs.length > 0) {
    const m = obj(msgs[0]);
    if (m && Array.isArray(m.parts)) return partsText(m.parts);
    if (m) return contentText(m.content);
  }
  const legacy = indexed(a, 'gen_ai.completion.');
  if (legacy.size > 0) return contentText([...legacy.values()][0]!.content);
  if (typeof a['gen_ai.completion'] === 'string') return a['gen_ai.completion'];
  const choice = events.find((e) => e.name === 'gen_ai.choice');
  if (choice) {
    const msg = choice.attrs.message ?? at(maybeJson(choice.attrs['gen_ai.event.content']), 'message');
    return contentText(at(maybeJson(msg), 'content') ?? msg);
  }
  const oi = indexed(a, 'llm.output_messages.');
  if (oi.size > 0) return oiMessage([...oi.values()][0]!).content;
  if (a['output.value'] !== undefined) return contentText(a['output.value']);
  if (a['langfuse.observation.output'] !== undefined) return contentText(maybeJson(a['langfuse.observation.output']));
  return null;
}

function metaValue(a: Obj, key: string, field: string): unknown {
  // "langsmith.metadata.ticket_id" as its own attribute, or inside a JSON "langsmith.metadata"
  return a[`${key}.${field}`] ?? at(maybeJson(a[key]), field);
}

/** Reads one span into a resolver node (with its call when it is a model call), or explains why not. */
export function spanUnit(span: unknown, resource: Obj, scope: Obj, where: string, _ctx: FileContext): Unit {
  const o = obj(span);
  if (!o) return { issue: { where, message: 'not a span object' } };
  const a = attributes(o.attributes);
  const format: TraceFormat = a['openinference.span.kind'] !== undefined ? 'openinference' : 'otlp';
  // an SDK ReadableSpan written as JSON keeps its ids in (_)spanContext and its parent's in parentSpanContext
  const sc = obj(o.spanContext) ?? obj(o._spanContext);
  const traceId = normaliseId(o.traceId ?? o.trace_id ?? sc?.traceId, 16);
  const spanId = normaliseId(o.spanId ?? o.span_id ?? sc?.spanId, 8);
  if (!traceId || !spanId) return { issue: { where, message: `span without ${traceId ? 'spanId' : 'traceId'}` } };
  const parent = normaliseId(o.parentSpanId ?? o.parent_span_id ?? at(o, 'parentSpanContext', 'spanId'), 8);
  const name = str(o.name);
  const ticketId = str(
    first(
      a['ticket.id'],
      metaValue(a, 'langsmith.metadata', 'ticket_id'),
      metaValue(a, 'langfuse.trace.metadata', 'ticket_id'),
      at(maybeJson(a.metadata), 'ticket_id'),
      resource['ticket.id'],
    ),
  );
  const task = str(first(a['task.name'], metaValue(a, 'langsmith.metadata', 'task')));
  const node = {
    key: `${traceId}/${spanId}`,
    parentKey: parent ? `${traceId}/${parent}` : null,
    name,
    task,
    ticketId,
    ticketText: str(a['ticket.text']),
    agentName: str(a['gen_ai.agent.name']),
    call: null as ImportedCall | null,
  };
  if (!isModelCall(a)) {
    const st = obj(o.status) ?? {};
    const isError = statusCode(st.code) === 2;
    const kindName =
      str(a['openinference.span.kind']) ??
      str(a['gen_ai.operation.name']) ??
      (typeof o.kind === 'string' ? o.kind.replace(/^SPAN_KIND_/, '') : null);
    const startNs = otelTime(o.startTimeUnixNano ?? o.start_time_unix_nano ?? o.startTime);
    const endNs = otelTime(o.endTimeUnixNano ?? o.end_time_unix_nano ?? o.endTime);
    const { 'input.value': input, 'output.value': output, ...rest } = a;
    return {
      node: {
        ...node,
        span: spanDraft({
          traceId,
          spanId,
          parentSpanId: parent,
          name,
          kind: kindName,
          startNs: startNs || null,
          endNs: endNs || null,
          status: isError ? 'error' : 'ok',
          error: isError ? (str(st.message) ?? 'error') : null,
          input: maybeJson(input),
          output: maybeJson(output),
          metadata: Object.keys(rest).length ? rest : null,
          where,
        }),
      },
    };
  }
  const startNs = otelTime(o.startTimeUnixNano ?? o.start_time_unix_nano ?? o.startTime);
  if (startNs === null || startNs === 0n) return { issue: { where, message: `span ${spanId}: model call without startTimeUnixNano` } };
  let endNs = otelTime(o.endTimeUnixNano ?? o.end_time_unix_nano ?? o.endTime);
  if (endNs === 0n) endNs = null;
  const events: SpanEvent[] = arr(o.events).map((e) => {
    const eo = obj(e) ?? {};
    return {
      name: str(eo.name) ?? '',
      timeNs: otelTime(eo.timeUnixNano ?? eo.time_unix_nano ?? eo.time),
      attrs: attributes(eo.attributes),
    };
  });
  const st = obj(o.status) ?? {};
  const exc = events.find((e) => e.name === 'exception');
  const lfLevel = str(a['langfuse.observation.level'])?.toUpperCase();
  const isError = statusCode(st.code) === 2 || lfLevel === 'ERROR' || (statusCode(st.code) !== 1 && a['error.type'] !== undefined);
  const excText = exc ? [str(exc.attrs['exception.type']), str(exc.attrs['exception.message'])].filter(Boolean).join(': ') : null;
  const error = isError
    ? (str(st.message) ?? (excText || null) ?? str(a['error.type']) ?? str(a['langfuse.observation.status_message']) ?? 'error')
    : null;
  let ttft: number | null = null;
  const tfc = num(a['gen_ai.response.time_to_first_chunk']);
  const cst = str(a['langfuse.observation.completion_start_time']);
  const firstTokenEvent = events.find((e) => e.name === 'First Token Stream Event');
  if (tfc !== null) ttft = tfc * 1000;
  else if (cst && isoToNs(cst) !== null) ttft = Number(isoToNs(cst)! - startNs) / 1e6;
  else if (num(a['ai.response.msToFirstChunk']) !== null) ttft = num(a['ai.response.msToFirstChunk']);
  else if (firstTokenEvent?.timeNs) ttft = Number(firstTokenEvent.timeNs - startNs) / 1e6;
  const input = inputMessages(a, events);
  const output = outputText(a, events);
  const outputJson = str(a['gen_ai.output.type']) === 'json' || str(a['output.mime_type']) === 'application/json';
  const parsed =
    maybeJson(a['output.parsed']) ?? toolCallArgs(a['gen_ai.output.messages']) ?? (outputJson || output ? parsedFromText(output) : null);
  const rest: Obj = {};
  for (const [k, v] of Object.entries(a)) if (!CONTENT_KEY.test(k)) rest[k] = v;
  const responseModel = str(first(a['gen_ai.response.model'], a['llm.response.model_name']));
  const usageDetails: Obj = {};
  const cached = count(first(a['gen_ai.usage.cache_read.input_tokens'], a['llm.token_count.prompt_details.cache_read']));
  const reasoning = count(first(a['gen_ai.usage.reasoning.output_tokens'], a['llm.token_count.completion_details.reasoning']));
  if (cached !== null) usageDetails.cache_read = cached;
  if (reasoning !== null) usageDetails.reasoning = reasoning;
  const kind = enumNumber(o.kind, KIND_NAMES);
  const cbAttempt = count(a['casebench.attempt']);
  node.call = makeCall({
    format,
    id: spanId,
    parentId: parent,
    traceId,
    startNs,
    endNs,
    ttftMs: ttft,
    provider: providerName(str(first(a['gen_ai.provider.name'], a['gen_ai.system'], a['llm.provider'], a['llm.system']))),
    model: str(
      first(
        a['gen_ai.request.model'],
        a['gen_ai.response.model'],
        a['llm.model_name'],
        a['llm.request.model_name'],
        a['llm.response.model_name'],
        a['langfuse.observation.model.name'],
      ),
    ),
    inputTokens: count(first(a['gen_ai.usage.input_tokens'], a['gen_ai.usage.prompt_tokens'], a['llm.token_count.prompt'])),
    outputTokens: count(first(a['gen_ai.usage.output_tokens'], a['gen_ai.usage.completion_tokens'], a['llm.token_count.completion'])),
    costUsd: num(first(a['gen_ai.usage.cost'], a['llm.cost.total'], at(maybeJson(a['langfuse.observation.cost_details']), 'total'))),
    status: isError ? 'error' : 'success',
    error,
    input,
    output,
    parsed,
    metadata: {
      span_name: name,
      kind,
      attributes: rest,
      resource,
      scope,
      ...(responseModel ? { response_model: responseModel } : {}),
      ...(Object.keys(usageDetails).length ? { usage_details: usageDetails } : {}),
      ...(events.length ? { events: events.map((e) => e.name) } : {}),
    },
    ticketId,
    task,
    x: {
      spanId,
      parentSpanId: parent,
      cachedTokens: cached,
      reasoningTokens: reasoning,
      requestId: str(a['gen_ai.response.id']),
      ticketText: str(a['ticket.text']),
      errorCode: str(a['casebench.error_code']),
      attempt: cbAttempt,
      promptVersion: str(a['casebench.prompt_version']),
      modelSpec: str(a['casebench.model_spec']),
    },
    where,
  });
  return { node };
}

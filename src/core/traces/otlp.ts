// OTLP/JSON traces (a TracesData document or the OTel file exporter's JSONL, one TracesData a
// line) with GenAI semantic-convention attributes (current and legacy names) and OpenInference
// attributes; also a bare span attribute map. The envelope may be missing, as tools write it:
// ResourceSpans objects on their own (GitHub Copilot CLI), bare spans in OTLP form or as an SDK
// ReadableSpan (`startTime: [s, ns]`, a VS Code / Gemini CLI file exporter), one a line, one
// after another pretty-printed, or in a JSON array. Tolerates what real files contain: base64
// ids, enum names, unquoted int64, {low,high} longs, attributes as a plain object.
import { makeCall, providerName } from './draft.ts';
import type { Decision, PathSeg } from './jsonStream.ts';
import { formatPath } from './jsonStream.ts';
import { contentText, parsedFromText, partsText, toMessages, toolCallArgs } from './messages.ts';
import { walkPlan, type FileContext, type Plan, type Unit } from './plan.ts';
import type { ChatMessage, ImportedCall, TraceFormat } from './types.ts';
import { spanDraft } from './spans.ts';
import { arr, at, count, first, int64, isoToNs, maybeJson, normaliseId, num, obj, str, type Obj } from './values.ts';
import { isBareResourceSpans, isBareSpan } from './detect.ts';

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

/** The OTLP layouts detection tells apart (detect.ts); 'line' = a JSONL line, any of them. */
export type OtlpShape = 'doc' | 'resourceSpans' | 'resourceSpansArray' | 'span' | 'spanArray' | 'line';

const SCOPE_SPANS = new Set(['scopeSpans', 'scope_spans', 'instrumentationLibrarySpans']);
const RESOURCE_SPANS = new Set(['resourceSpans', 'resource_spans']);

/**
 * Selection inside one ResourceSpans object (its path starts at `at0`): its resource, each scope
 * and each span; everything else is skipped.
 */
function selectInResourceSpans(p: readonly PathSeg[], at0: number): Decision {
  const n = p.length - at0;
  if (n === 0) return 'descend';
  const k = p[at0];
  if (k === 'resource') return n === 1 ? 'value' : 'skip';
  if (!SCOPE_SPANS.has(k as string)) return 'skip';
  if (n <= 2) return 'descend';
  const k2 = p[at0 + 2];
  if (n === 3) return k2 === 'scope' || k2 === 'instrumentationLibrary' ? 'value' : k2 === 'spans' ? 'descend' : 'skip';
  return n === 4 && k2 === 'spans' ? 'value' : 'skip';
}

/**
 * The plan for OTLP traces: a TracesData document, ResourceSpans objects without the envelope, bare
 * spans, or (in JSONL) any of them a line. A file of several documents one after another calls
 * startDocument between them, so each document's resources and scopes stay its own.
 */
export function otlpPlan(ctx: FileContext, shape: OtlpShape = 'doc'): Plan {
  let docNo = -1;
  // the ResourceSpans whose resource and scope are current: document number and index in it
  let resDoc = -2;
  let resIdx = -2;
  let resource: Obj = {};
  let scopeKey = '';
  let scope: Obj = {};
  // Where a ResourceSpans object starts in a path: TracesData → resourceSpans[i]; an array of them → [i]; a bare one → the root.
  const rsStart = (p: readonly PathSeg[]): number =>
    p.length > 0 && RESOURCE_SPANS.has(p[0] as string) ? 2 : shape === 'resourceSpansArray' ? 1 : 0;
  const select = (p: readonly PathSeg[]): Decision => {
    const n = p.length;
    if (shape === 'span' || shape === 'line') return n === 0 ? 'value' : 'skip';
    if (shape === 'spanArray') return n === 0 ? 'descend' : n === 1 ? 'value' : 'skip';
    if (n === 0) return 'descend';
    if (shape === 'resourceSpansArray') return n === 1 ? 'descend' : selectInResourceSpans(p, 1);
    // a TracesData document, or a bare ResourceSpans (either may follow the other in one file)
    if (RESOURCE_SPANS.has(p[0] as string)) return n <= 2 ? 'descend' : selectInResourceSpans(p, 2);
    return selectInResourceSpans(p, 0);
  };
  const resourceSpansValue = (p: readonly PathSeg[], v: unknown, where: string): Unit[] => {
    const at0 = rsStart(p);
    const ri = at0 === 0 ? -1 : (p[at0 - 1] as number);
    if (ri !== resIdx || docNo !== resDoc) {
      resDoc = docNo;
      resIdx = ri;
      resource = {};
      scopeKey = '';
      scope = {};
    }
    if (p[at0] === 'resource') {
      resource = attributes(obj(v)?.attributes);
      return [];
    }
    const sk = String(p[at0 + 1]);
    if (sk !== scopeKey) {
      scopeKey = sk;
      scope = {};
    }
    if (p[at0 + 2] === 'scope' || p[at0 + 2] === 'instrumentationLibrary') {
      const s = obj(v) ?? {};
      scope = { name: str(s.name), version: str(s.version) };
      return [];
    }
    return [spanUnit(v, resource, scope, `${where} ${formatPath(p)}`, ctx)];
  };
  // A span on its own carries its resource and scope itself (SDK ReadableSpan form), if at all.
  const bareSpan = (v: unknown, where: string): Unit => {
    const o = obj(v) ?? {};
    const sc = obj(o.instrumentationScope) ?? obj(o.instrumentationLibrary);
    return spanUnit(v, attributes(at(o, 'resource', 'attributes')), sc ? { name: str(sc.name), version: str(sc.version) } : {}, where, ctx);
  };
  const plan: Plan = {
    fallback: 'parent',
    select,
    startDocument() {
      docNo++;
    },
    onValue(p, v, where) {
      if (shape === 'span') return [bareSpan(v, where)];
      if (shape === 'spanArray') return [bareSpan(v, `${where} ${formatPath(p)}`)];
      if (shape === 'line') {
        // one JSONL line: a TracesData, a ResourceSpans or a span, walked as its own document
        const o = obj(v);
        if (o && !('resourceSpans' in o) && !('resource_spans' in o) && !isBareResourceSpans(o) && isBareSpan(o))
          return [bareSpan(v, where)];
        return walkPlan(v, inner, where);
      }
      return resourceSpansValue(p, v, where);
    },
    finish: () => [],
  };
  // JSONL lines holding a TracesData or a ResourceSpans are walked with the document selection.
  const inner: Plan = {
    fallback: 'parent',
    select: (p) =>
      p.length === 0
        ? 'descend'
        : RESOURCE_SPANS.has(p[0] as string)
          ? p.length <= 2
            ? 'descend'
            : selectInResourceSpans(p, 2)
          : selectInResourceSpans(p, 0),
    onValue: (p, v, where) => resourceSpansValue(p, v, where),
    finish: () => [],
  };
  return plan;
}

/** The plan for a bare span attribute map (no envelope, no times: the file's mtime stands in, flagged). */
export function attributeMapPlan(ctx: FileContext): Plan {
  let n = 0;
  return {
    fallback: 'parent',
    select: () => 'value',
    onValue(_p, v, where) {
      const a = obj(v);
      if (!a) return [{ issue: { where, message: 'not an attribute map' } }];
      const id = (n++).toString(16).padStart(16, '0');
      const traceId = `${ctx.fileId}${id}`;
      const u = spanUnit(
        { traceId, spanId: id, name: str(a['gen_ai.operation.name']) ?? 'span', startTimeUnixNano: ctx.mtimeNs.toString(), attributes: a },
        {},
        {},
        where,
        ctx,
      );
      if ('node' in u && u.node.call) {
        const rec = u.node.call.record;
        rec.ended_at = null;
        rec.latency_ms = null;
        rec.metadata.approximate_time = 'the record has no timestamps: started_at is the file modification time';
        rec.metadata.source.id = null;
        rec.metadata.source.trace_id = null;
      }
      return [u];
    },
    finish: () => [],
  };
}

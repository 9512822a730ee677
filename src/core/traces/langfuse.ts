// Langfuse: the single-trace "Download JSON" ({trace, observations}) and the batch (table) export
// of observations as a JSON array, JSONL or CSV. GENERATION observations become calls; the trace
// and every other observation are nodes for the task/ticket walk. `latency` fields are ignored
// (seconds in the API, ms in the UI download): latency is end − start.
import { inferProvider, makeCall, providerName } from './draft.ts';
import { spanDraft } from './spans.ts';
import { formatPath, type Decision, type PathSeg } from './jsonStream.ts';
import { contentText, parsedFromText, partsText, toMessages, toolCallArgs } from './messages.ts';
import type { FileContext, Plan, Unit } from './plan.ts';
import type { TraceNode } from './resolve.ts';
import type { ImportedCall } from './types.ts';
import { arr, at, count, first, isoToNs, maybeJson, num, obj, str, type Obj } from './values.ts';

export const OBSERVATION_TYPES = new Set(['SPAN', 'EVENT', 'GENERATION', 'AGENT', 'TOOL', 'CHAIN', 'RETRIEVER', 'EVALUATOR', 'EMBEDDING', 'GUARDRAIL']);

function ticketFromTags(tags: unknown): string | null {
  for (const t of arr(maybeJson(tags))) if (typeof t === 'string' && t.startsWith('ticket:')) return t.slice(7) || null;
  return null;
}

function outputText(v: unknown): string | null {
  const x = maybeJson(v);
  if (x === null || x === undefined) return null;
  if (typeof x === 'string') return x;
  if (Array.isArray(x)) {
    // parts messages: the last assistant message's text (the model's answer)
    const msgs = x.map(obj).filter((m): m is Obj => m !== null);
    const last = [...msgs].reverse().find((m) => m.role === 'assistant' || m.role === undefined) ?? msgs.at(-1);
    if (last && Array.isArray(last.parts)) return partsText(last.parts);
    if (last) return contentText(last.content);
    return JSON.stringify(x);
  }
  const o = obj(x)!;
  if (o.choices !== undefined) return contentText(at(o, 'choices', 0, 'message', 'content'));
  if (obj(o.message)) return contentText((o.message as Obj).content);
  if ('content' in o) return contentText(o.content);
  if (Array.isArray(o.parts)) return partsText(o.parts);
  return JSON.stringify(o);
}

/** The trace of a single-trace download as the root node of its observations. */
function traceNode(t: Obj): TraceNode {
  const meta = obj(maybeJson(t.metadata)) ?? {};
  const ts = typeof t.timestamp === 'string' ? isoToNs(t.timestamp) : null;
  return {
    key: `${String(t.id)}/`, parentKey: null, name: str(t.name), task: str(meta.task) ?? str(t.name),
    ticketId: str(meta.ticket_id) ?? ticketFromTags(t.tags), ticketText: str(meta.ticket_text), agentName: null, call: null,
    // the trace itself is the tree's root: its top-level observations hang under it
    span: spanDraft({
      traceId: String(t.id), spanId: String(t.id), name: str(t.name), kind: 'trace', startNs: ts, input: maybeJson(t.input), output: maybeJson(t.output),
      metadata: Object.keys(meta).length ? meta : null, where: `trace ${String(t.id)}`,
    }),
  };
}

/** One observation (download or table-export row; CSV cells arrive as text) as a node. */
export function observationUnit(row: unknown, where: string, ctx: FileContext, hasTraceNode: boolean): Unit {
  const o = obj(row);
  if (!o) return { issue: { where, message: 'not an observation object' } };
  const id = str(o.id);
  const traceId = str(o.traceId);
  if (!id || !traceId) return { issue: { where, message: `observation without ${id ? '`traceId`' : '`id`'}` } };
  const parent = str(o.parentObservationId);
  const meta = obj(maybeJson(o.metadata)) ?? {};
  const attrs = obj(maybeJson(meta.attributes)) ?? {};
  const name = str(o.name);
  const node: TraceNode = {
    key: `${traceId}/${id}`,
    parentKey: parent ? `${traceId}/${parent}` : hasTraceNode ? `${traceId}/` : null,
    name,
    // table-export rows carry the trace's name: the trace-level task
    task: str(meta.task) ?? (parent ? null : str(o.traceName)),
    ticketId: str(meta.ticket_id) ?? ticketFromTags(o.traceTags) ?? ticketFromTags(o.tags),
    ticketText: str(meta.ticket_text), agentName: str(attrs['gen_ai.agent.name']), call: null as ImportedCall | null,
  };
  if (str(o.type)?.toUpperCase() !== 'GENERATION') {
    const level = str(o.level)?.toUpperCase();
    node.span = spanDraft({
      traceId, spanId: id, parentSpanId: parent ?? (hasTraceNode ? traceId : null), name, kind: str(o.type),
      startNs: typeof o.startTime === 'string' ? isoToNs(o.startTime) : null, endNs: typeof o.endTime === 'string' && o.endTime !== '' ? isoToNs(o.endTime) : null,
      status: level === 'ERROR' ? 'error' : 'ok', error: level === 'ERROR' ? (str(o.statusMessage) ?? 'error') : null,
      input: maybeJson(o.input), output: maybeJson(o.output), metadata: Object.keys(meta).length ? meta : null, where,
    });
    return { node };
  }
  const startNs = typeof o.startTime === 'string' ? isoToNs(o.startTime) : null;
  if (startNs === null) return { issue: { where, message: `observation ${id}: no readable startTime (${JSON.stringify(o.startTime ?? null)})` } };
  const endNs = typeof o.endTime === 'string' && o.endTime !== '' ? isoToNs(o.endTime) : null;
  const usage = obj(maybeJson(o.usageDetails)) ?? {};
  const legacyUsage = obj(maybeJson(o.usage)) ?? {};
  const cost = obj(maybeJson(o.costDetails)) ?? {};
  const level = str(o.level)?.toUpperCase();
  const model = str(first(o.model, o.providedModelName));
  const cst = typeof o.completionStartTime === 'string' && o.completionStartTime !== '' ? isoToNs(o.completionStartTime) : null;
  const ttft = cst !== null ? Number(cst - startNs) / 1e6 : num(o.timeToFirstToken) !== null ? num(o.timeToFirstToken)! * 1000 : null;
  const output = outputText(o.output);
  const usageDetails: Obj = {};
  for (const [k, v] of Object.entries(usage)) if (k !== 'input' && k !== 'output' && k !== 'total') usageDetails[k] = v;
  const rest: Obj = {};
  for (const [k, v] of Object.entries(meta)) if (k !== 'ticket_id' && k !== 'task' && k !== 'ticket_text') rest[k] = v;
  node.call = makeCall({
    format: 'langfuse', id, parentId: parent, traceId, startNs, endNs,
    ttftMs: ttft,
    provider: providerName(str(first(attrs['gen_ai.provider.name'], attrs['gen_ai.system'], meta.ls_provider))) ?? inferProvider(model),
    model,
    inputTokens: count(first(usage.input, legacyUsage.input, o.inputUsage, o.promptTokens)),
    outputTokens: count(first(usage.output, legacyUsage.output, o.outputUsage, o.completionTokens)),
    costUsd: num(first(cost.total, o.totalCost, o.calculatedTotalCost)),
    status: level === 'ERROR' ? 'error' : 'success',
    error: level === 'ERROR' ? (str(o.statusMessage) ?? 'error') : null,
    input: toMessages(o.input),
    output,
    parsed: toolCallArgs(o.output) ?? (obj(maybeJson(o.output)) && !Array.isArray(maybeJson(o.output)) && !('content' in (obj(maybeJson(o.output)) ?? {})) ? maybeJson(o.output) : parsedFromText(output)),
    metadata: {
      observation_name: name,
      ...rest,
      ...(level === 'WARNING' ? { warning: str(o.statusMessage) ?? true } : {}),
      ...(Object.keys(usageDetails).length ? { usage_details: usageDetails } : {}),
      ...(o.modelParameters ? { model_parameters: maybeJson(o.modelParameters) } : {}),
      ...(o.environment ? { environment: o.environment } : {}),
      ...(o.promptName ? { prompt_name: o.promptName, prompt_version: o.promptVersion ?? null } : {}),
      ...(arr(maybeJson(o.scores)).length ? { scores: maybeJson(o.scores) } : {}),
    },
    ticketId: node.ticketId, task: node.task,
    x: {
      ticketText: node.ticketText,
      requestId: str(attrs['gen_ai.response.id']),
      cachedTokens: count(first(usage.cache_read_input_tokens, usage.input_cached_tokens, usage.cache_read)),
      reasoningTokens: count(first(usage.output_reasoning_tokens, usage.reasoning_tokens, usage.reasoning)),
    },
    where,
  });
  return { node };
}

/** The plan for Langfuse files: a single-trace download or an array/JSONL/CSV of observation rows. */
export function langfusePlan(ctx: FileContext, shape: 'trace' | 'array' | 'rows'): Plan {
  let traceSeen = false;
  let traceScores: unknown = null;
  const select = (p: readonly PathSeg[]): Decision => {
    if (p.length === 0) return shape === 'rows' ? 'value' : 'descend';
    if (shape === 'array') return p.length === 1 ? 'value' : 'skip';
    if (p.length === 1) return p[0] === 'trace' ? 'value' : p[0] === 'observations' ? 'descend' : 'skip';
    return p.length === 2 && p[0] === 'observations' ? 'value' : 'skip';
  };
  return {
    fallback: 'parent',
    select,
    onValue(p, v, where) {
      const w = p.length ? `${where} ${formatPath(p)}` : where;
      if (p.length === 0) {
        // a JSONL line: one observation row, or a whole single-trace download
        const o = obj(v);
        if (o && obj(o.trace) && Array.isArray(o.observations)) {
          const t = obj(o.trace)!;
          return [{ node: traceNode(t) }, ...o.observations.map((x, i) => withScores(observationUnit(x, `${where} observations[${i}]`, ctx, true), t.scores))];
        }
        return [observationUnit(v, w, ctx, false)];
      }
      if (p[0] === 'trace') {
        const t = obj(v);
        if (!t || !str(t.id)) return [{ issue: { where: w, message: 'trace without `id`' } }];
        traceSeen = true;
        traceScores = t.scores;
        return [{ node: traceNode(t) }];
      }
      return [withScores(observationUnit(v, w, ctx, traceSeen || shape === 'trace'), traceScores)];
    },
    finish: () => [],
  };
}

// Trace-level scores (evaluations, annotations) travel with each generation of the trace.
function withScores(u: Unit, scores: unknown): Unit {
  if ('node' in u && u.node.call && arr(scores).length) {
    u.node.call.record.metadata.trace_scores = arr(scores).map((s) => {
      const o = obj(s) ?? {};
      return { name: o.name ?? null, value: o.value ?? null, string_value: o.stringValue ?? null, data_type: o.dataType ?? null, source: o.source ?? null, comment: o.comment ?? null };
    });
  }
  return u;
}

// Langfuse: the single-trace "Download JSON" ({trace, observations}) and the batch (table) export
// of observations as a JSON array, JSONL or CSV. GENERATION observations become calls; the trace
// and every other observation are nodes for the task/ticket walk. `latency` fields are ignored
// (seconds in the API, ms in the UI download): latency is end − start.
import { inferProvider, makeCall, providerName } from './draft.ts';
import { spanDraft } from './spans.ts';
import { formatPath, type Decision, type PathSeg } from './jsonStream.ts';
import { assistantOutput, parsedFromText, toMessages, toolCallArgs } from './messages.ts';
import type { FileContext, Plan, Unit } from './plan.ts';
import type { TraceNode } from './resolve.ts';
import type { ImportedCall } from './types.ts';
import { arr, count, first, maybeJson, num, obj, str, timeToNs, type Obj } from './values.ts';

export const OBSERVATION_TYPES = new Set([
  'SPAN',
  'EVENT',
  'GENERATION',
  'AGENT',
  'TOOL',
  'CHAIN',
  'RETRIEVER',
  'EVALUATOR',
  'EMBEDDING',
  'GUARDRAIL',
]);

function ticketFromTags(tags: unknown): string | null {
  for (const t of arr(maybeJson(tags))) if (typeof t === 'string' && t.startsWith('ticket:')) return t.slice(7) || null;
  return null;
}

// Langfuse usageDetails keys (its own canonical names and the aliases its ingestion accepts,
// packages/shared pricing usageKeyAliases): cache reads, cache writes, reasoning.
const CACHE_READ_KEYS = [
  'input_cached_tokens',
  'input_cache_read',
  'cache_read_input_tokens',
  'cached_tokens',
  'input_cached',
  'cache_read',
];
const CACHE_WRITE_KEYS = [
  'input_cache_creation',
  'input_cache_write',
  'cache_creation_input_tokens',
  'cache_write_tokens',
  'cache_creation',
];
const REASONING_KEYS = [
  'output_reasoning_tokens',
  'output_reasoning',
  'reasoning_tokens',
  'reasoning.output_tokens',
  'completion_details.reasoning',
  'reasoning',
];

function firstCount(u: Obj, keys: readonly string[]): number | null {
  for (const k of keys) {
    const n = count(u[k]);
    if (n !== null) return n;
  }
  return null;
}

/**
 * Token counts from a usageDetails map. Langfuse's buckets add up to the total: `input` leaves out
 * the cache reads and writes (`input_*` keys) and `output` the reasoning (`output_*`), as its OpenAI
 * and Vercel AI SDK integrations write them. casebench counts input and output whole (cached and
 * reasoning tokens are parts of them), so the buckets are added back, unless a `total` shows
 * that `input` and `output` already include them.
 */
export function langfuseTokens(
  usage: Obj,
  fallbackIn: unknown,
  fallbackOut: unknown,
): { input: number | null; output: number | null; cached: number | null; reasoning: number | null; cacheWrite: number | null } {
  const inBase = count(first(usage.input, fallbackIn));
  const outBase = count(first(usage.output, fallbackOut));
  let inParts = 0;
  let outParts = 0;
  for (const [k, v] of Object.entries(usage)) {
    const n = count(v);
    if (n === null || k === 'input' || k === 'output' || k === 'total') continue;
    if (/^(input|prompt)|cache/.test(k)) inParts += n;
    else if (/^(output|completion)|reasoning/.test(k)) outParts += n;
  }
  const total = count(usage.total);
  const inclusive = total !== null && inBase !== null && outBase !== null && inBase + outBase === total && inParts + outParts > 0;
  return {
    input: inBase === null ? null : inclusive ? inBase : inBase + inParts,
    output: outBase === null ? null : inclusive ? outBase : outBase + outParts,
    cached: firstCount(usage, CACHE_READ_KEYS),
    reasoning: firstCount(usage, REASONING_KEYS),
    cacheWrite: firstCount(usage, CACHE_WRITE_KEYS),
  };
}

/** The trace of a single-trace download as the root node of its observations. */
function traceNode(t: Obj): TraceNode {
  const meta = obj(maybeJson(t.metadata)) ?? {};
  const ts = timeToNs(t.timestamp);
  return {
    key: `${String(t.id)}/`,
    parentKey: null,
    name: str(t.name),
    task: str(meta.task) ?? str(t.name),
    ticketId: str(meta.ticket_id) ?? ticketFromTags(t.tags),
    ticketText: str(meta.ticket_text),
    agentName: null,
    call: null,
    // the trace itself is the tree's root: its top-level observations hang under it
    span: spanDraft({
      traceId: String(t.id),
      spanId: String(t.id),
      name: str(t.name),
      kind: 'trace',
      startNs: ts,
      input: maybeJson(t.input),
      output: maybeJson(t.output),
      metadata: Object.keys(meta).length ? meta : null,
      where: `trace ${String(t.id)}`,
    }),
  };
}

/** One observation (download or table-export row; CSV cells arrive as text) as a node. */
export function observationUnit(row: unknown, where: string, _ctx: FileContext, hasTraceNode: boolean): Unit {
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
    ticketText: str(meta.ticket_text),
    agentName: str(attrs['gen_ai.agent.name']),
    call: null as ImportedCall | null,
  };
  if (str(o.type)?.toUpperCase() !== 'GENERATION') {
    const level = str(o.level)?.toUpperCase();
    node.span = spanDraft({
      traceId,
      spanId: id,
      parentSpanId: parent ?? (hasTraceNode ? traceId : null),
      name,
      kind: str(o.type),
      startNs: timeToNs(o.startTime),
      endNs: o.endTime === '' ? null : timeToNs(o.endTime),
      status: level === 'ERROR' ? 'error' : 'ok',
      error: level === 'ERROR' ? (str(o.statusMessage) ?? 'error') : null,
      input: maybeJson(o.input),
      output: maybeJson(o.output),
      metadata: Object.keys(meta).length ? meta : null,
      where,
    });
    return { node };
  }
  const startNs = timeToNs(o.startTime);
  if (startNs === null)
    return { issue: { where, message: `observation ${id}: no readable startTime (${JSON.stringify(o.startTime ?? null)})` } };
  const endNs = o.endTime === '' ? null : timeToNs(o.endTime);
  const usage = obj(maybeJson(o.usageDetails)) ?? {};
  const legacyUsage = obj(maybeJson(o.usage)) ?? {};
  const cost = obj(maybeJson(o.costDetails)) ?? {};
  const level = str(o.level)?.toUpperCase();
  const model = str(first(o.model, o.providedModelName));
  const cst = o.completionStartTime === '' ? null : timeToNs(o.completionStartTime);
  const ttft = cst !== null ? Number(cst - startNs) / 1e6 : num(o.timeToFirstToken) !== null ? num(o.timeToFirstToken)! * 1000 : null;
  const { text: output, toolCalls } = assistantOutput(o.output);
  const tokens = langfuseTokens(
    usage,
    first(legacyUsage.input, o.inputUsage, o.promptTokens),
    first(legacyUsage.output, o.outputUsage, o.completionTokens),
  );
  const usageDetails: Obj = {};
  for (const [k, v] of Object.entries(usage)) if (k !== 'input' && k !== 'output' && k !== 'total') usageDetails[k] = v;
  const rest: Obj = {};
  for (const [k, v] of Object.entries(meta)) if (k !== 'ticket_id' && k !== 'task' && k !== 'ticket_text') rest[k] = v;
  node.call = makeCall({
    format: 'langfuse',
    id,
    parentId: parent,
    traceId,
    startNs,
    endNs,
    ttftMs: ttft,
    provider: providerName(str(first(attrs['gen_ai.provider.name'], attrs['gen_ai.system'], meta.ls_provider))) ?? inferProvider(model),
    model,
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    costUsd: num(first(cost.total, o.totalCost, o.calculatedTotalCost)),
    status: level === 'ERROR' ? 'error' : 'success',
    error: level === 'ERROR' ? (str(o.statusMessage) ?? 'error') : null,
    input: toMessages(o.input),
    output,
    parsed:
      toolCallArgs(o.output) ??
      toolCalls[0]?.arguments ??
      (obj(maybeJson(o.output)) && !('content' in (obj(maybeJson(o.output)) ?? {})) && !('choices' in (obj(maybeJson(o.output)) ?? {}))
        ? maybeJson(o.output)
        : parsedFromText(output)),
    metadata: {
      observation_name: name,
      ...rest,
      ...(level === 'WARNING' ? { warning: str(o.statusMessage) ?? true } : {}),
      ...(Object.keys(usageDetails).length ? { usage_details: usageDetails } : {}),
      ...(tokens.cacheWrite !== null ? { cache_write_tokens: tokens.cacheWrite } : {}),
      ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
      ...(o.modelParameters ? { model_parameters: maybeJson(o.modelParameters) } : {}),
      ...(o.environment ? { environment: o.environment } : {}),
      ...(o.promptName ? { prompt_name: o.promptName, prompt_version: o.promptVersion ?? null } : {}),
      ...(arr(maybeJson(o.scores)).length ? { scores: maybeJson(o.scores) } : {}),
    },
    ticketId: node.ticketId,
    task: node.task,
    x: {
      ticketText: node.ticketText,
      requestId: str(attrs['gen_ai.response.id']),
      cachedTokens: tokens.cached,
      reasoningTokens: tokens.reasoning,
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
          return [
            { node: traceNode(t) },
            ...o.observations.flatMap((x, i) =>
              withoutMarker(withScores(observationUnit(x, `${where} observations[${i}]`, ctx, true), t.scores)),
            ),
          ];
        }
        return withoutMarker(observationUnit(v, w, ctx, false));
      }
      if (p[0] === 'trace') {
        const t = obj(v);
        if (!t || !str(t.id)) return [{ issue: { where: w, message: 'trace without `id`' } }];
        traceSeen = true;
        traceScores = t.scores;
        return [{ node: traceNode(t) }];
      }
      return withoutMarker(withScores(observationUnit(v, w, ctx, traceSeen || shape === 'trace'), traceScores));
    },
    finish: () => [],
  };
}

/**
 * A GENERATION with no input, no output, no usage and no cost records no model call: tools use
 * generation-typed observations as markers (a step boundary, a stream event). It stays a node (it
 * may be a parent) and is listed as not imported.
 */
function withoutMarker(u: Unit): Unit[] {
  if (!('node' in u) || !u.node.call) return [u];
  const r = u.node.call.record;
  const empty =
    r.input_messages.length === 0 &&
    (r.output_text === null || r.output_text === '') &&
    !r.input_tokens &&
    !r.output_tokens &&
    !u.node.call.x.cachedTokens &&
    !u.node.call.x.reasoningTokens &&
    r.cost_usd === null &&
    r.status === 'success';
  if (!empty) return [u];
  const where = u.node.call.where;
  const name = u.node.name;
  u.node.call = null;
  return [
    u,
    {
      issue: { where, message: `GENERATION${name ? ` "${name}"` : ''} with no input, output or usage: an event marker, not a model call` },
    },
  ];
}

// Trace-level scores (evaluations, annotations) travel with each generation of the trace.
function withScores(u: Unit, scores: unknown): Unit {
  if ('node' in u && u.node.call && arr(scores).length) {
    u.node.call.record.metadata.trace_scores = arr(scores).map((s) => {
      const o = obj(s) ?? {};
      return {
        name: o.name ?? null,
        value: o.value ?? null,
        string_value: o.stringValue ?? null,
        data_type: o.dataType ?? null,
        source: o.source ?? null,
        comment: o.comment ?? null,
      };
    });
  }
  return u;
}

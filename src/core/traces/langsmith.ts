// LangSmith runs: the read/export shape (list_runs / runs/query dumps: a JSON array, JSONL,
// {"runs":[…]} or one run) and the SDK's ingest payloads {"post":[…],"patch":[…]}, streamed
// (new_token events) or not. Only run_type "llm" runs become calls; every run is a node so the
// task and ticket can come from ancestors.
import { inferProvider, makeCall, providerName } from './draft.ts';
import { spanDraft } from './spans.ts';
import { formatPath, type Decision, type PathSeg } from './jsonStream.ts';
import { assistantOutput, contentText, parsedFromText, toMessages, type ToolCall } from './messages.ts';
import type { FileContext, Plan, Unit } from './plan.ts';
import type { ChatMessage, ImportedCall } from './types.ts';
import { arr, at, count, first, num, obj, str, timeToNs, type Obj } from './values.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function dottedIds(d: string | null): string[] {
  return d ? [...d.matchAll(UUID)].map((m) => m[0].toLowerCase()) : [];
}

/**
 * A run's id: its `id`, else the last segment of its `dotted_order` (the JS SDK's PATCH payload
 * carries no id, since the SDK puts it in the URL, but it does carry the dotted order).
 */
function runId(r: Obj, ids = dottedIds(str(r.dotted_order))): string | null {
  return str(r.id)?.toLowerCase() ?? ids.at(-1) ?? null;
}

/** usage_metadata in LangSmith's own search order (get_unified_run_tokens). */
function usageMetadata(run: Obj): Obj | null {
  const outputs = obj(run.outputs);
  const direct = obj(outputs?.usage_metadata) ?? obj(at(run, 'extra', 'metadata', 'usage_metadata'));
  if (direct) return direct;
  if (outputs) {
    for (const v of Object.values(outputs)) {
      const u = obj(at(v, 'usage_metadata')) ?? obj(at(v, 'kwargs', 'usage_metadata'));
      if (u) return u;
    }
    for (const batch of arr(outputs.generations)) {
      for (const g of arr(batch)) {
        const u = obj(at(g, 'message', 'kwargs', 'usage_metadata'));
        if (u) return u;
      }
    }
  }
  return null;
}

const NO_OUTPUT: { text: string | null; toolCalls: ToolCall[] } = { text: null, toolCalls: [] };

/** The model's answer (text and tool calls) from the output shapes LangSmith runs carry. */
function outputOf(outputs: Obj | null): { text: string | null; toolCalls: ToolCall[] } {
  if (!outputs) return NO_OUTPUT;
  if (Array.isArray(outputs.choices)) return assistantOutput(at(outputs, 'choices', 0, 'message') ?? at(outputs, 'choices', 0));
  const gen = at(outputs, 'generations', 0, 0);
  if (gen !== undefined) {
    const m = at(gen, 'message');
    if (m !== undefined && m !== null) {
      const r = assistantOutput(m);
      if (r.text) return r;
    }
    if (typeof at(gen, 'text') === 'string') return { text: at(gen, 'text') as string, toolCalls: [] };
  }
  const msgs = arr(outputs.messages);
  if (msgs.length) return assistantOutput(msgs.at(-1));
  if (obj(outputs.message)) return assistantOutput(outputs.message);
  if (typeof outputs.role === 'string' && ('content' in outputs || 'tool_calls' in outputs)) return assistantOutput(outputs);
  if (outputs.output !== undefined && outputs.output !== null) return assistantOutput(outputs.output);
  return NO_OUTPUT;
}

function inputMessages(inputs: Obj | null): ChatMessage[] {
  if (!inputs) return [];
  if (inputs.messages !== undefined) return toMessages(inputs.messages);
  if (Array.isArray(inputs.prompts)) return inputs.prompts.map((p) => ({ role: 'user', content: contentText(p) }));
  if (typeof inputs.prompt === 'string') return [{ role: 'user', content: inputs.prompt }];
  if (typeof inputs.input === 'string') return [{ role: 'user', content: inputs.input }];
  return [];
}

function ticketFromTags(tags: unknown): string | null {
  for (const t of arr(tags)) if (typeof t === 'string' && t.startsWith('ticket:')) return t.slice(7) || null;
  return null;
}

/** One LangSmith run as a resolver node (with its call when run_type is "llm"). */
export function runUnit(run: unknown, where: string, _ctx: FileContext): Unit {
  const r = obj(run);
  if (!r) return { issue: { where, message: 'not a run object' } };
  const dotted = str(r.dotted_order);
  const ids = dottedIds(dotted);
  const id = runId(r, ids);
  if (!id) return { issue: { where, message: 'run without `id` or `dotted_order`' } };
  const traceId = str(r.trace_id)?.toLowerCase() ?? ids[0] ?? (r.parent_run_id ? null : id);
  const parentId = str(r.parent_run_id)?.toLowerCase() ?? (ids.length >= 2 ? ids[ids.length - 2]! : null);
  const tk = traceId ?? id;
  const extra = obj(r.extra) ?? {};
  const meta = obj(extra.metadata) ?? {};
  const name = str(r.name);
  const node = {
    key: id,
    parentKey: parentId,
    name,
    task: str(meta.task),
    ticketId: str(meta.ticket_id) ?? ticketFromTags(r.tags),
    ticketText: str(meta.ticket_text),
    agentName: null,
    traceFromRoot: traceId === null,
    call: null as ImportedCall | null,
  };
  if (str(r.run_type)?.toLowerCase() !== 'llm') {
    const err = str(r.error);
    const span = spanDraft({
      traceId,
      spanId: id,
      parentSpanId: parentId,
      name,
      kind: str(r.run_type),
      startNs: timeToNs(r.start_time),
      endNs: r.end_time === null || r.end_time === undefined ? null : timeToNs(r.end_time),
      status: err || str(r.status) === 'error' ? 'error' : 'ok',
      error: err,
      input: r.inputs,
      output: r.outputs,
      metadata: Object.keys(meta).length || arr(r.tags).length ? { ...meta, ...(arr(r.tags).length ? { tags: r.tags } : {}) } : null,
      where,
    });
    return { node: { ...node, span } };
  }
  const startNs = timeToNs(r.start_time);
  if (startNs === null) return { issue: { where, message: `run ${id}: no readable start_time (${JSON.stringify(r.start_time ?? null)})` } };
  const endNs = r.end_time === null || r.end_time === undefined ? null : timeToNs(r.end_time);
  if (r.end_time !== null && r.end_time !== undefined && endNs === null)
    return { issue: { where, message: `run ${id}: unreadable end_time ${JSON.stringify(r.end_time)}` } };
  const rawStatus = str(r.status)?.toLowerCase();
  const error = str(r.error);
  const status =
    rawStatus === 'success' || rawStatus === 'error' || rawStatus === 'pending'
      ? rawStatus
      : error
        ? 'error'
        : endNs !== null
          ? 'success'
          : 'pending';
  const inputs = obj(r.inputs);
  const outputs = obj(r.outputs);
  const invocation = obj(extra.invocation_params) ?? {};
  const usage = usageMetadata(r);
  const tokenUsage = obj(at(outputs, 'llm_output', 'token_usage'));
  const provType = str(invocation._type);
  const provider = providerName(
    str(meta.ls_provider) ??
      (provType ? provType.replace(/-chat$|_chat$|-llm$/, '') : null) ??
      (/groq/i.test(str(at(r.serialized, 'name')) ?? '') ? 'groq' : /openai/i.test(str(at(r.serialized, 'name')) ?? '') ? 'openai' : null),
  );
  const model = str(
    first(
      meta.ls_model_name,
      invocation.model,
      invocation.model_name,
      inputs?.model,
      at(outputs, 'llm_output', 'model_name'),
      outputs?.model,
    ),
  );
  const responseModel = str(first(at(outputs, 'llm_output', 'model_name'), outputs?.model));
  let ttft: number | null = null;
  const ftt = timeToNs(r.first_token_time);
  if (ftt !== null) ttft = Number(ftt - startNs) / 1e6;
  else {
    const ev = arr(r.events).find((e) => at(e, 'name') === 'new_token');
    const t = ev ? timeToNs(at(ev, 'time')) : null;
    if (t !== null) ttft = Number(t - startNs) / 1e6;
  }
  const { text: output, toolCalls } = outputOf(outputs);
  const parsed = outputs?.parsed ?? meta.parsed_output ?? toolCalls[0]?.arguments ?? parsedFromText(output);
  const langsmith: Obj = {};
  const userMeta: Obj = {};
  for (const [k, v] of Object.entries(meta)) {
    if (k.startsWith('ls_') || k === 'revision_id') langsmith[k] = v;
    else if (k !== 'usage_metadata' && k !== 'ticket_id' && k !== 'task' && k !== 'ticket_text' && k !== 'parsed_output') userMeta[k] = v;
  }
  const inputDetails = obj(usage?.input_token_details);
  const outputDetails = obj(usage?.output_token_details);
  const groqTiming =
    tokenUsage && (tokenUsage.total_time !== undefined || tokenUsage.queue_time !== undefined)
      ? {
          queue_time: tokenUsage.queue_time ?? null,
          prompt_time: tokenUsage.prompt_time ?? null,
          completion_time: tokenUsage.completion_time ?? null,
          total_time: tokenUsage.total_time ?? null,
        }
      : null;
  const inTok = count(first(nonZeroOrNull(r.prompt_tokens, usage), usage?.input_tokens, tokenUsage?.prompt_tokens));
  const outTok = count(first(nonZeroOrNull(r.completion_tokens, usage), usage?.output_tokens, tokenUsage?.completion_tokens));
  const events = arr(r.events);
  node.call = makeCall({
    format: 'langsmith',
    id,
    parentId,
    traceId: tk,
    startNs,
    endNs,
    latencyMs: endNs === null ? ((num(r.latency_seconds) ?? null) !== null ? num(r.latency_seconds)! * 1000 : null) : null,
    ttftMs: ttft,
    provider: provider ?? inferProvider(model),
    model,
    inputTokens: inTok,
    outputTokens: outTok,
    costUsd: num(first(r.total_cost, usage?.total_cost)),
    status,
    error,
    input: inputMessages(inputs),
    output,
    parsed,
    metadata: {
      run_name: name,
      ...(Object.keys(userMeta).length ? userMeta : {}),
      langsmith,
      ...(arr(r.tags).length ? { tags: r.tags } : {}),
      ...(r.feedback_stats ? { feedback_stats: r.feedback_stats } : {}),
      ...(r.session_id ? { session_id: r.session_id } : {}),
      ...(r.reference_example_id ? { reference_example_id: r.reference_example_id } : {}),
      ...(responseModel && responseModel !== model ? { response_model: responseModel } : {}),
      ...(events.length ? { events: events.length } : {}),
      ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
      ...(groqTiming ? { provider_timing: groqTiming } : {}),
      ...(usage === null && inTok === null ? { tokens: 'none recorded (LangSmith may have estimated them)' } : {}),
    },
    ticketId: node.ticketId,
    task: node.task,
    source: { dotted_order: dotted },
    x: {
      ticketText: node.ticketText,
      requestId: str(outputs?.id) ?? str(at(outputs, 'llm_output', 'id')),
      cachedTokens: count(inputDetails?.cache_read),
      reasoningTokens: count(outputDetails?.reasoning),
      queueTimeMs: num(groqTiming?.queue_time) !== null ? num(groqTiming?.queue_time)! * 1000 : null,
      providerTotalMs: num(groqTiming?.total_time) !== null ? num(groqTiming?.total_time)! * 1000 : null,
    },
    where,
  });
  return { node };
}

// The docs example carries placeholder zero counts next to no usage at all; real zeros are kept.
function nonZeroOrNull(v: unknown, usage: Obj | null): unknown {
  return usage && count(v) === 0 ? null : v;
}

/** The plan for LangSmith files; `shape` comes from detection. */
export function langsmithPlan(ctx: FileContext, shape: 'array' | 'runs' | 'ingest' | 'run'): Plan {
  // Ingest payloads: a post creates a run, a later patch ends it; merge them by id.
  const posts = new Map<string, { run: Obj; where: string }>();
  const ingest = (kind: 'post' | 'patch', v: unknown, where: string): Unit[] => {
    const r = obj(v);
    const id = r ? runId(r) : null;
    if (!r || !id) return [{ issue: { where, message: `${kind} without \`id\` or \`dotted_order\`: it cannot be matched to its run` } }];
    if (kind === 'post') {
      if (r.end_time !== undefined && r.end_time !== null) return [runUnit(r, where, ctx)];
      posts.set(id, { run: r, where });
      return [];
    }
    const p = posts.get(id);
    posts.delete(id);
    if (!p) return [runUnit(r, where, ctx)];
    const merged: Obj = { ...p.run };
    for (const [k, x] of Object.entries(r))
      if (x !== undefined && !(x === null && merged[k] !== undefined && k !== 'end_time')) merged[k] = x;
    merged.extra = { ...(obj(p.run.extra) ?? {}), ...(obj(r.extra) ?? {}) };
    merged.inputs = obj(r.inputs) && Object.keys(r.inputs as Obj).length ? r.inputs : p.run.inputs;
    return [runUnit(merged, where, ctx)];
  };
  const select = (p: readonly PathSeg[]): Decision => {
    if (p.length === 0) return shape === 'run' ? 'value' : 'descend';
    if (p.length === 1)
      return shape === 'array'
        ? 'value'
        : (shape === 'runs' && p[0] === 'runs') || (shape === 'ingest' && (p[0] === 'post' || p[0] === 'patch'))
          ? 'descend'
          : 'skip';
    return p.length === 2 ? 'value' : 'skip';
  };
  return {
    fallback: 'root',
    select,
    onValue(p, v, where) {
      const w = p.length ? `${where} ${formatPath(p)}` : where;
      if (p.length === 0) {
        // a JSONL line may be a run, a {runs} page or an ingest batch
        const o = obj(v);
        if (o && (Array.isArray(o.post) || Array.isArray(o.patch))) {
          return [
            ...arr(o.post).flatMap((x, i) => ingest('post', x, `${where} post[${i}]`)),
            ...arr(o.patch).flatMap((x, i) => ingest('patch', x, `${where} patch[${i}]`)),
          ];
        }
        if (o && Array.isArray(o.runs)) return o.runs.map((x, i) => runUnit(x, `${where} runs[${i}]`, ctx));
        return [runUnit(v, w, ctx)];
      }
      if (p[0] === 'post' || p[0] === 'patch') return ingest(p[0], v, w);
      return [runUnit(v, w, ctx)];
    },
    finish() {
      // a post never patched: the run was still going when the file was written
      const out: Unit[] = [];
      for (const { run, where } of posts.values()) out.push(runUnit(run, where, ctx));
      posts.clear();
      return out;
    },
  };
}

// promptfoo `eval --output results.json` (an OutputFile; results.version 3) and its `.jsonl`
// (one EvaluateResult a line). promptfoo records no per-call time: started_at is the eval's
// timestamp (or the file's mtime for JSONL) and is flagged approximate; latency is latencyMs.
import { makeCall, providerName } from './draft.ts';
import { formatPath, type Decision, type PathSeg } from './jsonStream.ts';
import { assistantOutput, parsedFromText, toMessages } from './messages.ts';
import type { FileContext, Plan, Unit } from './plan.ts';
import type { ChatMessage } from './types.ts';
import { arr, at, count, first, isoToNs, num, obj, str, type Obj } from './values.ts';

const API_TYPES = new Set(['chat', 'completion', 'completions', 'messages', 'responses', 'embedding', 'embeddings', 'text']);

/** "openai:chat:gpt-4o" → openai / gpt-4o (the API-type segment dropped). */
export function splitProviderId(id: string): { provider: string | null; model: string | null } {
  const parts = id.split(':');
  if (parts.length === 1) return { provider: null, model: id || null };
  const provider = parts[0]!;
  let rest = parts.slice(1);
  if (rest.length > 1 && API_TYPES.has(rest[0]!.toLowerCase())) rest = rest.slice(1);
  return { provider: provider || null, model: rest.join(':') || null };
}

function promptMessages(raw: unknown): ChatMessage[] {
  if (typeof raw !== 'string') return raw === undefined || raw === null ? [] : toMessages(raw);
  const t = raw.trim();
  if (t.startsWith('[')) {
    try {
      const m = toMessages(JSON.parse(t) as unknown);
      if (m.length) return m;
    } catch {
      // not a chat prompt: the raw text is the user message
    }
  }
  return [{ role: 'user', content: raw }];
}

interface EvalMeta {
  evalId: string | null;
  timestampNs: bigint | null;
  prompts: PromptVariants;
}

/**
 * The prompts an eval compares. promptfoo's `promptIdx` numbers prompt × provider columns; the
 * prompt itself is `promptId` (a hash of it), else its label or text. Results of different prompts
 * on the same test and provider are different variants, not attempts of one call: each prompt after
 * the first gets its own model spec (`openai:gpt-4o [prompt 2: …]`), so every result is kept. When
 * the file lists its prompts before its results (an OutputFile does), every prompt is marked.
 */
export class PromptVariants {
  private readonly order = new Map<string, { n: number; label: string }>();
  /** Known before any result: the eval compares several prompts. */
  private several = false;

  static keyOf(r: Obj): string | null {
    return str(r.promptId) ?? str(at(r, 'prompt', 'id')) ?? str(at(r, 'prompt', 'label')) ?? str(at(r, 'prompt', 'raw'));
  }

  private add(key: string, label: string | null): { n: number; label: string } {
    let v = this.order.get(key);
    if (!v) {
      const l = (label ?? key).replace(/\s+/g, ' ').trim();
      v = { n: this.order.size + 1, label: l.length > 40 ? `${l.slice(0, 39)}…` : l };
      this.order.set(key, v);
    }
    return v;
  }

  /** The eval's `prompts` list (CompletedPrompt[]), when it comes before the results. */
  seeList(list: unknown): void {
    for (const x of arr(list)) {
      const o = obj(x);
      const k = o ? (str(o.id) ?? str(o.label) ?? str(o.raw)) : null;
      if (k) this.add(k, str(o!.label) ?? str(o!.raw));
    }
    this.several = this.order.size > 1;
  }

  /** The prompt of a result: its number and label, and whether the model spec must name it. */
  of(r: Obj): { n: number; label: string; key: string; marked: boolean } | null {
    const key = PromptVariants.keyOf(r);
    if (!key) return null;
    const v = this.add(key, str(at(r, 'prompt', 'label')) ?? str(at(r, 'prompt', 'raw')));
    return { ...v, key, marked: this.several || v.n > 1 };
  }
}

/** One EvaluateResult as a root node with its call. */
export function resultUnit(row: unknown, where: string, ctx: FileContext, ev: EvalMeta): Unit {
  const r = obj(row);
  if (!r) return { issue: { where, message: 'not a result object' } };
  const provId = str(at(r, 'provider', 'id')) ?? str(r.provider) ?? str(at(r, 'provider', 'label'));
  if (!provId) return { issue: { where, message: 'result without `provider.id`' } };
  const { provider, model } = splitProviderId(provId);
  const prompt = ev.prompts.of(r);
  const evalId = str(r.evalId) ?? ev.evalId ?? `promptfoo-${ctx.fileId}`;
  const id = str(r.id) ?? `${str(r.promptIdx) ?? '?'}-${str(r.testIdx) ?? '?'}-${provId}`;
  const vars = obj(r.vars) ?? obj(at(r, 'testCase', 'vars')) ?? {};
  const testIdx = str(r.testIdx);
  // A test case names its ticket only when it is a casebench ticket; otherwise it is a generic trace, one per test case.
  const ticketId = str(vars.ticket_id) ?? str(at(r, 'testCase', 'metadata', 'ticket_id'));
  const groupKey = `promptfoo:${evalId}#${testIdx ?? id}`;
  const task = str(first(at(r, 'testCase', 'description'), r.description, at(r, 'prompt', 'label')));
  const response = obj(r.response) ?? {};
  const usage = obj(response.tokenUsage) ?? obj(r.tokenUsage) ?? {};
  const out = response.output;
  const { text: output, toolCalls } = assistantOutput(out);
  const failureReason = num(r.failureReason);
  const isError = failureReason === 2;
  const latency = num(r.latencyMs);
  const start = ev.timestampNs ?? ctx.mtimeNs;
  const grading = obj(r.gradingResult);
  const meta: Obj = {
    approximate_time:
      ev.timestampNs !== null
        ? 'started_at is the eval start (promptfoo records no per-call time)'
        : 'started_at is the file modification time (promptfoo records no per-call time)',
    vars,
    ...(arr(at(r, 'testCase', 'assert')).length ? { asserts: at(r, 'testCase', 'assert') } : {}),
    prompt_id: r.promptId ?? null,
    prompt_idx: r.promptIdx ?? null,
    test_idx: r.testIdx ?? null,
    ...(prompt ? { prompt: { n: prompt.n, label: prompt.label } } : {}),
    ...(response.finishReason !== undefined ? { finish_reason: response.finishReason } : {}),
    ...(response.cached !== undefined ? { cached: response.cached } : {}),
    ...(obj(r.metadata) ? { promptfoo_metadata: r.metadata } : {}),
    ...(obj(r.namedScores) && Object.keys(r.namedScores as Obj).length ? { named_scores: r.namedScores } : {}),
    eval_verdict: { success: r.success ?? null, score: r.score ?? null, reason: grading?.reason ?? null, pass: grading?.pass ?? null },
    ...(!isError && typeof r.error === 'string' ? { assertion_error: r.error } : {}),
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    ...(usage.cached !== undefined
      ? { usage_details: { cached: usage.cached, reasoning: at(usage, 'completionDetails', 'reasoning') ?? null } }
      : {}),
  };
  const call = makeCall({
    format: 'promptfoo',
    id,
    parentId: null,
    traceId: evalId,
    startNs: start,
    endNs: null,
    latencyMs: latency,
    provider: providerName(provider),
    model,
    inputTokens: count(first(usage.prompt, at(r, 'tokenUsage', 'prompt'))),
    outputTokens: count(first(usage.completion, at(r, 'tokenUsage', 'completion'))),
    costUsd: num(first(r.cost, response.cost)),
    status: isError ? 'error' : 'success',
    error: isError ? (str(r.error) ?? 'error') : null,
    input: promptMessages(at(r, 'prompt', 'raw')),
    output,
    parsed: toolCalls.length ? toolCalls[0]!.arguments : out !== null && typeof out === 'object' ? out : parsedFromText(output),
    metadata: meta,
    ticketId,
    task,
    x: {
      modelSpec: prompt?.marked
        ? `${providerName(provider) ?? 'unknown'}:${model ?? 'unknown'} [prompt ${prompt.n}: ${prompt.label}]`
        : null,
      promptVersion: prompt ? (prompt.marked ? `prompt ${prompt.n}` : null) : null,
      ticketText: str(first(vars.ticket_text, vars.text, vars.ticket, at(r, 'prompt', 'raw'))),
      groupKey,
      cachedTokens: count(usage.cached),
      reasoningTokens: count(at(usage, 'completionDetails', 'reasoning')),
    },
    where,
  });
  return {
    node: { key: `${evalId}/${id}`, parentKey: null, name: task, task, ticketId, ticketText: call.x.ticketText, agentName: null, call },
  };
}

/** The plan for promptfoo output: the OutputFile document, or JSONL rows. */
export function promptfooPlan(ctx: FileContext, shape: 'output' | 'rows'): Plan {
  const ev: EvalMeta = { evalId: null, timestampNs: null, prompts: new PromptVariants() };
  const select = (p: readonly PathSeg[]): Decision => {
    if (shape === 'rows') return p.length === 0 ? 'value' : 'skip';
    if (p.length === 0) return 'descend';
    if (p.length === 1) return p[0] === 'evalId' ? 'value' : p[0] === 'results' ? 'descend' : 'skip';
    if (p[0] !== 'results') return 'skip';
    if (p.length === 2)
      return p[1] === 'timestamp' || p[1] === 'version' || p[1] === 'prompts' ? 'value' : p[1] === 'results' ? 'descend' : 'skip';
    return p.length === 3 && p[1] === 'results' ? 'value' : 'skip';
  };
  return {
    fallback: 'parent',
    select,
    onValue(p, v, where) {
      if (p.length === 0) {
        const o = obj(v);
        if (o && typeof o.evalId === 'string' && obj(o.results)) {
          // a whole OutputFile on one JSONL line
          const meta: EvalMeta = {
            evalId: o.evalId,
            timestampNs: typeof at(o, 'results', 'timestamp') === 'string' ? isoToNs(at(o, 'results', 'timestamp') as string) : null,
            prompts: new PromptVariants(),
          };
          meta.prompts.seeList(at(o, 'results', 'prompts'));
          return arr(at(o, 'results', 'results')).map((x, i) => resultUnit(x, `${where} results.results[${i}]`, ctx, meta));
        }
        return [resultUnit(v, where, ctx, ev)];
      }
      if (p[0] === 'evalId') {
        ev.evalId = str(v);
        return [];
      }
      if (p[1] === 'timestamp') {
        ev.timestampNs = typeof v === 'string' ? isoToNs(v) : typeof v === 'number' ? BigInt(Math.round(v)) * 1_000_000n : null;
        return [];
      }
      if (p[1] === 'version') return [];
      if (p[1] === 'prompts') {
        ev.prompts.seeList(v);
        return [];
      }
      return [resultUnit(v, `${where} ${formatPath(p)}`, ctx, ev)];
    },
    finish: () => [],
  };
}

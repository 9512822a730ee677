// Message normalisation to {role, content} (trace-formats note §0.6): OpenAI-style messages,
// LangChain serialized messages, OTel GenAI "parts" messages. Non-text parts (tool calls, tool
// responses) are rendered as JSON so nothing the model saw or said is dropped.
import { arr, maybeJson, obj, str, type Obj } from './values.ts';
import type { ChatMessage } from './types.ts';

const LC_ROLE: Record<string, string> = {
  human: 'user',
  user: 'user',
  ai: 'assistant',
  assistant: 'assistant',
  system: 'system',
  tool: 'tool',
  function: 'tool',
  humanmessage: 'user',
  aimessage: 'assistant',
  systemmessage: 'system',
  toolmessage: 'tool',
  functionmessage: 'tool',
  humanmessagechunk: 'user',
  aimessagechunk: 'assistant',
  chatmessage: 'user',
};

/** Text of a content value: a string, or an array of parts ({type:"text", text|content}, tool calls as JSON). */
export function contentText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const p of v) {
      const o = obj(p);
      if (typeof p === 'string') out.push(p);
      else if (
        o &&
        (o.type === 'text' || o.type === 'input_text' || o.type === 'output_text' || o.type === undefined) &&
        (typeof o.text === 'string' || typeof o.content === 'string')
      ) {
        out.push(String(o.text ?? o.content));
      } else out.push(JSON.stringify(p));
    }
    return out.join('\n');
  }
  const o = obj(v);
  if (o && typeof o.text === 'string' && Object.keys(o).length <= 2) return o.text;
  return JSON.stringify(v);
}

/** One message from any of the shapes above, or null when it is not a message. */
export function toMessage(v: unknown): ChatMessage | null {
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string') {
    // LangSmith accepts [role, content] tuples
    return { role: LC_ROLE[v[0].toLowerCase()] ?? v[0], content: contentText(v[1]) };
  }
  const o = obj(v);
  if (!o) return null;
  // LangChain dumpd form: {lc:1, type:"constructor", id:[…,"HumanMessage"], kwargs:{content, type?}}
  if (o.lc !== undefined && obj(o.kwargs)) {
    const kw = o.kwargs as Obj;
    const cls = String(arr(o.id).at(-1) ?? '').toLowerCase();
    const role = LC_ROLE[String(kw.type ?? '').toLowerCase()] ?? LC_ROLE[cls] ?? str(kw.role) ?? 'user';
    return { role, content: messageContent(kw) };
  }
  // LangChain message_to_dict form: {type:"human", data:{content}}
  if (typeof o.type === 'string' && obj(o.data) && LC_ROLE[o.type.toLowerCase()]) {
    return { role: LC_ROLE[o.type.toLowerCase()]!, content: contentText((o.data as Obj).content) };
  }
  const role = str(o.role) ?? (typeof o.type === 'string' ? LC_ROLE[o.type.toLowerCase()] : undefined) ?? null;
  if (Array.isArray(o.parts)) return { role: role ?? 'user', content: partsText(o.parts) };
  if (role !== null && ('content' in o || 'tool_calls' in o))
    return { role: LC_ROLE[role.toLowerCase()] ?? role, content: messageContent(o) };
  return null;
}

function messageContent(o: Obj): string {
  const text = contentText(o.content);
  const calls = arr(o.tool_calls);
  if (calls.length === 0) return text;
  return [text, ...calls.map((c) => JSON.stringify(c))].filter((s) => s !== '').join('\n');
}

/** Text of OTel GenAI parts: text parts joined, other parts as JSON. */
export function partsText(parts: unknown[]): string {
  const out: string[] = [];
  for (const p of parts) {
    const o = obj(p);
    if (o && o.type === 'text' && typeof o.content === 'string') out.push(o.content);
    else if (o && o.type === 'text' && typeof o.text === 'string') out.push(o.text);
    else out.push(JSON.stringify(p));
  }
  return out.join('\n');
}

/** A list of messages from a value that may be a JSON string, a list, a batch of lists or {messages:[…]}. */
export function toMessages(v: unknown): ChatMessage[] {
  let x = maybeJson(v);
  const o = obj(x);
  if (o && Array.isArray(o.messages)) x = o.messages;
  if (typeof x === 'string') return x === '' ? [] : [{ role: 'user', content: x }];
  if (!Array.isArray(x)) {
    const m = toMessage(x);
    return m ? [m] : [];
  }
  // LangChain chat models: a list of batches, each a list of messages
  const flat = x.length > 0 && x.every((b) => Array.isArray(b) && !(b.length === 2 && typeof b[0] === 'string')) ? x.flat() : x;
  const out: ChatMessage[] = [];
  for (const m of flat) {
    const msg = toMessage(m);
    if (msg) out.push(msg);
    else if (typeof m === 'string') out.push({ role: 'user', content: m });
  }
  return out;
}

/** The text of the first tool call's arguments in parts/messages, parsed, or undefined. */
export function toolCallArgs(v: unknown): unknown {
  for (const m of arr(maybeJson(v))) {
    for (const p of arr(obj(m)?.parts)) {
      const o = obj(p);
      if (o && o.type === 'tool_call' && o.arguments !== undefined) return maybeJson(o.arguments);
    }
  }
  return undefined;
}

/** JSON.parse of model text when it is a JSON object or array (fenced or not), else null. */
export function parsedFromText(text: string | null): unknown {
  if (text === null) return null;
  const t = text
    .trim()
    .replace(/^```(?:json)?\s*\n([\s\S]*?)\n?```$/i, '$1')
    .trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return null;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return null;
  }
}

/** A tool call the model made, whatever shape the source wrote it in. */
export interface ToolCall {
  /** As the source wrote it (a string, rarely a list of ids). */
  id: unknown;
  name: string;
  /** Parsed when the source sent them as JSON text. */
  arguments: unknown;
}

/**
 * One tool call from the shapes tools write: OpenAI `{id, type:"function", function:{name, arguments}}`,
 * LangChain `{name, args, id}`, Vercel AI SDK `{toolCallId, toolName, input | args}`, OTel GenAI parts
 * `{type:"tool_call", id, name, arguments}`, Anthropic `{type:"tool_use", id, name, input}`; else null.
 */
export function toolCallOf(v: unknown): ToolCall | null {
  const o = obj(v);
  if (!o) return null;
  const fn = obj(o.function);
  if (fn && typeof fn.name === 'string') return { id: o.id ?? null, name: fn.name, arguments: maybeJson(fn.arguments ?? null) };
  if (typeof o.toolName === 'string')
    return { id: o.toolCallId ?? null, name: o.toolName, arguments: maybeJson(o.input ?? o.args ?? null) };
  if (
    (o.type === 'tool_call' || o.type === 'tool-call' || o.type === 'tool_use' || o.type === 'function_call') &&
    typeof o.name === 'string'
  ) {
    return { id: o.id ?? o.call_id ?? null, name: o.name, arguments: maybeJson(o.arguments ?? o.input ?? o.args ?? null) };
  }
  if (typeof o.name === 'string' && 'args' in o && (o.type === undefined || o.type === 'tool_call'))
    return { id: o.id ?? null, name: o.name, arguments: maybeJson(o.args) };
  return null;
}

/** The tool calls in a value that is a list of them (and nothing else), or null. */
export function toolCallList(v: unknown): ToolCall[] | null {
  const a = maybeJson(v);
  if (!Array.isArray(a) || a.length === 0) return null;
  const out: ToolCall[] = [];
  for (const x of a) {
    const c = toolCallOf(x);
    if (!c) return null;
    out.push(c);
  }
  return out;
}

/** Tool calls as output text: one JSON object a line, so an answer that is only tool calls is never empty. */
export function toolCallsText(calls: readonly ToolCall[]): string {
  return calls.map((c) => JSON.stringify({ type: 'tool_call', id: c.id, name: c.name, arguments: c.arguments })).join('\n');
}

/**
 * The model's answer from an output value of any shape: its text, and its tool calls (kept apart,
 * and rendered into the text after it, so nothing the model said is lost).
 */
export function assistantOutput(v: unknown): { text: string | null; toolCalls: ToolCall[] } {
  const x = maybeJson(v);
  if (x === null || x === undefined) return { text: null, toolCalls: [] };
  if (typeof x === 'string') return { text: x, toolCalls: [] };
  const calls = toolCallList(x);
  if (calls) return { text: toolCallsText(calls), toolCalls: calls };
  if (Array.isArray(x)) {
    // parts or messages: the last assistant message is the answer
    const msgs = x.map(obj).filter((m): m is Obj => m !== null);
    const last = [...msgs].reverse().find((m) => m.role === 'assistant' || m.role === 'ai' || m.role === undefined) ?? msgs.at(-1);
    if (last && (Array.isArray(last.parts) || 'content' in last || 'tool_calls' in last || 'kwargs' in last)) return assistantOutput(last);
    return contentAndCalls(x, []);
  }
  const o = obj(x)!;
  if (Array.isArray(o.choices)) return assistantOutput(at0(o.choices)?.message ?? at0(o.choices));
  if (Array.isArray(o.generations)) {
    const g = obj(at0(at0(o.generations)));
    return g ? assistantOutput(g.message ?? g.text) : { text: null, toolCalls: [] };
  }
  if (o.lc !== undefined && obj(o.kwargs)) {
    const kw = o.kwargs as Obj;
    return contentAndCalls(kw.content, arr(kw.tool_calls).length ? arr(kw.tool_calls) : arr(at(kw, 'additional_kwargs', 'tool_calls')));
  }
  if (obj(o.message)) return assistantOutput(o.message);
  if (Array.isArray(o.parts)) return contentAndCalls(o.parts, []);
  if ('content' in o || 'tool_calls' in o || 'toolCalls' in o) return contentAndCalls(o.content, arr(o.tool_calls ?? o.toolCalls));
  if (typeof o.text === 'string') return { text: o.text, toolCalls: [] };
  return { text: JSON.stringify(o), toolCalls: [] };
}

function at0(v: unknown): Obj | undefined {
  return Array.isArray(v) ? (obj(v[0]) ?? undefined) : undefined;
}

function at(v: unknown, ...keys: string[]): unknown {
  let cur = v;
  for (const k of keys) cur = obj(cur)?.[k];
  return cur;
}

/** Text parts joined and tool-call parts (in the content or beside it) rendered after them. */
function contentAndCalls(content: unknown, callsBeside: unknown[]): { text: string | null; toolCalls: ToolCall[] } {
  const calls: ToolCall[] = [];
  const texts: string[] = [];
  if (Array.isArray(content)) {
    for (const p of content) {
      const c = toolCallOf(p);
      if (c) calls.push(c);
      else {
        const o = obj(p);
        const t =
          typeof p === 'string'
            ? p
            : o && typeof (o.text ?? o.content) === 'string' && (o.type === undefined || /text/.test(String(o.type)))
              ? String(o.text ?? o.content)
              : JSON.stringify(p);
        texts.push(t);
      }
    }
  } else if (content !== null && content !== undefined) texts.push(contentText(content));
  for (const c of callsBeside) {
    const tc = toolCallOf(c);
    if (tc) calls.push(tc);
  }
  const text = texts.join('\n');
  if (calls.length === 0) return { text: content === null || content === undefined ? text || null : text, toolCalls: [] };
  return { text: [text, toolCallsText(calls)].filter((s) => s !== '').join('\n'), toolCalls: calls };
}

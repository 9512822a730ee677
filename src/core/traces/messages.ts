// Message normalisation to {role, content} (trace-formats note §0.6): OpenAI-style messages,
// LangChain serialized messages, OTel GenAI "parts" messages. Non-text parts (tool calls, tool
// responses) are rendered as JSON so nothing the model saw or said is dropped.
import { arr, maybeJson, obj, str, type Obj } from './values.ts';
import type { ChatMessage } from './types.ts';

const LC_ROLE: Record<string, string> = {
  human: 'user', user: 'user', ai: 'assistant', assistant: 'assistant', system: 'system', tool: 'tool', function: 'tool',
  humanmessage: 'user', aimessage: 'assistant', systemmessage: 'system', toolmessage: 'tool', functionmessage: 'tool',
  humanmessagechunk: 'user', aimessagechunk: 'assistant', chatmessage: 'user',
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
      else if (o && (o.type === 'text' || o.type === 'input_text' || o.type === 'output_text' || o.type === undefined) && (typeof o.text === 'string' || typeof o.content === 'string')) {
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
    const role = LC_ROLE[String(kw.type ?? '').toLowerCase()] ?? LC_ROLE[cls] ?? (str(kw.role) ?? 'user');
    return { role, content: messageContent(kw) };
  }
  // LangChain message_to_dict form: {type:"human", data:{content}}
  if (typeof o.type === 'string' && obj(o.data) && LC_ROLE[o.type.toLowerCase()]) {
    return { role: LC_ROLE[o.type.toLowerCase()]!, content: contentText((o.data as Obj).content) };
  }
  const role = str(o.role) ?? (typeof o.type === 'string' ? LC_ROLE[o.type.toLowerCase()] : undefined) ?? null;
  if (Array.isArray(o.parts)) return { role: role ?? 'user', content: partsText(o.parts) };
  if (role !== null && ('content' in o || 'tool_calls' in o)) return { role: LC_ROLE[role.toLowerCase()] ?? role, content: messageContent(o) };
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
  const t = text.trim().replace(/^```(?:json)?\s*\n([\s\S]*?)\n?```$/i, '$1').trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return null;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return null;
  }
}

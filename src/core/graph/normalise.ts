// Parses a model's raw answer for one task and normalises it (contracts §2). Anything that is not
// the task's JSON shape is INVALID_OUTPUT with a message saying what was wrong; nothing is coerced
// beyond dropping one ```json fence and surrounding whitespace.
import type { z } from 'zod';
import { SEVERITIES, type TaskId, type TaskValues } from '#shared/tasks.ts';
import { WIRE_SCHEMAS } from '#shared/wireSchemas.ts';
import { canonicalProduct, type Catalog } from '../catalog.ts';

export type ParseResult<T extends TaskId> = { ok: true; value: TaskValues[T] } | { ok: false; code: 'INVALID_OUTPUT'; message: string };

export interface ParseContext {
  /** The inferred platform, used to fold product names through that platform's catalog first. */
  platform?: string | null;
  catalog?: Catalog;
}

const FENCE = /^```(?:json|JSON)?[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

function clip(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return `\`${clip(s ?? String(v))}\``;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

// JSON.parse in V8 often reports no position ("Unexpected token 'S'"), so on failure a small
// scanner finds where the text stops being JSON and why.
function locateJsonError(text: string): { pos: number; reason: string } {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const stop = (reason: string): never => {
    throw { pos: i, reason: i >= text.length ? `it ends early (${reason})` : reason };
  };
  const found = (): string => (i >= text.length ? 'end of text' : `\`${text[i]}\``);
  const expectChar = (c: string): void => {
    if (text[i] !== c) stop(`expected \`${c}\`, found ${found()}`);
    i++;
  };
  const str = (): void => {
    expectChar('"');
    for (;;) {
      if (i >= text.length) stop('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) stop('control character inside a string');
      if (c === 0x5c) {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) stop('bad \\u escape');
          i += 5;
        } else if ('"\\/bfnrt'.includes(text[i] ?? 'x') && i < text.length) i++;
        else stop('bad escape');
      } else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') stop(`expected a "quoted" key, found ${found()}`);
        str();
        ws();
        expectChar(':');
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else stop(`expected \`,\` or \`}\`, found ${found()}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else stop(`expected \`,\` or \`]\`, found ${found()}`);
      }
    }
    if (c === '"') return str();
    for (const lit of ['true', 'false', 'null']) if (text.startsWith(lit, i)) return void (i += lit.length);
    const num = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    num.lastIndex = i;
    if (num.test(text)) return void (i = num.lastIndex);
    stop(`unexpected ${found()}`);
  };
  try {
    value();
    ws();
    if (i < text.length) stop(`unexpected ${found()} after the JSON value`);
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'pos' in e) return e as { pos: number; reason: string };
    // e.g. RangeError on absurdly deep nesting: fall back to the parser's own message.
  }
  return { pos: -1, reason: '' };
}

function jsonError(text: string, e: unknown): string {
  if (text.trim() === '') return 'not valid JSON: the answer is empty';
  const at = locateJsonError(text);
  if (at.pos >= 0) return `not valid JSON at position ${at.pos}: ${at.reason}`;
  return `not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
}

function describeIssue(task: TaskId, issue: z.core.$ZodIssue, data: unknown): string {
  const field = issue.path.map(String).join('.');
  const top = issue.path[0];
  if (issue.path.length === 0) return `expected a JSON object, got ${typeName(data)}`;
  if (issue.path.length === 1 && typeof top === 'string' && typeof data === 'object' && data !== null && !(top in data)) {
    return `missing field \`${top}\``;
  }
  const input = (issue as { input?: unknown }).input;
  if (task === 'severity' && field === 'severity') {
    return `severity must be one of ${SEVERITIES.join(', ')}; got ${show(input)}`;
  }
  if (task === 'platform' && field === 'platform') {
    return `platform must be "aws", "gcp", "azure", "other:<vendor>" or null; got ${show(input)}`;
  }
  if (issue.code === 'invalid_type') {
    return `\`${field}\` must be ${issue.expected === 'array' ? 'an array' : `a ${issue.expected}`}; got ${input === undefined ? 'nothing' : typeName(input)}`;
  }
  return `\`${field}\`: ${issue.message}`;
}

function cleanList(xs: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const x of xs) {
    const t = x.trim();
    if (t === '' || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}

/** Parses and normalises a model's answer for `task`; INVALID_OUTPUT says what was wrong. */
export function parseAnswer<T extends TaskId>(task: T, rawText: string, context: ParseContext = {}): ParseResult<T> {
  const trimmed = rawText.trim();
  const body = FENCE.exec(trimmed)?.[1]?.trim() ?? trimmed;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    return { ok: false, code: 'INVALID_OUTPUT', message: jsonError(body, e) };
  }
  const parsed = WIRE_SCHEMAS[task].safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const msgs = [...new Set(parsed.error.issues.map((i) => describeIssue(task, i, data)))];
    return { ok: false, code: 'INVALID_OUTPUT', message: msgs.slice(0, 3).join('; ') };
  }
  return { ok: true, value: normalise(task, parsed.data, context) };
}

function normalise<T extends TaskId>(task: T, wire: unknown, ctx: ParseContext): TaskValues[T] {
  // `wire` has passed WIRE_SCHEMAS[task]; the casts only re-attach the per-task type.
  switch (task) {
    case 'platform': {
      const p = (wire as z.infer<typeof WIRE_SCHEMAS.platform>).platform;
      if (p === null) return null as TaskValues[T];
      const lower = p.trim().toLowerCase();
      const other = /^other:\s*(.+)$/.exec(lower);
      return (other ? `other:${(other[1] ?? '').trim()}` : lower) as TaskValues[T];
    }
    case 'product': {
      const p = (wire as z.infer<typeof WIRE_SCHEMAS.product>).product;
      return canonicalProduct(ctx.platform ?? null, p, ctx.catalog) as TaskValues[T];
    }
    case 'technical_details': {
      const w = wire as z.infer<typeof WIRE_SCHEMAS.technical_details>;
      return { present: cleanList(w.present), missing: cleanList(w.missing) } as TaskValues[T];
    }
    case 'asset_ids':
      return cleanList((wire as z.infer<typeof WIRE_SCHEMAS.asset_ids>).asset_ids) as TaskValues[T];
    default:
      return (wire as z.infer<typeof WIRE_SCHEMAS.severity>).severity as TaskValues[T];
  }
}

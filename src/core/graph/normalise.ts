// Parses a model's raw answer for one task and normalises it (contracts §2). Anything that is not
// the task's JSON shape is INVALID_OUTPUT with a message saying what was wrong; nothing is coerced
// beyond dropping one ```json fence and surrounding whitespace.
import type { z } from 'zod';
import { SEVERITIES, WIRE_SCHEMAS, type TaskId, type TaskValues } from '../../shared/tasks.ts';
import { canonicalProduct, type Catalog } from '../catalog.ts';

export type ParseResult<T extends TaskId> =
  | { ok: true; value: TaskValues[T] }
  | { ok: false; code: 'INVALID_OUTPUT'; message: string };

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

function jsonError(text: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (text.trim() === '') return 'not valid JSON: the answer is empty';
  const pos = /position (\d+)/.exec(msg);
  const reason = msg.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
  if (pos) return `not valid JSON at position ${pos[1]}: ${reason}`;
  if (/end of JSON input/i.test(msg)) return `not valid JSON: it ends early at position ${text.length}`;
  return `not valid JSON: ${reason}`;
}

function describeIssue(task: TaskId, issue: z.core.$ZodIssue, data: unknown): string {
  const field = issue.path.map(String).join('.');
  const top = issue.path[0];
  if (issue.path.length === 0) return `expected a JSON object, got ${typeName(data)}`;
  if (
    issue.path.length === 1 &&
    typeof top === 'string' &&
    typeof data === 'object' &&
    data !== null &&
    !(top in data)
  ) {
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

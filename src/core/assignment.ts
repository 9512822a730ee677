// Assignments: which model answers which task (contracts §4). Accepted forms:
//   "platform=groq:openai/gpt-oss-120b,product=openai:gpt-4o"  (tasks not named use the fallback)
//   "groq:openai/gpt-oss-20b"                                   (one model for every task)
//   "plan.json" / "./plan" / '{"platform": "…"}'               (JSON object task → model)
//   "demo"                                                      (the seed article's final plan, simulated)
// A list or JSON object may also set "*" = the model for every task it does not name.
import { readSmallText } from './smallFile.ts';
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS, isTaskId, type TaskId } from '#shared/tasks.ts';
import { deprecationWarning, parseModelSpec, type ModelsRegistry } from './models.ts';

/** A model spec (`provider:model`) per task. */
export type Assignment = Record<TaskId, string>;

/** Today's Groq plan: the larger gpt-oss where mistakes cost most (platform, asset ids, severity), the smaller on the product → details chain. */
export const DEFAULT_ASSIGNMENT: Readonly<Assignment> = Object.freeze({
  platform: 'groq:openai/gpt-oss-120b',
  product: 'groq:openai/gpt-oss-20b',
  technical_details: 'groq:openai/gpt-oss-20b',
  asset_ids: 'groq:openai/gpt-oss-120b',
  severity: 'groq:openai/gpt-oss-120b',
});

/** The seed article's final recommendation, on the simulated demo provider (no key needed). */
export const DEMO_ASSIGNMENT: Readonly<Assignment> = Object.freeze({
  platform: 'demo:llama-3.3-70b',
  product: 'demo:llama-3.1-8b',
  technical_details: 'demo:llama-3.1-8b',
  asset_ids: 'demo:llama-3.3-70b',
  severity: 'demo:llama-3.3-70b',
});

export interface ParseAssignmentOptions {
  /** Reads a plan file (default: fs, UTF-8). */
  readFile?: (path: string) => string;
  /** Models for tasks the spec does not name (default DEFAULT_ASSIGNMENT). */
  fallback?: Readonly<Assignment>;
}

const planFileSchema = z.record(z.string(), z.string());

function bad(msg: string): never {
  throw new AppError('BAD_INPUT', msg);
}

function checkedSpec(spec: string, where: string): string {
  try {
    const { provider, model } = parseModelSpec(spec);
    return `${provider}:${model}`;
  } catch (e) {
    return bad(`${where}: ${(e as Error).message}`);
  }
}

function fromEntries(entries: [string, string][], fallback: Readonly<Assignment>, where: string): Assignment {
  const out: Assignment = { ...fallback };
  const named = new Set<string>();
  let every: string | null = null;
  for (const [rawKey, rawValue] of entries) {
    const key = rawKey.trim();
    const value = rawValue.trim();
    if (named.has(key)) bad(`${where}: ${key === '*' ? '"*"' : `task "${key}"`} is assigned twice`);
    named.add(key);
    if (value === '') bad(`${where}: no model given for "${key}"`);
    if (key === '*') {
      every = checkedSpec(value, `${where} "*"`);
      continue;
    }
    if (!isTaskId(key)) bad(`${where}: unknown task "${key}" (tasks: ${TASK_IDS.join(', ')})`);
    out[key] = checkedSpec(value, `${where} ${key}`);
  }
  if (every !== null) for (const t of TASK_IDS) if (!named.has(t)) out[t] = every;
  return out;
}

function looksLikeFile(s: string): boolean {
  return /\.json$/i.test(s) || /^(\.{1,2}[\\/]|[\\/]|~[\\/])/.test(s) || /^[a-z]:[\\/]/i.test(s);
}

function fromJson(text: string, where: string, fallback: Readonly<Assignment>): Assignment {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return bad(`${where}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = planFileSchema.safeParse(data);
  if (!parsed.success) return bad(`${where}: expected an object of task → "provider:model" strings`);
  return fromEntries(Object.entries(parsed.data), fallback, where);
}

/** Parses an assignment spec (task=model list, one model, JSON file or inline JSON, or "demo"); BAD_INPUT names what is wrong. */
export function parseAssignment(spec: string, options: ParseAssignmentOptions = {}): Assignment {
  const fallback = options.fallback ?? DEFAULT_ASSIGNMENT;
  const s = spec.trim();
  if (s === '') bad('assignment is empty (give task=provider:model pairs, one provider:model, a JSON file, or "demo")');
  if (s.toLowerCase() === 'demo') return { ...DEMO_ASSIGNMENT };
  if (s.startsWith('{')) return fromJson(s, 'assignment', fallback);
  if (s.includes('=')) {
    const entries = s.split(',').map((part, i): [string, string] => {
      const p = part.trim();
      if (p === '') bad(`assignment "${s}": empty entry at position ${i + 1}`);
      const eq = p.indexOf('=');
      if (eq < 0) bad(`assignment "${s}": "${p}" is not task=provider:model`);
      return [p.slice(0, eq), p.slice(eq + 1)];
    });
    return fromEntries(entries, fallback, `assignment "${s}"`);
  }
  if (looksLikeFile(s)) {
    const read = options.readFile ?? ((p: string) => readSmallText(p, 'assignment file', 1_000_000));
    let text: string;
    try {
      text = read(s);
    } catch (e) {
      if (e instanceof AppError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      return bad(`assignment file ${s}: cannot read (${code ?? (e as Error).message})`);
    }
    return fromJson(text, `assignment file ${s}`, fallback);
  }
  const one = checkedSpec(s, 'assignment');
  return Object.fromEntries(TASK_IDS.map((t) => [t, one])) as Assignment;
}

/** Formats an assignment as the task=model list parseAssignment reads back, in task order. */
export function formatAssignment(a: Readonly<Assignment>): string {
  return TASK_IDS.map((t) => `${t}=${a[t]}`).join(',');
}

/** Lifecycle warnings for the models of an assignment as of `today`, one per distinct model. */
export function assignmentWarnings(a: Readonly<Assignment>, today: Date | string = new Date(), registry?: ModelsRegistry): string[] {
  const out: string[] = [];
  for (const spec of new Set(TASK_IDS.map((t) => a[t]))) {
    const w = deprecationWarning(spec, today, registry);
    if (w !== null) out.push(w);
  }
  return out;
}

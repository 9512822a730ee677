// Prompt templates (resources/prompts/<task>/<version>.md) and the chat messages built from them.
// The system message is the rendered template; the user message carries the upstream facts the
// task depends on, then the ticket verbatim inside <ticket>…</ticket> (contracts §2).
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { PROMPT_MAX_CHARS } from '#shared/limits.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { detailsFor, idHintsFor, servicesFor, type Catalog } from '../catalog.ts';
import type { ChatMessage } from '../providers/types.ts';
import { describeZodIssues, readTextResource, resolveResourcesDir } from '../resources.ts';

export interface PromptTemplate {
  task: TaskId;
  /** "v1", "v2", … (the file name). */
  version: string;
  /** The system prompt with its {{placeholders}} (front matter removed). */
  template: string;
  /** First 12 hex chars of the template's sha256: tells edited prompts apart under one version. */
  hash: string;
  file: string;
}

/** The prompt in use per task. */
export type PromptRegistry = Record<TaskId, PromptTemplate>;

export interface Upstream {
  platform?: string | null;
  product?: string | null;
}

/** Placeholders a template may use; anything else in {{…}} is a load error. */
export const PROMPT_PLACEHOLDERS = ['platform', 'product', 'catalog', 'details', 'id_hints'] as const;
type Placeholder = (typeof PROMPT_PLACEHOLDERS)[number];

const frontMatterSchema = z.object({
  version: z.string().regex(/^v\d+$/, 'expected v<number>'),
  task: z.enum(TASK_IDS),
});

function fail(file: string, msg: string): never {
  throw new AppError('BAD_INPUT', `${file}: ${msg}`);
}

function parsePromptFile(file: string, dirTask: TaskId, fileVersion: string): PromptTemplate {
  const text = readTextResource(file)
    .replace(/^\uFEFF/, '')
    .replace(/\r\n/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!m) fail(file, 'missing front matter (--- version: …, task: … ---)');
  const fields: Record<string, string> = {};
  for (const line of (m[1] ?? '').split('\n')) {
    if (line.trim() === '') continue;
    const kv = /^([a-z_]+):\s*(.*?)\s*$/.exec(line);
    if (!kv) fail(file, `front matter line "${line}" is not "key: value"`);
    fields[kv[1] ?? ''] = kv[2] ?? '';
  }
  const fm = frontMatterSchema.safeParse(fields);
  if (!fm.success) fail(file, `front matter: ${describeZodIssues(fm.error.issues)}`);
  if (fm.data.task !== dirTask) fail(file, `front matter says task "${fm.data.task}" but the file is under ${dirTask}/`);
  if (fm.data.version !== fileVersion) fail(file, `front matter says version "${fm.data.version}" but the file is ${fileVersion}.md`);
  const template = (m[2] ?? '').trim();
  const problem = promptProblems(dirTask, template)[0];
  if (problem) fail(file, problem.message);
  const hash = createHash('sha256').update(template).digest('hex').slice(0, 12);
  return { task: dirTask, version: fm.data.version, template, hash, file };
}

/** A problem with a prompt template: what is wrong and, when one line is to blame, its 1-based line number. */
export interface PromptProblem {
  line: number | null;
  message: string;
}

// Tabs, newlines and carriage returns are text; every other C0 control, DEL and U+FFFD (what a
// byte that is not UTF-8 decodes to) is not.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern finds
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

/**
 * The rules every prompt template meets, shipped or saved in the workspace: a `Task: <task>` line,
 * each example ticket paired with one example answer, and only known {{placeholders}}. Empty: valid.
 */
export function promptProblems(task: TaskId, template: string): PromptProblem[] {
  const out: PromptProblem[] = [];
  const lineOf = (index: number): number => template.slice(0, index).split('\n').length;
  if (template.trim() === '') return [{ line: null, message: 'the prompt is empty' }];
  if (template.length > PROMPT_MAX_CHARS) {
    return [
      {
        line: null,
        message: `the prompt is over ${PROMPT_MAX_CHARS.toLocaleString('en-US')} characters (${template.length.toLocaleString('en-US')})`,
      },
    ];
  }
  // A prompt is text: a NUL or another control character means a binary file or a bad paste.
  const control = NOT_TEXT.exec(template);
  if (control) {
    const code =
      control[0] === '\ufffd'
        ? 'bytes that are not UTF-8'
        : `control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    out.push({ line: lineOf(control.index), message: `the prompt holds ${code}: save it as plain UTF-8 text` });
  }
  if (!new RegExp(`^Task: ${task}$`, 'm').test(template))
    out.push({ line: null, message: `the prompt must contain the line "Task: ${task}"` });
  const opens = template.match(/<example_ticket>/g)?.length ?? 0;
  const answers = template.match(/<example_answer>/g)?.length ?? 0;
  if (
    opens !== (template.match(/<\/example_ticket>/g)?.length ?? 0) ||
    opens !== answers ||
    answers !== (template.match(/<\/example_answer>/g)?.length ?? 0)
  ) {
    out.push({ line: null, message: 'every <example_ticket>…</example_ticket> needs one <example_answer>…</example_answer>' });
  }
  for (const ph of template.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    if (!(PROMPT_PLACEHOLDERS as readonly string[]).includes(ph[1] ?? '')) {
      out.push({ line: lineOf(ph.index ?? 0), message: `unknown placeholder {{${ph[1]}}} (known: ${PROMPT_PLACEHOLDERS.join(', ')})` });
    }
  }
  return out;
}

/** The template's hash as calls record it: the first 12 hex chars of its sha256. */
export function promptHash(template: string): string {
  return createHash('sha256').update(template).digest('hex').slice(0, 12);
}

/** Every shipped version of every task's prompt (resources/prompts/<task>/v<N>.md), oldest first. */
export function loadShippedPrompts(resourcesDir?: string): Record<TaskId, PromptTemplate[]> {
  const root = path.join(resolveResourcesDir(resourcesDir), 'prompts');
  const out = {} as Record<TaskId, PromptTemplate[]>;
  for (const task of TASK_IDS) {
    const dir = path.join(root, task);
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => /^v\d+\.md$/.test(f));
    } catch {
      files = [];
    }
    const versions = files.map((f) => f.slice(0, -3)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    out[task] = versions.map((v) => parsePromptFile(path.join(dir, `${v}.md`), task, v));
  }
  return out;
}

let active: PromptRegistry | null = null;

/** Loads every task's prompt (the highest version unless `pin` names one); the result becomes the default registry. */
export function loadPrompts(resourcesDir?: string, pin: Partial<Record<TaskId, string>> = {}): PromptRegistry {
  const root = path.join(resolveResourcesDir(resourcesDir), 'prompts');
  const out = {} as PromptRegistry;
  for (const task of TASK_IDS) {
    const dir = path.join(root, task);
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => /^v\d+\.md$/.test(f));
    } catch {
      throw new AppError('BAD_INPUT', `${dir}: no prompt directory for task "${task}"`);
    }
    const versions = files.map((f) => f.slice(0, -3)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    const wanted = pin[task] ?? versions.at(-1);
    if (wanted === undefined) throw new AppError('BAD_INPUT', `${dir}: no v<N>.md prompt for task "${task}"`);
    if (!versions.includes(wanted)) {
      throw new AppError('BAD_INPUT', `${dir}: no prompt version "${wanted}" (have ${versions.join(', ') || 'none'})`);
    }
    out[task] = parsePromptFile(path.join(dir, `${wanted}.md`), task, wanted);
  }
  active = out;
  return out;
}

/** The version of the prompt in use for a task ("v1"). */
export function promptVersion(task: TaskId, prompts?: PromptRegistry): string {
  return (prompts ?? active ?? loadPrompts())[task].version;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').trim();
}

/** Fills a template's {{placeholders}} from the upstream facts and the catalog. */
export function renderPrompt(template: string, upstream: Upstream, catalog: Catalog): string {
  const platform = upstream.platform ? oneLine(upstream.platform) : null;
  const product = upstream.product ? oneLine(upstream.product) : null;
  const values: Record<Placeholder, () => string> = {
    platform: () => platform ?? 'unknown',
    product: () => product ?? 'unknown',
    catalog: () => servicesFor(platform, catalog).join(', ') || "(none for this platform: use the vendor's own service name)",
    details: () =>
      detailsFor(platform, product, catalog).join('; ') ||
      'error message, versions, resource names or ids, region, time the problem started',
    id_hints: () =>
      idHintsFor(platform, catalog).join('; ') ||
      'account, project or subscription ids; resource names, ids and paths as the vendor writes them',
  };
  return template.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, name: string) => (name in values ? values[name as Placeholder]() : whole));
}

/** The chat messages for one task: system = rendered prompt; user = upstream lines, then the ticket verbatim in <ticket>…</ticket>. */
export function buildMessages(
  task: TaskId,
  ticketText: string,
  upstream: Upstream,
  prompts: PromptRegistry,
  catalog: Catalog,
): ChatMessage[] {
  const deps = TASKS[task].dependsOn;
  const lines: string[] = [];
  if (deps.includes('platform')) lines.push(`Platform: ${upstream.platform ? oneLine(upstream.platform) : 'unknown'}`);
  if (deps.includes('product')) lines.push(`Product: ${upstream.product ? oneLine(upstream.product) : 'unknown'}`);
  // The ticket goes in untouched, even if it contains "</ticket>": our closing tag is always the
  // last line, so the ticket is everything between the first "<ticket>" line and that last line.
  lines.push('<ticket>', ticketText, '</ticket>');
  return [
    { role: 'system', content: renderPrompt(prompts[task].template, upstream, catalog) },
    { role: 'user', content: lines.join('\n') },
  ];
}

/** Recovers the verbatim ticket from a user message built by buildMessages, or null if it has no <ticket> block. */
export function ticketFromUserMessage(content: string): string | null {
  const open = content.startsWith('<ticket>\n') ? 0 : content.indexOf('\n<ticket>\n');
  if (open < 0 || !content.endsWith('\n</ticket>')) return null;
  const start = open === 0 && content.startsWith('<ticket>\n') ? '<ticket>\n'.length : open + '\n<ticket>\n'.length;
  const end = content.length - '\n</ticket>'.length;
  return end >= start ? content.slice(start, end) : null;
}

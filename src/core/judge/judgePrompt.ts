// The judge's prompt (a versioned resource, resources/judge/v<N>.md) and the verdict it answers.
// The judge gets the ticket and one answer — never the model that gave it — and scores the answer
// with the review rubric of its task (contracts §6). Its verdict goes through the same rubric check
// as a human score (review/rubric.ts checkScore): a score that contradicts the judge's own correct
// value or details is refused, so the recorded score always follows from what the judge said.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { TASKS, type TaskId } from '#shared/tasks.ts';
import type { ChatMessage, ResponseFormat } from '../providers/types.ts';
import { readTextResource, resolveResourcesDir } from '../resources.ts';
import { checkScore, type CorrectValue } from '../review/rubric.ts';

export interface JudgePrompt {
  /** "v1", "v2", … (the file name). */
  version: string;
  /** The system template with {{task}}, {{question}}, {{rubric}}, {{shape}}. */
  template: string;
  rubric: Record<TaskId, string>;
  /** First 12 hex of the file's sha256: tells an edited prompt apart under one version. */
  hash: string;
  file: string;
}

const JUDGE_PLACEHOLDERS = ['task', 'question', 'rubric', 'shape'];

/** Loads the judge prompt: `version` ("v1") or the highest one shipped. */
export function loadJudgePrompt(resourcesDir?: string, version?: string): JudgePrompt {
  const dir = path.join(resolveResourcesDir(resourcesDir), 'judge');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^v\d+\.md$/.test(f));
  } catch {
    throw new AppError('BAD_INPUT', `${dir}: no judge prompt directory`);
  }
  const versions = files.map((f) => f.slice(0, -3)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const wanted = version ?? versions.at(-1);
  if (!wanted || !versions.includes(wanted)) {
    throw new AppError('BAD_INPUT', `no judge prompt ${wanted ?? ''} in ${dir} (have ${versions.join(', ') || 'none'})`.replace('  ', ' '));
  }
  const file = path.join(dir, `${wanted}.md`);
  return parseJudgePrompt(readTextResource(file), file, wanted);
}

/** Parses a judge prompt file: front matter (version), the system template, then one `### rubric: <task>` section per task. */
export function parseJudgePrompt(text: string, file: string, fileVersion: string): JudgePrompt {
  const fail = (msg: string): never => {
    throw new AppError('BAD_INPUT', `${file}: ${msg}`);
  };
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(body);
  if (!m) fail('missing front matter (--- version: vN ---)');
  const version = /^version:\s*(v\d+)\s*$/m.exec(m![1] ?? '')?.[1];
  if (version !== fileVersion) fail(`front matter says version "${version ?? '?'}" but the file is ${fileVersion}.md`);
  const parts = (m![2] ?? '').split(/^### rubric:\s*([a-z_]+)\s*$/m);
  const template = (parts[0] ?? '').trim();
  const rubric: Partial<Record<TaskId, string>> = {};
  for (let i = 1; i < parts.length; i += 2) {
    const task = parts[i] ?? '';
    if (!(task in TASKS)) fail(`unknown task "${task}" in a rubric heading`);
    rubric[task as TaskId] = (parts[i + 1] ?? '').trim();
  }
  for (const ph of template.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
    if (!JUDGE_PLACEHOLDERS.includes(ph[1] ?? '')) fail(`unknown placeholder {{${ph[1]}}} (known: ${JUDGE_PLACEHOLDERS.join(', ')})`);
  }
  for (const t of Object.keys(TASKS) as TaskId[]) if (!rubric[t]) fail(`no "### rubric: ${t}" section`);
  if (!/^Judge: \{\{task\}\}$/m.test(template)) fail('the prompt must contain the line "Judge: {{task}}"');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { version: fileVersion, template, rubric: rubric as Record<TaskId, string>, hash, file };
}

/** The prompt version recorded with every verdict and call: "judge/v1". */
export const judgeVersionTag = (p: JudgePrompt): string => `judge/${p.version}`;

const STR = { type: 'string' };
const STR_ARR = { type: 'array', items: STR };

/** The verdict's JSON Schema per task (strict-mode compatible: every property required, nothing else). */
export function verdictSchema(task: TaskId): Record<string, unknown> {
  const props: Record<string, unknown> =
    task === 'technical_details'
      ? { reasoning: STR, expected: STR_ARR, missing: STR_ARR, score: { type: 'number' } }
      : task === 'asset_ids'
        ? { reasoning: STR, correct_value: STR_ARR, score: { type: 'number' } }
        : { reasoning: STR, correct_value: { type: ['string', 'null'] }, score: { type: 'number' } };
  return { type: 'object', properties: props, required: Object.keys(props), additionalProperties: false };
}

function shapeLine(task: TaskId): string {
  switch (task) {
    case 'technical_details':
      return '{"reasoning": string, "expected": [string, ...], "missing": [string, ...], "score": number}';
    case 'asset_ids':
      return '{"reasoning": string, "correct_value": [string, ...], "score": 0 | 1}';
    case 'severity':
      return '{"reasoning": string, "correct_value": "low" | "normal" | "high" | "urgent", "score": 0 | 0.5 | 1}';
    default:
      return '{"reasoning": string, "correct_value": string | null, "score": 0 | 1}';
  }
}

/** The structured-output request for a verdict, at the level the judge model supports. */
export function verdictFormat(task: TaskId, level: 'strict' | 'json_schema' | 'json_object' | 'none'): ResponseFormat {
  if (level === 'json_object' || level === 'none') return { type: 'json_object' };
  return { type: 'json_schema', name: `judge_${task}`, schema: verdictSchema(task), strict: level === 'strict' };
}

/** The messages for one judgement: the rubric in the system message, the ticket and the answer in the user message. */
export function buildJudgeMessages(p: JudgePrompt, task: TaskId, ticketText: string, answer: unknown): ChatMessage[] {
  const fill: Record<string, string> = { task, question: TASKS[task].question, rubric: p.rubric[task], shape: shapeLine(task) };
  const system = p.template.replace(/\{\{\s*([a-z]+)\s*\}\}/g, (_, k: string) => fill[k] ?? '');
  const user = `<ticket>\n${ticketText}\n</ticket>\n<answer>\n${JSON.stringify(answer ?? null)}\n</answer>`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

/** A verdict that passed the rubric. */
export interface Verdict {
  score: number;
  reasoning: string;
  /** Exact tasks: the judge's correct value (normalised). */
  correctValue: CorrectValue | null;
  /** Technical details: what the judge expects the ticket to carry, and which of those the answer missed. */
  expected: string[] | null;
  missing: string[] | null;
}

export type VerdictParse = { ok: true; verdict: Verdict } | { ok: false; message: string };

const verdictWire = z.object({
  reasoning: z.string().max(8000).optional(),
  score: z.number().finite(),
  correct_value: z.unknown().optional(),
  expected: z.array(z.string()).max(200).optional(),
  missing: z.array(z.string()).max(200).optional(),
});

/** The JSON object in a judge's text (bare, or inside a ```json fence). */
function jsonOf(text: string): unknown {
  const t = text.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n```\s*$/i.exec(t);
  return JSON.parse(fenced ? (fenced[1] ?? '') : t) as unknown;
}

/**
 * Parses and checks a judge's answer for one judged answer. `answer` is the value judged (so a
 * stated correct value can be checked against the score) and `platform` folds a product name
 * through that platform's catalog.
 */
export function parseVerdict(task: TaskId, text: string, answer: unknown, platform: string | null = null): VerdictParse {
  let raw: unknown;
  try {
    raw = jsonOf(text);
  } catch {
    return { ok: false, message: 'the judge did not answer with a JSON object' };
  }
  const w = verdictWire.safeParse(raw);
  if (!w.success) {
    const issue = w.error.issues[0];
    return {
      ok: false,
      message:
        `the judge's verdict ${issue?.path.length ? `field "${issue.path.join('.')}"` : ''} is not valid: ${issue?.message ?? 'wrong shape'}`.replace(
          '  ',
          ' ',
        ),
    };
  }
  const v = w.data;
  const details = task === 'technical_details';
  if (details && (v.expected === undefined || v.missing === undefined)) {
    return { ok: false, message: 'a technical_details verdict needs "expected" and "missing" lists' };
  }
  // Technical details: the score follows from the lists (1 − missing/M); a judge writes it rounded
  // ("0.67"), so the lists give the score and the stated one need only match to two decimals.
  const checked = checkScore(
    details
      ? { task, expected: v.expected, missing: v.missing }
      : { task, score: v.score, ...(v.correct_value !== undefined ? { correctValue: v.correct_value } : {}) },
    { answer, platform },
  );
  if (!checked.ok) return { ok: false, message: `the judge's verdict breaks the rubric: ${checked.reason}` };
  if (details && Math.abs(checked.value.score - v.score) > 0.005 + 1e-9) {
    const m = checked.value.expectedCount ?? 0;
    return {
      ok: false,
      message: `the judge's verdict breaks the rubric: score ${v.score} does not match ${m === 0 ? 'M = 0' : `1 − ${checked.value.missing?.length ?? 0}/${m}`} = ${Number(checked.value.score.toFixed(3))}`,
    };
  }
  const c = checked.value;
  return {
    ok: true,
    verdict: {
      score: c.score,
      reasoning: (v.reasoning ?? '').trim(),
      correctValue: details ? null : (c.correctValue ?? null),
      expected: details ? c.expected : null,
      missing: details ? c.missing : null,
    },
  };
}

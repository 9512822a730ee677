// The few-shot leak check every asset-id prompt version passes before it can be promoted (issue 17
// §3; the seed article's leak: a model answering the example's `my-project-123` for a ticket that
// names no such project). Two parts:
//  - static: the identifiers a version's <example_answer> blocks hold — the values a model could
//    copy from the examples (shown beside the editor as a warning, never a refusal on its own);
//  - probe: the version runs on a few tickets that name no ids, or other ids, on the model that
//    would use it; an answer holding an id that is in the prompt but not in the ticket is a leak,
//    and the promotion is refused saying which id, on which ticket, from which model.
import { uncalledResult, type TaskResult } from '#shared/results.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { triageTicket, type AttemptRecord, type Assignment, type EngineDeps } from '../graph/engine.ts';
import { variantSpec } from './promptLibrary.ts';

/** An identifier written in an example answer, with its 1-based line in the template. */
export interface ExampleId {
  id: string;
  line: number;
}

/** Looks like an identifier (not a word or a sentence): no spaces, and a digit, dash, dot, slash or colon in it. */
const ID_LIKE = /^(?=.*[\d\-./:_])[^\s"]{3,200}$/;

function strings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
}

/** The identifiers a template's example answers hold: what a model could copy into a real answer. */
export function exampleIds(template: string): ExampleId[] {
  const out: ExampleId[] = [];
  const seen = new Set<string>();
  for (const m of template.matchAll(/<example_answer>([\s\S]*?)<\/example_answer>/g)) {
    const body = m[1] ?? '';
    const found: string[] = [];
    try {
      strings(JSON.parse(body) as unknown, found);
    } catch {
      // Not JSON: the quoted values in it.
      for (const q of body.matchAll(/"([^"\n]+)"/g)) found.push(q[1] ?? '');
    }
    const at = m.index ?? 0;
    for (const s of found) {
      if (!ID_LIKE.test(s) || seen.has(s.toLowerCase())) continue;
      seen.add(s.toLowerCase());
      const idx = template.indexOf(s, at);
      out.push({ id: s, line: template.slice(0, idx < 0 ? at : idx).split('\n').length });
    }
  }
  return out;
}

/** Tickets the probe sends: none names an id of any example, two name no id at all. */
export const LEAK_PROBES: ReadonlyArray<{ id: string; platform: string; text: string }> = [
  {
    id: 'leak-probe-1',
    platform: 'gcp',
    text: 'Uploads to our Cloud Storage bucket fail with 403 since this morning. Nothing changed on our side, can you check?',
  },
  { id: 'leak-probe-2', platform: 'aws', text: 'Our RDS instance is out of storage, can you increase it? We are on gp3, eu-central-1.' },
  {
    id: 'leak-probe-3',
    platform: 'azure',
    text: 'The VM scale set vmss-web-prod-02 in subscription 3f2b9c1e-7a4d-4e55-9a0b-2c8d1e6f4a10 fails to scale out with AllocationFailed.',
  },
  {
    id: 'leak-probe-4',
    platform: 'gcp',
    text: 'Cloud SQL instance orders-db-eu1 in project shop-prod-4411 restarts every night at 02:00 UTC.',
  },
];

/** The tasks the probe runs for (the few-shot leak is about identifiers). */
export const LEAK_CHECKED_TASKS: readonly TaskId[] = ['asset_ids'];

export interface LeakFinding {
  ticketId: string;
  ticket: string;
  /** Ids in the answer that are in the prompt (its examples) and not in the ticket. */
  leaked: string[];
  answer: unknown;
}

export interface LeakProbeResult {
  task: TaskId;
  version: string;
  model: string;
  passed: boolean;
  probes: number;
  findings: LeakFinding[];
  /** Probes whose call failed (no answer to judge): the check is inconclusive, so it does not pass. */
  failed: Array<{ ticketId: string; code: string; message: string }>;
  costUsd: number;
  /** One sentence: passed, or why not. */
  message: string;
}

/** The ids of an answer that come from the prompt rather than the ticket. */
export function leakedIds(answer: unknown, ticket: string, template: string): string[] {
  const ids: string[] = [];
  strings(answer, ids);
  const t = ticket.toLowerCase();
  const p = template.toLowerCase();
  return [...new Set(ids.map((s) => s.trim()).filter((s) => s.length >= 3 && !t.includes(s.toLowerCase()) && p.includes(s.toLowerCase())))];
}

const given = (task: TaskId, spec: string, value: unknown): TaskResult =>
  uncalledResult(task, {
    status: value === undefined ? 'skipped' : 'ok',
    value: value ?? null,
    provider: spec.split(':')[0] ?? '',
    model: '',
    promptVersion: 'given',
    error: value === undefined ? { code: 'SKIPPED', message: 'not part of the leak check' } : null,
  });

/**
 * Runs `task` with prompt `version` (template `template`) on `model` for every probe ticket; the
 * platform is given (the probe tests the id prompt, not the platform answer). Attempts go to `onAttempt`.
 */
export async function runLeakProbe(o: {
  deps: EngineDeps;
  task: TaskId;
  version: string;
  template: string;
  model: string;
  signal?: AbortSignal;
  onAttempt?: (a: AttemptRecord) => void;
}): Promise<LeakProbeResult> {
  const spec = variantSpec(o.model, o.task, o.version);
  const assignment = Object.fromEntries(TASK_IDS.map((t) => [t, spec])) as Assignment;
  const findings: LeakFinding[] = [];
  const failed: LeakProbeResult['failed'] = [];
  let cost = 0;
  for (const p of LEAK_PROBES) {
    const givenResults = Object.fromEntries(
      TASK_IDS.filter((t) => t !== o.task).map((t) => [t, given(t, spec, t === 'platform' ? p.platform : undefined)]),
    ) as Partial<Record<TaskId, TaskResult>>;
    const r = await triageTicket(o.deps, { id: p.id, text: p.text }, assignment, {
      given: givenResults,
      signal: o.signal,
      onAttempt: o.onAttempt,
      invalidOutputRetries: 1,
    });
    const res = r.tasks[o.task];
    cost += res.costUsd ?? 0;
    if (res.status !== 'ok') {
      failed.push({ ticketId: p.id, code: res.error?.code ?? 'INTERNAL', message: res.error?.message ?? 'no answer' });
      continue;
    }
    const leaked = leakedIds(res.value, p.text, o.template);
    if (leaked.length) findings.push({ ticketId: p.id, ticket: p.text, leaked, answer: res.value });
  }
  const passed = findings.length === 0 && failed.length === 0;
  const first = findings[0];
  const message = first
    ? `${o.task} ${o.version} leaks its examples: on a ticket that names no such id, ${o.model} answered ${first.leaked.map((s) => `"${s}"`).join(', ')}, which is only in the prompt` +
      `${findings.length > 1 ? ` (${findings.length} of ${LEAK_PROBES.length} probe tickets leaked)` : ''}. Use ids no ticket could contain in the examples, or tell the model never to copy them.`
    : failed.length
      ? `the leak check could not finish: ${failed.length} of ${LEAK_PROBES.length} probe calls to ${o.model} failed (${failed[0]!.code}: ${failed[0]!.message})`
      : `${o.task} ${o.version} passed the leak check on ${o.model}: ${LEAK_PROBES.length} probe tickets, no example id in any answer`;
  return { task: o.task, version: o.version, model: o.model, passed, probes: LEAK_PROBES.length, findings, failed, costUsd: cost, message };
}

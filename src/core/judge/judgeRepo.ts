// Judge verdicts in the workspace (judge_verdicts, migration 15): which answers of a run are still
// to judge, writing a verdict with its call, and reading verdicts back for the report.
import { createHash } from 'node:crypto';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS, isTaskId, type TaskId } from '#shared/tasks.ts';
import type { JudgeInfo } from '#shared/routes/judgeRoutes.ts';
import type { Store } from '../store/store.ts';
import type { VerdictRow } from './judgeAgreement.ts';
import type { Verdict } from './judgePrompt.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const parse = (v: unknown): unknown => {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null;
  }
};

/** One recorded answer to judge. */
export interface JudgeTarget {
  ticketId: string;
  ticketHash: string | null;
  task: TaskId;
  model: string;
  /** The answer as stored (results.value). */
  answerJson: string | null;
  answer: unknown;
  text: string;
  /** The platform used to fold a product name: the gold label, else the platform answer of the same model. */
  platform: string | null;
}

/** The run kinds whose answers a judge can score. */
const JUDGEABLE = new Set(['experiment', 'shadow', 'import', 'run', 'compare', 'triage']);

/** The judge's run for a judged run + judge model + prompt version (its calls are recorded under it). */
export function judgeRunId(sourceRunId: string, judgeModel: string, promptVersion: string): string {
  return `judge-${createHash('sha256').update(`${sourceRunId}\n${judgeModel}\n${promptVersion}`).digest('hex').slice(0, 16)}`;
}

/** Checks the run exists and holds answers a judge can score. */
export function judgeableRun(store: Store, runId: string): { id: string; kind: string; label: string | null } {
  const r = store.prepare('SELECT id, kind, label FROM runs WHERE id = ?').get(runId) as Row | undefined;
  if (!r) {
    const known = (
      store.prepare(`SELECT id FROM runs WHERE kind IN ('experiment', 'shadow', 'import') ORDER BY created_at DESC LIMIT 5`).all() as Row[]
    ).map((x) => String(x.id));
    throw new AppError('BAD_INPUT', `no run "${runId}" in ${store.path}${known.length ? ` (judgeable runs: ${known.join(', ')})` : ''}`);
  }
  if (!JUDGEABLE.has(String(r.kind)))
    throw new AppError(
      'BAD_INPUT',
      `run ${runId} is a ${String(r.kind)} run: a judge scores the answers of experiments, shadow runs and imported traces`,
    );
  return { id: String(r.id), kind: String(r.kind), label: str(r.label) };
}

const TARGETS_SQL = (tasks: readonly TaskId[]): string => `
SELECT r.ticket_id, r.task, r.model_spec, r.value, r.ticket_hash,
  coalesce((SELECT text FROM run_ticket_versions x WHERE x.run_id = r.run_id AND x.ticket_id = r.ticket_id), (SELECT text FROM tickets t WHERE t.id = r.ticket_id)) AS text,
  (SELECT labels FROM tickets t WHERE t.id = r.ticket_id) AS labels,
  (SELECT p.value FROM results p WHERE p.run_id = r.run_id AND p.ticket_id = r.ticket_id AND p.task = 'platform' AND p.status = 'ok'
     ORDER BY (p.model_spec = r.model_spec) DESC LIMIT 1) AS platform
FROM results r
WHERE r.run_id = ?1 AND r.status = 'ok' AND r.task IN (${tasks.map((t) => `'${t}'`).join(', ')})
  AND (?2 IS NULL OR NOT EXISTS (SELECT 1 FROM judge_verdicts v WHERE v.source_run_id = r.run_id AND v.ticket_id = r.ticket_id
    AND v.task = r.task AND v.model_spec = r.model_spec AND v.judge_model = ?2 AND v.prompt_version = ?3))
ORDER BY r.ticket_id, r.task, r.model_spec`;

/** Successful answers of a run for these tasks; with a judge, only those it has not judged under this prompt version. */
export function judgeTargets(
  store: Store,
  runId: string,
  tasks: readonly TaskId[],
  judge?: { model: string; promptVersion: string },
): JudgeTarget[] {
  const rows = store.prepare(TARGETS_SQL(tasks)).all(runId, judge?.model ?? null, judge?.promptVersion ?? null) as Row[];
  const out: JudgeTarget[] = [];
  for (const r of rows) {
    const task = String(r.task);
    const text = str(r.text);
    if (!isTaskId(task) || text === null) continue;
    const labels = parse(r.labels) as { platform?: unknown } | null;
    const platformAnswer = parse(r.platform);
    const platform = typeof labels?.platform === 'string' ? labels.platform : typeof platformAnswer === 'string' ? platformAnswer : null;
    out.push({
      ticketId: String(r.ticket_id),
      ticketHash: str(r.ticket_hash),
      task,
      model: String(r.model_spec),
      answerJson: str(r.value),
      answer: parse(r.value),
      text,
      platform,
    });
  }
  return out;
}

/** Counts answers of a run for these tasks, and how many this judge already scored. */
export function countTargets(
  store: Store,
  runId: string,
  tasks: readonly TaskId[],
  judge: { model: string; promptVersion: string },
): { answers: number; judged: number } {
  const inTasks = tasks.map((t) => `'${t}'`).join(', ');
  const r = store
    .prepare(
      `SELECT count(*) AS answers,
         sum(EXISTS (SELECT 1 FROM judge_verdicts v WHERE v.source_run_id = r.run_id AND v.ticket_id = r.ticket_id AND v.task = r.task
           AND v.model_spec = r.model_spec AND v.judge_model = ?2 AND v.prompt_version = ?3)) AS judged
       FROM results r WHERE r.run_id = ?1 AND r.status = 'ok' AND r.task IN (${inTasks})`,
    )
    .get(runId, judge.model, judge.promptVersion) as Row;
  return { answers: num(r.answers) ?? 0, judged: num(r.judged) ?? 0 };
}

export interface NewVerdict {
  judgeRunId: string;
  sourceRunId: string;
  target: JudgeTarget;
  judgeModel: string;
  promptVersion: string;
  promptHash: string;
  verdict: Verdict;
  callId: number | null;
  judgedAt: number;
}

/** Writes one verdict (a second verdict of the same judge and prompt on the same answer is ignored). */
export function insertVerdict(store: Store, v: NewVerdict): void {
  const t = v.target;
  store
    .prepare(
      `INSERT OR IGNORE INTO judge_verdicts (judge_run_id, source_run_id, ticket_id, ticket_hash, task, model_spec, answer_value, judge_model,
         prompt_version, prompt_hash, score, correct_value, expected, missing, reasoning, call_id, judged_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      v.judgeRunId,
      v.sourceRunId,
      t.ticketId,
      t.ticketHash,
      t.task,
      t.model,
      t.answerJson,
      v.judgeModel,
      v.promptVersion,
      v.promptHash,
      v.verdict.score,
      v.verdict.correctValue === null ? null : JSON.stringify(v.verdict.correctValue),
      v.verdict.expected === null ? null : JSON.stringify(v.verdict.expected),
      v.verdict.missing === null ? null : JSON.stringify(v.verdict.missing),
      v.verdict.reasoning || null,
      v.callId,
      v.judgedAt,
    );
}

/** The judges (model × prompt version) that scored answers of a run, latest first. */
export function judgesOf(store: Store, runId: string): JudgeInfo[] {
  const rows = store
    .prepare(
      'SELECT judge_model, prompt_version, count(*) AS n, max(judged_at) AS last FROM judge_verdicts WHERE source_run_id = ? GROUP BY judge_model, prompt_version ORDER BY last DESC',
    )
    .all(runId) as Row[];
  return rows.map((r) => ({
    judgeModel: String(r.judge_model),
    promptVersion: String(r.prompt_version),
    verdicts: num(r.n) ?? 0,
    lastAt: num(r.last) ?? 0,
  }));
}

/** The judge to show for a run: the one asked for (latest prompt version of that model unless given), else the latest. */
export function pickJudge(store: Store, runId: string, model?: string, promptVersion?: string): JudgeInfo | null {
  const all = judgesOf(store, runId);
  if (!model) return all[0] ?? null;
  const hit = all.find((j) => j.judgeModel === model && (!promptVersion || j.promptVersion === promptVersion));
  if (!hit)
    throw new AppError(
      'BAD_INPUT',
      `${model}${promptVersion ? ` (${promptVersion})` : ''} has not judged run ${runId}${all.length ? ` (judges: ${all.map((j) => `${j.judgeModel} ${j.promptVersion}`).join(', ')})` : ''}`,
    );
  return hit;
}

/** A judge's verdicts on a run. */
export function verdictsOf(store: Store, runId: string, judge: Pick<JudgeInfo, 'judgeModel' | 'promptVersion'>): VerdictRow[] {
  const rows = store
    .prepare(
      'SELECT id, ticket_id, task, model_spec, source_run_id, answer_value, score, reasoning, judge_model, prompt_version FROM judge_verdicts WHERE source_run_id = ? AND judge_model = ? AND prompt_version = ? ORDER BY id',
    )
    .all(runId, judge.judgeModel, judge.promptVersion) as Row[];
  const out: VerdictRow[] = [];
  for (const r of rows) {
    const task = String(r.task);
    if (!isTaskId(task)) continue;
    out.push({
      id: num(r.id)!,
      ticketId: String(r.ticket_id),
      task,
      model: String(r.model_spec),
      sourceRunId: String(r.source_run_id),
      answerJson: str(r.answer_value),
      score: num(r.score) ?? 0,
      reasoning: str(r.reasoning),
      judgeModel: String(r.judge_model),
      promptVersion: String(r.prompt_version),
    });
  }
  return out;
}

/** One verdict with everything the workbench shows about it. */
export function getVerdict(store: Store, id: number): Row & { id: number } {
  const r = store
    .prepare('SELECT v.*, (SELECT title FROM tickets t WHERE t.id = v.ticket_id) AS title FROM judge_verdicts v WHERE v.id = ?')
    .get(id) as Row | undefined;
  if (!r) throw new AppError('BAD_INPUT', `no judge verdict ${id}`);
  return { ...r, id };
}

export const ALL_TASKS: readonly TaskId[] = TASK_IDS;

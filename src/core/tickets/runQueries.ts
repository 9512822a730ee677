// Read models of recorded runs: the runs list (batch runs, experiments, comparisons) with their
// models and baseline, one run's tickets, and a ticket's cells in a comparison or experiment.
import type { TaskResult } from '#shared/results.ts';
import type { CompareData, RunInfo } from '#shared/routes.ts';
import { resultFromRow, type Store } from '../store/store.ts';
import { titleOf } from '#shared/ticketTitle.ts';

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A JSON object cell (a run's config or assignment), or null when it is none. */
export function parseJson(v: unknown): Record<string, unknown> | null {
  if (typeof v !== 'string') return null;
  try {
    const o = JSON.parse(v) as unknown;
    return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Recorded runs (batch runs, experiments, comparisons), newest first, with ticket counts. */
export function listRuns(store: Store, limit = 500): RunInfo[] {
  const rows = store
    .prepare(
      `SELECT r.*,
         (SELECT count(*) FROM (SELECT ticket_id FROM run_tickets WHERE run_id = r.id UNION SELECT ticket_id FROM results WHERE run_id = r.id)) AS tickets,
         (SELECT count(*) FROM run_tickets WHERE run_id = r.id AND status = 'done') AS done,
         (SELECT count(*) FROM run_tickets WHERE run_id = r.id AND status = 'pending') AS pending
       FROM runs r WHERE r.kind NOT IN ('triage', 'judge', 'prompt-check') ORDER BY r.created_at DESC LIMIT ?`,
    )
    .all(limit) as Row[];
  const modelsStmt = store.prepare('SELECT DISTINCT model_spec FROM results WHERE run_id = ? ORDER BY model_spec');
  return rows.map((r) => {
    const config = parseJson(r.config);
    const assignment = parseJson(r.assignment) ?? {};
    const recorded = (modelsStmt.all(String(r.id)) as Row[]).map((m) => String(m.model_spec));
    const configured = Array.isArray(config?.models) ? (config.models as unknown[]).filter((m): m is string => typeof m === 'string') : [];
    const models = [
      ...new Set([
        ...configured,
        ...recorded,
        ...(recorded.length ? [] : Object.values(assignment).filter((m): m is string => typeof m === 'string')),
      ]),
    ];
    return {
      id: String(r.id),
      kind: String(r.kind),
      label: str(r.label),
      status: String(r.status),
      createdAt: num(r.created_at) ?? 0,
      finishedAt: num(r.finished_at),
      tickets: num(r.tickets) ?? 0,
      done: num(r.done) ?? 0,
      pending: num(r.pending) ?? 0,
      models,
      baseline: baselineOf(config, models),
    };
  });
}

/** The baseline of a comparison or experiment: as recorded, else gpt-4o when present, else the first model. */
export function baselineOf(config: Record<string, unknown> | null, models: string[]): string | null {
  const b = config?.baseline;
  if (typeof b === 'string' && b) return b;
  return models.find((m) => m === 'openai:gpt-4o') ?? models[0] ?? null;
}

/** Tickets of one run, in the order they were added to it. */
export function runTickets(store: Store, runId: string): Array<{ ticketId: string; title: string; status: string }> {
  const rows = store
    .prepare(
      `SELECT u.ticket_id, t.title, substr(t.text, 1, 300) AS head, rt.status FROM
         (SELECT ticket_id FROM run_tickets WHERE run_id = ?1 UNION SELECT ticket_id FROM results WHERE run_id = ?1) u
       LEFT JOIN tickets t ON t.id = u.ticket_id
       LEFT JOIN run_tickets rt ON rt.run_id = ?1 AND rt.ticket_id = u.ticket_id
       ORDER BY coalesce(rt.started_at, 0), u.ticket_id LIMIT 20000`,
    )
    .all(runId) as Row[];
  return rows.map((r) => ({
    ticketId: String(r.ticket_id),
    title: titleOf(str(r.title), String(r.head ?? '')),
    status: str(r.status) ?? 'done',
  }));
}

/** One ticket's cells (model × task) in a comparison or experiment run. */
export function compareData(store: Store, runId: string, ticketId: string): CompareData | null {
  const run = store.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as Row | undefined;
  if (!run) return null;
  const config = parseJson(run.config);
  const rows = store
    .prepare('SELECT * FROM results WHERE run_id = ? AND ticket_id = ? ORDER BY model_spec, task')
    .all(runId, ticketId) as Row[];
  const cells: Array<{ modelSpec: string; result: TaskResult }> = [];
  for (const r of rows) {
    const result = resultFromRow(r);
    if (result) cells.push({ modelSpec: String(r.model_spec), result });
  }
  const configured = Array.isArray(config?.models) ? (config.models as unknown[]).filter((m): m is string => typeof m === 'string') : [];
  const recorded = (store.prepare('SELECT DISTINCT model_spec FROM results WHERE run_id = ? ORDER BY model_spec').all(runId) as Row[]).map(
    (m) => String(m.model_spec),
  );
  const models = configured.length ? [...configured, ...recorded.filter((m) => !configured.includes(m))] : recorded;
  const t = store.prepare('SELECT title, substr(text, 1, 300) AS head FROM tickets WHERE id = ?').get(ticketId) as Row | undefined;
  return {
    runId,
    kind: String(run.kind),
    label: str(run.label),
    ticketId,
    ticketTitle: t ? titleOf(str(t.title), String(t.head ?? '')) : ticketId,
    models,
    baseline: baselineOf(config, models) ?? models[0] ?? '',
    cells,
    live: String(run.status) === 'running',
  };
}

// Queries of experiments: which (ticket, model) units already have final results and what a run
// has spent (the runner, on resume); the workspace's tickets by source, a run's tickets, and a
// live run's failures (the workbench's experiments, core/experiments/experimentLive.ts).
import type { TicketInput } from '#shared/results.ts';
import type { TaskId } from '#shared/tasks.ts';
import type { ExperimentLive, TicketSourceInfo } from '#shared/routes/experimentRoutes.ts';
import type { Store } from './store.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export interface StoredResultOptions {
  /** The text hash of each ticket as it is now: results answered for another text do not count. */
  hashes?: ReadonlyMap<string, string>;
  /** Failed results (and tasks skipped because of them) do not count, so they are called again. */
  retryFailed?: boolean;
}

/** Whether a stored result stands when failures are retried: an answer, or a ticket refused before any call. */
export const KEPT_ON_RETRY_SQL = `(status = 'ok' OR (status = 'skipped' AND error_code IN ('EMPTY_TICKET', 'NEEDS_INFO', 'BAD_INPUT')))`;

/** Final results already stored per `${ticketId}\u0000${modelSpec}` (a unit is done at five). */
export function storedResultCounts(store: Store, runId: string, o: StoredResultOptions = {}): Map<string, number> {
  const rows = store
    .prepare(
      `SELECT ticket_id, model_spec, ticket_hash, count(*) AS n, sum(CASE WHEN ${KEPT_ON_RETRY_SQL} THEN 1 ELSE 0 END) AS kept FROM results
       WHERE run_id = ? AND NOT (status = 'error' AND error_code = 'CANCELLED') GROUP BY ticket_id, model_spec, ticket_hash`,
    )
    .all(runId) as Row[];
  const out = new Map<string, number>();
  for (const r of rows) {
    const id = String(r.ticket_id);
    const hash = typeof r.ticket_hash === 'string' ? r.ticket_hash : null;
    const now = o.hashes?.get(id);
    if (hash !== null && now !== undefined && hash !== now) continue;
    const key = `${id}\u0000${String(r.model_spec)}`;
    out.set(key, (out.get(key) ?? 0) + num(o.retryFailed ? r.kept : r.n));
  }
  return out;
}

/** Failed results stored for a run (for the tickets' current texts when hashes are given): failures are counted, never hidden. */
export function storedFailures(store: Store, runId: string, hashes?: ReadonlyMap<string, string>): number {
  const rows = store
    .prepare(
      `SELECT ticket_id, ticket_hash, count(*) AS n FROM results WHERE run_id = ? AND status = 'error' AND error_code <> 'CANCELLED' GROUP BY ticket_id, ticket_hash`,
    )
    .all(runId) as Row[];
  let n = 0;
  for (const r of rows) {
    const id = String(r.ticket_id);
    const hash = typeof r.ticket_hash === 'string' ? r.ticket_hash : null;
    if (hashes && !hashes.has(id)) continue;
    const now = hashes?.get(id);
    if (hash !== null && now !== undefined && hash !== now) continue;
    n += num(r.n);
  }
  return n;
}

/** Calls recorded for a run, their summed cost, and how many had no cost (price or usage unknown). */
export function runSpend(store: Store, runId: string): { calls: number; costUsd: number; unpriced: number } {
  const r = store
    .prepare(
      `SELECT count(*) AS calls, coalesce(sum(cost_usd), 0) AS cost,
         sum(CASE WHEN cost_usd IS NULL AND input_tokens IS NOT NULL THEN 1 ELSE 0 END) AS unpriced
       FROM calls WHERE run_id = ?`,
    )
    .get(runId) as Row;
  return { calls: num(r.calls), costUsd: num(r.cost), unpriced: num(r.unpriced) };
}

/** What a live experiment shows of its failures, read from the store every second or so. */
export interface DbFacts {
  failedByModel: Map<string, number>;
  failedTasks: number;
  skippedTasks: number;
  failuresByCode: ExperimentLive['failuresByCode'];
  recentFailures: ExperimentLive['recentFailures'];
}

/** The workspace's tickets by source, for the setup's picker. */
export function ticketSources(store: Store): { total: number; sources: TicketSourceInfo[] } {
  const rows = store
    .prepare(
      'SELECT source, count(*) AS n, sum(CASE WHEN labels IS NOT NULL THEN 1 ELSE 0 END) AS labelled, min(added_at) AS first FROM tickets GROUP BY source ORDER BY first DESC',
    )
    .all() as Row[];
  const sources = rows.map((r) => ({ source: str(r.source), count: num(r.n), labelled: num(r.labelled) }));
  return { total: sources.reduce((s, x) => s + x.count, 0), sources };
}

/** Tickets of the workspace (all, or of one source), oldest first, with their current source. */
export function workspaceTickets(
  store: Store,
  source: string | null,
  limit: number,
): Array<{ ticket: TicketInput; source: string | null }> {
  const sql = `SELECT id, text, title, created_at, labels, source FROM tickets ${source === null ? '' : 'WHERE source = ?'} ORDER BY added_at, id LIMIT ?`;
  const rows = (source === null ? store.prepare(sql).all(limit) : store.prepare(sql).all(source, limit)) as Row[];
  return rows.map((r) => ({ ticket: rowTicket(r), source: str(r.source) }));
}

export function rowTicket(r: Row): TicketInput {
  const t: TicketInput = { id: String(r.id), text: String(r.text) };
  if (r.title != null) t.title = String(r.title);
  if (r.created_at != null) t.created_at = String(r.created_at);
  if (r.labels != null) {
    try {
      t.labels = JSON.parse(String(r.labels)) as TicketInput['labels'];
    } catch {
      // not written by casebench: unlabelled
    }
  }
  return t;
}

/** The tickets a run holds (for resume), in the order they were added to it. */
export function runTicketInputs(store: Store, runId: string): Array<{ ticket: TicketInput; source: string | null }> {
  const rows = store
    // The versions the run holds (a ticket edited elsewhere since keeps its text in this run).
    .prepare(
      `SELECT v.ticket_id AS id, v.text, v.title, v.created_at, v.labels, v.source FROM run_tickets rt
       JOIN run_ticket_versions v ON v.run_id = rt.run_id AND v.ticket_id = rt.ticket_id
       WHERE rt.run_id = ? AND v.text IS NOT NULL ORDER BY rt.started_at, rt.ticket_id`,
    )
    .all(runId) as Row[];
  return rows.map((r) => ({ ticket: rowTicket(r), source: str(r.source) }));
}

export function readFacts(store: Store, runId: string): DbFacts {
  const rows = store
    .prepare(
      "SELECT model_spec, status, error_code, count(*) AS n FROM results WHERE run_id = ? AND status IN ('error', 'skipped') GROUP BY model_spec, status, error_code",
    )
    .all(runId) as Row[];
  const failedByModel = new Map<string, number>();
  const byCode = new Map<string, number>();
  let failedTasks = 0;
  let skippedTasks = 0;
  for (const r of rows) {
    const n = num(r.n);
    const code = str(r.error_code) ?? 'ERROR';
    if (String(r.status) === 'skipped') {
      skippedTasks += n;
      continue;
    }
    if (code === 'CANCELLED') continue;
    failedTasks += n;
    failedByModel.set(String(r.model_spec), (failedByModel.get(String(r.model_spec)) ?? 0) + n);
    byCode.set(code, (byCode.get(code) ?? 0) + n);
  }
  const recent = store
    .prepare(
      "SELECT ticket_id, task, model_spec, error_code, error_message, recorded_at FROM results WHERE run_id = ? AND status = 'error' AND coalesce(error_code, '') != 'CANCELLED' ORDER BY recorded_at DESC LIMIT 8",
    )
    .all(runId) as Row[];
  return {
    failedByModel,
    failedTasks,
    skippedTasks,
    failuresByCode: [...byCode].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    recentFailures: recent.map((r) => ({
      ticketId: String(r.ticket_id),
      task: String(r.task) as TaskId,
      model: String(r.model_spec),
      code: str(r.error_code) ?? 'ERROR',
      message: str(r.error_message) ?? '',
      at: num(r.recorded_at),
    })),
  };
}

/** The current source of each of these tickets that the workspace holds. */
export function ticketSourcesOf(store: Store, ids: readonly string[]): Map<string, string | null> {
  const existing = store.prepare('SELECT source FROM tickets WHERE id = ?');
  const out = new Map<string, string | null>();
  for (const id of ids) {
    const r = existing.get(id) as Row | undefined;
    if (r) out.set(id, str(r.source));
  }
  return out;
}

/** What the workbench needs to resume and list an experiment it ran; runExperiment's own config is kept. */
export function markWorkbenchRun(store: Store, runId: string, label: string, rpm: string | null): void {
  store
    .prepare(
      "UPDATE runs SET label = coalesce(label, ?), config = json_set(coalesce(config, '{}'), '$.rpm', ?, '$.from', 'workbench') WHERE id = ?",
    )
    .run(label, rpm, runId);
}

/** Calls of a run that were retries (attempt > 1). */
export function retriedCalls(store: Store, runId: string): number {
  return num((store.prepare('SELECT count(*) AS n FROM calls WHERE run_id = ? AND attempt > 1').get(runId) as Row).n);
}

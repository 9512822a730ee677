// Read models for the workbench: one ticket's detail (its latest triage or a given run, with the
// calls on a shared time axis), its latest triage run, and unfinished triage to resume. The ticket
// list is in ticketList.ts, recorded runs and comparison cells in runQueries.ts (re-exported here).
import type { CallView, TicketDetail } from '#shared/routes.ts';
import { isTaskId, type TaskId } from '#shared/tasks.ts';
import { resultFromRow, type Store } from '../store/store.ts';
import { titleOf } from '#shared/ticketTitle.ts';
import { stateOf, TRIAGE_KINDS_SQL } from './ticketList.ts';
import { parseJson } from './runQueries.ts';

export { listTickets, ticketSummary, TRIAGE_KINDS } from './ticketList.ts';
export { baselineOf, compareData, listRuns, runTickets } from './runQueries.ts';

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

// The list's title of a ticket is derived in src/shared/ticketTitle.ts (the trace import uses it too).
export { titleOf };

/** The latest triage run of a ticket (not comparisons or experiments). */
export function latestTriageRun(store: Store, ticketId: string): string | null {
  const r = store
    .prepare(
      `SELECT rt.run_id FROM run_tickets rt JOIN runs r ON r.id = rt.run_id WHERE rt.ticket_id = ? AND r.kind IN (${TRIAGE_KINDS_SQL})
       ORDER BY rt.started_at DESC, rt.rowid DESC LIMIT 1`,
    )
    .get(ticketId) as Row | undefined;
  return r ? String(r.run_id) : null;
}

/** Attempts of one ticket in one run, as offsets from the ticket's start. */
export function callsForTicket(store: Store, runId: string, ticketId: string, t0: number): CallView[] {
  const rows = store
    .prepare(
      `SELECT task, model_spec, attempt, started_at, latency_ms, queue_time_ms, provider_total_ms, status, error_code, slot_wait_ms, cold, hedge, hedge_lost, speculation
       FROM calls WHERE run_id = ? AND ticket_id = ? ORDER BY id`,
    )
    .all(runId, ticketId) as Row[];
  const out: CallView[] = [];
  for (const r of rows) {
    const task = String(r.task);
    if (!isTaskId(task)) continue;
    out.push({
      task,
      modelSpec: String(r.model_spec),
      attempt: num(r.attempt) ?? 1,
      startedMs: Math.max(0, (num(r.started_at) ?? t0) - t0),
      latencyMs: num(r.latency_ms),
      slotWaitMs: num(r.slot_wait_ms),
      cold: r.cold === null || r.cold === undefined ? null : num(r.cold) === 1,
      queueTimeMs: num(r.queue_time_ms),
      providerTotalMs: num(r.provider_total_ms),
      status: r.status === 'ok' ? 'ok' : 'error',
      errorCode: str(r.error_code),
      hedge: r.hedge === 'primary' || r.hedge === 'hedge' ? r.hedge : null,
      hedgeLost: r.hedge_lost === null || r.hedge_lost === undefined ? null : num(r.hedge_lost) === 1,
      ...(r.speculation === 'kept' || r.speculation === 'discarded' ? { speculation: r.speculation } : {}),
    });
  }
  return out;
}

/** A ticket with its latest triage (or the given run): text, results, calls, history. */
export function ticketDetail(store: Store, ticketId: string, runId?: string): TicketDetail | null {
  const latest = store.prepare('SELECT id, text, title, source, added_at, hash FROM tickets WHERE id = ?').get(ticketId) as Row | undefined;
  if (!latest) return null;
  const chosen = runId ?? latestTriageRun(store, ticketId);
  // The text the shown answers were given for: the run's version of the ticket.
  const ran = chosen
    ? (store
        .prepare('SELECT text, title, source, hash FROM run_ticket_versions WHERE run_id = ? AND ticket_id = ?')
        .get(chosen, ticketId) as Row | undefined)
    : undefined;
  const t: Row = ran && ran.text != null ? { ...latest, text: ran.text, title: ran.title, source: ran.source, hash: ran.hash } : latest;
  const versions = store
    .ticketVersions(ticketId)
    .map((v) => ({ hash: v.hash, latest: v.latest, addedAt: v.addedAt, seenAt: v.seenAt, source: v.source, head: v.text.slice(0, 160) }));
  const run = chosen ? (store.prepare('SELECT * FROM runs WHERE id = ?').get(chosen) as Row | undefined) : undefined;
  const rt = chosen
    ? (store.prepare('SELECT status, total_ms, started_at FROM run_tickets WHERE run_id = ? AND ticket_id = ?').get(chosen, ticketId) as
        | Row
        | undefined)
    : undefined;
  const results = chosen ? store.resultsForTicket(chosen, ticketId) : [];
  const config = parseJson(run?.config);
  // `reused` is a list (a retry: the same for the run's one ticket) or per ticket (a resume).
  const rawReused = config?.reused;
  const reusedList = Array.isArray(rawReused)
    ? rawReused
    : rawReused && typeof rawReused === 'object'
      ? (rawReused as Record<string, unknown>)[ticketId]
      : null;
  const reused = Array.isArray(reusedList)
    ? (reusedList as unknown[]).filter((x): x is TaskId => typeof x === 'string' && isTaskId(x))
    : [];
  const history = (
    store
      .prepare(
        `SELECT r.id, r.kind, r.label, r.created_at, r.status FROM runs r
         WHERE r.id IN (SELECT run_id FROM run_tickets WHERE ticket_id = ?1 UNION SELECT run_id FROM results WHERE ticket_id = ?1)
         ORDER BY r.created_at DESC LIMIT 50`,
      )
      .all(ticketId) as Row[]
  ).map((r) => ({
    runId: String(r.id),
    kind: String(r.kind),
    label: str(r.label),
    createdAt: num(r.created_at) ?? 0,
    status: String(r.status),
  }));
  const assignment = run ? (parseJson(run.assignment) as Record<TaskId, string> | null) : null;
  return {
    ticket: {
      id: String(t.id),
      text: String(t.text),
      title: str(t.title),
      source: str(t.source),
      addedAt: num(t.added_at) ?? 0,
      ...(versions.length > 1 ? { versions: versions.length, latest: str(t.hash) === str(latest.hash) } : {}),
    },
    version: str(t.hash),
    versions,
    runId: chosen,
    runKind: run ? String(run.kind) : null,
    state: stateOf(chosen, str(rt?.status), str(run?.status)),
    assignment,
    results,
    calls: chosen && rt ? callsForTicket(store, chosen, ticketId, num(rt.started_at) ?? 0) : [],
    reused,
    totalMs: num(rt?.total_ms),
    history,
  };
}

/** Tickets an earlier session left unfinished in their latest triage (for "resume"). */
export function interruptedTickets(store: Store): Array<{ ticketId: string; runId: string }> {
  const rows = store
    .prepare(
      `SELECT rt.ticket_id, rt.run_id FROM run_tickets rt JOIN runs r ON r.id = rt.run_id
       WHERE r.kind IN (${TRIAGE_KINDS_SQL}) AND rt.status != 'done' AND r.status NOT IN ('running', 'held')`,
    )
    .all() as Row[];
  const out: Array<{ ticketId: string; runId: string }> = [];
  for (const r of rows) {
    const ticketId = String(r.ticket_id);
    // Only when that run is still the ticket's latest (a later re-run supersedes it).
    if (latestTriageRun(store, ticketId) === String(r.run_id)) out.push({ ticketId, runId: String(r.run_id) });
  }
  return out;
}

/** A results row as the engine's TaskResult (one mapping, kept with the store). */
export const rowToResult = resultFromRow;

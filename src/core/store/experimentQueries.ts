// Queries the experiment runner needs on resume: which (ticket, model) units already have final
// results, and what the run has spent so far.
import type { Store } from './store.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);

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
    .prepare(`SELECT ticket_id, ticket_hash, count(*) AS n FROM results WHERE run_id = ? AND status = 'error' AND error_code <> 'CANCELLED' GROUP BY ticket_id, ticket_hash`)
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

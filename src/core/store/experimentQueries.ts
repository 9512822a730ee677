// Queries the experiment runner needs on resume: which (ticket, model) units already have final
// results, and what the run has spent so far.
import type { Store } from './store.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);

/** Final results already stored per `${ticketId}\u0000${modelSpec}` (a unit is done at five). */
export function storedResultCounts(store: Store, runId: string): Map<string, number> {
  const rows = store
    .prepare(
      `SELECT ticket_id, model_spec, count(*) AS n FROM results
       WHERE run_id = ? AND NOT (status = 'error' AND error_code = 'CANCELLED') GROUP BY ticket_id, model_spec`,
    )
    .all(runId) as Row[];
  return new Map(rows.map((r) => [`${String(r.ticket_id)}\u0000${String(r.model_spec)}`, num(r.n)]));
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

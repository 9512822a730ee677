// Spend read from the store: the sum of recorded calls' costs. Calls of imported traces are not
// spend of this workspace (they were paid elsewhere) and demo calls are simulated, so neither counts.
import type { SpendFigures, SpendScope } from '#shared/spend.ts';
import type { Store } from '../store/store.ts';
import { scopeCalls, WORKSPACE } from './scopes.ts';

const REAL = `r.kind != 'import' AND c.provider != 'demo'`;

function figures(store: Store, where: string, ...params: Array<string | number>): SpendFigures {
  const row = store
    .prepare(
      `SELECT COALESCE(SUM(c.cost_usd), 0) AS usd,
              COALESCE(SUM(CASE WHEN c.cost_usd IS NULL AND c.input_tokens IS NOT NULL THEN 1 ELSE 0 END), 0) AS unpriced
         FROM calls c JOIN runs r ON r.id = c.run_id WHERE ${where}`,
    )
    .get(...params) as { usd: number; unpriced: number | bigint };
  return { usd: Number(row.usd) || 0, unpricedCalls: Number(row.unpriced) || 0 };
}

/** Real spend of calls started at or after `sinceMs` (epoch ms) in a scope. */
export function spentSince(store: Store, sinceMs: number, scope: SpendScope = WORKSPACE): SpendFigures {
  const { sql, params } = scopeCalls(scope);
  return figures(store, `${REAL} AND (${sql}) AND c.started_at >= ?`, ...params, sinceMs);
}

/** Real spend of every call ever recorded in the workspace. */
export function spentTotal(store: Store): SpendFigures {
  return figures(store, REAL);
}

/** What demo calls would have cost since `sinceMs` (nothing was spent). */
export function simulatedSince(store: Store, sinceMs: number): number {
  return figures(store, `r.kind != 'import' AND c.provider = 'demo' AND c.started_at >= ?`, sinceMs).usd;
}

/** The latest run that recorded a call to a provider, with its spend. */
export function latestRunSpend(
  store: Store,
): { runId: string; label: string | null; kind: string; usd: number; unpricedCalls: number } | null {
  const last = store
    .prepare(
      `SELECT c.run_id AS run_id, r.label AS label, r.kind AS kind FROM calls c JOIN runs r ON r.id = c.run_id WHERE r.kind != 'import' ORDER BY c.id DESC LIMIT 1`,
    )
    .get() as { run_id: string; label: string | null; kind: string } | undefined;
  if (!last) return null;
  const f = runSpend(store, last.run_id);
  return { runId: last.run_id, label: last.label, kind: last.kind, ...f };
}

/** Real spend of one run. */
export function runSpend(store: Store, runId: string): SpendFigures {
  return figures(store, `${REAL} AND c.run_id = ?`, runId);
}

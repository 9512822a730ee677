// The workspace's recorded call times for hedging (providers/hedge.ts): one query per model ×
// task per process (the Hedger keeps its own book after that, fed by the calls as they land).
import type { TaskId } from '#shared/tasks.ts';
import type { LatencyHistory } from '../providers/hedge.ts';
import type { Store } from './store.ts';

/** Only the most recent calls are looked at, so a workspace of millions of imported calls answers at once. */
const LOOK_BACK_ROWS = 50_000;

/**
 * Warm, successful calls this tool made (imported calls were timed elsewhere), newest first; a
 * hedge's duplicate is left out (it ran only because its original was slow) and an original
 * cancelled by its duplicate counts at the time it was cancelled (it took at least that long).
 */
export function storeLatencyHistory(store: Store): LatencyHistory {
  return {
    recent(spec: string, task: TaskId, limit: number): number[] {
      const rows = store
        .prepare(
          `SELECT c.latency_ms FROM calls c
           WHERE c.id > (SELECT coalesce(max(id), 0) FROM calls) - ${LOOK_BACK_ROWS}
             AND c.model_spec = ? AND c.task = ? AND c.latency_ms IS NOT NULL AND c.latency_ms > 0
             AND (c.status = 'ok' OR c.hedge_lost = 1) AND coalesce(c.hedge, '') <> 'hedge' AND coalesce(c.cold, 0) = 0
             AND NOT EXISTS (SELECT 1 FROM call_origins o WHERE o.call_id = c.id)
           ORDER BY c.id DESC LIMIT ?`,
        )
        .all(spec, task, limit) as Array<{ latency_ms: number }>;
      return rows.map((r) => Number(r.latency_ms));
    },
  };
}

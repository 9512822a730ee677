// The critical-path latency an assignment should give (contracts §1), from each model's median
// per task: recorded calls where there are some, the seed article's measurements elsewhere.
import type { LatencyEntry } from '../../../../shared/routes.ts';
import { TASK_IDS, type TaskId } from '../../../../shared/tasks.ts';

export type LatencyTable = Record<string, Partial<Record<TaskId, LatencyEntry>>>;

export interface Prediction {
  /** null when some task's model has no latency known. */
  ms: number | null;
  /** The chain that sets the total. */
  path: TaskId[];
  perTask: Record<TaskId, LatencyEntry | null>;
  unknown: TaskId[];
}

const CHAINS: TaskId[][] = [['platform', 'product', 'technical_details'], ['platform', 'asset_ids'], ['severity']];

export function predictCriticalPath(assignment: Record<TaskId, string>, table: LatencyTable): Prediction {
  const perTask = {} as Record<TaskId, LatencyEntry | null>;
  for (const t of TASK_IDS) perTask[t] = table[assignment[t]]?.[t] ?? null;
  const unknown = TASK_IDS.filter((t) => perTask[t] === null);
  let best: { ms: number; path: TaskId[] } | null = null;
  for (const chain of CHAINS) {
    const ms = chain.reduce((s, t) => s + (perTask[t]?.medianMs ?? 0), 0);
    if (!best || ms > best.ms) best = { ms, path: chain };
  }
  return { ms: unknown.length ? null : best!.ms, path: best!.path, perTask, unknown };
}

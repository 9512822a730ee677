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
  /** Tasks whose model is retired: it cannot be called, so it predicts nothing (its old latency is no reward). */
  retired: TaskId[];
}

const CHAINS: TaskId[][] = [['platform', 'product', 'technical_details'], ['platform', 'asset_ids'], ['severity']];

export function predictCriticalPath(assignment: Record<TaskId, string>, table: LatencyTable, retiredModels: ReadonlySet<string> = new Set()): Prediction {
  const perTask = {} as Record<TaskId, LatencyEntry | null>;
  const retired = TASK_IDS.filter((t) => retiredModels.has(assignment[t]));
  for (const t of TASK_IDS) perTask[t] = retired.includes(t) ? null : (table[assignment[t]]?.[t] ?? null);
  const unknown = TASK_IDS.filter((t) => perTask[t] === null && !retired.includes(t));
  let best: { ms: number; path: TaskId[] } | null = null;
  for (const chain of CHAINS) {
    const ms = chain.reduce((s, t) => s + (perTask[t]?.medianMs ?? 0), 0);
    if (!best || ms > best.ms) best = { ms, path: chain };
  }
  return { ms: unknown.length || retired.length ? null : best!.ms, path: best!.path, perTask, unknown, retired };
}

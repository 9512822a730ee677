// The critical-path latency an assignment should give (contracts §1), from each model's median
// per task: recorded calls where there are some, the seed article's measurements elsewhere.
import type { LatencyEntry } from '#shared/routes.ts';
import { longestChain, TASK_IDS, type TaskId } from '#shared/tasks.ts';

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

export function predictCriticalPath(
  assignment: Record<TaskId, string>,
  table: LatencyTable,
  retiredModels: ReadonlySet<string> = new Set(),
): Prediction {
  const perTask = {} as Record<TaskId, LatencyEntry | null>;
  const retired = TASK_IDS.filter((t) => retiredModels.has(assignment[t]));
  for (const t of TASK_IDS) perTask[t] = retired.includes(t) ? null : (table[assignment[t]]?.[t] ?? null);
  const unknown = TASK_IDS.filter((t) => perTask[t] === null && !retired.includes(t));
  // The chains come from the task graph (TASKS.dependsOn), as the engine's critical path does.
  const best = longestChain(Object.fromEntries(TASK_IDS.map((t) => [t, perTask[t]?.medianMs ?? 0])) as Record<TaskId, number>);
  return { ms: unknown.length || retired.length ? null : best.ms, path: [...best.path], perTask, unknown, retired };
}

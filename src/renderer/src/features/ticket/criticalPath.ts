// The observed critical path of one ticket: from the task that finished last, walk back through
// the dependency that finished last (the one that actually held it up).
import type { TaskResult } from '#shared/results.ts';
import { TASKS, type TaskId } from '#shared/tasks.ts';

export interface CriticalPath {
  tasks: TaskId[];
  ms: number;
}

export function criticalPath(results: Partial<Record<TaskId, TaskResult>>): CriticalPath | null {
  const done = Object.values(results).filter((r): r is TaskResult => r !== undefined && r.status !== 'skipped');
  if (done.length === 0) return null;
  let last = done[0]!;
  for (const r of done) if (r.endedMs > last.endedMs) last = r;
  const chain: TaskId[] = [last.task];
  let cur: TaskResult = last;
  for (;;) {
    let gate: TaskResult | null = null;
    for (const dep of TASKS[cur.task].dependsOn) {
      const d = results[dep];
      if (d && d.status !== 'skipped' && (!gate || d.endedMs > gate.endedMs)) gate = d;
    }
    if (!gate || chain.includes(gate.task)) break;
    chain.unshift(gate.task);
    cur = gate;
  }
  return { tasks: chain, ms: last.endedMs };
}

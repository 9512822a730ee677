// A ticket refused by the minimum-information gate: every task accounted for, no model called.
import type { ErrorCode } from '#shared/errors.ts';
import { uncalledResult, type TaskResult, type TicketResult } from '#shared/results.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { splitSpec } from '../graph/callHelpers.ts';
import type { Assignment, EngineDeps } from '../graph/engine.ts';

/** The result of a gated ticket: each task skipped with the gate's reason. */
export function gateResult(
  ticketId: string,
  assignment: Assignment,
  deps: Pick<EngineDeps, 'promptVersion'>,
  why: { code: ErrorCode; message: string },
): TicketResult {
  const tasks = {} as Record<TaskId, TaskResult>;
  for (const task of TASK_IDS) {
    const spec = assignment[task];
    tasks[task] = uncalledResult(task, {
      status: 'skipped',
      ...splitSpec(spec),
      promptVersion: deps.promptVersion(task, spec),
      error: { code: why.code, message: why.message },
    });
  }
  return { ticketId, totalMs: 0, tasks };
}

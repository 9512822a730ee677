// A ticket refused by the minimum-information gate: every task accounted for, no model called.
import type { ErrorCode } from '#shared/errors.ts';
import type { TaskResult, TicketResult } from '#shared/results.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
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
    const i = spec.indexOf(':');
    tasks[task] = {
      task,
      status: 'skipped',
      value: null,
      raw: null,
      provider: spec.slice(0, i),
      model: spec.slice(i + 1),
      promptVersion: deps.promptVersion(task, spec),
      startedMs: 0,
      endedMs: 0,
      latencyMs: 0,
      ttftMs: null,
      queueTimeMs: null,
      providerTotalMs: null,
      inputTokens: null,
      outputTokens: null,
      cachedTokens: null,
      reasoningTokens: null,
      costUsd: null,
      attempts: 0,
      error: { code: why.code, message: why.message },
    };
  }
  return { ticketId, totalMs: 0, tasks };
}

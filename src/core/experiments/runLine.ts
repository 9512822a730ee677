// Converts engine results to the `run` output line of contracts §5 (snake_case, fixed keys).
import type { RunLine, TaskResult, TicketResult } from '#shared/results.ts';
import { TASK_IDS } from '#shared/tasks.ts';

const round = (n: number): number => Math.round(n * 10) / 10;

/** The contract's JSON object for one task's result. */
export function toTaskLine(t: TaskResult): RunLine['tasks'][string] {
  return {
    status: t.status,
    value: t.value,
    provider: t.provider,
    model: t.model,
    started_ms: round(t.startedMs),
    ended_ms: round(t.endedMs),
    latency_ms: round(t.latencyMs),
    ttft_ms: t.ttftMs === null ? null : round(t.ttftMs),
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    cost_usd: t.costUsd,
    error: t.error ? `${t.error.code}: ${t.error.message}` : null,
    // An added field (the contract allows them): the call started on a guessed upstream value and
    // was kept because the upstream agreed, so started_ms may precede the upstream's ended_ms.
    ...(t.speculative ? { speculative: true } : {}),
  };
}

/** The contract's JSON line for one finished ticket. */
export function toRunLine(r: TicketResult): RunLine {
  const tasks: RunLine['tasks'] = {};
  for (const id of TASK_IDS) tasks[id] = toTaskLine(r.tasks[id]);
  return { ticket_id: r.ticketId, total_ms: round(r.totalMs), tasks };
}

// What the engine publishes per task and per ticket (contracts.md §5 `run` line).
import type { ErrorCode } from './errors.ts';
import type { TaskId } from './tasks.ts';

export type TaskStatus = 'ok' | 'error' | 'skipped';

export interface TaskResult {
  task: TaskId;
  status: TaskStatus;
  /** Normalised value (contracts §2), null on error/skip. */
  value: unknown;
  /** Raw model text of the final attempt (kept for INVALID_OUTPUT too). */
  raw: string | null;
  provider: string;
  model: string;
  promptVersion: string;
  /** Offsets from the ticket's start, ms. */
  startedMs: number;
  endedMs: number;
  /**
   * The call itself, ms: the final attempt's request sent → answer received (what the report's
   * latency statistics use). Waiting for a slot, retries and back-off are not in it; they are in
   * the task's window (startedMs → endedMs).
   */
  latencyMs: number;
  /** Time the task's attempts waited for a free slot (concurrency, rate limit), ms; null when unknown. */
  slotWaitMs?: number | null;
  ttftMs: number | null;
  /** Groq's own usage.queue_time / total_time, ms, where sent. */
  queueTimeMs: number | null;
  providerTotalMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  attempts: number;
  error: { code: ErrorCode; message: string } | null;
  /**
   * The answer came from a call started on a guessed upstream value (speculative execution) that
   * proved right: the same prompt, and so the same fact, a sequential run gets.
   */
  speculative?: boolean;
}

/**
 * A task's result when no model was called for it (skipped for a failed upstream, held by a gate,
 * given rather than asked): no timings, tokens or cost; `fields` says what it is.
 */
export function uncalledResult(
  task: TaskId,
  fields: Pick<TaskResult, 'status' | 'provider' | 'model' | 'promptVersion'> & Partial<TaskResult>,
): TaskResult {
  return {
    task,
    value: null,
    raw: null,
    startedMs: 0,
    endedMs: 0,
    latencyMs: 0,
    slotWaitMs: null,
    ttftMs: null,
    queueTimeMs: null,
    providerTotalMs: null,
    inputTokens: null,
    outputTokens: null,
    cachedTokens: null,
    reasoningTokens: null,
    costUsd: null,
    attempts: 0,
    error: null,
    ...fields,
  };
}

/** What speculative execution did on one ticket (engine/speculate.ts). */
export interface TicketSpeculation {
  /** Guesses made: `used` when confident enough to start dependents on; `hit` once the model answered (null: not comparable). */
  guesses: Array<{
    task: 'platform' | 'product';
    value: string | null;
    confidence: number;
    platform?: string | null;
    used: boolean;
    hit: boolean | null;
  }>;
  /** Task runs started on a guess, and how they ended. */
  speculativeRuns: number;
  kept: number;
  discarded: number;
  /** Calls of discarded runs (extra calls), and what they cost (cancelled calls at their prompt's price). */
  discardedCalls: number;
  discardedCostUsd: number;
  /** Discarded calls of a model with no known price. */
  discardedCostUnknown: number;
}

export interface TicketResult {
  ticketId: string;
  totalMs: number;
  tasks: Record<TaskId, TaskResult>;
  /** Present when the ticket ran with speculation on. */
  speculation?: TicketSpeculation;
}

/** One line of `casebench run --out` (contracts §5), snake_case on the wire. */
export interface RunLine {
  ticket_id: string;
  total_ms: number;
  tasks: Record<
    string,
    {
      status: TaskStatus;
      value: unknown;
      provider: string;
      model: string;
      started_ms: number;
      ended_ms: number;
      latency_ms: number;
      ttft_ms: number | null;
      input_tokens: number | null;
      output_tokens: number | null;
      cost_usd: number | null;
      error: string | null;
      /** Present (true) when the answer came from a speculative call that was kept (speculation on). */
      speculative?: true;
    }
  >;
}

export interface TicketInput {
  id: string;
  text: string;
  title?: string;
  created_at?: string;
  labels?: {
    platform?: string | null;
    product?: string | null;
    severity?: string;
    asset_ids?: string[];
    has_technical_details?: boolean;
  };
}

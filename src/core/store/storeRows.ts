// The rows the Store writes and reads back: run and call records, the decoders of runs, results and
// calls, and the INSERT texts of results and calls with their parameters in column order.
import type { SQLInputValue } from 'node:sqlite';
import type { TaskResult } from '#shared/results.ts';
import { isTaskId, type TaskId } from '#shared/tasks.ts';

export type RunKind = 'triage' | 'run' | 'experiment' | 'compare' | 'import' | 'shadow' | 'judge' | 'prompt-check';
/** held: a workbench batch waiting for its go-ahead or stopped (Stop, spend limit) in this session; interrupted at the next start. */
export type RunStatus = 'running' | 'done' | 'interrupted' | 'held';
export type RunTicketStatus = 'pending' | 'done' | 'cancelled';

export interface RunRow {
  id: string;
  kind: RunKind;
  label: string | null;
  assignment: Record<string, string>;
  config: Record<string, unknown> | null;
  status: RunStatus;
  createdAt: number;
  finishedAt: number | null;
}

/** One attempt sent to a provider (or refused before sending, e.g. KEY_MISSING). */
export interface CallRecord {
  runId: string;
  ticketId: string;
  task: TaskId;
  modelSpec: string;
  provider: string;
  model: string;
  attempt: number;
  promptVersion: string | null;
  startedAt: number;
  latencyMs: number | null;
  ttftMs: number | null;
  queueTimeMs: number | null;
  providerTotalMs: number | null;
  status: 'ok' | 'error';
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number | null;
  requestId: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  raw: string | null;
  /** Time the attempt waited for a free slot before it was sent, ms (migration 8; null when unknown). */
  slotWaitMs?: number | null;
  /** The request was the first on a new connection (migration 8; null when unknown, e.g. imported). */
  cold?: boolean | null;
  /** Part of a hedged call (migration 12): 'primary' (overtaken by time, a duplicate sent) or 'hedge' (the duplicate). */
  hedge?: 'primary' | 'hedge' | null;
  /** Cancelled because the other attempt of its hedged call answered first. */
  hedgeLost?: boolean | null;
  /** Started on a guessed upstream value (migration 13): kept or discarded; null/absent when not speculative. */
  speculation?: 'kept' | 'discarded' | null;
}

export type Row = Record<string, unknown>;

export const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** SQL for the ticket version a result or call is answered for: the run ticket's, else the ticket's latest (params: run, ticket, ticket). */
const VERSION_OF =
  'coalesce((SELECT ticket_hash FROM run_tickets WHERE run_id = ? AND ticket_id = ?), (SELECT hash FROM tickets WHERE id = ?))';

/** Inserts (or replaces) a final task result; parameters: resultParams. */
export const INSERT_RESULT = `INSERT OR REPLACE INTO results (run_id, ticket_id, task, model_spec, status, value, raw, provider, model, prompt_version,
    started_ms, ended_ms, latency_ms, ttft_ms, queue_time_ms, provider_total_ms, input_tokens, output_tokens, cached_tokens,
    reasoning_tokens, cost_usd, attempts, error_code, error_message, recorded_at, slot_wait_ms, speculative, ticket_hash)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${VERSION_OF})`;

/** The parameters of INSERT_RESULT, in column order (the last three place the ticket version). */
export function resultParams(runId: string, ticketId: string, modelSpec: string, r: TaskResult): SQLInputValue[] {
  return [
    runId,
    ticketId,
    r.task,
    modelSpec,
    r.status,
    r.value === undefined ? null : JSON.stringify(r.value),
    r.raw,
    r.provider,
    r.model,
    r.promptVersion,
    r.startedMs,
    r.endedMs,
    r.latencyMs,
    r.ttftMs,
    r.queueTimeMs,
    r.providerTotalMs,
    r.inputTokens,
    r.outputTokens,
    r.cachedTokens,
    r.reasoningTokens,
    r.costUsd,
    r.attempts,
    r.error?.code ?? null,
    r.error?.message ?? null,
    Date.now(),
    r.slotWaitMs ?? null,
    r.speculative ? 1 : null,
    runId,
    ticketId,
    ticketId,
  ];
}

/** Inserts one attempt; parameters: callParams. */
export const INSERT_CALL = `INSERT INTO calls (run_id, ticket_id, task, model_spec, provider, model, attempt, prompt_version, started_at, latency_ms,
    ttft_ms, queue_time_ms, provider_total_ms, status, error_code, error_message, http_status, request_id, input_tokens,
    output_tokens, cached_tokens, reasoning_tokens, cost_usd, raw, slot_wait_ms, cold, hedge, hedge_lost, speculation, ticket_hash)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${VERSION_OF})`;

/** The parameters of INSERT_CALL, in column order (the last three place the ticket version). */
export function callParams(c: CallRecord): SQLInputValue[] {
  return [
    c.runId,
    c.ticketId,
    c.task,
    c.modelSpec,
    c.provider,
    c.model,
    c.attempt,
    c.promptVersion,
    c.startedAt,
    c.latencyMs,
    c.ttftMs,
    c.queueTimeMs,
    c.providerTotalMs,
    c.status,
    c.errorCode,
    c.errorMessage,
    c.httpStatus,
    c.requestId,
    c.inputTokens,
    c.outputTokens,
    c.cachedTokens,
    c.reasoningTokens,
    c.costUsd,
    c.raw,
    c.slotWaitMs ?? null,
    c.cold === undefined || c.cold === null ? null : c.cold ? 1 : 0,
    c.hedge ?? null,
    c.hedge ? (c.hedgeLost ? 1 : 0) : null,
    c.speculation ?? null,
    c.runId,
    c.ticketId,
    c.ticketId,
  ];
}

export function toRun(r: Row): RunRow {
  return {
    id: String(r.id),
    kind: String(r.kind) as RunKind,
    label: str(r.label),
    assignment: JSON.parse(String(r.assignment)) as Record<string, string>,
    config: r.config == null ? null : (JSON.parse(String(r.config)) as Record<string, unknown>),
    status: String(r.status) as RunStatus,
    createdAt: num(r.created_at) ?? 0,
    finishedAt: num(r.finished_at),
  };
}

function parseValue(v: unknown): unknown {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null; // a damaged cell reads as no value rather than failing the whole view
  }
}

/** A results-table row as the engine's TaskResult (null for a task this version does not know). */
export function resultFromRow(r: Record<string, unknown>): TaskResult | null {
  const task = String(r.task);
  if (!isTaskId(task)) return null;
  const code = str(r.error_code);
  return {
    task,
    status: String(r.status) as TaskResult['status'],
    value: parseValue(r.value),
    raw: str(r.raw),
    provider: String(r.provider),
    model: String(r.model),
    promptVersion: String(r.prompt_version ?? ''),
    startedMs: num(r.started_ms) ?? 0,
    endedMs: num(r.ended_ms) ?? 0,
    latencyMs: num(r.latency_ms) ?? 0,
    slotWaitMs: num(r.slot_wait_ms),
    ttftMs: num(r.ttft_ms),
    queueTimeMs: num(r.queue_time_ms),
    providerTotalMs: num(r.provider_total_ms),
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    cachedTokens: num(r.cached_tokens),
    reasoningTokens: num(r.reasoning_tokens),
    costUsd: num(r.cost_usd),
    attempts: num(r.attempts) ?? 0,
    error: code ? { code: code as NonNullable<TaskResult['error']>['code'], message: String(r.error_message ?? '') } : null,
    ...(num(r.speculative) === 1 ? { speculative: true } : {}),
  };
}

export function toCall(r: Row): CallRecord {
  return {
    runId: String(r.run_id),
    ticketId: String(r.ticket_id),
    task: String(r.task) as TaskId,
    modelSpec: String(r.model_spec),
    provider: String(r.provider),
    model: String(r.model),
    attempt: num(r.attempt) ?? 0,
    promptVersion: str(r.prompt_version),
    startedAt: num(r.started_at) ?? 0,
    latencyMs: num(r.latency_ms),
    ttftMs: num(r.ttft_ms),
    queueTimeMs: num(r.queue_time_ms),
    providerTotalMs: num(r.provider_total_ms),
    status: String(r.status) as 'ok' | 'error',
    errorCode: str(r.error_code),
    errorMessage: str(r.error_message),
    httpStatus: num(r.http_status),
    requestId: str(r.request_id),
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    cachedTokens: num(r.cached_tokens),
    reasoningTokens: num(r.reasoning_tokens),
    costUsd: num(r.cost_usd),
    raw: str(r.raw),
    slotWaitMs: num(r.slot_wait_ms),
    cold: r.cold === null || r.cold === undefined ? null : num(r.cold) === 1,
    hedge: r.hedge === 'primary' || r.hedge === 'hedge' ? r.hedge : null,
    hedgeLost: r.hedge_lost === null || r.hedge_lost === undefined ? null : num(r.hedge_lost) === 1,
    speculation: r.speculation === 'kept' || r.speculation === 'discarded' ? r.speculation : null,
  };
}

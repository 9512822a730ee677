// The write operations an import's mapper (importMap.ts) makes and its writer (importWrite.ts)
// applies: flat tuples tagged by number, and the positions of their statement parameters.
import type { SourceScore } from './sourceScores.ts';

export type SqlValue = string | number | null;

/** Operation tags (numbers: these cross a thread boundary by the hundred thousand). */
export const OP = { issue: 0, run: 1, runSource: 2, ticket: 3, call: 4, runTicket: 5, result: 6, review: 7, note: 8, span: 9 } as const;

export type WriteOp =
  | [typeof OP.issue, where: string, message: string]
  /** key: the source run id ('' for files with none); config: the import run's config so far. */
  | [typeof OP.run, key: string, runId: string, label: string, config: Record<string, unknown>]
  | [typeof OP.runSource, runId: string, full: Record<string, unknown>]
  /** A ticket line: written as given (text fills an empty ticket, never replaces one). */
  | [
      typeof OP.ticket,
      id: string,
      text: string,
      title: string | null,
      createdAt: string | null,
      labels: string | null,
      source: string | null,
    ]
  /**
   * One model call. call = insertCall's parameters (C.* below; attempt is 0 when the source numbers
   * none: the writer numbers it); origin = call_origins' columns after call_id, run_id and file
   * (O.*: the writer has those). derived: the call is also its group's result (formats that carry
   * no result records); the writer builds that row from the call's own values. A generic call
   * (origin[O.generic] = 1: not a casebench task, no ticket) gets no ticket, result or run ticket.
   * scores: the source's own scores of the call, written as trace reviews.
   */
  | [
      typeof OP.call,
      ticketText: string | null,
      call: SqlValue[],
      origin: SqlValue[],
      derived: boolean,
      numbered: boolean,
      scores: SourceScore[] | null,
    ]
  /** A span that is not a model call: trace_spans' columns after run_id (S.*). */
  | [typeof OP.span, runId: string, span: SqlValue[]]
  /** upsertRunTicket's and insertResult's parameters: run id first, then ticket id. */
  | [typeof OP.runTicket, params: SqlValue[]]
  | [typeof OP.result, params: SqlValue[]]
  | [typeof OP.review, where: string, line: Record<string, unknown>]
  /** A remark on the file as a whole (it goes to the report's notes). */
  | [typeof OP.note, note: string];

/** Positions in a call op's parameter arrays (insertCall's column order; the origin's after call_id, run_id, file). */
export const C = {
  run: 0,
  ticket: 1,
  task: 2,
  spec: 3,
  provider: 4,
  model: 5,
  attempt: 6,
  promptVersion: 7,
  startedAt: 8,
  latency: 9,
  ttft: 10,
  queue: 11,
  providerTotal: 12,
  status: 13,
  errorCode: 14,
  errorMessage: 15,
  http: 16,
  requestId: 17,
  inputTokens: 18,
  outputTokens: 19,
  cachedTokens: 20,
  reasoningTokens: 21,
  cost: 22,
  raw: 23,
} as const;
export const O = {
  format: 0,
  locator: 1,
  traceId: 2,
  spanId: 3,
  parentSpanId: 4,
  source: 5,
  startNs: 6,
  endNs: 7,
  inputMessages: 8,
  parsedOutput: 9,
  metadata: 10,
  value: 11,
  generic: 12,
} as const;
/** Positions in a span op's parameters (trace_spans' columns after id and run_id). */
export const S = {
  traceId: 0,
  spanId: 1,
  parentSpanId: 2,
  name: 3,
  kind: 4,
  startNs: 5,
  endNs: 6,
  status: 7,
  error: 8,
  input: 9,
  output: 10,
  metadata: 11,
  locator: 12,
} as const;

// Generic traces (issue 14 §3): imported calls that are not casebench's five tasks and carry no
// ticket — a chat, an agent step, an eval case. The Traces view lists them with filters of their
// own, the trace view draws one trace (span tree with timings, each call's messages, output,
// tokens, cost, scores), and review queues score them with a per-queue rubric. Types and zod
// schemas only; the core fills them (src/core/traces/traceView.ts, src/core/traces/traceReview*.ts).
import { z } from 'zod';
import type { CallOriginView } from './traces.ts';

const id = z.string().min(1).max(200);

export const traceListFilterSchema = z.object({
  /** One import (file). */
  runId: id.optional(),
  /** A model spec (provider:model). */
  model: z.string().max(200).optional(),
  status: z.enum(['ok', 'error']).optional(),
  /** Matches the trace's name, its first user message, its models and its id. */
  search: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(5000).optional(),
});
export type TraceListFilter = z.infer<typeof traceListFilterSchema>;

/** One generic trace in the Traces list. */
export interface TraceRow {
  /** The trace's first call: what opening the row opens. */
  callId: number;
  runId: string;
  file: string;
  format: string;
  traceId: string | null;
  /** The root span's name, else the first call's task name. */
  name: string;
  /** The first user message, cut. */
  preview: string;
  models: string[];
  calls: number;
  errors: number;
  startedAt: number | null;
  durationMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Sum of the calls' known costs; null when none is known. */
  costUsd: number | null;
  /** Calls whose price is unknown (their cost is not in costUsd). */
  unpriced: number;
  /** Scores the trace's calls carry (from the source and from reviewers). */
  scores: number;
}

export interface TraceListView {
  rows: TraceRow[];
  /** Traces matching the filter (rows holds the first `limit`). */
  total: number;
  /** Every generic trace in the workspace, whatever the filter. */
  all: number;
  /** Facets for the filters: the imports holding generic traces and the models seen. */
  files: Array<{ runId: string; file: string; traces: number }>;
  models: string[];
}

export interface ChatMessageView {
  role: string;
  content: string;
}

/** A score of a call: a reviewer's, or the source tool's own (LangSmith feedback, Langfuse score, promptfoo assertion). */
export interface TraceScoreView {
  id: number;
  criterion: string;
  kind: 'pass_fail' | 'score' | 'label' | 'note';
  value: boolean | number | string | null;
  note: string | null;
  reviewer: string;
  /** 'local', or the file it came from. */
  source: string;
  queueId: string | null;
  scoredAt: string;
}

/** One model call of a trace, everything the trace view shows about it. */
export interface TraceCallView {
  callId: number;
  name: string;
  modelSpec: string;
  provider: string;
  model: string;
  status: 'ok' | 'error';
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number | null;
  requestId: string | null;
  startedAt: number;
  latencyMs: number | null;
  ttftMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  input: ChatMessageView[];
  output: string | null;
  /** Structured output the source recorded or the text parsed as (tool-call arguments, JSON answers). */
  parsedOutput: unknown;
  /** Reasoning text, when the source kept it. */
  reasoning: string | null;
  /** Tool calls the model made, when the source kept them. */
  toolCalls: unknown[];
  metadata: Record<string, unknown>;
  scores: TraceScoreView[];
  origin: CallOriginView | null;
  /** Whether the call is a generic trace (else it belongs to a ticket). */
  generic: boolean;
  ticketId: string | null;
}

/** One row of the span tree, in display order (depth first, children by start). */
export interface SpanNodeView {
  /** Unique in the trace: `call:<callId>` or `span:<row id>`. */
  key: string;
  depth: number;
  kind: 'call' | 'span';
  name: string;
  /** The source's type (chain, tool, AGENT, …) for spans; 'llm' for calls. */
  type: string | null;
  /** From the trace's start; null when the source has no time for it. */
  startMs: number | null;
  durationMs: number | null;
  status: 'ok' | 'error';
  /** For calls: index into TraceView.calls. */
  call: number | null;
  /** For spans: what the source recorded. */
  span: {
    input: unknown;
    output: unknown;
    metadata: Record<string, unknown> | null;
    error: string | null;
    locator: string | null;
    spanId: string;
  } | null;
}

export interface TraceView {
  runId: string;
  file: string;
  format: string;
  traceId: string | null;
  name: string;
  /** Epoch ms of the earliest span or call. */
  startedAt: number | null;
  durationMs: number | null;
  /** True when the source had no per-call times (promptfoo): the waterfall lays the calls side by side by latency only. */
  approximateTimes: boolean;
  nodes: SpanNodeView[];
  calls: TraceCallView[];
  totals: {
    calls: number;
    errors: number;
    inputTokens: number | null;
    outputTokens: number | null;
    costUsd: number | null;
    unpriced: number;
  };
  /** The call asked for (index into calls). */
  focus: number;
  generic: boolean;
  ticketId: string | null;
}

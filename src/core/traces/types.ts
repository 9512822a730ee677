// The internal record of one imported model call (shared/docs/trace-formats.md), plus the few
// casebench-specific fields the store keeps that the exchange record has no slot for.

export interface ChatMessage {
  role: string;
  content: string;
}

/** Ids of the record in the tool that produced it, kept so an export can round-trip them. */
export interface SourceIds {
  format: TraceFormat;
  id: string | null;
  parent_id: string | null;
  trace_id: string | null;
  [extra: string]: unknown;
}

/** One model call, as the trace-formats note defines it. Times are ISO-8601 UTC with up to 9 fraction digits (exact ns). */
export interface TraceRecord {
  trace_id: string;
  ticket_id: string | null;
  task: string | null;
  provider: string | null;
  model: string | null;
  started_at: string;
  ended_at: string | null;
  latency_ms: number | null;
  ttft_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  status: 'success' | 'error' | 'pending';
  error: string | null;
  input_messages: ChatMessage[];
  output_text: string | null;
  parsed_output: unknown;
  metadata: Record<string, unknown> & { source: SourceIds };
}

/** Fields casebench records per call beyond the exchange record (null when the source has none). */
export interface CallExtras {
  spanId: string | null;
  parentSpanId: string | null;
  /** Ticket text recovered from the trace (metadata, or the user message of a casebench prompt). */
  ticketText: string | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  requestId: string | null;
  errorCode: string | null;
  httpStatus: number | null;
  queueTimeMs: number | null;
  providerTotalMs: number | null;
  /** Wait for a free slot before the call, and whether it was cold (casebench JSONL only; optional). */
  slotWaitMs?: number | null;
  cold?: boolean | null;
  /** A hedged call's role and whether it lost (casebench JSONL only; optional). */
  hedge?: 'primary' | 'hedge' | null;
  hedgeLost?: boolean | null;
  attempt: number | null;
  promptVersion: string | null;
  modelSpec: string | null;
  /** Exact epoch ms as casebench stored it (casebench JSONL only), so a round trip keeps the double. */
  startedAtMs: number | null;
  /** started_at / ended_at as epoch ns (kept so they are parsed once). */
  startNs: bigint;
  endNs: bigint | null;
  /** The source's unit of one conversation when it names no ticket (promptfoo: one test case); the trace id stands in otherwise. */
  groupKey: string | null;
  /** casebench JSONL only: the call was exported as a generic trace (other formats are judged when mapped). */
  generic: boolean;
  /** For casebench JSONL: the run the call was recorded in. */
  run: { id: string; kind: string; label: string | null } | null;
}

export interface ImportedCall {
  record: TraceRecord;
  x: CallExtras;
  /** file:line or file:JSON-path of the record, for messages. */
  where: string;
}

/** Something in a file that was not imported, and why. */
export interface ImportIssue {
  where: string;
  message: string;
}

export const TRACE_FORMATS = ['casebench', 'langsmith', 'langfuse', 'otlp', 'openinference', 'promptfoo'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** A span of a trace that is not a model call (a chain, agent, tool, retriever…), kept for the trace view's span tree. */
export interface SpanDraft {
  traceId: string | null;
  spanId: string;
  parentSpanId: string | null;
  name: string | null;
  /** The source's own type for it: LangSmith run_type, Langfuse observation type, OpenInference/OTel kind. */
  kind: string | null;
  startNs: bigint | null;
  endNs: bigint | null;
  status: 'ok' | 'error';
  error: string | null;
  input: unknown;
  output: unknown;
  metadata: Record<string, unknown> | null;
  where: string;
}

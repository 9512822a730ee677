// The port every model provider implements. Providers make exactly one HTTP attempt per call
// (SDK retries off); retrying, backoff and concurrency belong to the scheduler.
import type { ErrorCode } from '#shared/errors.ts';

/** The registry's provider ids (src/shared/providers.ts). */
export type { ProviderId } from '#shared/providers.ts';
import type { ProviderId } from '#shared/providers.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export type ResponseFormat =
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict: boolean }
  | { type: 'json_object' };

export interface ChatRequest {
  /** Model id as the provider knows it (after the `provider:` prefix). */
  model: string;
  messages: ChatMessage[];
  responseFormat: ResponseFormat;
  /** Stream the answer to measure TTFT. */
  stream: boolean;
  temperature?: number;
  maxTokens?: number;
  /** Per-attempt timeout, ms. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Task id, for the demo provider's latency profiles and for tracing. */
  task?: string;
}

export interface RateLimitInfo {
  limitRequests: number | null;
  remainingRequests: number | null;
  resetRequestsMs: number | null;
  limitTokens: number | null;
  remainingTokens: number | null;
  resetTokensMs: number | null;
}

export interface ChatResponse {
  text: string;
  finishReason: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  /** ms from request start to first content token, when streamed. */
  ttftMs: number | null;
  /** Groq usage.queue_time / usage.total_time, converted to ms. */
  queueTimeMs: number | null;
  providerTotalMs: number | null;
  requestId: string | null;
  rateLimit: RateLimitInfo | null;
  /**
   * The call's own time, ms: request written to the socket → last byte of the answer received
   * (callTiming.ts). Absent where the transport could not be observed (the demo, a custom fetch);
   * the engine then falls back to its own clock around the call.
   */
  callMs?: number | null;
  /** performance.now() when the request was written to the socket. */
  sentAt?: number | null;
  /** The first request on its connection (a cold call). */
  cold?: boolean | null;
}

/** What the transport saw of a call, carried by its answer or by its error. */
export type CallSpan = Pick<ChatResponse, 'callMs' | 'sentAt' | 'cold'>;

/** A failed attempt, classified. `message` is safe to show and store (no secrets). */
export class ProviderError extends Error {
  readonly code: ErrorCode;
  readonly status: number | null;
  /** Whether a retry may succeed (429, 5xx, timeouts, resets). */
  readonly retryable: boolean;
  /** Server-requested wait (retry-after / "try again in 5.2s"), ms. */
  readonly retryAfterMs: number | null;
  /** Raw body or partial text, for the record. */
  readonly raw: string | null;
  readonly rateLimit: RateLimitInfo | null;
  /** Attempts made before giving up; set by the scheduler on the error it finally rejects with. */
  readonly attempts: number | null;
  /** What the transport saw of the failed call (set by the provider when a request went out). */
  span: CallSpan | null = null;
  constructor(init: {
    code: ErrorCode;
    message: string;
    status?: number | null;
    retryable?: boolean;
    retryAfterMs?: number | null;
    raw?: string | null;
    rateLimit?: RateLimitInfo | null;
    attempts?: number | null;
  }) {
    super(init.message);
    this.name = 'ProviderError';
    this.code = init.code;
    this.status = init.status ?? null;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.raw = init.raw ?? null;
    this.rateLimit = init.rateLimit ?? null;
    this.attempts = init.attempts ?? null;
  }
}

export interface ChatProvider {
  readonly id: ProviderId;
  /** One attempt. Resolves with the answer or rejects with a ProviderError. */
  complete(req: ChatRequest): Promise<ChatResponse>;
}

export interface ProviderConfig {
  provider: ProviderId;
  apiKey: string | null;
  baseURL?: string;
  /** For openai-compatible endpoints: a display name. */
  name?: string;
}

// The fake provider server's public shapes: options, faults, log entries, stats, the server handle,
// and the models it serves by default (re-exported by test/fakes/fakeProviderServer.ts).
import type { TaskId } from '#shared/tasks.ts';
import type { FakeJudgeOptions } from '../judgeBehaviour.ts';

export type ApiFlavor = 'groq' | 'openai';

export const FAULT_KINDS = [
  '429',
  '429-long',
  '413',
  '500',
  '502',
  '503',
  '498',
  'reset',
  'hang',
  'stream-cut',
  'stream-error-event',
  'invalid-json',
  'schema-violation',
  'empty-choices',
  'json-validate-failed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultInfo {
  api: ApiFlavor;
  model: string;
  task: TaskId | null;
  /** 1-based index of this chat request since start (or the last resetStats()). */
  n: number;
}

export interface AnswerInfo {
  api: ApiFlavor;
  model: string;
  task: TaskId | null;
  ticketText: string;
  platform: string | null;
  product: string | null;
  /** The request's Authorization header as sent (a misbehaving gateway may echo it). */
  authorization: string;
  /** The request's messages as sent (to compare prompts byte for byte). */
  messages: unknown;
}

export type PerModel<T> = T | Record<string, T>;

export interface FakeServerOptions {
  /** Port to listen on (127.0.0.1 only); default 0 = any free port. */
  port?: number;
  /** Accepted Bearer keys (one list for both APIs, or per API); null/undefined = any non-empty key. */
  apiKeys?: readonly string[] | { groq?: readonly string[]; openai?: readonly string[] } | null;
  /** Total answer time per request, ms (default 20). */
  latencyMs?: number | ((model: string, task: string | null) => number);
  /** Time to the first streamed chunk, ms (default: half the latency). */
  ttftMs?: number | ((model: string, task: string | null) => number);
  /** Uniform random extra latency in [0, jitterMs), ms (default 0). */
  jitterMs?: number;
  /** Known model ids per API (replace the defaults). Ids starting with `fake-` are accepted on both. */
  models?: { groq?: readonly string[]; openai?: readonly string[] };
  /** Decommissioned ids, answered 404 model_not_found. */
  retired?: readonly string[];
  /** Requests per minute, per model (a number for every model, or per model id); null = unlimited. */
  rpm?: PerModel<number> | null;
  /** Tokens per minute, per model; a single request above it gets 413 (Groq) / 429 (OpenAI). */
  tpm?: PerModel<number> | null;
  /**
   * Length of the rpm/tpm windows (a sliding log per model), ms; default 60 000. Benchmarks
   * shorten it (rpm 60 over 6 s = 600/min) to measure the same pacing in seconds.
   */
  limitWindowMs?: number;
  /** Seeded random faults, or a function choosing one per request. */
  faults?: { rate: number; kinds: readonly FaultKind[]; seed?: number } | ((info: FaultInfo) => FaultKind | null) | null;
  /** Override the answer; return undefined to fall back to the heuristics, a string to send it verbatim. */
  /** Judge requests (the judge prompt's "Judge: <task>" line): share of answers the verdict disagrees with the rubric on, and its seed. */
  judge?: FakeJudgeOptions | null;
  answer?: ((info: AnswerInfo) => unknown) | null;
  /** Request bodies above this are refused with 413 (default 4 MiB). */
  maxBodyBytes?: number;
  /** A 'hang' ends by itself after this long, so nothing waits forever (default 120 s). */
  maxHangMs?: number;
  /** Entries kept in stats.log (default 1000). */
  logLimit?: number;
  /** Value of Groq's x-groq-region header (default 'us-west-1'). */
  groqRegion?: string;
  /**
   * A misbehaving gateway that echoes the request's Authorization header ("Bearer <key>"):
   * `requestId` as the x-request-id header, `errorBody` into every error's message (401s included).
   */
  echoAuthorization?: { requestId?: boolean; errorBody?: boolean } | null;
}

export interface FakeLogEntry {
  /** Arrival time, epoch ms. */
  t: number;
  api: ApiFlavor;
  model: string;
  task: string | null;
  stream: boolean;
  /** HTTP status sent, or null when no complete response was sent (reset, hang, client gave up). */
  status: number | null;
  /** The status as a string, or 'reset' | 'hang' | 'aborted' (the client went away first). */
  outcome: string;
  fault: FaultKind | null;
  /** Arrival to end, ms. */
  ms: number;
  /** The answering delay applied, as sent in the x-fake-delay-ms header; null when none was sent. */
  delayMs: number | null;
  /** The request body as received (what left the client's machine); absent when none was read. */
  body?: string;
}

export interface FakeServerStats {
  /** Chat-completion requests received. */
  total: number;
  /** Other requests (model lists, unknown URLs). */
  other: number;
  perApi: Record<string, number>;
  perModel: Record<string, number>;
  perTask: Record<string, number>;
  /** Keyed by outcome: '200', '429', …, 'reset', 'hang', 'aborted'. */
  perStatus: Record<string, number>;
  perFault: Record<string, number>;
  inFlight: number;
  peakInFlight: number;
  log: FakeLogEntry[];
}

export interface FakeServer {
  url: string;
  /** groq-sdk appends /openai/v1/... itself. */
  groqBaseURL: string;
  /** The openai SDK's baseURL includes /v1. */
  openaiBaseURL: string;
  port: number;
  /** A snapshot. */
  readonly stats: FakeServerStats;
  configure(partial: Partial<FakeServerOptions>): void;
  /** The next requests fail with these faults, in order (before any random fault). */
  queueFaults(kinds: readonly FaultKind[]): void;
  resetStats(): void;
  /** Forgets the rpm/tpm windows and daily counts, so limits start from a clean slate. */
  resetLimits(): void;
  close(): Promise<void>;
}

export const DEFAULT_GROQ_MODELS: readonly string[] = ['openai/gpt-oss-20b', 'openai/gpt-oss-120b', 'qwen/qwen3.8-27b'];
export const DEFAULT_OPENAI_MODELS: readonly string[] = ['gpt-4o', 'gpt-4.1-mini', 'gpt-5-mini'];
export const DEFAULT_RETIRED: readonly string[] = [
  'llama-3.1-8b-instant',
  'llama-3.3-70b-versatile',
  'meta-llama/llama-4-scout-17b-16e-instruct',
];

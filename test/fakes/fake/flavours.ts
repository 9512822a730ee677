// What differs between the Groq and OpenAI APIs the fake imitates: the Flavour interface that
// test/fakes/fake/groq.ts and openai.ts implement (headers, bodies, errors, stream chunks), and
// facts both share: OpenAI's dated snapshots, the rate-limit links and header defaults.
import type { ApiFlavor, FaultKind } from './types.ts';
import type { ErrBody } from './errors.ts';
import type { ChatBody, ReqCtx } from './options.ts';
import type { RateView } from './rateWindows.ts';

// Dated snapshots OpenAI reports in `model` for an alias.
export const OPENAI_SNAPSHOTS: Record<string, string> = {
  'gpt-4o': 'gpt-4o-2024-08-06',
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-4.1': 'gpt-4.1-2025-04-14',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'gpt-4.1-nano': 'gpt-4.1-nano-2025-04-14',
  'gpt-5': 'gpt-5-2025-08-07',
  'gpt-5-mini': 'gpt-5-mini-2025-08-07',
  'gpt-5-nano': 'gpt-5-nano-2025-08-07',
};

export const GROQ_BILLING = 'Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing';
export const OPENAI_RL_LINK = 'Visit https://platform.openai.com/account/rate-limits to learn more.';

// Defaults for the rate-limit headers when no limit is enforced (Groq "requests" = per day).
export const GROQ_RPD = 1000;
export const GROQ_HEADER_TPM = 250_000;
export const OPENAI_HEADER_RPM = 5000;
export const OPENAI_HEADER_TPM = 800_000;

/** Token counts of one answer. */
export interface Usage {
  prompt: number;
  completion: number;
  reasoning: number;
}

/** An answer after max_(completion_)tokens was applied. */
export interface Budgeted {
  content: string;
  reasoning: string | null;
  finish: string;
  usage: Usage;
}

/** Faults whose error body each flavour words its own way. */
export type FlavourFault = Extract<FaultKind, '429' | '429-long' | '500' | '503' | '498'>;

/** The chunks of one streamed answer, shaped per flavour. */
export interface StreamFrames {
  chunk(choices: unknown[], extra?: Record<string, unknown>): Record<string, unknown>;
  /** The lone chunk of an 'empty-choices' fault. */
  empty(): Record<string, unknown>;
  /** The opening chunk: the assistant role and empty content. */
  first(): Record<string, unknown>;
  /** The closing chunks: the finish reason, then the usage when stream_options asked for it. */
  last(b: Budgeted, queueS: number): Record<string, unknown>[];
}

export interface Flavour {
  readonly name: ApiFlavor;
  /** Path prefix of its endpoints (`/chat/completions`, `/models`). */
  readonly prefix: string;
  /** Successful JSON bodies are pretty-printed (OpenAI) or compact (Groq). */
  readonly prettyJson: boolean;
  /** Whether it has Groq's json_validate_failed error (OpenAI answers unparseable content instead). */
  readonly jsonValidateFails: boolean;
  newRequestId(): string;
  baseHeaders(requestId: string, groqRegion: string): Record<string, string>;
  rateHeaders(v: RateView): Record<string, string>;
  /** Headers of a 401 (Groq's captured 401 has none). */
  authHeaders(base: Record<string, string>): Record<string, string>;
  /** Headers of a refused request (Groq's carry the rate-limit headers). */
  errorHeaders(base: Record<string, string>, rate: () => Record<string, string>): Record<string, string>;
  /** Extra headers on a successful answer. */
  answerHeaders(c: ReqCtx): Record<string, string>;
  /** A model id in its list (OpenAI also accepts an alias's dated snapshot). */
  knows(list: readonly string[], model: string): boolean;
  /** The `model` an answer names. */
  responseModel(model: string): string;

  authError(key: string): ErrBody;
  bodyTooLarge(): ErrBody;
  badJson(): ErrBody;
  noModel(): ErrBody;
  noMessages(): ErrBody;
  /** The parameter checks the real API makes, in its order; null when the body passes. */
  paramProblem(body: ChatBody, model: string): ErrBody | null;
  unknownUrl(what: string): ErrBody;
  faultError(kind: FlavourFault, model: string, requested: number): ErrBody;
  tooLarge(model: string, limit: number, requested: number): ErrBody;
  rateLimited(model: string, kind: 'requests' | 'tokens', limit: number, used: number, requested: number, waitMs: number): ErrBody;
  /** The body of a mid-stream `event: error`. */
  streamErrorPayload(): { error: Record<string, unknown> };

  /** Whether the answer writes out its reasoning (Groq's gpt-oss, unless the request hides it). */
  showsReasoning(c: ReqCtx): boolean;
  /** Reasoning tokens a model spends without showing them (OpenAI's reasoning models). */
  hiddenReasoningTokens(model: string): number;
  completion(c: ReqCtx, choices: unknown[], b: Budgeted, queueS: number): Record<string, unknown>;
  message(b: Budgeted): Record<string, unknown>;
  streamFrames(c: ReqCtx, createdAt: number): StreamFrames;
  modelEntry(id: string): Record<string, unknown>;
}

/** Used tokens consistent with a refusal: used + requested exceeds the limit. */
export function usedBefore(limit: number, requested: number): number {
  return Math.max(0, limit - Math.ceil(requested / 2));
}

export function retryAfterOf(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}

export function choice(delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> {
  return { index: 0, delta, logprobs: null, finish_reason: finish };
}

export function created(): number {
  return Math.floor(Date.now() / 1000);
}

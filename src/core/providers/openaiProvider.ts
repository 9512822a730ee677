// ChatProvider over the openai SDK, for OpenAI itself and for any OpenAI-compatible endpoint
// (vLLM, Ollama, …). Also home of the chat-completions wire helpers Groq shares, since Groq
// speaks the same wire format with a few extra fields (usage.queue_time, x_groq).
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { withCallSpan } from './callTiming.ts';
import { transportFetch } from './wireThread.ts';
import { classifyError, createRequestSignal, providerLabel, type RetiredLookup } from './classifyError.ts';
import { parseRateLimitHeaders } from './rateLimitHeaders.ts';
import type { Scrubber } from '../secrets/scrub.ts';
import { ProviderError, type ChatProvider, type ChatRequest, type ChatResponse, type ResponseFormat } from './types.ts';

// ---- chat-completions wire helpers (shared with groqProvider) ----

/** Usage as both providers send it; Groq adds queue_time/total_time (seconds). */
export interface WireUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  queue_time?: number | null;
  total_time?: number | null;
}

export interface WireChunk {
  id?: string;
  choices?: ReadonlyArray<{
    delta?: { content?: string | null; refusal?: string | null } | null;
    finish_reason?: string | null;
  }> | null;
  usage?: WireUsage | null;
  x_groq?: { id?: string | null; usage?: WireUsage | null } | null;
}

export interface WireCompletion {
  id?: string;
  choices?: ReadonlyArray<{
    message?: { content?: string | null; refusal?: string | null } | null;
    finish_reason?: string | null;
  }> | null;
  usage?: WireUsage | null;
  x_groq?: { id?: string | null } | null;
}

type UsageFields = Pick<
  ChatResponse,
  'inputTokens' | 'outputTokens' | 'cachedTokens' | 'reasoningTokens' | 'queueTimeMs' | 'providerTotalMs'
>;

const numOrNull = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const secondsToMs = (v: number | null | undefined): number | null => {
  const n = numOrNull(v);
  return n === null ? null : n * 1000;
};

/** Maps wire usage to ChatResponse fields (seconds → ms for Groq's timings). */
export function usageFields(u: WireUsage | null | undefined): UsageFields {
  return {
    inputTokens: numOrNull(u?.prompt_tokens),
    outputTokens: numOrNull(u?.completion_tokens),
    cachedTokens: numOrNull(u?.prompt_tokens_details?.cached_tokens),
    reasoningTokens: numOrNull(u?.completion_tokens_details?.reasoning_tokens),
    queueTimeMs: secondsToMs(u?.queue_time),
    providerTotalMs: secondsToMs(u?.total_time),
  };
}

/** The response_format body both APIs accept. */
export function wireResponseFormat(
  f: ResponseFormat,
): { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; strict: boolean } } | { type: 'json_object' } {
  return f.type === 'json_schema'
    ? { type: 'json_schema', json_schema: { name: f.name, schema: f.schema, strict: f.strict } }
    : { type: 'json_object' };
}

/** The same error with `raw` set to the partial answer, when it has no raw text of its own. */
export function withPartial(err: ProviderError, partial: string): ProviderError {
  if (partial === '' || err.raw !== null) return err;
  return new ProviderError({
    code: err.code,
    message: err.message,
    status: err.status,
    retryable: err.retryable,
    retryAfterMs: err.retryAfterMs,
    raw: partial,
    rateLimit: err.rateLimit,
    attempts: err.attempts,
  });
}

function invalidOutput(label: string, what: string, raw: string | null, extra?: Partial<ChatResponse>): ProviderError {
  return new ProviderError({
    code: 'INVALID_OUTPUT',
    message: `${label} ${what}.`,
    raw,
    rateLimit: extra?.rateLimit ?? null,
  });
}

/** Builds a ChatResponse from a non-streamed completion, or throws INVALID_OUTPUT. */
export function completionToResponse(
  data: WireCompletion,
  meta: { label: string; requestId: string | null; rateLimit: ChatResponse['rateLimit'] },
): ChatResponse {
  const choice = data.choices?.[0];
  if (!choice) throw invalidOutput(meta.label, 'returned no choices', JSON.stringify(data), meta);
  const msg = choice.message;
  if (msg?.refusal) throw invalidOutput(meta.label, 'refused to answer', msg.refusal, meta);
  const text = msg?.content;
  if (typeof text !== 'string' || text === '') {
    throw invalidOutput(meta.label, 'returned no content', JSON.stringify(data), meta);
  }
  return {
    text,
    finishReason: choice.finish_reason ?? null,
    ...usageFields(data.usage),
    ttftMs: null,
    requestId: meta.requestId ?? data.x_groq?.id ?? data.id ?? null,
    rateLimit: meta.rateLimit,
  };
}

/**
 * Reads a chunk stream into a ChatResponse: TTFT at the first non-empty content delta, usage
 * from the final chunks (top-level or x_groq), and the checks that the answer is complete.
 */
export async function streamToResponse(
  stream: AsyncIterable<WireChunk>,
  meta: {
    label: string;
    requestId: string | null;
    rateLimit: ChatResponse['rateLimit'];
    startedAt: number;
    now: () => number;
    /** Whether the request's own signal fired: both SDKs then end iteration silently. */
    aborted: () => boolean;
    /** Classifies a failure (null = the abort) into the ProviderError to throw. */
    classify: (err: unknown) => ProviderError;
  },
): Promise<ChatResponse> {
  let text = '';
  let refusal = '';
  let finishReason: string | null = null;
  let usage: WireUsage | null = null;
  let ttftMs: number | null = null;
  let sawChoice = false;
  let groqId: string | null = null;
  let chunkId: string | null = null;
  // Failures keep the partial answer as raw text, for the record.
  const fail = (err: unknown): ProviderError => withPartial(meta.classify(err), text);
  try {
    for await (const chunk of stream) {
      chunkId ??= chunk.id ?? null;
      groqId ??= chunk.x_groq?.id ?? null;
      if (chunk.usage) usage = chunk.usage;
      else if (chunk.x_groq?.usage) usage = chunk.x_groq.usage;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      sawChoice = true;
      const piece = choice.delta?.content;
      if (typeof piece === 'string' && piece !== '') {
        if (ttftMs === null) ttftMs = meta.now() - meta.startedAt;
        text += piece;
      }
      if (choice.delta?.refusal) refusal += choice.delta.refusal;
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  } catch (err) {
    throw fail(err);
  }
  if (meta.aborted()) throw fail(null);
  if (!sawChoice) throw invalidOutput(meta.label, 'returned no choices', text || null, meta);
  if (refusal) throw invalidOutput(meta.label, 'refused to answer', refusal, meta);
  if (finishReason === null) {
    // The connection closed cleanly but before the finish chunk: a cut, worth retrying.
    throw new ProviderError({
      code: 'NETWORK',
      message: `The stream from ${meta.label.replace(/^The /, 'the ')} ended before the answer was complete.`,
      retryable: true,
      raw: text || null,
      rateLimit: meta.rateLimit,
    });
  }
  if (text === '') throw invalidOutput(meta.label, 'returned no content', null, meta);
  return {
    text,
    finishReason,
    ...usageFields(usage),
    ttftMs,
    requestId: meta.requestId ?? groqId ?? chunkId,
    rateLimit: meta.rateLimit,
  };
}

// ---- the OpenAI provider ----

export interface OpenAIProviderOptions {
  /** Requests on the wire thread (wireThread.ts); the host turns it off with CASEBENCH_WIRE_THREAD=0. Default true. */
  wireThread?: boolean;
  /** 'openai' (default) or 'openai-compatible' for vLLM/Ollama/… endpoints. */
  provider?: 'openai' | 'openai-compatible';
  /** Keyless local endpoints may pass null. */
  apiKey: string | null;
  /** Includes `/v1`, per the SDK's convention. */
  baseURL?: string;
  /** Display name of an openai-compatible endpoint, used in messages. */
  name?: string;
  isRetired?: RetiredLookup;
  /** The runtime's scrubber (every key the product holds), for error texts. */
  scrubber?: Scrubber;
  /** Monotonic clock for TTFT; defaults to performance.now. */
  now?: () => number;
}

/** True for models that reject `temperature` (gpt-5 family and o-series reasoning models). */
export function rejectsTemperature(model: string): boolean {
  return /^(?:gpt-5|o\d)/i.test(model);
}

/** ChatProvider over the openai SDK; one HTTP attempt per call (SDK retries off). */
export function createOpenAIProvider(opts: OpenAIProviderOptions): ChatProvider {
  const id = opts.provider ?? 'openai';
  const label = id === 'openai-compatible' && opts.name ? opts.name : providerLabel(id);
  const now = opts.now ?? (() => performance.now());
  const apiKey = opts.apiKey ?? 'none';
  const client = new OpenAI({
    apiKey,
    // Explicit default so the SDK never falls back to OPENAI_BASE_URL: hosts own configuration.
    baseURL: opts.baseURL ?? 'https://api.openai.com/v1',
    maxRetries: 0,
    // Requests go out on the wire thread, so their time is stamped off our busy event loop.
    fetch: transportFetch(opts.wireThread ?? true),
  });

  async function complete(req: ChatRequest): Promise<ChatResponse> {
    const rs = createRequestSignal(req.timeoutMs, req.signal);
    const reasoning = id === 'openai' && rejectsTemperature(req.model);
    const base = {
      model: req.model,
      messages: req.messages,
      response_format: wireResponseFormat(req.responseFormat),
      ...(req.temperature !== undefined && !reasoning ? { temperature: req.temperature } : {}),
      // Real OpenAI deprecated max_tokens (reasoning models reject it); many compatible
      // servers only know max_tokens.
      ...(req.maxTokens !== undefined ? (id === 'openai' ? { max_completion_tokens: req.maxTokens } : { max_tokens: req.maxTokens }) : {}),
      // Extraction needs little thinking; low effort cuts latency a lot on reasoning models.
      ...(reasoning ? { reasoning_effort: 'low' as const } : {}),
    };
    const reqOpts = { signal: rs.signal, timeout: req.timeoutMs, maxRetries: 0 };
    const classify = (err: unknown): ProviderError =>
      classifyError(err, {
        provider: id,
        model: req.model,
        label,
        isRetired: opts.isRetired,
        aborted: rs.aborted(),
        timeoutMs: req.timeoutMs,
        secrets: [apiKey],
        scrubber: opts.scrubber,
      });
    const startedAt = now();
    const send = async (): Promise<ChatResponse> => {
      try {
        if (req.stream) {
          const params: ChatCompletionCreateParamsStreaming = {
            ...base,
            stream: true,
            stream_options: {
              include_usage: true,
              // include_obfuscation is OpenAI-only; compatible servers may reject unknown fields.
              ...(id === 'openai' ? { include_obfuscation: false } : {}),
            },
          };
          const { data: stream, response, request_id } = await client.chat.completions.create(params, reqOpts).withResponse();
          return await streamToResponse(stream, {
            label,
            requestId: request_id ?? response.headers.get('x-request-id'),
            rateLimit: parseRateLimitHeaders(response.headers),
            startedAt,
            now,
            aborted: () => rs.aborted() !== null,
            classify,
          });
        }
        const params: ChatCompletionCreateParamsNonStreaming = { ...base, stream: false };
        const { data, response, request_id } = await client.chat.completions.create(params, reqOpts).withResponse();
        const res = completionToResponse(data, {
          label,
          requestId: request_id ?? response.headers.get('x-request-id'),
          rateLimit: parseRateLimitHeaders(response.headers),
        });
        // OpenAI's own processing time is the closest thing it reports to Groq's total_time.
        const processing = Number(response.headers.get('openai-processing-ms'));
        return res.providerTotalMs === null && Number.isFinite(processing) && processing > 0
          ? { ...res, providerTotalMs: processing }
          : res;
      } catch (err) {
        throw classify(err);
      } finally {
        rs.dispose();
      }
    };
    // Timed by the transport (request sent → answer received), not around the SDK: see callTiming.ts.
    return withCallSpan(send, opts.now ? null : startedAt);
  }

  return { id, complete };
}

// ChatProvider over groq-sdk. One HTTP attempt per call: the SDK's own retries are off because
// it would sleep through a multi-minute retry-after without honouring the abort signal.
import Groq from 'groq-sdk';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'groq-sdk/resources/chat/completions';
import { classifyError, createRequestSignal, type RetiredLookup } from './classifyError.ts';
import { parseRateLimitHeaders } from './rateLimitHeaders.ts';
import { completionToResponse, streamToResponse, wireResponseFormat } from './openaiProvider.ts';
import type { Scrubber } from '../secrets/scrub.ts';
import type { ChatProvider, ChatRequest, ChatResponse, ProviderError } from './types.ts';
import { withCallSpan } from './callTiming.ts';
import { transportFetch } from './wireThread.ts';
import { PROVIDERS } from '#shared/providers.ts';

export interface GroqProviderOptions {
  apiKey: string;
  /** The server root (groq-sdk appends /openai/v1/…). */
  baseURL?: string;
  isRetired?: RetiredLookup;
  /** The runtime's scrubber (every key the product holds), for error texts. */
  scrubber?: Scrubber;
  /** Monotonic clock for TTFT; defaults to performance.now. */
  now?: () => number;
  /** Requests on the wire thread (wireThread.ts); the host turns it off with CASEBENCH_WIRE_THREAD=0. Default true. */
  wireThread?: boolean;
}

/** True for gpt-oss models, which take reasoning_effort low|medium|high (not 'none'). */
export function isGptOss(model: string): boolean {
  return /(^|\/)gpt-oss/i.test(model);
}

/** ChatProvider over groq-sdk (streaming with usage, rate-limit headers, Groq timings). */
export function createGroqProvider(opts: GroqProviderOptions): ChatProvider {
  const label = PROVIDERS.groq.name;
  const now = opts.now ?? (() => performance.now());
  const client = new Groq({
    apiKey: opts.apiKey,
    // Explicit default so the SDK never falls back to GROQ_BASE_URL: hosts own configuration.
    baseURL: opts.baseURL ?? 'https://api.groq.com',
    maxRetries: 0,
    // Requests go out on the wire thread, so their time is stamped off our busy event loop.
    fetch: transportFetch(opts.wireThread ?? true),
  });

  async function complete(req: ChatRequest): Promise<ChatResponse> {
    const rs = createRequestSignal(req.timeoutMs, req.signal);
    const base = {
      model: req.model,
      messages: req.messages,
      response_format: wireResponseFormat(req.responseFormat),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.maxTokens !== undefined ? { max_completion_tokens: req.maxTokens } : {}),
      // Extraction needs little reasoning and 'low' cuts latency; gpt-oss rejects 'none'.
      ...(isGptOss(req.model) ? { reasoning_effort: 'low' as const } : {}),
    };
    const reqOpts = { signal: rs.signal, timeout: req.timeoutMs, maxRetries: 0 };
    const classify = (err: unknown): ProviderError =>
      classifyError(err, {
        provider: 'groq',
        model: req.model,
        label,
        isRetired: opts.isRetired,
        aborted: rs.aborted(),
        timeoutMs: req.timeoutMs,
        secrets: [opts.apiKey],
        scrubber: opts.scrubber,
      });
    const startedAt = now();
    const send = async (): Promise<ChatResponse> => {
      try {
        if (req.stream) {
          // The SDK types lack stream_options; the API accepts it and then sends a final usage chunk.
          const params: ChatCompletionCreateParamsStreaming & { stream_options: { include_usage: boolean } } = {
            ...base,
            stream: true,
            stream_options: { include_usage: true },
          };
          const { data: stream, response } = await client.chat.completions.create(params, reqOpts).withResponse();
          return await streamToResponse(stream, {
            label,
            requestId: response.headers.get('x-request-id'),
            rateLimit: parseRateLimitHeaders(response.headers),
            startedAt,
            now,
            aborted: () => rs.aborted() !== null,
            classify,
          });
        }
        const params: ChatCompletionCreateParamsNonStreaming = { ...base, stream: false };
        const { data, response } = await client.chat.completions.create(params, reqOpts).withResponse();
        return completionToResponse(data, {
          label,
          requestId: response.headers.get('x-request-id'),
          rateLimit: parseRateLimitHeaders(response.headers),
        });
      } catch (err) {
        throw classify(err);
      } finally {
        rs.dispose();
      }
    };
    // Timed by the transport (request sent → answer received), not around the SDK: see callTiming.ts.
    return withCallSpan(send, opts.now ? null : startedAt);
  }

  return { id: 'groq', complete };
}

// Turns whatever groq-sdk / openai (or fetch underneath them) throws into a ProviderError with a
// stable code, a message safe to show and store, and the retry hints the scheduler needs.
import {
  APIConnectionError as GroqConnectionError,
  APIConnectionTimeoutError as GroqTimeoutError,
  APIError as GroqAPIError,
  APIUserAbortError as GroqUserAbortError,
} from 'groq-sdk';
import {
  APIConnectionError as OpenAIConnectionError,
  APIConnectionTimeoutError as OpenAITimeoutError,
  APIError as OpenAIAPIError,
  APIUserAbortError as OpenAIUserAbortError,
} from 'openai';
import { ProviderError, type ProviderId } from './types.ts';
import { PROVIDERS, type ProviderDecl } from '#shared/providers.ts';
import { formatDuration, parseRateLimitHeaders, parseRetryAfterHeaders, parseRetryAfterMessage } from './rateLimitHeaders.ts';
import { Scrubber, scrubSecrets } from '../secrets/scrub.ts';

export { scrubSecrets };

/** Looks a model up in the shipped model registry; non-null when the provider has retired it. */
export type RetiredLookup = (provider: string, model: string) => { retiredOn: string; replacement: string | null } | null;

export interface ClassifyContext {
  provider: ProviderId;
  model: string;
  /** Display name, e.g. the openai-compatible endpoint's name; defaults per provider. */
  label?: string;
  isRetired?: RetiredLookup;
  /** Set by the caller when its own signal fired: SDKs report both as a plain abort. */
  aborted?: 'timeout' | 'cancelled' | null;
  timeoutMs?: number;
  /** Exact strings to scrub besides the sk-/gsk_ patterns (e.g. the configured key). */
  secrets?: readonly string[];
  /** The runtime's scrubber: every key the product holds (other providers' too), in every form. */
  scrubber?: Scrubber;
  /** Clock for HTTP-date retry-after headers. */
  nowMs?: number;
}

interface ErrorBody {
  message: string | null;
  type: string | null;
  code: string | null;
  failedGeneration: string | null;
}

const MAX_SERVER_MESSAGE = 400;

/** Display name of a provider for messages ("Groq rejected the API key …"). */
export function providerLabel(provider: ProviderId | string): string {
  return (PROVIDERS as Record<string, ProviderDecl | undefined>)[provider]?.label ?? provider;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

// groq-sdk puts the WHOLE body ({error:{…}}) in err.error; openai puts the inner object there;
// stream error events carry the inner object in both. Accept all three shapes.
function readBody(errorField: unknown): ErrorBody | null {
  if (!isObject(errorField)) return null;
  const inner = isObject(errorField.error) ? errorField.error : errorField;
  return {
    message: str(inner.message),
    type: str(inner.type),
    code: str(inner.code),
    failedGeneration: str(inner.failed_generation),
  };
}

type SdkKind = 'user-abort' | 'timeout' | 'connection' | 'api' | null;

function sdkKind(err: unknown): SdkKind {
  if (err instanceof GroqUserAbortError || err instanceof OpenAIUserAbortError) return 'user-abort';
  if (err instanceof GroqTimeoutError || err instanceof OpenAITimeoutError) return 'timeout';
  if (err instanceof GroqConnectionError || err instanceof OpenAIConnectionError) return 'connection';
  if (err instanceof GroqAPIError || err instanceof OpenAIAPIError) return 'api';
  // Fallback on class names: a second copy of an SDK (bundling) breaks instanceof.
  const name = isObject(err) ? (err.constructor as { name?: string } | undefined)?.name : undefined;
  if (name === 'APIUserAbortError') return 'user-abort';
  if (name === 'APIConnectionTimeoutError') return 'timeout';
  if (name === 'APIConnectionError') return 'connection';
  if (name === 'APIError' || (name?.endsWith('Error') && isObject(err) && 'status' in err && 'headers' in err)) {
    return 'api';
  }
  return null;
}

// Codes undici/node attach to socket failures, possibly nested in `cause`.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function networkCause(err: unknown): string | null {
  const chain: Record<string, unknown>[] = [];
  for (let cur: unknown = err; chain.length < 5 && isObject(cur); cur = cur.cause) chain.push(cur);
  // The deepest code (ECONNRESET) says more than the wrapper's "fetch failed".
  for (const e of [...chain].reverse()) {
    const code = str(e.code);
    if (code && NETWORK_CODES.has(code)) return code;
  }
  for (const e of chain) {
    const msg = str(e.message);
    if (msg && /^(terminated|fetch failed|other side closed|socket hang up)$/i.test(msg)) return msg;
  }
  return null;
}

function errorName(err: unknown): string | null {
  return isObject(err) ? str(err.name) : null;
}

// A gateway error (Cloudflare 502) arrives as an HTML page; its title is the useful part.
function plainText(text: string): string {
  if (!/<html/i.test(text)) return text;
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  return title ? `${title} (gateway)` : 'an HTML error page from a gateway';
}

function clip(text: string): string {
  const t = text.trim();
  return t.length > MAX_SERVER_MESSAGE ? `${t.slice(0, MAX_SERVER_MESSAGE)}…` : t;
}

function keyHint(provider: ProviderId): string {
  return PROVIDERS[provider].keyHint;
}

// A request bigger than the per-minute token limit can never succeed by waiting: Groq says so
// with 413, OpenAI with a 429 "Request too large … Limit 30000, Requested 30601".
function isRequestTooLarge(status: number | null, message: string): boolean {
  if (status === 413) return true;
  if (/request too large/i.test(message)) return true;
  const m = /Limit (\d+), Requested (\d+)/i.exec(message);
  return !!m && !/Used \d+/i.test(message) && Number(m[2]) > Number(m[1]);
}

/** Classifies anything an SDK call threw into a ProviderError (never throws itself). */
export function classifyError(err: unknown, ctx: ClassifyContext): ProviderError {
  if (err instanceof ProviderError) return err;
  const label = ctx.label ?? providerLabel(ctx.provider);
  const own = new Scrubber(ctx.secrets);
  const scrub = (t: string): string => own.scrub(ctx.scrubber ? ctx.scrubber.scrubKnown(t) : t);

  // Our own signals decide between timeout and cancel: the SDKs report both as a user abort.
  if (ctx.aborted === 'cancelled') {
    return new ProviderError({ code: 'CANCELLED', message: 'Cancelled.' });
  }
  if (ctx.aborted === 'timeout' || errorName(err) === 'TimeoutError') {
    return timeoutError(label, ctx.timeoutMs);
  }

  const kind = sdkKind(err);
  if (kind === 'user-abort' || errorName(err) === 'AbortError') {
    return new ProviderError({ code: 'CANCELLED', message: 'Cancelled.' });
  }
  if (kind === 'timeout') return timeoutError(label, ctx.timeoutMs);
  if (kind === 'connection') {
    const cause = isObject(err) ? networkCause(err.cause) : null;
    return networkError(label, cause ?? (isObject(err) ? str(err.message) : null), scrub);
  }
  if (kind === 'api' && isObject(err)) return classifyApiError(err, ctx, label, scrub);

  const net = networkCause(err);
  if (net) return networkError(label, net, scrub);
  if (err instanceof SyntaxError) {
    return new ProviderError({
      code: 'PROVIDER_ERROR',
      message: `${label} sent a malformed response (${scrub(err.message)}).`,
      retryable: true,
    });
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new ProviderError({ code: 'INTERNAL', message: `Unexpected error calling ${label}: ${clip(scrub(msg))}` });
}

function timeoutError(label: string, timeoutMs: number | undefined): ProviderError {
  const within = timeoutMs !== undefined ? ` within ${formatDuration(timeoutMs)}` : ' in time';
  return new ProviderError({ code: 'TIMEOUT', message: `${label} did not answer${within}.`, retryable: true });
}

const CAUSE_WORDS: Record<string, string> = {
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused (is the server running?)',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be resolved',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CLOSED: 'the server closed the connection',
  terminated: 'the server closed the connection',
  'other side closed': 'the server closed the connection',
};

function networkError(label: string, cause: string | null, scrub: (t: string) => string): ProviderError {
  const words = cause ? CAUSE_WORDS[cause] : undefined;
  const why = cause ? (words ? `: ${words} (${cause})` : ` (${scrub(cause)})`) : '';
  return new ProviderError({
    code: 'NETWORK',
    message: `Lost the connection to ${label.replace(/^The /, 'the ')}${why}.`,
    retryable: true,
  });
}

function classifyApiError(err: Record<string, unknown>, ctx: ClassifyContext, label: string, scrub: (t: string) => string): ProviderError {
  const status = typeof err.status === 'number' ? err.status : null;
  const body = readBody(err.error);
  const rateLimit = parseRateLimitHeaders(err.headers);
  const serverMsg = clip(scrub(plainText(body?.message ?? str(err.message) ?? '')));
  const raw = err.error !== undefined ? scrub(JSON.stringify(err.error)) : typeof err.message === 'string' ? scrub(err.message) : null;
  const code = body?.code ?? null;
  const base = { status, rateLimit, raw };

  // Whatever the status, a schema failure is the model's output, kept for the record.
  if (code === 'json_validate_failed') {
    return new ProviderError({
      ...base,
      code: 'INVALID_OUTPUT',
      message: `${label} could not produce JSON matching the schema (json_validate_failed).`,
      raw: body?.failedGeneration != null ? scrub(body.failedGeneration) : raw,
    });
  }

  if (status === null) {
    // `event: error` in the middle of a stream.
    return new ProviderError({
      ...base,
      code: 'PROVIDER_ERROR',
      message: `${label} reported an error mid-stream${serverMsg ? `: ${serverMsg}` : '.'}`,
      retryable: true,
    });
  }

  if (status === 429 || (status === 413 && (code === 'rate_limit_exceeded' || body?.type === 'tokens'))) {
    if (code === 'insufficient_quota' || body?.type === 'insufficient_quota') {
      return new ProviderError({
        ...base,
        code: 'RATE_LIMITED',
        message: `${label} says the account is out of quota (insufficient_quota); add credit or check the plan's billing — retrying will not help.`,
      });
    }
    if (isRequestTooLarge(status, serverMsg)) {
      return new ProviderError({
        ...base,
        code: 'RATE_LIMITED',
        message: `${label} says this one request exceeds the model's tokens-per-minute limit (${status}); shorten the ticket or pick a model with a higher limit. ${serverMsg}`,
      });
    }
    const retryAfterMs = parseRetryAfterHeaders(err.headers, ctx.nowMs ?? Date.now()) ?? parseRetryAfterMessage(body?.message);
    const wait = retryAfterMs !== null ? `; it asks to wait ${formatDuration(retryAfterMs)}` : '';
    return new ProviderError({
      ...base,
      code: 'RATE_LIMITED',
      message: `${label} rate limit reached (${status}${body?.type ? `, ${body.type}` : ''})${wait}. ${serverMsg}`.trim(),
      retryable: true,
      retryAfterMs,
    });
  }

  if (status === 401 || status === 403) {
    const what = status === 401 ? 'rejected the API key' : 'refused access with this API key';
    return new ProviderError({
      ...base,
      code: 'AUTH',
      message: `${label} ${what} (${status}). ${keyHint(ctx.provider)}`,
    });
  }

  const mentionsModel = /\bmodel\b/i.test(body?.message ?? '');
  if (code === 'model_decommissioned' || code === 'model_not_found' || (status === 404 && mentionsModel)) {
    const retired = ctx.isRetired?.(ctx.provider, ctx.model) ?? null;
    const by = label.replace(/^The /, 'the ');
    if (retired) {
      // The registry names replacements as specs; within the same provider the bare id reads better.
      const repl = retired.replacement?.startsWith(`${ctx.provider}:`)
        ? retired.replacement.slice(ctx.provider.length + 1)
        : retired.replacement;
      const instead = repl ? `use ${repl} instead` : 'pick another model';
      return new ProviderError({
        ...base,
        code: 'MODEL_RETIRED',
        message: `${ctx.model} was retired by ${by} on ${retired.retiredOn}; ${instead}`,
      });
    }
    if (code === 'model_decommissioned') {
      // The server itself says retired; our registry just lacks the date and replacement.
      return new ProviderError({
        ...base,
        code: 'MODEL_RETIRED',
        message: `${ctx.model} was decommissioned by ${by}; pick another model. ${serverMsg}`.trim(),
      });
    }
    return new ProviderError({
      ...base,
      code: 'MODEL_NOT_FOUND',
      message: `${label} does not offer the model ${ctx.model}, or this key has no access to it (${status}).`,
    });
  }

  if (status === 404) {
    return new ProviderError({
      ...base,
      code: 'BAD_REQUEST',
      message: `${label} answered 404 for the chat-completions route; check the base URL. ${serverMsg}`.trim(),
    });
  }

  if (status === 408) {
    return new ProviderError({ ...base, code: 'TIMEOUT', message: `${label} timed out on its side (408).`, retryable: true });
  }

  if (status === 498) {
    return new ProviderError({
      ...base,
      code: 'PROVIDER_ERROR',
      message: `${label} flex tier is at capacity (498). ${serverMsg}`.trim(),
      retryable: true,
    });
  }

  if (status >= 500 || status === 409) {
    return new ProviderError({
      ...base,
      code: 'PROVIDER_ERROR',
      message: `${label} server error (${status})${serverMsg ? `: ${serverMsg}` : '.'}`,
      retryable: true,
    });
  }

  return new ProviderError({
    ...base,
    code: 'BAD_REQUEST',
    message: `${label} rejected the request (${status}${code ? ` ${code}` : ''})${serverMsg ? `: ${serverMsg}` : '.'}`,
  });
}

/** A per-request signal: fires on the caller's abort or after timeoutMs, and remembers which. */
export interface RequestSignal {
  signal: AbortSignal;
  /** Which of the two fired first, or null while neither has. */
  aborted(): 'timeout' | 'cancelled' | null;
  /** Clears the timer and detaches from the caller's signal. */
  dispose(): void;
}

/** Combines a caller's AbortSignal with a per-request timeout, telling the two apart afterwards. */
export function createRequestSignal(timeoutMs: number, caller?: AbortSignal): RequestSignal {
  const ctl = new AbortController();
  let reason: 'timeout' | 'cancelled' | null = null;
  const onCallerAbort = (): void => {
    reason ??= 'cancelled';
    ctl.abort(caller?.reason);
  };
  // setTimeout rather than AbortSignal.timeout so dispose() can clear it.
  const timer = setTimeout(() => {
    reason ??= 'timeout';
    ctl.abort(new DOMException(`Timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  if (caller?.aborted) onCallerAbort();
  else caller?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: ctl.signal,
    aborted: () => reason,
    dispose: () => {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    },
  };
}

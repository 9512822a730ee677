import * as GroqSdk from 'groq-sdk';
import * as OpenAISdk from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyError, scrubSecrets, type ClassifyContext } from './classifyError.ts';
import { formatDuration, parseDuration, parseRateLimitHeaders } from './rateLimitHeaders.ts';
import { Scrubber } from '../secrets/scrub.ts';

// Bodies as the APIs send them (shared/api-samples).
const GROQ_429 = {
  error: {
    message:
      'Rate limit reached for model `openai/gpt-oss-20b` in organization `org_01abc` service tier `on_demand` on tokens per minute (TPM): Limit 8000, Used 7972, Requested 4351. Please try again in 5.289s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing',
    type: 'tokens',
    code: 'rate_limit_exceeded',
  },
};
const GROQ_413 = {
  error: {
    message:
      'Request too large for model openai/gpt-oss-20b in organization org_xxxxxxx service tier on_demand on tokens per minute (TPM): Limit 6000, Requested 12328, please reduce your message size and try again.',
    type: 'tokens',
    code: 'rate_limit_exceeded',
  },
};
const OPENAI_401 = {
  error: {
    message: 'Incorrect API key provided: sk-proj-abc…****abcd. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  },
};

const groqErr = (status: number, body: object, headers: Record<string, string> = {}) =>
  GroqSdk.APIError.generate(status, body, undefined, new Headers(headers));
// The openai SDK hands generate() the whole body and keeps only the inner object.
const openaiErr = (status: number, body: object, headers: Record<string, string> = {}) =>
  OpenAISdk.APIError.generate(status, body, undefined, new Headers(headers));

const groq: ClassifyContext = { provider: 'groq', model: 'openai/gpt-oss-20b', nowMs: Date.parse('2026-11-22T12:00:00Z') };
const openai: ClassifyContext = { provider: 'openai', model: 'gpt-4o' };

describe('classifyError: rate limits', () => {
  it('maps a Groq 429 to retryable RATE_LIMITED, preferring the retry-after header', () => {
    const e = classifyError(groqErr(429, GROQ_429, { 'retry-after': '6', 'x-ratelimit-remaining-tokens': '28' }), groq);
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(6000);
    expect(e.rateLimit?.remainingTokens).toBe(28);
    expect(e.message).toMatch(/^Groq rate limit reached \(429, tokens\)/);
  });

  it('reads the wait from the message when no header says it', () => {
    expect(classifyError(groqErr(429, GROQ_429), groq).retryAfterMs).toBe(5289);
    const tpd = {
      error: {
        ...GROQ_429.error,
        message: 'Rate limit reached … on tokens per day (TPD): Limit 200000, Used 199000, Requested 1200. Please try again in 9m38.016s.',
      },
    };
    expect(classifyError(groqErr(429, tpd), groq).retryAfterMs).toBe(578_016);
  });

  it('honours retry-after-ms and HTTP-date retry-after', () => {
    expect(classifyError(openaiErr(429, GROQ_429, { 'retry-after-ms': '1234' }), openai).retryAfterMs).toBe(1234);
    const date = new Date((groq.nowMs as number) + 30_000).toUTCString();
    expect(classifyError(groqErr(429, GROQ_429, { 'retry-after': date }), groq).retryAfterMs).toBe(30_000);
  });

  it('says an out-of-quota account will not recover by retrying', () => {
    const body = {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    };
    const e = classifyError(openaiErr(429, body), openai);
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('out of quota');
  });

  it('does not retry a request that alone exceeds the tokens-per-minute limit', () => {
    const e = classifyError(groqErr(413, GROQ_413), groq);
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('shorten the ticket');
  });
});

describe('classifyError: auth and secrets', () => {
  it('names the provider and the fix, never the key', () => {
    const e = classifyError(
      groqErr(401, { error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' } }),
      groq,
    );
    expect(e.code).toBe('AUTH');
    expect(e.retryable).toBe(false);
    expect(e.message).toBe('Groq rejected the API key (401). Set a valid key with `casebench keys set groq` or GROQ_API_KEY.');
  });

  it('scrubs sk- keys from the raw body it keeps', () => {
    const e = classifyError(openaiErr(401, OPENAI_401), openai);
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain('OpenAI rejected the API key (401)');
    expect(`${e.message} ${e.raw}`).not.toMatch(/sk-|abcd/);
  });

  it("scrubs the keys the runtime's scrubber knows, other providers' and shapeless ones included, in echoed forms", () => {
    const compat = 'local/gateway+KEY=9f8e7d6c5b4a';
    const body = {
      error: {
        message: `upstream 500 for Authorization: Bearer ${compat} (basic ${Buffer.from(`u:${compat}`).toString('base64')})`,
        type: 'server_error',
        code: null,
      },
    };
    const e = classifyError(groqErr(500, body), { ...groq, scrubber: new Scrubber([compat]) });
    expect(e.code).toBe('PROVIDER_ERROR');
    expect(e.message).toContain('Bearer [redacted]');
    expect(`${e.message} ${e.raw}`).not.toContain('gateway+KEY');
    expect(`${e.message} ${e.raw}`).not.toContain(Buffer.from(`u:${compat}`).toString('base64').slice(4, -4));
  });

  it('scrubs key patterns and exact secrets', () => {
    expect(scrubSecrets('key gsk_ABCdef123 and sk-proj-xyz, Bearer abc.def', ['my-local-secret-key'])).toBe(
      'key [redacted key] and [redacted key], Bearer [redacted]',
    );
    expect(scrubSecrets('oops my-local-secret-key leaked', ['my-local-secret-key'])).toBe('oops [redacted] leaked');
  });
});

describe('classifyError: models', () => {
  const notFound = (m: string) => ({
    error: {
      message: `The model \`${m}\` does not exist or you do not have access to it.`,
      type: 'invalid_request_error',
      code: 'model_not_found',
    },
  });
  const registry = (provider: string, model: string) =>
    provider === 'groq' && model === 'llama-3.1-8b-instant' ? { retiredOn: '2026-08-16', replacement: 'groq:openai/gpt-oss-20b' } : null;

  it('says when a known model retired and what replaces it', () => {
    const e = classifyError(groqErr(404, notFound('llama-3.1-8b-instant')), {
      ...groq,
      model: 'llama-3.1-8b-instant',
      isRetired: registry,
    });
    expect(e.code).toBe('MODEL_RETIRED');
    expect(e.message).toBe('llama-3.1-8b-instant was retired by Groq on 2026-08-16; use openai/gpt-oss-20b instead');
  });

  it('reports an unknown model as MODEL_NOT_FOUND', () => {
    const e = classifyError(groqErr(404, notFound('nope')), { ...groq, model: 'nope', isRetired: registry });
    expect(e.code).toBe('MODEL_NOT_FOUND');
    expect(e.message).toContain('nope');
  });

  it('treats 400 model_decommissioned as retired even without registry data', () => {
    const body = {
      error: {
        message: 'The model `llama-3.1-70b-versatile` has been decommissioned and is no longer supported.',
        type: 'invalid_request_error',
        code: 'model_decommissioned',
      },
    };
    const e = classifyError(groqErr(400, body), { ...groq, model: 'llama-3.1-70b-versatile', isRetired: registry });
    expect(e.code).toBe('MODEL_RETIRED');
  });
});

describe('classifyError: other failures', () => {
  it('keeps the failed generation of json_validate_failed as raw output', () => {
    const body = {
      error: {
        message: "Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more details.",
        type: 'invalid_request_error',
        code: 'json_validate_failed',
        failed_generation: '{"platform": aws',
      },
    };
    const e = classifyError(groqErr(400, body), groq);
    expect(e.code).toBe('INVALID_OUTPUT');
    expect(e.raw).toBe('{"platform": aws');
  });

  it('maps unsupported parameters to BAD_REQUEST with the server message', () => {
    const body = {
      error: {
        message: "Unsupported parameter: 'max_tokens' is not supported with this model.",
        type: 'invalid_request_error',
        param: 'max_tokens',
        code: 'unsupported_parameter',
      },
    };
    const e = classifyError(openaiErr(400, body), openai);
    expect(e.code).toBe('BAD_REQUEST');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain("'max_tokens' is not supported");
  });

  it.each([
    [500, 'PROVIDER_ERROR'],
    [502, 'PROVIDER_ERROR'],
    [503, 'PROVIDER_ERROR'],
    [498, 'PROVIDER_ERROR'],
    [408, 'TIMEOUT'],
  ] as const)('maps %i to retryable %s', (status, code) => {
    const e = classifyError(groqErr(status, { error: { message: 'boom', type: 'internal_server_error' } }), groq);
    expect(e.code).toBe(code);
    expect(e.retryable).toBe(true);
  });

  it('maps a mid-stream error event (no status) to retryable PROVIDER_ERROR', () => {
    const e = classifyError(
      new GroqSdk.APIError(undefined, { message: 'Service Unavailable', type: 'internal_server_error' }, undefined, new Headers()),
      groq,
    );
    expect(e.code).toBe('PROVIDER_ERROR');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('mid-stream');
  });

  it('tells timeouts, cancels and connection failures apart', () => {
    expect(classifyError(new GroqSdk.APIConnectionTimeoutError(), groq).code).toBe('TIMEOUT');
    expect(classifyError(new OpenAISdk.APIUserAbortError(), openai).code).toBe('CANCELLED');
    expect(classifyError(new OpenAISdk.APIUserAbortError(), { ...openai, aborted: 'timeout' }).code).toBe('TIMEOUT');
    const reset = new GroqSdk.APIConnectionError({
      cause: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }),
    });
    const e = classifyError(reset, groq);
    expect(e.code).toBe('NETWORK');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('ECONNRESET');
    // A body read cut by the peer surfaces as undici's bare TypeError('terminated').
    expect(classifyError(new TypeError('terminated'), groq).code).toBe('NETWORK');
  });
});

describe('durations and rate-limit headers', () => {
  it.each([
    ['2m59.56s', 179_560],
    ['7.66s', 7660],
    ['12ms', 12],
    ['6m0s', 360_000],
    ['1h2m3s', 3_723_000],
    ['9m38.016s', 578_016],
    ['2', 2000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 6);
  });

  it('rejects nonsense', () => {
    expect(parseDuration('soon')).toBeNull();
    expect(parseDuration('')).toBeNull();
  });

  it('formats waits the way people say them', () => {
    expect(formatDuration(578_016)).toBe('9m38s');
    expect(formatDuration(20_000)).toBe('20s');
    expect(formatDuration(5289)).toBe('5.3s');
    expect(formatDuration(12)).toBe('12ms');
  });

  it('reads the x-ratelimit headers', () => {
    const info = parseRateLimitHeaders(
      new Headers({
        'x-ratelimit-limit-requests': '1000',
        'x-ratelimit-remaining-requests': '999',
        'x-ratelimit-reset-requests': '2m59.56s',
        'x-ratelimit-limit-tokens': '8000',
        'x-ratelimit-remaining-tokens': '7400',
        'x-ratelimit-reset-tokens': '7.66s',
      }),
    );
    expect(info).toEqual({
      limitRequests: 1000,
      remainingRequests: 999,
      resetRequestsMs: 179_560,
      limitTokens: 8000,
      remainingTokens: 7400,
      resetTokensMs: 7660,
    });
    expect(parseRateLimitHeaders(new Headers({ 'content-type': 'application/json' }))).toBeNull();
  });
});

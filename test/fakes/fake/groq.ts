// The Groq flavour: its /openai/v1 paths, headers (x-groq-region, day-counted request limits),
// compact error bodies, usage with queue_time and x_groq, service tiers, and gpt-oss reasoning.
import { randomBytes, randomUUID } from 'node:crypto';
import { groqError, badRequest, type ErrBody } from './errors.ts';
import { GROQ_BILLING, GROQ_HEADER_TPM, GROQ_RPD, choice, created, retryAfterOf, usedBefore } from './flavours.ts';
import type { Budgeted, Flavour, StreamFrames, Usage } from './flavours.ts';
import { fingerprint, goDuration, round9, ulid } from './helpers.ts';
import { isGptOss } from './answers.ts';
import { left, resetTokensMs } from './rateWindows.ts';
import type { ReqCtx } from './options.ts';

function usage(u: Usage, queueS: number): Record<string, unknown> {
  // Float seconds; total_time = prompt_time + completion_time and excludes the queue.
  const promptTime = round9(u.prompt * 0.0000215);
  const completionTime = round9((u.completion + u.reasoning) / 950);
  const out: Record<string, unknown> = {
    queue_time: round9(queueS),
    prompt_tokens: u.prompt,
    prompt_time: promptTime,
    completion_tokens: u.completion + u.reasoning,
    completion_time: completionTime,
    total_tokens: u.prompt + u.completion + u.reasoning,
    total_time: round9(promptTime + completionTime),
  };
  if (u.reasoning > 0) out.completion_tokens_details = { reasoning_tokens: u.reasoning };
  return out;
}

function tier(c: ReqCtx): string {
  const t = c.body.service_tier;
  return t === 'flex' || t === 'performance' ? t : 'on_demand';
}

function seed(c: ReqCtx): number {
  return typeof c.body.seed === 'number' ? c.body.seed : Math.floor(Math.random() * 2 ** 31);
}

/** Groq's failed generation, as a mid-stream `event: error` (and, outside a stream, a 400). */
export function groqStreamErrorPayload(): { error: Record<string, unknown> } {
  return {
    error: {
      message: "Failed to call a function. Please adjust your prompt. See 'failed_generation' for more details.",
      type: 'invalid_request_error',
      code: 'tool_use_failed',
      failed_generation: 'Tool use failed: JSON does not match the expected schema for tool calls',
      status_code: 400,
    },
  };
}

/** A Groq flavour with its own organization id (named in rate-limit errors). */
export function groqFlavour(): Flavour {
  const org = 'org_01' + ulid().slice(2, 26);

  function tooLarge(model: string, limit: number, requested: number): ErrBody {
    return groqError(413, {
      message: `Request too large for model ${model} in organization ${org} service tier on_demand on tokens per minute (TPM): Limit ${limit}, Requested ${requested}, please reduce your message size and try again. ${GROQ_BILLING}`,
      type: 'tokens',
      code: 'rate_limit_exceeded',
    });
  }

  return {
    name: 'groq',
    prefix: '/openai/v1',
    prettyJson: false,
    jsonValidateFails: true,
    newRequestId: () => 'req_' + ulid(),
    baseHeaders: (requestId, groqRegion) => ({
      'cache-control': 'private, max-age=0, no-store, no-cache, must-revalidate',
      'x-request-id': requestId,
      'x-groq-region': groqRegion,
      server: 'cloudflare',
      'cf-ray': `${randomBytes(8).toString('hex')}-SJC`,
    }),
    rateHeaders(v) {
      // Groq's request headers count the day, so its per-minute window shows only in 429s.
      const limitTokens = v.tpm ?? GROQ_HEADER_TPM;
      const remainingTokens = left(limitTokens, v.usedTokens, v.tpm !== null);
      return {
        'x-ratelimit-limit-requests': String(GROQ_RPD),
        'x-ratelimit-limit-tokens': String(limitTokens),
        'x-ratelimit-remaining-requests': String(left(GROQ_RPD, v.usedDay, false)),
        'x-ratelimit-remaining-tokens': String(remainingTokens),
        // Time until the buckets are full again.
        'x-ratelimit-reset-requests': goDuration((Math.min(v.usedDay, GROQ_RPD) * 86_400_000) / GROQ_RPD, 2),
        'x-ratelimit-reset-tokens': goDuration(resetTokensMs(v, limitTokens), 2),
      };
    },
    // The captured Groq 401 has no rate-limit headers; every later Groq answer carries them.
    authHeaders: () => ({}),
    errorHeaders: (base, rate) => ({ ...base, ...rate() }),
    answerHeaders: () => ({}),
    knows: (list, model) => list.includes(model),
    responseModel: (model) => model,

    authError: () => groqError(401, { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' }),
    bodyTooLarge: () => groqError(413, { message: 'Request Entity Too Large', type: 'invalid_request_error', code: 'request_too_large' }),
    badJson: () =>
      badRequest('groq', 'We could not parse the JSON body of your request. Please check that the body is valid JSON.', null, null),
    noModel: () => badRequest('groq', "'model' : property 'model' is missing", null, null),
    noMessages: () => badRequest('groq', "'messages' : minimum number of items is 1", 'messages', null),
    paramProblem: (body) =>
      typeof body.n === 'number' && body.n > 1 ? badRequest('groq', "'n' : number must be at most 1", 'n', null) : null,
    unknownUrl: (what) =>
      groqError(404, {
        message: `Unknown request URL: ${what}. Please check the URL for typos, or see the docs at https://console.groq.com/docs/`,
        type: 'invalid_request_error',
        code: 'unknown_url',
      }),
    faultError(kind, model, requested) {
      const groqModel = `\`${model}\``;
      switch (kind) {
        case '429':
          return {
            ...groqError(429, {
              message: `Rate limit reached for model ${groqModel} in organization \`${org}\` service tier \`on_demand\` on tokens per minute (TPM): Limit 8000, Used ${usedBefore(8000, requested)}, Requested ${requested}. Please try again in 860ms. ${GROQ_BILLING}`,
              type: 'tokens',
              code: 'rate_limit_exceeded',
            }),
            retryAfterS: 1,
          };
        case '429-long':
          return {
            ...groqError(429, {
              message: `Rate limit reached for model ${groqModel} in organization \`${org}\` service tier \`on_demand\` on tokens per day (TPD): Limit 200000, Used ${usedBefore(200000, requested)}, Requested ${requested}. Please try again in 9m38.016s. ${GROQ_BILLING}`,
              type: 'tokens',
              code: 'rate_limit_exceeded',
            }),
            retryAfterS: 600,
          };
        case '500':
          return groqError(500, { message: 'Internal Server Error', type: 'internal_server_error', code: 'internal_server_error' });
        case '503':
          return groqError(503, { message: 'Service Unavailable', type: 'internal_server_error', code: 'service_unavailable' });
        case '498':
          return groqError(498, {
            message: 'The `flex` tier capacity exceeded. Please try again later or use the `on_demand` service tier.',
            type: 'invalid_request_error',
            code: 'capacity_exceeded',
          });
      }
    },
    tooLarge,
    rateLimited(model, kind, limit, used, requested, waitMs) {
      const what = kind === 'requests' ? 'requests per minute (RPM)' : 'tokens per minute (TPM)';
      return {
        ...groqError(429, {
          message: `Rate limit reached for model \`${model}\` in organization \`${org}\` service tier \`on_demand\` on ${what}: Limit ${limit}, Used ${used}, Requested ${requested}. Please try again in ${goDuration(waitMs, 3)}. ${GROQ_BILLING}`,
          type: kind,
          code: 'rate_limit_exceeded',
        }),
        retryAfterS: retryAfterOf(waitMs),
      };
    },
    streamErrorPayload: groqStreamErrorPayload,

    showsReasoning: (c) => isGptOss(c.model) && c.body.include_reasoning !== false && c.body.reasoning_format !== 'hidden',
    hiddenReasoningTokens: () => 0,
    message: (b) => ({ role: 'assistant', content: b.content, ...(b.reasoning ? { reasoning: b.reasoning } : {}) }),
    completion: (c, choices, b, queueS) => ({
      id: `chatcmpl-${randomUUID()}`,
      object: 'chat.completion',
      created: created(),
      model: c.model,
      choices,
      usage: usage(b.usage, queueS),
      usage_breakdown: null,
      system_fingerprint: fingerprint(c.model),
      x_groq: { id: c.requestId, seed: seed(c) },
      service_tier: tier(c),
    }),
    streamFrames(c, createdAt): StreamFrames {
      const id = `chatcmpl-${randomUUID()}`;
      const fp = fingerprint(c.model);
      const model = c.model;
      const includeUsage = c.body.stream_options?.include_usage === true;
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
        id,
        object: 'chat.completion.chunk',
        created: createdAt,
        model,
        system_fingerprint: fp,
        choices,
        ...extra,
      });
      return {
        chunk,
        empty: () => chunk([], { x_groq: { id: c.requestId } }),
        first: () => chunk([choice({ role: 'assistant', content: '' })], { x_groq: { id: c.requestId, seed: seed(c) } }),
        last(b: Budgeted, queueS: number) {
          const u = usage(b.usage, queueS);
          const out = [chunk([choice({}, b.finish)], { x_groq: { id: c.requestId, usage: u }, usage: u })];
          if (includeUsage) out.push(chunk([], { usage: u, service_tier: tier(c) }));
          return out;
        },
      };
    },
    modelEntry: (id) => ({
      id,
      object: 'model',
      created: 1754000000,
      owned_by: id.startsWith('openai/') ? 'OpenAI' : id.startsWith('qwen/') ? 'Alibaba Cloud' : 'Groq',
      active: true,
      context_window: 131072,
      public_apps: null,
      max_completion_tokens: 65536,
    }),
  };
}

// The OpenAI flavour: its /v1 paths, headers (openai-*, minute-counted request limits),
// pretty-printed error bodies, dated snapshot names, usage details, its parameter checks, and
// stream chunks with service_tier, obfuscation and `usage: null`.
import { randomBytes } from 'node:crypto';
import { openaiError, badRequest, type ErrBody } from './errors.ts';
import {
  OPENAI_HEADER_RPM,
  OPENAI_HEADER_TPM,
  OPENAI_RL_LINK,
  OPENAI_SNAPSHOTS,
  choice,
  created,
  retryAfterOf,
  usedBefore,
} from './flavours.ts';
import type { Flavour, StreamFrames, Usage } from './flavours.ts';
import { fingerprint, goDuration, maskKey, openaiDuration, randomAlnum, textOf } from './helpers.ts';
import { isReasoningOpenAI, strictSchemaProblem } from './answers.ts';
import { left, resetTokensMs } from './rateWindows.ts';
import type { ChatBody } from './options.ts';

function usage(u: Usage): Record<string, unknown> {
  return {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion + u.reasoning,
    total_tokens: u.prompt + u.completion + u.reasoning,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const responseModel = (model: string): string => OPENAI_SNAPSHOTS[model] ?? model;
const serverError = (): ErrBody =>
  openaiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null, null);
const overloaded = (): ErrBody => openaiError(503, 'The server is overloaded or not ready yet.', 'server_error', null, null);

/** The checks OpenAI makes of reasoning-model parameters and response_format, in its order. */
function paramProblem(body: ChatBody, model: string): ErrBody | null {
  if (isReasoningOpenAI(model) && body.max_tokens !== undefined && body.max_tokens !== null)
    return badRequest(
      'openai',
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'max_tokens',
      'unsupported_parameter',
    );
  if (isReasoningOpenAI(model) && typeof body.temperature === 'number' && body.temperature !== 1)
    return badRequest(
      'openai',
      `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
      'temperature',
      'unsupported_value',
    );
  const rf = body.response_format;
  if (rf?.type === 'json_schema') {
    const name = rf.json_schema?.name;
    if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name))
      return badRequest(
        'openai',
        "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
        'response_format.json_schema.name',
        'invalid_value',
      );
    if (rf.json_schema?.strict === true) {
      const problem = strictSchemaProblem(rf.json_schema.schema, '');
      if (problem) return badRequest('openai', `Invalid schema for response_format '${name}': ${problem}`, 'response_format', null);
    }
  }
  if (rf?.type === 'json_object') {
    const all = (body.messages as { content?: unknown }[]).map((m) => textOf(m?.content)).join('\n');
    if (!/json/i.test(all))
      return badRequest(
        'openai',
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        'messages',
        null,
      );
  }
  return null;
}

/** An OpenAI flavour with its own organization id (named in rate-limit errors). */
export function openaiFlavour(): Flavour {
  const org = 'org-' + randomAlnum(24);

  // OpenAI reports an oversized request as a 429 (shared/api-samples/openai-error-429-rate-limit-tpm.json).
  const tooLarge = (model: string, limit: number, requested: number): ErrBody =>
    openaiError(
      429,
      `Request too large for ${model} in organization ${org} on tokens per min (TPM): Limit ${limit}, Requested ${requested}. The input or output tokens must be reduced in order to run successfully. ${OPENAI_RL_LINK}`,
      'tokens',
      null,
      'rate_limit_exceeded',
    );

  return {
    name: 'openai',
    prefix: '/v1',
    prettyJson: true,
    // OpenAI has no such error; the nearest real failure is unparseable content.
    jsonValidateFails: false,
    newRequestId: () => 'req_' + randomBytes(16).toString('hex'),
    baseHeaders: (requestId) => ({
      'x-request-id': requestId,
      'openai-organization': 'user-fake',
      'openai-project': 'proj_' + randomAlnum(24),
      'openai-version': '2020-10-01',
      server: 'cloudflare',
      'cf-ray': `${randomBytes(8).toString('hex')}-SJC`,
    }),
    rateHeaders(v) {
      // OpenAI's request headers count the minute.
      const limitReq = v.rpm ?? OPENAI_HEADER_RPM;
      const newestReq = v.reqs.at(-1);
      const limitTokens = v.tpm ?? OPENAI_HEADER_TPM;
      return {
        'x-ratelimit-limit-requests': String(limitReq),
        'x-ratelimit-limit-tokens': String(limitTokens),
        'x-ratelimit-remaining-requests': String(left(limitReq, v.reqs.length, v.rpm !== null)),
        'x-ratelimit-remaining-tokens': String(left(limitTokens, v.usedTokens, v.tpm !== null)),
        'x-ratelimit-reset-requests': openaiDuration(
          v.rpm !== null ? (newestReq !== undefined ? newestReq + v.windowMs - v.now : 0) : 60_000 / limitReq,
        ),
        'x-ratelimit-reset-tokens': openaiDuration(resetTokensMs(v, limitTokens)),
      };
    },
    authHeaders: (base) => base,
    errorHeaders: (base) => base,
    answerHeaders: (c) => ({ 'openai-processing-ms': String(Math.round(Date.now() - c.start)) }),
    // OpenAI also accepts the dated snapshot of a known alias.
    knows: (list, model) => list.includes(model) || list.some((m) => OPENAI_SNAPSHOTS[m] === model),
    responseModel,

    authError: (key) =>
      key
        ? openaiError(
            401,
            `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
            'invalid_request_error',
            null,
            'invalid_api_key',
          )
        : openaiError(
            401,
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
            'invalid_request_error',
            null,
            null,
          ),
    bodyTooLarge: () => openaiError(413, 'Request entity too large.', 'invalid_request_error', null, null),
    badJson: () =>
      badRequest(
        'openai',
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
        null,
        null,
      ),
    noModel: () => badRequest('openai', 'you must provide a model parameter', null, null),
    noMessages: () =>
      badRequest(
        'openai',
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        'messages',
        'empty_array',
      ),
    paramProblem,
    unknownUrl: (what) => openaiError(404, `Invalid URL (${what})`, 'invalid_request_error', null, null),
    faultError(kind, model, requested) {
      switch (kind) {
        case '429':
          return {
            ...openaiError(
              429,
              `Rate limit reached for ${model} in organization ${org} on tokens per min (TPM): Limit 30000, Used ${usedBefore(30000, requested)}, Requested ${requested}. Please try again in 860ms. ${OPENAI_RL_LINK}`,
              'tokens',
              null,
              'rate_limit_exceeded',
            ),
            retryAfterS: 1,
          };
        case '429-long':
          return {
            ...openaiError(
              429,
              `Rate limit reached for ${model} in organization ${org} on requests per day (RPD): Limit 10000, Used 10000, Requested 1. Please try again in 9m38.016s. ${OPENAI_RL_LINK}`,
              'requests',
              null,
              'rate_limit_exceeded',
            ),
            retryAfterS: 600,
          };
        case '500':
          return serverError();
        case '503':
        case '498':
          // OpenAI has no 498; its nearest equivalent (capacity) is a 503.
          return overloaded();
      }
    },
    tooLarge,
    rateLimited(model, kind, limit, used, requested, waitMs) {
      const what = kind === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
      return {
        ...openaiError(
          429,
          `Rate limit reached for ${model} in organization ${org} on ${what}: Limit ${limit}, Used ${used}, Requested ${requested}. Please try again in ${goDuration(waitMs, 3)}. ${OPENAI_RL_LINK}`,
          kind,
          null,
          'rate_limit_exceeded',
        ),
        retryAfterS: retryAfterOf(waitMs),
      };
    },
    streamErrorPayload: () => ({
      error: {
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: null,
      },
    }),

    showsReasoning: () => false,
    hiddenReasoningTokens: (model) => (isReasoningOpenAI(model) ? 64 : 0),
    message: (b) => ({ role: 'assistant', content: b.content, refusal: null, annotations: [] }),
    completion: (c, choices, b) => ({
      id: `chatcmpl-${randomAlnum(29)}`,
      object: 'chat.completion',
      created: created(),
      model: responseModel(c.model),
      choices,
      usage: usage(b.usage),
      service_tier: 'default',
      system_fingerprint: fingerprint(c.model),
    }),
    streamFrames(c, createdAt): StreamFrames {
      const id = `chatcmpl-${randomAlnum(29)}`;
      const model = responseModel(c.model);
      const fp = fingerprint(c.model);
      const includeUsage = c.body.stream_options?.include_usage === true;
      const obfuscate = c.body.stream_options?.include_obfuscation !== false;
      const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => {
        const o: Record<string, unknown> = {
          id,
          object: 'chat.completion.chunk',
          created: createdAt,
          model,
          service_tier: 'default',
          system_fingerprint: fp,
          choices,
          ...extra,
        };
        if (includeUsage && !('usage' in o)) o.usage = null;
        if (obfuscate) o.obfuscation = randomAlnum(1 + Math.floor(Math.random() * 12));
        return o;
      };
      return {
        chunk,
        empty: () => chunk([]),
        first: () => chunk([choice({ role: 'assistant', content: '', refusal: null })]),
        last(b) {
          const out = [chunk([choice({}, b.finish)])];
          if (includeUsage) out.push(chunk([], { usage: usage(b.usage) }));
          return out;
        },
      };
    },
    modelEntry: (id) => ({ id, object: 'model', created: 1715367049, owned_by: 'system' }),
  };
}

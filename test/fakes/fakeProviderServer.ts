// A loopback imitation of the Groq and OpenAI chat-completions APIs, for tests and benchmarks
// (point GROQ_BASE_URL / OPENAI_BASE_URL at it). Bodies, headers, stream framing and errors follow
// shared/docs/provider-api-facts.md and the captures in shared/api-samples/.
// Runs under plain Node type stripping (test/fakes/serve.ts), so: erasable syntax, `.ts` imports.
// Its shapes, each flavour's facts, error bodies, options and helpers are in test/fakes/fake/.
// Over 400 lines: startFakeServer is one closure whose request handling, fault injection and rate
// windows share per-server state (options, seeded randomness, counters, windows, open sockets) that
// tests reconfigure while it runs; splitting it by flavour means passing that state explicitly —
// pending (docs/architecture.md, Features).
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { heuristicAnswer } from '#core/providers/demo/heuristicAnswers.ts';
import {
  FAULT_KINDS,
  type ApiFlavor,
  type FaultKind,
  type FaultInfo,
  type FakeServerOptions,
  type FakeLogEntry,
  type FakeServerStats,
  type FakeServer,
} from './fake/types.ts';
import {
  OPENAI_SNAPSHOTS,
  GROQ_BILLING,
  OPENAI_RL_LINK,
  GROQ_RPD,
  GROQ_HEADER_TPM,
  OPENAI_HEADER_RPM,
  OPENAI_HEADER_TPM,
} from './fake/flavours.ts';
import {
  makeRng,
  ulid,
  randomAlnum,
  fingerprint,
  round9,
  goDuration,
  openaiDuration,
  perModel,
  textOf,
  tokensOf,
  maskKey,
  parsePrompt,
  type ParsedPrompt,
} from './fake/helpers.ts';
import { echoIntoError, groqError, openaiError, cloudflare502, modelNotFound, badRequest, type ErrBody } from './fake/errors.ts';
import { resolveOptions, emptyStats, bump, type ChatBody, type ReqCtx } from './fake/options.ts';
import { judgeAnswer } from './judgeBehaviour.ts';
import { delayHeader, strictSchemaProblem, isReasoningOpenAI, isGptOss, violatingAnswer } from './fake/answers.ts';

export {
  FAULT_KINDS,
  DEFAULT_GROQ_MODELS,
  DEFAULT_OPENAI_MODELS,
  DEFAULT_RETIRED,
  type ApiFlavor,
  type FaultKind,
  type FaultInfo,
  type AnswerInfo,
  type PerModel,
  type FakeServerOptions,
  type FakeLogEntry,
  type FakeServerStats,
  type FakeServer,
} from './fake/types.ts';
export { maskKey, parsePrompt } from './fake/helpers.ts';
export { DELAY_HEADER } from './fake/answers.ts';

// ---------------------------------------------------------------------------------------------

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  let opts = resolveOptions(null, options);
  let rng = makeRng(seedOf(opts.faults));
  const faultQueue: FaultKind[] = [];
  let stats = emptyStats();
  // In-flight is a property of the server, not of a stats period, so it survives resetStats().
  let inFlight = 0;
  let generation = 0;
  let seq = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const requestWindow = new Map<string, number[]>();
  const tokenWindow = new Map<string, { t: number; tokens: number }[]>();
  const dayCount = new Map<string, number>();
  const groqOrg = 'org_01' + ulid().slice(2, 26);
  const openaiOrg = 'org-' + randomAlnum(24);
  let closing = false;

  function seedOf(f: FakeServerOptions['faults']): number {
    return f && typeof f === 'object' && typeof f.seed === 'number' ? f.seed : 0x5eed;
  }

  function pruned<T extends { t: number } | number>(list: T[], now: number): T[] {
    const cutoff = now - opts.limitWindowMs;
    while (list.length) {
      const first = list[0] as T;
      const t = typeof first === 'number' ? first : first.t;
      if (t > cutoff) break;
      list.shift();
    }
    return list;
  }

  function windowOf(model: string, now: number): { reqs: number[]; toks: { t: number; tokens: number }[]; usedTokens: number } {
    let reqs = requestWindow.get(model);
    if (!reqs) requestWindow.set(model, (reqs = []));
    let toks = tokenWindow.get(model);
    if (!toks) tokenWindow.set(model, (toks = []));
    pruned(reqs, now);
    pruned(toks, now);
    return { reqs, toks, usedTokens: toks.reduce((a, b) => a + b.tokens, 0) };
  }

  function rateHeaders(api: ApiFlavor, model: string): Record<string, string> {
    const now = Date.now();
    const w = windowOf(model, now);
    const tpm = perModel(opts.tpm, model);
    const rpm = perModel(opts.rpm, model);
    const W = opts.limitWindowMs;
    // An enforced window reports, truthfully, when it is whole again: once its newest entry
    // leaves it. Otherwise the figures of a provider refilling continuously (OpenAI: "12ms").
    // A limit not enforced never runs out: a server that refuses nothing must not say the budget
    // is gone (clients pace by these), so its remaining count stops at half the nominal limit.
    const left = (limit: number, used: number, enforced: boolean): number =>
      enforced ? Math.max(0, limit - used) : Math.max(limit - used, Math.ceil(limit / 2));
    const resetTokensMs = (limitTokens: number): number => {
      const newest = w.toks.at(-1);
      return tpm !== null ? (newest ? newest.t + W - now : 0) : (w.usedTokens * W) / limitTokens;
    };
    if (api === 'groq') {
      const limitTokens = tpm ?? GROQ_HEADER_TPM;
      const usedDay = dayCount.get(model) ?? 0;
      const remainingTokens = left(limitTokens, w.usedTokens, tpm !== null);
      return {
        'x-ratelimit-limit-requests': String(GROQ_RPD),
        'x-ratelimit-limit-tokens': String(limitTokens),
        'x-ratelimit-remaining-requests': String(left(GROQ_RPD, usedDay, false)),
        'x-ratelimit-remaining-tokens': String(remainingTokens),
        // Time until the buckets are full again.
        'x-ratelimit-reset-requests': goDuration((Math.min(usedDay, GROQ_RPD) * 86_400_000) / GROQ_RPD, 2),
        'x-ratelimit-reset-tokens': goDuration(resetTokensMs(limitTokens), 2),
      };
    }
    // Groq's request headers count the day (above), so its per-minute window shows only in 429s;
    // OpenAI's count the minute.
    const limitReq = rpm ?? OPENAI_HEADER_RPM;
    const newestReq = w.reqs.at(-1);
    const limitTokens = tpm ?? OPENAI_HEADER_TPM;
    return {
      'x-ratelimit-limit-requests': String(limitReq),
      'x-ratelimit-limit-tokens': String(limitTokens),
      'x-ratelimit-remaining-requests': String(left(limitReq, w.reqs.length, rpm !== null)),
      'x-ratelimit-remaining-tokens': String(left(limitTokens, w.usedTokens, tpm !== null)),
      'x-ratelimit-reset-requests': openaiDuration(rpm !== null ? (newestReq !== undefined ? newestReq + W - now : 0) : 60_000 / limitReq),
      'x-ratelimit-reset-tokens': openaiDuration(resetTokensMs(limitTokens)),
    };
  }

  // Responses whose error bodies echo the request's Authorization header (echoAuthorization.errorBody).
  const echoErrors = new WeakMap<ServerResponse, string>();

  function baseHeaders(api: ApiFlavor, requestId: string): Record<string, string> {
    if (api === 'groq') {
      return {
        'cache-control': 'private, max-age=0, no-store, no-cache, must-revalidate',
        'x-request-id': requestId,
        'x-groq-region': opts.groqRegion,
        server: 'cloudflare',
        'cf-ray': `${randomBytes(8).toString('hex')}-SJC`,
      };
    }
    return {
      'x-request-id': requestId,
      'openai-organization': 'user-fake',
      'openai-project': 'proj_' + randomAlnum(24),
      'openai-version': '2020-10-01',
      server: 'cloudflare',
      'cf-ray': `${randomBytes(8).toString('hex')}-SJC`,
    };
  }

  function newRequestId(api: ApiFlavor): string {
    return api === 'groq' ? 'req_' + ulid() : 'req_' + randomBytes(16).toString('hex');
  }

  function sendRaw(res: ServerResponse, err: ErrBody, headers: Record<string, string>): void {
    if (res.destroyed || res.headersSent) return;
    const echoed = echoErrors.get(res);
    const buf = Buffer.from(echoed === undefined ? err.text : echoIntoError(err.text, echoed), 'utf8');
    res.writeHead(err.status, {
      ...headers,
      'content-type': err.contentType,
      'content-length': String(buf.length),
      ...(err.retryAfterS !== undefined ? { 'retry-after': String(err.retryAfterS) } : {}),
    });
    res.end(buf);
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, pretty: boolean): void {
    if (res.destroyed || res.headersSent) return;
    const buf = Buffer.from(pretty ? JSON.stringify(body, null, 2) + '\n' : JSON.stringify(body), 'utf8');
    res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(buf.length) });
    res.end(buf);
  }

  /** Resolves true after ms, or false as soon as the client (or close()) ends the response. */
  function wait(ms: number, res: ServerResponse): Promise<boolean> {
    if (res.destroyed || closing) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((done) => {
      const onClose = (): void => {
        clearTimeout(timer);
        timers.delete(timer);
        done(false);
      };
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.off('close', onClose);
        done(!res.destroyed && !closing);
      }, ms);
      timers.add(timer);
      res.once('close', onClose);
    });
  }

  function latencyFor(model: string, task: string | null): number {
    const base = typeof opts.latencyMs === 'function' ? opts.latencyMs(model, task) : opts.latencyMs;
    const jitter = opts.jitterMs > 0 ? Math.random() * opts.jitterMs : 0;
    return Math.max(0, base + jitter);
  }

  function ttftFor(model: string, task: string | null, total: number): number {
    const t = opts.ttftMs;
    const v = t === undefined || t === null ? total / 2 : typeof t === 'function' ? t(model, task) : t;
    return Math.max(0, Math.min(v, total));
  }

  function keyAccepted(api: ApiFlavor, key: string): boolean {
    if (!key) return false;
    const k = opts.apiKeys;
    if (k === null || k === undefined) return true;
    const list = Array.isArray(k)
      ? (k as readonly string[])
      : ((k as { groq?: readonly string[]; openai?: readonly string[] })[api] ?? null);
    return list === null ? true : list.includes(key);
  }

  function authError(api: ApiFlavor, key: string): ErrBody {
    if (api === 'groq') return groqError(401, { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' });
    if (!key)
      return openaiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
        'invalid_request_error',
        null,
        null,
      );
    return openaiError(
      401,
      `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      'invalid_request_error',
      null,
      'invalid_api_key',
    );
  }

  function modelKnown(api: ApiFlavor, model: string): boolean {
    if (opts.retired.includes(model)) return false;
    if (model.startsWith('fake-')) return true;
    const list = opts.models[api];
    if (list.includes(model)) return true;
    // OpenAI also accepts the dated snapshot of a known alias.
    return api === 'openai' && list.some((m) => OPENAI_SNAPSHOTS[m] === model);
  }

  function faultError(api: ApiFlavor, kind: FaultKind, model: string, promptTokens: number): ErrBody {
    const groqModel = `\`${model}\``;
    // Numbers consistent with a refusal: used + requested exceeds the limit.
    const requested = Math.max(400, promptTokens);
    const used = (limit: number): number => Math.max(0, limit - Math.ceil(requested / 2));
    switch (kind) {
      case '429':
        if (api === 'groq')
          return {
            ...groqError(429, {
              message: `Rate limit reached for model ${groqModel} in organization \`${groqOrg}\` service tier \`on_demand\` on tokens per minute (TPM): Limit 8000, Used ${used(8000)}, Requested ${requested}. Please try again in 860ms. ${GROQ_BILLING}`,
              type: 'tokens',
              code: 'rate_limit_exceeded',
            }),
            retryAfterS: 1,
          };
        return {
          ...openaiError(
            429,
            `Rate limit reached for ${model} in organization ${openaiOrg} on tokens per min (TPM): Limit 30000, Used ${used(30000)}, Requested ${requested}. Please try again in 860ms. ${OPENAI_RL_LINK}`,
            'tokens',
            null,
            'rate_limit_exceeded',
          ),
          retryAfterS: 1,
        };
      case '429-long':
        if (api === 'groq')
          return {
            ...groqError(429, {
              message: `Rate limit reached for model ${groqModel} in organization \`${groqOrg}\` service tier \`on_demand\` on tokens per day (TPD): Limit 200000, Used ${used(200000)}, Requested ${requested}. Please try again in 9m38.016s. ${GROQ_BILLING}`,
              type: 'tokens',
              code: 'rate_limit_exceeded',
            }),
            retryAfterS: 600,
          };
        return {
          ...openaiError(
            429,
            `Rate limit reached for ${model} in organization ${openaiOrg} on requests per day (RPD): Limit 10000, Used 10000, Requested 1. Please try again in 9m38.016s. ${OPENAI_RL_LINK}`,
            'requests',
            null,
            'rate_limit_exceeded',
          ),
          retryAfterS: 600,
        };
      case '413':
        return tooLarge(api, model, 8000, Math.max(12328, promptTokens));
      case '500':
        return api === 'groq'
          ? groqError(500, { message: 'Internal Server Error', type: 'internal_server_error', code: 'internal_server_error' })
          : openaiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null, null);
      case '502':
        return cloudflare502();
      case '503':
        return api === 'groq'
          ? groqError(503, { message: 'Service Unavailable', type: 'internal_server_error', code: 'service_unavailable' })
          : openaiError(503, 'The server is overloaded or not ready yet.', 'server_error', null, null);
      case '498':
        // OpenAI has no 498; its nearest equivalent (capacity) is a 503.
        return api === 'groq'
          ? groqError(498, {
              message: 'The `flex` tier capacity exceeded. Please try again later or use the `on_demand` service tier.',
              type: 'invalid_request_error',
              code: 'capacity_exceeded',
            })
          : openaiError(503, 'The server is overloaded or not ready yet.', 'server_error', null, null);
      case 'json-validate-failed':
        return groqError(400, {
          message: "Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more details.",
          type: 'invalid_request_error',
          code: 'json_validate_failed',
          failed_generation: '{"platform": "aws",\n  "reason": "the ticket mentions EC2',
        });
      case 'stream-error-event':
        // Outside a stream, the same generation failure is an ordinary 400.
        return groqError(400, streamErrorPayload('groq').error);
      default:
        return groqError(500, { message: 'Internal Server Error', type: 'internal_server_error' });
    }
  }

  function tooLarge(api: ApiFlavor, model: string, limit: number, requested: number): ErrBody {
    if (api === 'groq')
      return groqError(413, {
        message: `Request too large for model ${model} in organization ${groqOrg} service tier on_demand on tokens per minute (TPM): Limit ${limit}, Requested ${requested}, please reduce your message size and try again. ${GROQ_BILLING}`,
        type: 'tokens',
        code: 'rate_limit_exceeded',
      });
    // OpenAI reports an oversized request as a 429 (shared/api-samples/openai-error-429-rate-limit-tpm.json).
    return openaiError(
      429,
      `Request too large for ${model} in organization ${openaiOrg} on tokens per min (TPM): Limit ${limit}, Requested ${requested}. The input or output tokens must be reduced in order to run successfully. ${OPENAI_RL_LINK}`,
      'tokens',
      null,
      'rate_limit_exceeded',
    );
  }

  function streamErrorPayload(api: ApiFlavor): { error: Record<string, unknown> } {
    if (api === 'groq')
      return {
        error: {
          message: "Failed to call a function. Please adjust your prompt. See 'failed_generation' for more details.",
          type: 'invalid_request_error',
          code: 'tool_use_failed',
          failed_generation: 'Tool use failed: JSON does not match the expected schema for tool calls',
          status_code: 400,
        },
      };
    return {
      error: {
        message: 'The server had an error while processing your request. Sorry about that!',
        type: 'server_error',
        param: null,
        code: null,
      },
    };
  }

  /** Rate-limit check; returns the 413/429 to send, or null and records the request. */
  function limitCheck(c: ReqCtx, requestedTokens: number): ErrBody | null {
    const now = Date.now();
    const w = windowOf(c.model, now);
    const tpm = perModel(opts.tpm, c.model);
    const rpm = perModel(opts.rpm, c.model);
    if (tpm !== null && requestedTokens > tpm) return tooLarge(c.api, c.model, tpm, requestedTokens);
    if (rpm !== null && w.reqs.length >= rpm) {
      const waitMs = Math.max(1, (w.reqs[0] ?? now) + opts.limitWindowMs - now);
      return rateLimited(c, 'requests', rpm, w.reqs.length, 1, waitMs);
    }
    if (tpm !== null && w.usedTokens + requestedTokens > tpm) {
      // Wait until enough of the window's tokens expire.
      let free = tpm - w.usedTokens;
      let waitMs = 1;
      for (const e of w.toks) {
        free += e.tokens;
        waitMs = Math.max(1, e.t + opts.limitWindowMs - now);
        if (free >= requestedTokens) break;
      }
      return rateLimited(c, 'tokens', tpm, w.usedTokens, requestedTokens, waitMs);
    }
    w.reqs.push(now);
    w.toks.push({ t: now, tokens: requestedTokens });
    dayCount.set(c.model, (dayCount.get(c.model) ?? 0) + 1);
    return null;
  }

  function rateLimited(c: ReqCtx, kind: 'requests' | 'tokens', limit: number, used: number, requested: number, waitMs: number): ErrBody {
    const retryAfterS = Math.max(1, Math.ceil(waitMs / 1000));
    if (c.api === 'groq') {
      const what = kind === 'requests' ? 'requests per minute (RPM)' : 'tokens per minute (TPM)';
      return {
        ...groqError(429, {
          message: `Rate limit reached for model \`${c.model}\` in organization \`${groqOrg}\` service tier \`on_demand\` on ${what}: Limit ${limit}, Used ${used}, Requested ${requested}. Please try again in ${goDuration(waitMs, 3)}. ${GROQ_BILLING}`,
          type: kind,
          code: 'rate_limit_exceeded',
        }),
        retryAfterS,
      };
    }
    const what = kind === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
    return {
      ...openaiError(
        429,
        `Rate limit reached for ${c.model} in organization ${openaiOrg} on ${what}: Limit ${limit}, Used ${used}, Requested ${requested}. Please try again in ${goDuration(waitMs, 3)}. ${OPENAI_RL_LINK}`,
        kind,
        null,
        'rate_limit_exceeded',
      ),
      retryAfterS,
    };
  }

  function drawFault(info: FaultInfo): FaultKind | null {
    const f = opts.faults;
    if (!f) return null;
    if (typeof f === 'function') return f(info);
    // Two draws per request, always, so the sequence for a seed does not depend on the outcomes.
    const r = rng();
    const k = rng();
    if (f.rate <= 0 || f.kinds.length === 0 || r >= f.rate) return null;
    return f.kinds[Math.floor(k * f.kinds.length)] ?? null;
  }

  // -------------------------------------------------------------------------------------------

  function answerContent(c: ReqCtx, parsed: ParsedPrompt, fault: FaultKind | null): string {
    if (fault === 'invalid-json') {
      const shown = c.task ? `"${c.task}": ` : '';
      return `Sure! Based on the ticket, here is my answer:\n{${shown}aws, confidence: high`;
    }
    if (fault === 'schema-violation') return JSON.stringify(violatingAnswer(c.task));
    let value: unknown;
    if (opts.answer) {
      value = opts.answer({
        api: c.api,
        model: c.model,
        task: c.task,
        ticketText: parsed.ticketText,
        platform: parsed.platform,
        product: parsed.product,
        authorization: c.authorization,
        messages: c.body.messages,
      });
    }
    if (value === undefined && !c.task) value = judgeAnswer(c.body.messages, opts.judge);
    if (value === undefined) {
      if (c.task) value = heuristicAnswer(c.task, parsed.ticketText, { platform: parsed.platform, product: parsed.product });
      else {
        const rfType = c.body.response_format?.type;
        return rfType === 'json_object' || rfType === 'json_schema' ? '{}' : 'This is a canned reply from the casebench fake provider.';
      }
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  function reasoningText(c: ReqCtx, parsed: ParsedPrompt): string | null {
    if (c.api !== 'groq' || !isGptOss(c.model)) return null;
    if (c.body.include_reasoning === false || c.body.reasoning_format === 'hidden') return null;
    const topic = c.task ? `the ${c.task.replace('_', ' ')}` : 'the answer';
    const words = parsed.ticketText.split(/\s+/).slice(0, 8).join(' ');
    return `We need to determine ${topic} from the ticket. The ticket starts "${words}". Let's answer in the required JSON format.`;
  }

  interface Usage {
    prompt: number;
    completion: number;
    reasoning: number;
  }

  function groqUsage(u: Usage, queueS: number): Record<string, unknown> {
    // Float seconds; total_time = prompt_time + completion_time and excludes the queue.
    const promptTime = round9(u.prompt * 0.0000215);
    const completionTime = round9((u.completion + u.reasoning) / 950);
    const usage: Record<string, unknown> = {
      queue_time: round9(queueS),
      prompt_tokens: u.prompt,
      prompt_time: promptTime,
      completion_tokens: u.completion + u.reasoning,
      completion_time: completionTime,
      total_tokens: u.prompt + u.completion + u.reasoning,
      total_time: round9(promptTime + completionTime),
    };
    if (u.reasoning > 0) usage.completion_tokens_details = { reasoning_tokens: u.reasoning };
    return usage;
  }

  function openaiUsage(u: Usage): Record<string, unknown> {
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

  /** Applies max_(completion_)tokens: a too-small budget truncates and ends with "length". */
  function budget(
    c: ReqCtx,
    content: string,
    reasoning: string | null,
  ): { content: string; reasoning: string | null; finish: string; usage: Usage } {
    const maxRaw = c.body.max_completion_tokens ?? c.body.max_tokens;
    const max = typeof maxRaw === 'number' && maxRaw > 0 ? Math.floor(maxRaw) : Number.POSITIVE_INFINITY;
    let reasoningTokens = reasoning ? tokensOf(reasoning) : c.api === 'openai' && isReasoningOpenAI(c.model) ? 64 : 0;
    let completion = tokensOf(content);
    let finish = 'stop';
    if (reasoningTokens >= max) {
      reasoningTokens = max;
      completion = 0;
      content = '';
      if (reasoning) reasoning = reasoning.slice(0, max * 4);
      finish = 'length';
    } else if (reasoningTokens + completion > max) {
      completion = max - reasoningTokens;
      content = content.slice(0, completion * 4);
      finish = 'length';
    }
    return { content, reasoning, finish, usage: { prompt: c.promptTokens, completion, reasoning: reasoningTokens } };
  }

  function created(): number {
    return Math.floor(Date.now() / 1000);
  }

  function responseModel(c: ReqCtx): string {
    return c.api === 'openai' ? (OPENAI_SNAPSHOTS[c.model] ?? c.model) : c.model;
  }

  function groqTier(c: ReqCtx): string {
    const t = c.body.service_tier;
    return t === 'flex' || t === 'performance' ? t : 'on_demand';
  }

  function groqSeed(c: ReqCtx): number {
    return typeof c.body.seed === 'number' ? c.body.seed : Math.floor(Math.random() * 2 ** 31);
  }

  async function respondNonStream(
    c: ReqCtx,
    res: ServerResponse,
    parsed: ParsedPrompt,
    fault: FaultKind | null,
    headers: Record<string, string>,
  ): Promise<void> {
    const total = latencyFor(c.model, c.task);
    if (!(await wait(total, res))) return;
    const b = budget(c, answerContent(c, parsed, fault), reasoningText(c, parsed));
    const choices =
      fault === 'empty-choices'
        ? []
        : [
            {
              index: 0,
              message:
                c.api === 'groq'
                  ? { role: 'assistant', content: b.content, ...(b.reasoning ? { reasoning: b.reasoning } : {}) }
                  : { role: 'assistant', content: b.content, refusal: null, annotations: [] },
              logprobs: null,
              finish_reason: b.finish,
            },
          ];
    const body =
      c.api === 'groq'
        ? {
            id: `chatcmpl-${randomUUID()}`,
            object: 'chat.completion',
            created: created(),
            model: c.model,
            choices,
            usage: groqUsage(b.usage, Math.min(total, 50) / 1000 / 2),
            usage_breakdown: null,
            system_fingerprint: fingerprint(c.model),
            x_groq: { id: c.requestId, seed: groqSeed(c) },
            service_tier: groqTier(c),
          }
        : {
            id: `chatcmpl-${randomAlnum(29)}`,
            object: 'chat.completion',
            created: created(),
            model: responseModel(c),
            choices,
            usage: openaiUsage(b.usage),
            service_tier: 'default',
            system_fingerprint: fingerprint(c.model),
          };
    c.entry.delayMs = performance.now() - c.arrived;
    const h = {
      ...headers,
      ...(c.api === 'openai' ? { 'openai-processing-ms': String(Math.round(Date.now() - c.start)) } : {}),
      ...delayHeader(c.entry.delayMs),
    };
    if (fault === 'stream-cut') {
      // A non-streamed answer cut mid-body: full content-length promised, half delivered.
      const buf = Buffer.from(JSON.stringify(body), 'utf8');
      res.writeHead(200, { ...h, 'content-type': 'application/json', 'content-length': String(buf.length) });
      res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => res.destroy());
      return;
    }
    sendJson(res, 200, body, h, c.api === 'openai');
  }

  async function respondStream(
    c: ReqCtx,
    res: ServerResponse,
    parsed: ParsedPrompt,
    fault: FaultKind | null,
    headers: Record<string, string>,
  ): Promise<void> {
    const total = latencyFor(c.model, c.task);
    const ttft = ttftFor(c.model, c.task, total);
    if (!(await wait(ttft, res))) return;
    const includeUsage = c.body.stream_options?.include_usage === true;
    const obfuscate = c.api === 'openai' && c.body.stream_options?.include_obfuscation !== false;
    const b = budget(c, answerContent(c, parsed, fault), reasoningText(c, parsed));
    const id = c.api === 'groq' ? `chatcmpl-${randomUUID()}` : `chatcmpl-${randomAlnum(29)}`;
    const createdAt = created();
    const model = responseModel(c);
    const fp = fingerprint(c.model);

    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => {
      if (c.api === 'groq')
        return { id, object: 'chat.completion.chunk', created: createdAt, model, system_fingerprint: fp, choices, ...extra };
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
    const choice = (delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> => ({
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finish,
    });
    const write = (obj: unknown): boolean => {
      if (res.destroyed) return false;
      res.write(`data: ${JSON.stringify(obj)}\n\n`);
      return true;
    };

    res.writeHead(200, {
      ...headers,
      ...(c.api === 'openai' ? { 'openai-processing-ms': String(Math.round(Date.now() - c.start)) } : {}),
      // Elapsed to the first chunk plus the gaps still planned.
      ...delayHeader((c.entry.delayMs = performance.now() - c.arrived + (total - ttft))),
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });

    if (fault === 'empty-choices') {
      write(chunk([], c.api === 'groq' ? { x_groq: { id: c.requestId } } : {}));
      res.end('data: [DONE]\n\n');
      return;
    }

    const first =
      c.api === 'groq'
        ? chunk([choice({ role: 'assistant', content: '' })], { x_groq: { id: c.requestId, seed: groqSeed(c) } })
        : chunk([choice({ role: 'assistant', content: '', refusal: null })]);
    write(first);
    if (b.reasoning) {
      // gpt-oss streams its reasoning first, on the "analysis" channel.
      const half = Math.ceil(b.reasoning.length / 2);
      write(chunk([choice({ reasoning: b.reasoning.slice(0, half), channel: 'analysis' })]));
      write(chunk([choice({ reasoning: b.reasoning.slice(half), channel: 'analysis' })]));
    }
    const pieces: string[] = [];
    const size = Math.max(8, Math.ceil(b.content.length / 5));
    for (let i = 0; i < b.content.length; i += size) pieces.push(b.content.slice(i, i + size));
    const gap = pieces.length > 0 ? (total - ttft) / pieces.length : 0;

    for (let i = 0; i < pieces.length; i++) {
      if (i > 0 && !(await wait(gap, res))) return;
      if (fault === 'stream-cut' && i >= Math.max(1, Math.floor(pieces.length / 2))) {
        res.destroy();
        return;
      }
      if (fault === 'stream-error-event' && i === 1) {
        res.end(`event: error\ndata: ${JSON.stringify(streamErrorPayload(c.api))}\n\n`);
        return;
      }
      if (!write(chunk([choice({ content: pieces[i] })]))) return;
    }
    if (fault === 'stream-cut') {
      res.destroy();
      return;
    }
    if (fault === 'stream-error-event') {
      res.end(`event: error\ndata: ${JSON.stringify(streamErrorPayload(c.api))}\n\n`);
      return;
    }
    if (pieces.length > 0 && !(await wait(gap, res))) return;
    if (c.api === 'groq') {
      const usage = groqUsage(b.usage, Math.min(total, 50) / 1000 / 2);
      write(chunk([choice({}, b.finish)], { x_groq: { id: c.requestId, usage }, usage }));
      if (includeUsage) write(chunk([], { usage, service_tier: groqTier(c) }));
    } else {
      write(chunk([choice({}, b.finish)]));
      if (includeUsage) write(chunk([], { usage: openaiUsage(b.usage) }));
    }
    res.end('data: [DONE]\n\n');
  }

  // -------------------------------------------------------------------------------------------

  function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
    return new Promise((done) => {
      const parts: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (d: Buffer) => {
        size += d.length;
        if (size > limit) over = true;
        else parts.push(d);
      });
      req.on('end', () => done(over ? null : Buffer.concat(parts)));
      req.on('error', () => done(null));
      req.on('close', () => done(over ? null : Buffer.concat(parts)));
    });
  }

  async function handleChat(api: ApiFlavor, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = Date.now();
    const arrived = performance.now();
    const requestId = newRequestId(api);
    const entry: FakeLogEntry = {
      t: start,
      api,
      model: '',
      task: null,
      stream: false,
      status: null,
      outcome: 'aborted',
      fault: null,
      ms: 0,
      delayMs: null,
    };
    let hung = false;
    stats.total++;
    bump(stats.perApi, api);
    inFlight++;
    stats.peakInFlight = Math.max(stats.peakInFlight, inFlight);
    const gen = generation;
    res.once('close', () => {
      inFlight--;
      // A request that began before resetStats() is not counted in the new period.
      if (gen !== generation) return;
      entry.ms = Date.now() - start;
      if (res.writableFinished) {
        entry.status = res.statusCode;
        entry.outcome = String(res.statusCode);
      } else {
        entry.status = null;
        entry.outcome = hung ? 'hang' : entry.fault === 'reset' || entry.fault === 'stream-cut' ? 'reset' : 'aborted';
      }
      bump(stats.perStatus, entry.outcome);
      stats.log.push(entry);
      if (stats.log.length > opts.logLimit) stats.log.splice(0, stats.log.length - opts.logLimit);
    });

    const raw = await readBody(req, opts.maxBodyBytes);
    if (raw !== null) entry.body = raw.toString('utf8');
    const auth = req.headers.authorization ?? '';
    const echo = opts.echoAuthorization;
    const base = baseHeaders(api, echo?.requestId && auth ? auth : requestId);
    const key = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
    if (echo?.errorBody) echoErrors.set(res, auth);
    // The captured Groq 401 has no rate-limit headers; every later Groq answer carries them.
    if (!keyAccepted(api, key)) return sendRaw(res, authError(api, key), api === 'groq' ? {} : base);
    const errHeaders = (m: string): Record<string, string> => (api === 'groq' ? { ...base, ...rateHeaders(api, m) } : base);
    if (raw === null) {
      const err =
        api === 'groq'
          ? groqError(413, { message: 'Request Entity Too Large', type: 'invalid_request_error', code: 'request_too_large' })
          : openaiError(413, 'Request entity too large.', 'invalid_request_error', null, null);
      sendRaw(res, err, errHeaders(''));
      res.once('finish', () => req.socket.destroy());
      return;
    }
    let body: ChatBody;
    try {
      const v: unknown = JSON.parse(raw.toString('utf8'));
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
      body = v as ChatBody;
    } catch {
      return sendRaw(
        res,
        badRequest(
          api,
          api === 'groq'
            ? 'We could not parse the JSON body of your request. Please check that the body is valid JSON.'
            : "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
          null,
          null,
        ),
        errHeaders(''),
      );
    }

    const model = typeof body.model === 'string' ? body.model : '';
    entry.model = model;
    entry.stream = body.stream === true;
    bump(stats.perModel, model || '(none)');
    if (!model)
      return sendRaw(
        res,
        badRequest(api, api === 'groq' ? "'model' : property 'model' is missing" : 'you must provide a model parameter', null, null),
        errHeaders(model),
      );
    if (!modelKnown(api, model)) return sendRaw(res, modelNotFound(api, model), errHeaders(model));
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      return sendRaw(
        res,
        badRequest(
          api,
          api === 'groq'
            ? "'messages' : minimum number of items is 1"
            : "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
          'messages',
          api === 'groq' ? null : 'empty_array',
        ),
        errHeaders(model),
      );

    const parsed = parsePrompt(body);
    entry.task = parsed.task;
    bump(stats.perTask, parsed.task ?? '(none)');
    const promptChars = (body.messages as { content?: unknown }[]).reduce((n, m) => n + textOf(m?.content).length, 0);
    const c: ReqCtx = {
      api,
      model,
      body,
      stream: body.stream === true,
      task: parsed.task,
      entry,
      start,
      arrived,
      requestId,
      promptTokens: Math.ceil(promptChars / 4),
      authorization: auth,
    };

    // Parameter checks the real APIs make.
    const rf = body.response_format;
    if (api === 'groq' && typeof body.n === 'number' && body.n > 1)
      return sendRaw(res, badRequest(api, "'n' : number must be at most 1", 'n', null), errHeaders(model));
    if (api === 'openai') {
      if (isReasoningOpenAI(model) && body.max_tokens !== undefined && body.max_tokens !== null)
        return sendRaw(
          res,
          badRequest(
            api,
            "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
            'max_tokens',
            'unsupported_parameter',
          ),
          base,
        );
      if (isReasoningOpenAI(model) && typeof body.temperature === 'number' && body.temperature !== 1)
        return sendRaw(
          res,
          badRequest(
            api,
            `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
            'temperature',
            'unsupported_value',
          ),
          base,
        );
      if (rf?.type === 'json_schema') {
        const name = rf.json_schema?.name;
        if (typeof name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(name))
          return sendRaw(
            res,
            badRequest(
              api,
              "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
              'response_format.json_schema.name',
              'invalid_value',
            ),
            errHeaders(model),
          );
        if (rf.json_schema?.strict === true) {
          const problem = strictSchemaProblem(rf.json_schema.schema, '');
          if (problem)
            return sendRaw(
              res,
              badRequest(api, `Invalid schema for response_format '${name}': ${problem}`, 'response_format', null),
              errHeaders(model),
            );
        }
      }
      if (rf?.type === 'json_object') {
        const all = (body.messages as { content?: unknown }[]).map((m) => textOf(m?.content)).join('\n');
        if (!/json/i.test(all))
          return sendRaw(
            res,
            badRequest(
              api,
              "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
              'messages',
              null,
            ),
            errHeaders(model),
          );
      }
    }

    // Queued faults first, then the limits, then random faults.
    seq++;
    const info: FaultInfo = { api, model, task: parsed.task, n: seq };
    let fault: FaultKind | null = faultQueue.shift() ?? null;
    if (fault === null) {
      const maxRaw = body.max_completion_tokens ?? body.max_tokens;
      const requested = c.promptTokens + (typeof maxRaw === 'number' && maxRaw > 0 ? Math.floor(maxRaw) : 0);
      const limited = limitCheck(c, requested);
      if (limited) return sendRaw(res, limited, { ...base, ...rateHeaders(api, model) });
      fault = drawFault(info);
    }
    entry.fault = fault;
    if (fault) bump(stats.perFault, fault);
    const headers = { ...base, ...rateHeaders(api, model) };

    switch (fault) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang': {
        hung = true;
        // Ends when the client gives up, on close(), or after maxHangMs.
        if (await wait(opts.maxHangMs, res)) res.destroy();
        return;
      }
      case '429':
      case '429-long':
      case '413':
        return sendRaw(res, faultError(api, fault, model, c.promptTokens), headers);
      case '500':
      case '502':
      case '503':
      case '498':
        if (!(await wait(latencyFor(model, parsed.task), res))) return;
        return sendRaw(res, faultError(api, fault, model, c.promptTokens), headers);
      case 'json-validate-failed':
        if (api === 'groq') {
          if (!(await wait(latencyFor(model, parsed.task), res))) return;
          return sendRaw(res, faultError(api, fault, model, c.promptTokens), headers);
        }
        // OpenAI has no such error; the nearest real failure is unparseable content.
        fault = 'invalid-json';
        break;
      case 'stream-error-event':
        if (!c.stream) {
          if (!(await wait(latencyFor(model, parsed.task), res))) return;
          return sendRaw(res, faultError(api, fault, model, c.promptTokens), headers);
        }
        break;
      default:
        break;
    }
    if (c.stream) await respondStream(c, res, parsed, fault, headers);
    else await respondNonStream(c, res, parsed, fault, headers);
  }

  function handleModels(api: ApiFlavor, req: IncomingMessage, res: ServerResponse): void {
    const auth = req.headers.authorization ?? '';
    const key = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
    const requestId = newRequestId(api);
    if (!keyAccepted(api, key)) return sendRaw(res, authError(api, key), {});
    const ids = [...opts.models[api]];
    const data = ids.map((id) =>
      api === 'groq'
        ? {
            id,
            object: 'model',
            created: 1754000000,
            owned_by: id.startsWith('openai/') ? 'OpenAI' : id.startsWith('qwen/') ? 'Alibaba Cloud' : 'Groq',
            active: true,
            context_window: 131072,
            public_apps: null,
            max_completion_tokens: 65536,
          }
        : { id, object: 'model', created: 1715367049, owned_by: 'system' },
    );
    sendJson(res, 200, { object: 'list', data }, baseHeaders(api, requestId), api === 'openai');
  }

  function unknownUrl(api: ApiFlavor, req: IncomingMessage, res: ServerResponse): void {
    const what = `${req.method ?? 'GET'} ${(req.url ?? '/').split('?')[0]}`;
    const err =
      api === 'groq'
        ? groqError(404, {
            message: `Unknown request URL: ${what}. Please check the URL for typos, or see the docs at https://console.groq.com/docs/`,
            type: 'invalid_request_error',
            code: 'unknown_url',
          })
        : openaiError(404, `Invalid URL (${what})`, 'invalid_request_error', null, null);
    sendRaw(res, err, {});
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const api: ApiFlavor = path.startsWith('/openai/') ? 'groq' : 'openai';
    const chat = req.method === 'POST' && (path === '/openai/v1/chat/completions' || path === '/v1/chat/completions');
    if (chat) {
      handleChat(api, req, res).catch((err: unknown) => {
        if (!res.headersSent)
          sendRaw(res, groqError(500, { message: `fake server bug: ${String(err)}`, type: 'internal_server_error' }), {});
        else res.destroy();
      });
      return;
    }
    stats.other++;
    req.resume();
    if (req.method === 'GET' && (path === '/openai/v1/models' || path === '/v1/models')) return handleModels(api, req, res);
    unknownUrl(api, req, res);
  });
  // Header/body receipt is bounded; answering time is bounded by maxHangMs and close().
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    groqBaseURL: url,
    openaiBaseURL: `${url}/v1`,
    port,
    get stats(): FakeServerStats {
      return {
        ...stats,
        inFlight,
        perApi: { ...stats.perApi },
        perModel: { ...stats.perModel },
        perTask: { ...stats.perTask },
        perStatus: { ...stats.perStatus },
        perFault: { ...stats.perFault },
        log: stats.log.map((e) => ({ ...e })),
      };
    },
    configure(partial: Partial<FakeServerOptions>): void {
      opts = resolveOptions(opts, partial);
      if (Object.hasOwn(partial, 'faults')) rng = makeRng(seedOf(opts.faults));
    },
    queueFaults(kinds: readonly FaultKind[]): void {
      for (const k of kinds) {
        if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new Error(`unknown fault kind: ${String(k)}`);
        faultQueue.push(k);
      }
    },
    resetStats(): void {
      generation++;
      stats = emptyStats();
      stats.peakInFlight = inFlight;
      seq = 0;
    },
    resetLimits(): void {
      requestWindow.clear();
      tokenWindow.clear();
      dayCount.clear();
    },
    close(): Promise<void> {
      closing = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
}

// The Groq and OpenAI providers against the loopback imitation of both APIs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { TASKS, type TaskId } from '#shared/tasks.ts';
import { WIRE_SCHEMAS } from '#shared/wireSchemas.ts';
import type { RetiredLookup } from './classifyError.ts';
import { createGroqProvider } from './groqProvider.ts';
import { createRuntime } from '../runtime.ts';
import type { AppError } from '#shared/errors.ts';
import { completionToResponse, createOpenAIProvider } from './openaiProvider.ts';
import { abortableSleep, ProviderScheduler } from './scheduler.ts';
import { ProviderError, type ChatProvider, type ChatRequest } from './types.ts';

const GROQ_KEY = 'gsk_testkey0-123456789abcdefABCDEF';
const OPENAI_KEY = 'sk-proj-testkey0123456789abcdefABCDEF';
const TICKET =
  'Since this morning our S3 bucket acme-prod-logs in account 123456789012 returns AccessDenied for the EC2 role. Production uploads fail.';

// Registry stand-in with the real dates (resources/models.json).
const isRetired: RetiredLookup = (provider, model) => {
  if (provider === 'groq' && model === 'llama-3.1-8b-instant') return { retiredOn: '2026-08-16', replacement: 'groq:openai/gpt-oss-20b' };
  if (provider === 'openai' && model === 'gpt-4.1-nano') return { retiredOn: '2026-10-23', replacement: 'openai:gpt-6-luna' };
  return null;
};

function req(model: string, task: TaskId, extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model,
    task,
    messages: [
      { role: 'system', content: `You extract the ${task} of a support ticket. Reply in JSON.` },
      { role: 'user', content: `Platform: aws\n<ticket>${TICKET}</ticket>` },
    ],
    responseFormat: { type: 'json_schema', name: task, schema: TASKS[task].jsonSchema, strict: true },
    stream: true,
    timeoutMs: 10_000,
    ...extra,
  };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ProviderError);
    return e as ProviderError;
  }
  throw new Error('expected the call to fail');
}

let server: FakeServer;
let groq: ChatProvider;
let openai: ChatProvider;

beforeAll(async () => {
  server = await startFakeServer({
    apiKeys: { groq: [GROQ_KEY], openai: [OPENAI_KEY] },
    latencyMs: 60,
    ttftMs: 30,
    retired: ['llama-3.1-8b-instant', 'gpt-4.1-nano'],
    maxHangMs: 5000,
  });
  groq = createGroqProvider({ apiKey: GROQ_KEY, baseURL: server.groqBaseURL, isRetired });
  openai = createOpenAIProvider({ apiKey: OPENAI_KEY, baseURL: server.openaiBaseURL, isRetired });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.resetStats();
  server.resetLimits();
});

describe('Groq provider', () => {
  it('streams an answer with TTFT, token usage, Groq timings, request id and rate limits', async () => {
    const res = await groq.complete(req('openai/gpt-oss-20b', 'product'));
    expect(WIRE_SCHEMAS.product.parse(JSON.parse(res.text))).toEqual({ product: expect.any(String) });
    expect(res.finishReason).toBe('stop');
    // The fake sends the first chunk after 30 ms of a 60 ms answer.
    expect(res.ttftMs).toBeGreaterThanOrEqual(25);
    expect(res.inputTokens).toBeGreaterThan(TICKET.length / 4);
    expect(res.outputTokens).toBeGreaterThan(0);
    // gpt-oss reasons first; Groq reports it in completion_tokens_details.
    expect(res.reasoningTokens).toBeGreaterThan(0);
    expect(res.queueTimeMs).toBeCloseTo(25, 3); // usage.queue_time 0.025 s
    expect(res.providerTotalMs).toBeGreaterThan(0);
    expect(res.requestId).toMatch(/^req_[0-9a-z]{26}$/);
    expect(res.rateLimit?.limitTokens).toBeGreaterThan(0);
    expect(res.rateLimit?.resetTokensMs).not.toBeNull();
  });

  it('answers without streaming, leaving TTFT empty', async () => {
    const res = await groq.complete(req('openai/gpt-oss-120b', 'severity', { stream: false }));
    expect(WIRE_SCHEMAS.severity.safeParse(JSON.parse(res.text)).success).toBe(true);
    expect(res.ttftMs).toBeNull();
    expect(res.inputTokens).toBeGreaterThan(0);
    expect(res.queueTimeMs).not.toBeNull();
    expect(res.requestId).toMatch(/^req_/);
  });

  it('maps a 429 to retryable RATE_LIMITED with the server-requested wait', async () => {
    server.queueFaults(['429']);
    const e = await failure(groq.complete(req('openai/gpt-oss-20b', 'platform')));
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(1000); // retry-after: 1
    expect(e.rateLimit).not.toBeNull();
  });

  it('does not retry a request larger than the tokens-per-minute limit (413)', async () => {
    server.queueFaults(['413']);
    const e = await failure(groq.complete(req('openai/gpt-oss-20b', 'platform')));
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryable).toBe(false);
  });

  it('reports a rejected key as AUTH without any key text', async () => {
    const wrong = createGroqProvider({ apiKey: 'gsk_wrongWRO-NGwrong0123456789', baseURL: server.groqBaseURL, isRetired });
    const e = await failure(wrong.complete(req('openai/gpt-oss-20b', 'platform')));
    expect(e.code).toBe('AUTH');
    expect(e.status).toBe(401);
    expect(e.message).toBe('Groq rejected the API key (401). Set a valid key with `casebench keys set groq` or GROQ_API_KEY.');
    expect(`${e.message}${e.raw}`).not.toMatch(/gsk_|wrongWRONG/);
  });

  it('names the retirement date and the replacement of a retired model', async () => {
    const e = await failure(groq.complete(req('llama-3.1-8b-instant', 'platform')));
    expect(e.code).toBe('MODEL_RETIRED');
    expect(e.message).toBe('llama-3.1-8b-instant was retired by Groq on 2026-08-16; use openai/gpt-oss-20b instead');
  });

  it('reports an unknown model as MODEL_NOT_FOUND', async () => {
    const e = await failure(groq.complete(req('no-such-model', 'platform')));
    expect(e.code).toBe('MODEL_NOT_FOUND');
    expect(e.message).toContain('no-such-model');
  });

  it('returns unparseable model output as text: validating it is the caller’s job', async () => {
    server.queueFaults(['invalid-json', 'schema-violation']);
    const a = await groq.complete(req('openai/gpt-oss-20b', 'platform'));
    expect(() => JSON.parse(a.text)).toThrow();
    const b = await groq.complete(req('openai/gpt-oss-20b', 'platform', { stream: false }));
    expect(WIRE_SCHEMAS.platform.safeParse(JSON.parse(b.text)).success).toBe(false);
  });

  it('fails with INVALID_OUTPUT when there are no choices, streamed or not', async () => {
    server.queueFaults(['empty-choices', 'empty-choices']);
    const a = await failure(groq.complete(req('openai/gpt-oss-20b', 'platform')));
    expect(a.code).toBe('INVALID_OUTPUT');
    const b = await failure(groq.complete(req('openai/gpt-oss-20b', 'platform', { stream: false })));
    expect(b.code).toBe('INVALID_OUTPUT');
    expect(b.raw).toContain('"choices":[]');
  });

  it('keeps the failed generation of json_validate_failed', async () => {
    server.queueFaults(['json-validate-failed']);
    const e = await failure(groq.complete(req('openai/gpt-oss-20b', 'platform')));
    expect(e.code).toBe('INVALID_OUTPUT');
    expect(e.raw).toContain('the ticket mentions EC2');
  });

  it('classifies a stream cut mid-answer as a retryable connection failure', async () => {
    server.queueFaults(['stream-cut', 'stream-cut']);
    for (const stream of [true, false]) {
      const e = await failure(groq.complete(req('openai/gpt-oss-20b', 'technical_details', { stream })));
      expect(['NETWORK', 'PROVIDER_ERROR']).toContain(e.code);
      expect(e.retryable).toBe(true);
      // What arrived before the cut is kept for the record.
      if (stream) expect(e.raw).toMatch(/^\{"present"/);
    }
  });

  it('classifies an error event in the stream as retryable PROVIDER_ERROR', async () => {
    server.queueFaults(['stream-error-event']);
    const e = await failure(groq.complete(req('openai/gpt-oss-20b', 'technical_details')));
    expect(e.code).toBe('PROVIDER_ERROR');
    expect(e.retryable).toBe(true);
  });

  it.each(['500', '502', '503', '498'] as const)('classifies %s as retryable PROVIDER_ERROR', async (kind) => {
    server.queueFaults([kind]);
    const e = await failure(groq.complete(req('openai/gpt-oss-20b', 'platform')));
    expect(e.code).toBe('PROVIDER_ERROR');
    expect(e.retryable).toBe(true);
    expect(e.message).not.toMatch(/<html|<center/i);
  });

  it('classifies a connection reset as retryable NETWORK', async () => {
    server.queueFaults(['reset']);
    const e = await failure(groq.complete(req('openai/gpt-oss-20b', 'platform')));
    expect(e.code).toBe('NETWORK');
    expect(e.retryable).toBe(true);
  });

  it('gives up on a hung request at its timeout', async () => {
    server.queueFaults(['hang']);
    const e = await failure(groq.complete(req('openai/gpt-oss-20b', 'platform', { timeoutMs: 300 })));
    expect(e.code).toBe('TIMEOUT');
    expect(e.retryable).toBe(true);
  });

  it('times out a stream that stalls after its first chunk', async () => {
    server.configure({ latencyMs: 5000, ttftMs: 10 });
    try {
      const e = await failure(groq.complete(req('openai/gpt-oss-20b', 'technical_details', { timeoutMs: 400 })));
      expect(e.code).toBe('TIMEOUT');
    } finally {
      server.configure({ latencyMs: 60, ttftMs: 30 });
    }
  });

  it('stops when the caller cancels', async () => {
    server.queueFaults(['hang']);
    const ctl = new AbortController();
    const p = failure(groq.complete(req('openai/gpt-oss-20b', 'platform', { signal: ctl.signal, timeoutMs: 10_000 })));
    setTimeout(() => ctl.abort(), 50);
    const e = await p;
    expect(e.code).toBe('CANCELLED');
  });
});

describe('OpenAI provider', () => {
  it('streams with usage and TTFT', async () => {
    const res = await openai.complete(req('gpt-4o', 'platform'));
    expect(JSON.parse(res.text)).toEqual({ platform: 'aws' });
    expect(res.ttftMs).toBeGreaterThanOrEqual(25);
    expect(res.inputTokens).toBeGreaterThan(0);
    expect(res.outputTokens).toBeGreaterThan(0);
    expect(res.cachedTokens).toBe(0);
    expect(res.queueTimeMs).toBeNull();
    expect(res.requestId).toMatch(/^req_/);
    expect(res.rateLimit?.limitRequests).toBeGreaterThan(0);
  });

  it('omits temperature and uses max_completion_tokens for gpt-5 models (the API rejects the others)', async () => {
    const res = await openai.complete(req('gpt-5-mini', 'severity', { temperature: 0, maxTokens: 400, stream: false }));
    expect(WIRE_SCHEMAS.severity.safeParse(JSON.parse(res.text)).success).toBe(true);
    expect(res.reasoningTokens).toBeGreaterThan(0);
    expect(res.providerTotalMs).not.toBeNull(); // openai-processing-ms
  });

  it('reports a rejected key as AUTH without any key text', async () => {
    const wrong = createOpenAIProvider({ apiKey: 'sk-proj-WRONGwrongWRONG0123456789', baseURL: server.openaiBaseURL });
    const e = await failure(wrong.complete(req('gpt-4o', 'platform')));
    expect(e.code).toBe('AUTH');
    expect(e.message).toContain('OpenAI rejected the API key (401)');
    expect(e.message).toContain('casebench keys set openai');
    expect(`${e.message}${e.raw}`).not.toMatch(/sk-|WRONG|6789/);
  });

  it('maps a 429 to RATE_LIMITED with the wait', async () => {
    server.queueFaults(['429']);
    const e = await failure(openai.complete(req('gpt-4o', 'platform')));
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryAfterMs).toBe(1000);
  });

  it('names the retirement date and the replacement of a retired model', async () => {
    const e = await failure(openai.complete(req('gpt-4.1-nano', 'platform')));
    expect(e.code).toBe('MODEL_RETIRED');
    expect(e.message).toBe('gpt-4.1-nano was retired by OpenAI on 2026-10-23; use gpt-6-luna instead');
  });

  it('fails with INVALID_OUTPUT on empty choices and keeps bad JSON as text', async () => {
    server.queueFaults(['empty-choices', 'invalid-json']);
    expect((await failure(openai.complete(req('gpt-4o', 'platform')))).code).toBe('INVALID_OUTPUT');
    const bad = await openai.complete(req('gpt-4o', 'platform'));
    expect(() => JSON.parse(bad.text)).toThrow();
  });

  it('classifies stream failures and hangs', async () => {
    server.queueFaults(['stream-cut', 'stream-error-event', 'hang']);
    const cut = await failure(openai.complete(req('gpt-4o', 'technical_details')));
    expect(['NETWORK', 'PROVIDER_ERROR']).toContain(cut.code);
    const ev = await failure(openai.complete(req('gpt-4o', 'technical_details')));
    expect(ev.code).toBe('PROVIDER_ERROR');
    const hang = await failure(openai.complete(req('gpt-4o', 'platform', { timeoutMs: 300 })));
    expect(hang.code).toBe('TIMEOUT');
  });

  it('treats a refusal as INVALID_OUTPUT with the refusal as raw text', () => {
    const body = {
      id: 'chatcmpl-x',
      choices: [{ message: { content: null, refusal: "I'm sorry, I can't help with that." }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 8 },
    };
    try {
      completionToResponse(body, { label: 'OpenAI', requestId: null, rateLimit: null });
      throw new Error('expected a refusal error');
    } catch (e) {
      expect((e as ProviderError).code).toBe('INVALID_OUTPUT');
      expect((e as ProviderError).raw).toBe("I'm sorry, I can't help with that.");
    }
  });
});

describe('openai-compatible endpoints and the runtime that builds providers', () => {
  // What users run: the runtime builds each provider from the host's configuration (keys from the
  // environment or keychain, base URLs from the environment or Settings).
  it('talks to any OpenAI-compatible base URL without a key', async () => {
    server.configure({ apiKeys: null });
    const rt = await createRuntime({
      env: { OPENAI_COMPATIBLE_BASE_URL: server.openaiBaseURL, OPENAI_COMPATIBLE_NAME: 'Local vLLM' },
      secretStore: null,
    });
    try {
      const local = rt.deps.lane('openai-compatible:fake-qwen').provider;
      expect(local.id).toBe('openai-compatible');
      const res = await local.complete(req('fake-qwen', 'severity', { maxTokens: 200, temperature: 0 }));
      expect(WIRE_SCHEMAS.severity.safeParse(JSON.parse(res.text)).success).toBe(true);
      server.queueFaults(['500']);
      const e = await failure(local.complete(req('fake-qwen', 'severity')));
      expect(e.message).toContain('Local vLLM');
    } finally {
      await rt.close();
      server.configure({ apiKeys: { groq: [GROQ_KEY], openai: [OPENAI_KEY] } });
    }
  });

  it("takes a base URL chosen in Settings as typed configuration, the environment's variable first", async () => {
    server.configure({ apiKeys: null });
    const rt = await createRuntime({ env: {}, endpoints: { openaiCompatible: server.openaiBaseURL }, secretStore: null });
    const wrong = await createRuntime({
      env: { OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1' },
      endpoints: { openaiCompatible: server.openaiBaseURL },
      secretStore: null,
    });
    try {
      const res = await rt.deps.lane('openai-compatible:fake-qwen').provider.complete(req('fake-qwen', 'severity', { maxTokens: 200 }));
      expect(WIRE_SCHEMAS.severity.safeParse(JSON.parse(res.text)).success).toBe(true);
      const e = await failure(
        wrong.deps.lane('openai-compatible:fake-qwen').provider.complete(req('fake-qwen', 'severity', { timeoutMs: 2000 })),
      );
      expect(e.code).toBe('NETWORK');
    } finally {
      await rt.close();
      await wrong.close();
      server.configure({ apiKeys: { groq: [GROQ_KEY], openai: [OPENAI_KEY] } });
    }
  });

  it('refuses a keyed provider without a key (naming it, as data too), or a compatible one without a URL', async () => {
    const rt = await createRuntime({ env: { OPENAI_API_KEY: '  ' }, secretStore: null });
    const refusal = (spec: string): AppError => {
      try {
        rt.deps.lane(spec);
      } catch (e) {
        return e as AppError;
      }
      throw new Error(`expected ${spec} to be refused`);
    };
    expect(refusal('groq:openai/gpt-oss-20b')).toMatchObject({
      code: 'KEY_MISSING',
      provider: 'groq',
      message: expect.stringMatching(/no Groq API key/),
    });
    expect(refusal('openai:gpt-4o')).toMatchObject({
      code: 'KEY_MISSING',
      provider: 'openai',
      message: expect.stringMatching(/no OpenAI API key/),
    });
    expect(refusal('openai-compatible:x').message).toMatch(/OPENAI_COMPATIBLE_BASE_URL/);
    expect(rt.deps.lane('demo:fast').provider.id).toBe('demo');
    await rt.close();
  });
});

describe('scheduler over a real provider', () => {
  it('retries server errors and records every attempt', async () => {
    server.queueFaults(['500', '503']);
    const s = new ProviderScheduler({ label: 'Groq', random: () => 0 });
    const attempts: { attempt: number; ok: boolean; code: string | null }[] = [];
    const { value, attempts: n } = await s.run(
      (signal) => groq.complete(req('openai/gpt-oss-20b', 'severity', { signal, timeoutMs: 5000 })),
      { timeoutMs: 5000, onAttempt: (a) => attempts.push({ attempt: a.attempt, ok: a.ok, code: a.error?.code ?? null }) },
    );
    expect(n).toBe(3);
    expect(WIRE_SCHEMAS.severity.safeParse(JSON.parse(value.text)).success).toBe(true);
    expect(attempts).toEqual([
      { attempt: 1, ok: false, code: 'PROVIDER_ERROR' },
      { attempt: 2, ok: false, code: 'PROVIDER_ERROR' },
      { attempt: 3, ok: true, code: null },
    ]);
    expect(server.stats.total).toBe(3);
  });

  it('fails at once when Groq asks to wait longer than the cap', async () => {
    server.queueFaults(['429-long']);
    const s = new ProviderScheduler({ label: 'Groq', retryAfterCapMs: 20_000, sleep: abortableSleep });
    const e = await failure(s.run((signal) => groq.complete(req('openai/gpt-oss-20b', 'platform', { signal })), { timeoutMs: 5000 }));
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.message).toMatch(/^Groq asked to wait \d+m\d+s, more than the 20s cap; try later or raise the cap\.$/);
    expect(e.attempts).toBe(1);
    expect(server.stats.total).toBe(1);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Groq from 'groq-sdk';
import OpenAI from 'openai';
import { startFakeServer } from './fakeProviderServer.ts';
import type { FakeServer, FaultKind } from './fakeProviderServer.ts';
import { TASKS } from '#shared/tasks.ts';
import { WIRE_SCHEMAS } from '#shared/wireSchemas.ts';
import type { TaskId } from '#shared/tasks.ts';

// Bodies captured from the real APIs (shared/api-samples/), byte for byte.
const GROQ_401 = '{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}\n';
const GROQ_404_LLAMA =
  '{"error":{"message":"The model `llama-3.3-70b-versatile` does not exist or you do not have access to it.","type":"invalid_request_error","code":"model_not_found"}}\n';

const AWS_TICKET = 'Our S3 bucket s3://acme-logs-01 returns 403 AccessDenied since 2024-05-01 10:00 UTC in us-east-1';
const GCP_TICKET = 'BigQuery jobs in project acme-prod-123 fail with "Resources exceeded during query execution"';

function messages(task: TaskId, ticket: string, extra = ''): { role: 'system' | 'user'; content: string }[] {
  return [
    { role: 'system', content: `You triage cloud support tickets. Answer in JSON.\nTask: ${task}` },
    { role: 'user', content: `${extra}<ticket>${ticket}</ticket>` },
  ];
}

function schemaFormat(task: TaskId) {
  return {
    type: 'json_schema' as const,
    json_schema: { name: task, schema: TASKS[task].jsonSchema, strict: true },
  };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error('condition not reached');
}

async function rawChat(server: FakeServer, api: 'groq' | 'openai', body: unknown, key = 'k-test'): Promise<Response> {
  const url = api === 'groq' ? `${server.url}/openai/v1/chat/completions` : `${server.openaiBaseURL}/chat/completions`;
  return fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

let server: FakeServer;
let groq: Groq;
let openai: OpenAI;

beforeAll(async () => {
  server = await startFakeServer({ latencyMs: 5 });
  groq = new Groq({ apiKey: 'gsk_test_key_0000', baseURL: server.groqBaseURL, maxRetries: 0 });
  openai = new OpenAI({ apiKey: 'sk-test-key-0000', baseURL: server.openaiBaseURL, maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

afterEach(() => {
  // Tests share one server; undo what a test changed.
  server.configure({ apiKeys: null, rpm: null, tpm: null, faults: null, answer: null, latencyMs: 5, limitWindowMs: 60_000 });
  server.resetStats();
  server.resetLimits();
});

describe('non-streaming answers', () => {
  it('Groq: task answer as JSON content, usage in float seconds, x_groq id = x-request-id', async () => {
    const { data, response } = await groq.chat.completions
      .create({
        model: 'openai/gpt-oss-20b',
        messages: messages('product', AWS_TICKET, 'Platform: aws\n'),
        response_format: schemaFormat('product'),
      })
      .withResponse();
    expect(JSON.parse(data.choices[0]?.message.content ?? '')).toEqual({ product: 'Amazon S3' });
    expect(data.id).toMatch(/^chatcmpl-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('openai/gpt-oss-20b');
    expect(data.service_tier).toBe('on_demand');
    expect(data.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
    const xg = data.x_groq as { id: string; seed: number };
    expect(xg.id).toMatch(/^req_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(response.headers.get('x-request-id')).toBe(xg.id);
    const u = data.usage as unknown as Record<string, number>;
    expect(u.prompt_tokens).toBeGreaterThan(10);
    expect(u.total_tokens).toBe((u.prompt_tokens ?? 0) + (u.completion_tokens ?? 0));
    expect(u.total_time).toBeCloseTo((u.prompt_time ?? 0) + (u.completion_time ?? 0), 6);
    expect(typeof u.queue_time).toBe('number');
    // gpt-oss returns its reasoning beside the content.
    expect(typeof (data.choices[0]!.message as { reasoning?: unknown }).reasoning).toBe('string');
    for (const h of ['limit-requests', 'limit-tokens', 'remaining-requests', 'remaining-tokens', 'reset-requests', 'reset-tokens'])
      expect(response.headers.get(`x-ratelimit-${h}`), h).not.toBeNull();
    expect(response.headers.get('x-ratelimit-reset-tokens')).toMatch(/^(?:\d+(?:\.\d+)?ms|(?:\d+m)?\d+(?:\.\d+)?s)$/);
    expect(response.headers.get('x-groq-region')).toBeTruthy();
    expect(response.headers.get('retry-after')).toBeNull();
    // The request budget is spent as requests are made.
    const again = await groq.chat.completions
      .create({ model: 'openai/gpt-oss-20b', messages: messages('platform', AWS_TICKET) })
      .withResponse();
    expect(Number(again.response.headers.get('x-ratelimit-remaining-requests'))).toBe(
      Number(response.headers.get('x-ratelimit-remaining-requests')) - 1,
    );
  });

  it('OpenAI: dated snapshot, refusal/annotations, detailed usage, request id', async () => {
    const { data, request_id } = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: messages('platform', GCP_TICKET), response_format: schemaFormat('platform') })
      .withResponse();
    expect(JSON.parse(data.choices[0]?.message.content ?? '')).toEqual({ platform: 'gcp' });
    expect(data.model).toBe('gpt-4o-2024-08-06');
    expect(data.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(data.choices[0]?.message.refusal).toBeNull();
    expect(data.choices[0]?.message.annotations).toEqual([]);
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(data.usage?.completion_tokens_details?.reasoning_tokens).toBe(0);
    expect(data.service_tier).toBe('default');
    expect(request_id).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('token counts follow the size of the prompt', async () => {
    const small = await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: messages('severity', 'down') });
    const big = await openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: messages('severity', 'down '.repeat(400)) });
    expect((big.usage?.prompt_tokens ?? 0) - (small.usage?.prompt_tokens ?? 0)).toBeGreaterThanOrEqual(450);
  });

  it('finds the task from "Task:" in the system message when there is no json_schema', async () => {
    const r = await groq.chat.completions.create({
      model: 'openai/gpt-oss-120b',
      messages: messages('severity', 'Production is down for all customers'),
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(r.choices[0]?.message.content ?? '')).toEqual({ severity: 'urgent' });
  });

  it('max_completion_tokens too small truncates and finishes with "length"', async () => {
    const r = await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: messages('technical_details', GCP_TICKET),
      max_completion_tokens: 3,
    });
    expect(r.choices[0]?.finish_reason).toBe('length');
    expect(r.usage?.completion_tokens).toBe(3);
    expect(() => JSON.parse(r.choices[0]?.message.content ?? '')).toThrow();
  });
});

describe('few-shot prompts', () => {
  it('answers about the last <ticket>, not the <example_ticket>, and reads Platform/Product outside examples', async () => {
    const user = [
      'Here is an example.',
      '<example>',
      'Platform: azure',
      'Product: Azure Kubernetes Service',
      '<example_ticket>Our EC2 fleet on AWS in us-east-1 is down, account 123456789012</example_ticket>',
      '<example_answer>{"asset_ids":["123456789012"]}</example_answer>',
      '</example>',
      'Platform: gcp',
      'Product: BigQuery',
      `<ticket>${GCP_TICKET}</ticket>`,
    ].join('\n');
    const seen: { platform: string | null; product: string | null; ticketText: string }[] = [];
    server.configure({ answer: (info) => void seen.push(info) });
    const r = await groq.chat.completions.create({
      model: 'openai/gpt-oss-20b',
      messages: [
        { role: 'system', content: 'Task: asset_ids' },
        { role: 'user', content: user },
      ],
      response_format: schemaFormat('asset_ids'),
    });
    expect(JSON.parse(r.choices[0]?.message.content ?? '')).toEqual({ asset_ids: ['acme-prod-123'] });
    expect(seen).toEqual([expect.objectContaining({ platform: 'gcp', product: 'BigQuery', ticketText: GCP_TICKET })]);
  });

  it('an answer hook can replace the heuristics', async () => {
    server.configure({ answer: ({ task }) => (task === 'platform' ? { platform: 'other:hetzner' } : undefined) });
    const r = await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('platform', AWS_TICKET) });
    expect(JSON.parse(r.choices[0]?.message.content ?? '')).toEqual({ platform: 'other:hetzner' });
  });
});

describe('streaming', () => {
  it('Groq: role chunk with x_groq, content chunks, finish chunk with usage twice, include_usage chunk', async () => {
    const stream = await groq.chat.completions.create({
      model: 'openai/gpt-oss-20b',
      messages: messages('platform', AWS_TICKET),
      response_format: schemaFormat('platform'),
      stream: true,
      // Accepted by the API although the SDK types omit it.
      ...({ stream_options: { include_usage: true } } as object),
    });
    const chunks: Record<string, unknown>[] = [];
    for await (const c of stream) chunks.push(c as unknown as Record<string, unknown>);
    type Choice = { delta: { role?: string; content?: string | null; reasoning?: string }; finish_reason: string | null };
    const choicesOf = (c: Record<string, unknown>) => c.choices as Choice[];
    const first = chunks[0] as Record<string, unknown>;
    expect(choicesOf(first)[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const firstX = first.x_groq as { id: string };
    expect(firstX.id).toMatch(/^req_/);
    const text = chunks.map((c) => choicesOf(c)[0]?.delta.content ?? '').join('');
    expect(JSON.parse(text)).toEqual({ platform: 'aws' });
    expect(chunks.filter((c) => choicesOf(c)[0]?.delta.content).length).toBeGreaterThan(1);
    expect(chunks.some((c) => typeof choicesOf(c)[0]?.delta.reasoning === 'string')).toBe(true);
    const finish = chunks.find((c) => choicesOf(c)[0]?.finish_reason === 'stop') as Record<string, unknown>;
    expect(choicesOf(finish)[0]?.delta).toEqual({});
    const fx = finish.x_groq as { id: string; usage: unknown };
    expect(fx.id).toBe(firstX.id);
    expect(fx.usage).toEqual(finish.usage);
    expect((finish.usage as { completion_tokens: number }).completion_tokens).toBeGreaterThan(0);
    const last = chunks[chunks.length - 1] as Record<string, unknown>;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(finish.usage);
    // Middle chunks carry no x_groq.
    expect(chunks.slice(1, -2).every((c) => c.x_groq === undefined)).toBe(true);
  });

  it('OpenAI: usage:null and obfuscation on every chunk, usage in the final choices:[] chunk', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: messages('severity', 'How do I enable versioning on a bucket?'),
      response_format: schemaFormat('severity'),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.every((c) => typeof (c as { obfuscation?: unknown }).obfuscation === 'string')).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.total_tokens).toBeGreaterThan(0);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(JSON.parse(text)).toEqual({ severity: 'low' });
  });

  it('OpenAI without include_usage sends no usage field at all', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('platform', AWS_TICKET), stream: true });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('SSE framing ends with data: [DONE]', async () => {
    const res = await rawChat(server, 'groq', { model: 'openai/gpt-oss-20b', messages: messages('platform', AWS_TICKET), stream: true });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const body = await res.text();
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(
      body
        .split('\n\n')
        .filter(Boolean)
        .every((e) => e.startsWith('data: ')),
    ).toBe(true);
  });
});

describe('errors', () => {
  it('401: Groq body exactly as captured; OpenAI masks the key', async () => {
    server.configure({ apiKeys: ['the-right-key'] });
    const res = await rawChat(
      server,
      'groq',
      { model: 'openai/gpt-oss-20b', messages: messages('platform', 'x') },
      'gsk_wrongwrongwrong1234',
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('content-length')).toBe('96');
    expect(await res.text()).toBe(GROQ_401);
    // As in the capture, a 401 carries no rate-limit headers, while other Groq errors do.
    expect(res.headers.get('x-ratelimit-limit-requests')).toBeNull();
    server.configure({ apiKeys: null });
    const bad = await rawChat(server, 'groq', { model: 'openai/gpt-oss-20b', n: 2, messages: messages('platform', 'x') });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-ratelimit-limit-requests')).not.toBeNull();
    expect(bad.headers.get('retry-after')).toBeNull();
    server.configure({ apiKeys: ['the-right-key'] });

    const err = await groq.chat.completions
      .create({ model: 'openai/gpt-oss-20b', messages: messages('platform', 'x') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Groq.AuthenticationError);
    expect(String((err as Error).message)).not.toContain('gsk_test_key_0000');

    const secret = 'sk-proj-SECRETsecretSECRETsecret9876abcd';
    const client = new OpenAI({ apiKey: secret, baseURL: server.openaiBaseURL, maxRetries: 0 });
    const oerr = await client.chat.completions.create({ model: 'gpt-4o', messages: messages('platform', 'x') }).catch((e: unknown) => e);
    expect(oerr).toBeInstanceOf(OpenAI.AuthenticationError);
    const msg = (oerr as InstanceType<typeof OpenAI.AuthenticationError>).message;
    expect(msg).toMatch(/Incorrect API key provided: sk-proj-\*+abcd\./);
    expect(msg).not.toContain('SECRET');
    expect((oerr as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
  });

  it('a retired model is 404 model_not_found, body exactly as captured', async () => {
    const res = await rawChat(server, 'groq', { model: 'llama-3.3-70b-versatile', messages: messages('platform', 'x') });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe(GROQ_404_LLAMA);
    const err = await groq.chat.completions
      .create({ model: 'meta-llama/llama-4-scout-17b-16e-instruct', messages: messages('platform', 'x') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Groq.NotFoundError);
    expect((err as InstanceType<typeof Groq.NotFoundError>).error).toMatchObject({ error: { code: 'model_not_found' } });
    const oerr = await openai.chat.completions
      .create({ model: 'gpt-3.5-turbo-0301', messages: messages('platform', 'x') })
      .catch((e: unknown) => e);
    expect(oerr).toBeInstanceOf(OpenAI.NotFoundError);
    expect((oerr as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });

  it('rpm limit: the next request is a RateLimitError with a readable retry-after', async () => {
    server.configure({ rpm: 1 });
    await groq.chat.completions.create({ model: 'openai/gpt-oss-20b', messages: messages('platform', AWS_TICKET) });
    const err = await groq.chat.completions
      .create({ model: 'openai/gpt-oss-20b', messages: messages('platform', AWS_TICKET) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Groq.RateLimitError);
    const rl = err as InstanceType<typeof Groq.RateLimitError>;
    const retryAfter = Number(rl.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(rl.message).toMatch(
      /on requests per minute \(RPM\): Limit 1, Used 1, Requested 1\. Please try again in (?:\d+m)?\d+(?:\.\d+)?s\./,
    );
    expect(rl.headers.get('x-ratelimit-limit-requests')).not.toBeNull();
    // The limit is per model: another model still answers.
    await expect(
      groq.chat.completions.create({ model: 'openai/gpt-oss-120b', messages: messages('platform', AWS_TICKET) }),
    ).resolves.toBeTruthy();

    await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('platform', AWS_TICKET) });
    const oerr = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: messages('platform', AWS_TICKET) })
      .catch((e: unknown) => e);
    expect(oerr).toBeInstanceOf(OpenAI.RateLimitError);
    expect(Number((oerr as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((oerr as InstanceType<typeof OpenAI.RateLimitError>).type).toBe('requests');
  });

  it('rpm window: OpenAI headers count it down and say truthfully when it is whole again; a shorter window scales it', async () => {
    server.configure({ rpm: { 'gpt-4o': 3 }, limitWindowMs: 400 });
    const seen: Array<{ remaining: number; resetMs: number }> = [];
    for (let i = 0; i < 3; i++) {
      const { response } = await openai.chat.completions
        .create({ model: 'gpt-4o', messages: messages('platform', AWS_TICKET) })
        .withResponse();
      expect(response.headers.get('x-ratelimit-limit-requests')).toBe('3');
      const reset = response.headers.get('x-ratelimit-reset-requests')!;
      expect(reset).toMatch(/^\d+ms$/);
      seen.push({ remaining: Number(response.headers.get('x-ratelimit-remaining-requests')), resetMs: parseInt(reset, 10) });
    }
    expect(seen.map((x) => x.remaining)).toEqual([2, 1, 0]);
    // Whole again when the newest request leaves the 400 ms window, never later.
    for (const x of seen) expect(x.resetMs).toBeGreaterThan(300);
    for (const x of seen) expect(x.resetMs).toBeLessThanOrEqual(400);
    const err = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: messages('platform', AWS_TICKET) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers.get('x-ratelimit-remaining-requests')).toBe('0');
    await new Promise((r) => setTimeout(r, Math.max(...seen.map((x) => x.resetMs)) + 20));
    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages: messages('platform', AWS_TICKET) })).resolves.toBeTruthy();
    server.configure({ limitWindowMs: 60_000 });
  });

  it('storm: random 429s carry retry-after and headers showing the budget left', async () => {
    server.configure({ faults: { rate: 1, kinds: ['429'], seed: 7 } });
    const err = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: messages('platform', AWS_TICKET) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const h = (err as InstanceType<typeof OpenAI.RateLimitError>).headers;
    expect(h.get('retry-after')).toBe('1');
    expect(Number(h.get('x-ratelimit-remaining-requests'))).toBeGreaterThan(1000);
  });

  it('tpm: a request larger than the limit is 413 on Groq and 429 "Request too large" on OpenAI', async () => {
    server.configure({ tpm: 20 });
    const err = await groq.chat.completions
      .create({ model: 'openai/gpt-oss-20b', messages: messages('platform', AWS_TICKET) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Groq.APIError);
    expect((err as InstanceType<typeof Groq.APIError>).status).toBe(413);
    expect((err as Error).message).toMatch(
      /Request too large for model openai\/gpt-oss-20b .* Limit 20, Requested \d+, please reduce your message size/,
    );
    const oerr = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: messages('platform', AWS_TICKET) })
      .catch((e: unknown) => e);
    expect(oerr).toBeInstanceOf(OpenAI.RateLimitError);
    expect((oerr as Error).message).toMatch(/^429 Request too large for gpt-4o/);
  });

  it('429-long: retry-after 600 and "try again in 9m38.016s"', async () => {
    server.queueFaults(['429-long']);
    const err = await groq.chat.completions
      .create({ model: 'openai/gpt-oss-20b', messages: messages('platform', AWS_TICKET) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Groq.RateLimitError);
    expect((err as InstanceType<typeof Groq.RateLimitError>).headers.get('retry-after')).toBe('600');
    expect((err as Error).message).toContain('Please try again in 9m38.016s');
  });

  it('a stream error event surfaces as APIError without status on both SDKs', async () => {
    server.queueFaults(['stream-error-event', 'stream-error-event']);
    const gs = await groq.chat.completions.create({
      model: 'openai/gpt-oss-20b',
      messages: messages('platform', AWS_TICKET),
      stream: true,
    });
    const gerr = await (async () => {
      for await (const _ of gs) void _;
    })().catch((e: unknown) => e);
    expect(gerr).toBeInstanceOf(Groq.APIError);
    expect((gerr as InstanceType<typeof Groq.APIError>).status).toBeUndefined();
    expect((gerr as Error).message).toContain('Failed to call a function');

    const os = await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('platform', AWS_TICKET), stream: true });
    const oerr = await (async () => {
      for await (const _ of os) void _;
    })().catch((e: unknown) => e);
    expect(oerr).toBeInstanceOf(OpenAI.APIError);
    expect((oerr as InstanceType<typeof OpenAI.APIError>).status).toBeUndefined();
  });

  it('json-validate-failed is a Groq 400 with failed_generation', async () => {
    server.queueFaults(['json-validate-failed']);
    const err = await groq.chat.completions
      .create({ model: 'openai/gpt-oss-20b', messages: messages('platform', AWS_TICKET), response_format: schemaFormat('platform') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Groq.BadRequestError);
    const body = (err as InstanceType<typeof Groq.BadRequestError>).error as { error: { code: string; failed_generation: string } };
    expect(body.error.code).toBe('json_validate_failed');
    expect(body.error.failed_generation.length).toBeGreaterThan(0);
  });

  it('5xx faults: JSON envelopes for 500/503, Cloudflare HTML for 502, 498 on Groq', async () => {
    server.queueFaults(['500', '502', '503', '498']);
    const statuses: (number | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const e = await groq.chat.completions
        .create({ model: 'openai/gpt-oss-20b', messages: messages('platform', 'x') })
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Groq.APIError);
      statuses.push((e as InstanceType<typeof Groq.APIError>).status);
    }
    expect(statuses).toEqual([500, 502, 503, 498]);
    server.queueFaults(['502']);
    const res = await rawChat(server, 'openai', { model: 'gpt-4o', messages: messages('platform', 'x') });
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toContain('502 Bad Gateway');
  });

  it('content faults: invalid JSON, schema violation, empty choices', async () => {
    server.queueFaults(['invalid-json', 'schema-violation', 'empty-choices']);
    const a = await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('severity', 'x') });
    expect(() => JSON.parse(a.choices[0]?.message.content ?? '')).toThrow();
    const b = await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('severity', 'x') });
    const parsed: unknown = JSON.parse(b.choices[0]?.message.content ?? '');
    expect(WIRE_SCHEMAS.severity.safeParse(parsed).success).toBe(false);
    const c = await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('severity', 'x') });
    expect(c.choices).toEqual([]);
  });

  it('reset and stream-cut end the connection; the SDK sees a connection error', async () => {
    server.queueFaults(['reset']);
    const e1 = await groq.chat.completions
      .create({ model: 'openai/gpt-oss-20b', messages: messages('platform', 'x') })
      .catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(Groq.APIConnectionError);

    server.queueFaults(['stream-cut']);
    const received: string[] = [];
    const os = await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('technical_details', GCP_TICKET), stream: true });
    const e2 = await (async () => {
      for await (const c of os) received.push(c.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(Error);
    expect(received.length).toBeGreaterThan(0);
    await until(() => server.stats.perStatus.reset === 2);
  });

  it('OpenAI reasoning models reject temperature and max_tokens like the real API', async () => {
    const e1 = await openai.chat.completions
      .create({ model: 'gpt-5-mini', messages: messages('platform', 'x'), temperature: 0 })
      .catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(OpenAI.BadRequestError);
    expect((e1 as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('temperature');
    const e2 = await openai.chat.completions
      .create({ model: 'gpt-5-mini', messages: messages('platform', 'x'), max_tokens: 100 })
      .catch((e: unknown) => e);
    expect((e2 as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('unsupported_parameter');
  });

  it('OpenAI strict schemas must have additionalProperties:false', async () => {
    const err = await openai.chat.completions
      .create({
        model: 'gpt-4o',
        messages: messages('platform', 'x'),
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'platform',
            strict: true,
            schema: { type: 'object', properties: { platform: { type: 'string' } }, required: ['platform'] },
          },
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain("'additionalProperties' is required to be supplied and to be false");
  });
});

describe('hangs, timeouts and close', () => {
  it('a hang lasts until the client gives up, and counts as in flight meanwhile', async () => {
    server.queueFaults(['hang', 'hang', 'hang']);
    const ctl = new AbortController();
    const calls = [0, 1, 2].map(() =>
      groq.chat.completions
        .create({ model: 'openai/gpt-oss-20b', messages: messages('platform', 'x') }, { signal: ctl.signal })
        .catch((e: unknown) => e),
    );
    await until(() => server.stats.inFlight === 3);
    expect(server.stats.peakInFlight).toBe(3);
    ctl.abort();
    const errs = await Promise.all(calls);
    for (const e of errs) expect(e).toBeInstanceOf(Groq.APIUserAbortError);
    await until(() => server.stats.inFlight === 0);
    expect(server.stats.perStatus.hang).toBe(3);
  });

  it('a hang with a client timeout becomes a timeout error', async () => {
    server.queueFaults(['hang']);
    const err = await openai.chat.completions
      .create({ model: 'gpt-4o', messages: messages('platform', 'x') }, { timeout: 200 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });

  it('close() ends hanging requests', async () => {
    const own = await startFakeServer({ faults: () => 'hang' });
    const pending = rawChat(own, 'groq', { model: 'openai/gpt-oss-20b', messages: messages('platform', 'x') }).then(
      () => 'answered',
      () => 'failed',
    );
    await until(() => own.stats.inFlight === 1);
    await own.close();
    await expect(pending).resolves.toBe('failed');
  });
});

describe('seeded faults and stats', () => {
  async function outcomes(seed: number): Promise<string[]> {
    const own = await startFakeServer({ latencyMs: 0, faults: { rate: 0.5, kinds: ['500', '429', 'invalid-json'], seed } });
    try {
      const out: string[] = [];
      for (let i = 0; i < 24; i++) {
        const res = await rawChat(own, 'openai', { model: 'fake-model', messages: messages('severity', 'x') });
        const text = await res.text();
        out.push(res.status === 200 && !text.includes('Sure!') ? 'ok' : res.status === 200 ? 'invalid-json' : String(res.status));
      }
      const logged = own.stats.log.map((e) => e.fault ?? 'ok');
      expect(logged).toEqual(out);
      return out;
    } finally {
      await own.close();
    }
  }

  it('the same seed gives the same fault sequence; another seed a different one', async () => {
    const a = await outcomes(42);
    const b = await outcomes(42);
    const c = await outcomes(7);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a)).toEqual(new Set(['ok', '500', '429', 'invalid-json']));
  });

  it('a fault function sees the model, task and request number', async () => {
    const seen: string[] = [];
    server.configure({
      faults: ({ model, task, n }) => {
        seen.push(`${n}:${model}:${task}`);
        return n === 2 ? ('503' as FaultKind) : null;
      },
    });
    const r1 = await rawChat(server, 'groq', { model: 'openai/gpt-oss-20b', messages: messages('platform', 'x') });
    const r2 = await rawChat(server, 'groq', { model: 'qwen/qwen3.8-27b', messages: messages('severity', 'x') });
    expect([r1.status, r2.status]).toEqual([200, 503]);
    expect(seen).toEqual(['1:openai/gpt-oss-20b:platform', '2:qwen/qwen3.8-27b:severity']);
  });

  it('counts requests per api, model, task and status; resetStats starts over', async () => {
    await groq.chat.completions.create({ model: 'openai/gpt-oss-20b', messages: messages('platform', 'x') });
    await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('severity', 'x') });
    await openai.chat.completions.create({ model: 'gpt-4o', messages: messages('severity', 'x') }).catch(() => null);
    await groq.chat.completions.create({ model: 'no-such-model', messages: messages('platform', 'x') }).catch(() => null);
    const s = server.stats;
    expect(s.total).toBe(4);
    expect(s.perApi).toEqual({ groq: 2, openai: 2 });
    expect(s.perModel).toEqual({ 'openai/gpt-oss-20b': 1, 'gpt-4o': 2, 'no-such-model': 1 });
    expect(s.perTask).toEqual({ platform: 1, severity: 2 });
    expect(s.perStatus).toEqual({ '200': 3, '404': 1 });
    expect(s.log.map((e) => e.status)).toEqual([200, 200, 200, 404]);
    server.resetStats();
    expect(server.stats.total).toBe(0);
    expect(server.stats.log).toEqual([]);
  });

  it('the log is bounded', async () => {
    const own = await startFakeServer({ latencyMs: 0, logLimit: 3 });
    try {
      for (let i = 0; i < 5; i++) await rawChat(own, 'openai', { model: 'fake-x', messages: messages('platform', `t${i}`) });
      await until(() => own.stats.perStatus['200'] === 5);
      expect(own.stats.log.length).toBe(3);
      expect(own.stats.total).toBe(5);
    } finally {
      await own.close();
    }
  });

  it('lists models on both APIs', async () => {
    const g = await groq.models.list();
    expect(g.data.map((m) => m.id)).toContain('openai/gpt-oss-20b');
    const ids: string[] = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    expect(ids).toEqual(['gpt-4o', 'gpt-4.1-mini', 'gpt-5-mini']);
  });
});

import { describe, expect, it } from 'vitest';
import type { TaskResult } from '#shared/results.ts';
import type { TaskId } from '#shared/tasks.ts';
import { AppError } from '#shared/errors.ts';
import { createRuntime } from '../runtime.ts';
import { ProviderScheduler } from '../providers/scheduler.ts';
import { ProviderError, type ChatProvider, type ChatRequest, type ChatResponse } from '../providers/types.ts';
import { criticalPathMs, triageTicket, type Assignment, type AttemptRecord, type EngineDeps } from './engine.ts';

const rt = await createRuntime({ env: {}, secretStore: null });
const ASSIGN: Assignment = {
  platform: 'groq:openai/gpt-oss-120b',
  product: 'groq:openai/gpt-oss-20b',
  technical_details: 'groq:openai/gpt-oss-20b',
  asset_ids: 'groq:openai/gpt-oss-120b',
  severity: 'openai:gpt-4o',
};
const TICKET = {
  id: 'T1',
  text: 'Our S3 bucket acme-logs in account 123456789012 returns AccessDenied since 09:00 UTC; production is down.',
};

const ANSWERS: Record<TaskId, string> = {
  platform: '{"platform":"AWS"}',
  product: '{"product":"Amazon S3"}',
  technical_details: '{"present":["AccessDenied"," AccessDenied "],"missing":["region"]}',
  asset_ids: '{"asset_ids":[" 123456789012","acme-logs","123456789012"]}',
  severity: '{"severity":"urgent"}',
};

const response = (text: string): ChatResponse => ({
  text,
  finishReason: 'stop',
  inputTokens: 400,
  outputTokens: 10,
  cachedTokens: 0,
  reasoningTokens: null,
  ttftMs: null,
  queueTimeMs: 2,
  providerTotalMs: 40,
  requestId: 'req_x',
  rateLimit: null,
});

/** A remote model whose answers the test releases one task at a time, so order is deterministic. */
function gatedProvider() {
  const waiting = new Map<TaskId, { resolve: (r: ChatResponse) => void; reject: (e: unknown) => void; req: ChatRequest }>();
  const arrived: TaskId[] = [];
  let notify: (() => void) | null = null;
  const provider: ChatProvider = {
    id: 'groq',
    complete: (req) =>
      new Promise<ChatResponse>((resolve, reject) => {
        const task = req.task as TaskId;
        waiting.set(task, { resolve, reject, req });
        arrived.push(task);
        req.signal?.addEventListener('abort', () => reject(new ProviderError({ code: 'CANCELLED', message: 'cancelled' })));
        notify?.();
      }),
  };
  const until = async (cond: () => boolean): Promise<void> => {
    while (!cond()) await new Promise<void>((r) => (notify = r));
  };
  return {
    provider,
    waiting,
    arrived,
    async answer(task: TaskId, text = ANSWERS[task]) {
      await until(() => waiting.has(task));
      const w = waiting.get(task)!;
      waiting.delete(task);
      w.resolve(response(text));
      await new Promise((r) => setTimeout(r, 0));
    },
    async fail(task: TaskId, e: unknown) {
      await until(() => waiting.has(task));
      const w = waiting.get(task)!;
      waiting.delete(task);
      w.reject(e);
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

function depsWith(provider: ChatProvider, overrides: Partial<EngineDeps> = {}): EngineDeps {
  const scheduler = new ProviderScheduler({ maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 });
  return {
    ...rt.deps,
    lane: (spec) => ({ providerId: spec.split(':')[0]!, model: spec.slice(spec.indexOf(':') + 1), provider, scheduler }),
    ...overrides,
  };
}

describe('triage graph', () => {
  it('starts each task when its dependencies are done and publishes each fact the moment it is done', async () => {
    const g = gatedProvider();
    const published: TaskId[] = [];
    const startedOrder: TaskId[] = [];
    const done = triageTicket(depsWith(g.provider), TICKET, ASSIGN, {
      onStarted: (t) => startedOrder.push(t),
      onResult: (r) => published.push(r.task),
    });
    await new Promise((r) => setTimeout(r, 0));
    // Only the two independent tasks run at first.
    expect([...g.waiting.keys()].sort()).toEqual(['platform', 'severity']);
    await g.answer('severity');
    expect(published).toEqual(['severity']); // published before the rest of the ticket exists
    await g.answer('platform');
    expect([...g.waiting.keys()].sort()).toEqual(['asset_ids', 'product']);
    // Dependent prompts carry the inferred platform, and the ticket verbatim.
    expect(g.waiting.get('product')!.req.messages[1]!.content).toContain('Platform: aws');
    expect(g.waiting.get('product')!.req.messages[1]!.content).toContain(TICKET.text);
    await g.answer('asset_ids');
    await g.answer('product');
    expect(g.waiting.get('technical_details')!.req.messages[1]!.content).toContain('Product: S3');
    await g.answer('technical_details');
    const r = await done;
    expect(published).toEqual(['severity', 'platform', 'asset_ids', 'product', 'technical_details']);
    expect(startedOrder.slice(0, 2).sort()).toEqual(['platform', 'severity']);
    expect(r.tasks.product.startedMs).toBeGreaterThanOrEqual(r.tasks.platform.endedMs);
    expect(r.tasks.technical_details.startedMs).toBeGreaterThanOrEqual(r.tasks.product.endedMs);
    // Normalised values (contracts §2)
    expect(r.tasks.platform.value).toBe('aws');
    expect(r.tasks.product.value).toBe('S3');
    expect(r.tasks.asset_ids.value).toEqual(['123456789012', 'acme-logs']);
    expect(r.tasks.technical_details.value).toEqual({ present: ['AccessDenied'], missing: ['region'] });
    expect(r.tasks.severity).toMatchObject({
      status: 'ok',
      value: 'urgent',
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 400,
      queueTimeMs: 2,
      providerTotalMs: 40,
    });
    expect(r.tasks.severity.costUsd).toBeGreaterThan(0);
  });

  it('skips the tasks downstream of a failure, with the reason, and still completes the rest', async () => {
    const g = gatedProvider();
    const done = triageTicket(depsWith(g.provider), TICKET, ASSIGN);
    await g.fail('platform', new ProviderError({ code: 'AUTH', message: 'Groq rejected the API key (401).', status: 401 }));
    await g.answer('severity');
    const r = await done;
    expect(r.tasks.platform).toMatchObject({ status: 'error', error: { code: 'AUTH' } });
    for (const t of ['product', 'asset_ids', 'technical_details'] as const) {
      expect(r.tasks[t].status).toBe('skipped');
      expect(r.tasks[t].error?.message).toBe('platform failed (AUTH)');
    }
    expect(r.tasks.severity.status).toBe('ok');
    expect(g.arrived).not.toContain('product');
  });

  it('retries an answer that is not schema-valid once, records both attempts, and keeps the raw text when it stays invalid', async () => {
    const g = gatedProvider();
    const attempts: AttemptRecord[] = [];
    const done = triageTicket(depsWith(g.provider), TICKET, ASSIGN, { onAttempt: (a) => attempts.push(a) });
    await g.answer('severity', '{"severity":"critical"}');
    await g.answer('severity', 'Sure! The severity is urgent.');
    await g.fail('platform', new ProviderError({ code: 'PROVIDER_ERROR', message: '503', status: 503 }));
    const r = await done;
    expect(r.tasks.severity.status).toBe('error');
    expect(r.tasks.severity.error?.code).toBe('INVALID_OUTPUT');
    expect(r.tasks.severity.raw).toBe('Sure! The severity is urgent.');
    expect(r.tasks.severity.attempts).toBe(2);
    const sev = attempts.filter((a) => a.task === 'severity');
    expect(sev.map((a) => [a.attempt, a.error?.code])).toEqual([
      [1, 'INVALID_OUTPUT'],
      [2, 'INVALID_OUTPUT'],
    ]);
    expect(sev[0]!.raw).toBe('{"severity":"critical"}');
    expect(sev[0]!.error?.message).toMatch(/critical/);
  });

  it('cancels in-flight calls and accounts for every task', async () => {
    const g = gatedProvider();
    const ac = new AbortController();
    const done = triageTicket(depsWith(g.provider), TICKET, ASSIGN, { signal: ac.signal });
    await g.answer('severity');
    ac.abort();
    const r = await done;
    expect(r.tasks.severity.status).toBe('ok');
    expect(r.tasks.platform.error?.code).toBe('CANCELLED');
    expect(r.tasks.product.status).toBe('skipped');
  });

  it('fails a task with KEY_MISSING, naming the provider, without calling anything', async () => {
    const g = gatedProvider();
    const deps = depsWith(g.provider);
    const lane = deps.lane;
    deps.lane = (spec) => {
      if (spec.startsWith('openai:')) throw new AppError('KEY_MISSING', 'no OpenAI API key: set one with `casebench keys set openai`');
      return lane(spec);
    };
    const done = triageTicket(deps, TICKET, ASSIGN);
    await g.answer('platform');
    await g.answer('asset_ids');
    await g.answer('product');
    await g.answer('technical_details');
    const r = await done;
    expect(r.tasks.severity).toMatchObject({ status: 'error', attempts: 0, error: { code: 'KEY_MISSING' } });
    expect(g.arrived).not.toContain('severity');
  });

  it('reuses results it is given instead of calling the model again', async () => {
    const g = gatedProvider();
    const first = triageTicket(depsWith(g.provider), TICKET, ASSIGN);
    for (const t of ['platform', 'severity', 'asset_ids', 'product', 'technical_details'] as const) await g.answer(t);
    const r1 = await first;
    const g2 = gatedProvider();
    const given: Partial<Record<TaskId, TaskResult>> = { platform: r1.tasks.platform, product: r1.tasks.product };
    const second = triageTicket(depsWith(g2.provider), TICKET, ASSIGN, { given });
    for (const t of ['severity', 'asset_ids', 'technical_details'] as const) await g2.answer(t);
    const r2 = await second;
    expect(g2.arrived.sort()).toEqual(['asset_ids', 'severity', 'technical_details']);
    expect(r2.tasks.product.value).toBe('S3');
  });
});

describe('criticalPathMs', () => {
  it("reproduces the article's all-GPT-4o and per-task plans", () => {
    expect(criticalPathMs({ platform: 571, product: 851, technical_details: 1914, asset_ids: 593, severity: 605 })).toBe(3336);
    expect(criticalPathMs({ platform: 249, product: 406, technical_details: 334, asset_ids: 220, severity: 234 })).toBe(989);
    expect(criticalPathMs({ platform: 10, product: 10, technical_details: 10, asset_ids: 10, severity: 500 })).toBe(500);
  });
});

describe('upstream overrides (an experiment judged on the baseline platform)', () => {
  const baselineResult = (task: TaskId, value: unknown, status: TaskResult['status'] = 'ok'): TaskResult => ({
    task,
    status,
    value,
    raw: null,
    provider: 'openai',
    model: 'gpt-4o',
    promptVersion: 'v1',
    startedMs: 0,
    endedMs: 1,
    latencyMs: 1,
    ttftMs: null,
    queueTimeMs: null,
    providerTotalMs: null,
    inputTokens: null,
    outputTokens: null,
    cachedTokens: null,
    reasoningTokens: null,
    costUsd: null,
    attempts: 1,
    error: status === 'ok' ? null : { code: 'PROVIDER_ERROR', message: '503' },
  });

  it("feeds the baseline's platform and product to the prompts while the model still answers every task itself", async () => {
    const g = gatedProvider();
    const upstream = { platform: baselineResult('platform', 'gcp'), product: baselineResult('product', 'GKE') };
    const done = triageTicket(depsWith(g.provider), TICKET, ASSIGN, { upstream });
    await new Promise((r) => setTimeout(r, 0));
    // Dependents do not wait for the model's own platform: the baseline's is already known.
    expect([...g.waiting.keys()].sort()).toEqual(['asset_ids', 'platform', 'product', 'severity', 'technical_details']);
    expect(g.waiting.get('product')!.req.messages[1]!.content).toContain('Platform: gcp');
    expect(g.waiting.get('technical_details')!.req.messages[1]!.content).toContain('Product: GKE');
    for (const t of ['platform', 'severity', 'asset_ids', 'product', 'technical_details'] as const) await g.answer(t);
    const r = await done;
    // The model's own platform call is its own answer, not the baseline's.
    expect(r.tasks.platform.value).toBe('aws');
    expect(r.tasks.platform.model).toBe('openai/gpt-oss-120b');
  });

  it('skips the dependents, naming the upstream, when the baseline failed, and still runs the own platform call', async () => {
    const g = gatedProvider();
    const upstream = { platform: baselineResult('platform', null, 'error') };
    const done = triageTicket(depsWith(g.provider), TICKET, ASSIGN, { upstream });
    await g.answer('platform');
    await g.answer('severity');
    const r = await done;
    expect(r.tasks.platform.status).toBe('ok');
    expect(r.tasks.product).toMatchObject({
      status: 'skipped',
      error: { code: 'SKIPPED', message: 'upstream platform failed (PROVIDER_ERROR)' },
    });
    expect(g.arrived.sort()).toEqual(['platform', 'severity']);
  });
});

describe('the task graph', () => {
  it("derives the critical-path chains from the tasks' dependencies", async () => {
    const { TASK_CHAINS } = await import('#shared/tasks.ts');
    expect(TASK_CHAINS).toEqual([['platform', 'product', 'technical_details'], ['platform', 'asset_ids'], ['severity']]);
  });
});

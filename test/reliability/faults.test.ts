// Faults a support engineer's day brings, against the loopback fake providers through the real
// SDKs and the real engine: each is classified with its code, its raw text kept, and the rest of
// the ticket completes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskId } from '#shared/tasks.ts';
import { createRuntime, type Runtime } from '#core/runtime.ts';
import { triageTicket, type Assignment, type AttemptRecord } from '#core/graph/engine.ts';
import { startFakeServer, type FakeServer, type FaultKind } from '../fakes/fakeProviderServer.ts';

const ASSIGN: Assignment = {
  platform: 'groq:openai/gpt-oss-120b',
  product: 'groq:openai/gpt-oss-20b',
  technical_details: 'groq:openai/gpt-oss-20b',
  asset_ids: 'groq:openai/gpt-oss-120b',
  severity: 'openai:gpt-4o',
};
const TICKET = {
  id: 'F1',
  text: 'Lambda function billing-sync in account 210987654321 times out after 15 minutes since this morning; customers see stale invoices.',
};
const KEYS = { GROQ_API_KEY: 'gsk_FAULTTES-TKEY00000000000000000001', OPENAI_API_KEY: 'sk-FAULTTES-TKEY0000000000000000000001' };

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 5, maxHangMs: 5_000 });
});
afterAll(() => fake.close());

async function runtime(extra: { maxRetries?: number; retryAfterCapMs?: number; maxConcurrency?: number } = {}): Promise<Runtime> {
  return createRuntime({
    env: { ...KEYS, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    secretStore: null,
    scheduler: { maxRetries: extra.maxRetries ?? 1, retryAfterCapMs: extra.retryAfterCapMs ?? 3_000, maxConcurrency: extra.maxConcurrency },
  });
}

describe('outages and bad answers on one task', () => {
  const cases: Array<{ fault: FaultKind; stream: boolean; code: string; raw?: RegExp }> = [
    { fault: '500', stream: false, code: 'PROVIDER_ERROR' },
    { fault: '502', stream: false, code: 'PROVIDER_ERROR' },
    { fault: '503', stream: true, code: 'PROVIDER_ERROR' },
    { fault: 'reset', stream: false, code: 'NETWORK' },
    { fault: 'stream-cut', stream: true, code: 'NETWORK' },
    { fault: 'stream-error-event', stream: true, code: 'PROVIDER_ERROR' },
    { fault: 'hang', stream: false, code: 'TIMEOUT' },
    { fault: 'invalid-json', stream: false, code: 'INVALID_OUTPUT', raw: /./ },
    { fault: 'schema-violation', stream: true, code: 'INVALID_OUTPUT', raw: /^\{/ },
    { fault: 'empty-choices', stream: false, code: 'INVALID_OUTPUT' },
  ];
  for (const c of cases) {
    it(`${c.fault}${c.stream ? ' (streamed)' : ''} on severity → ${c.code}, every other task still answered`, async () => {
      const rt = await runtime();
      fake.configure({ faults: (i) => (i.task === 'severity' ? c.fault : null) });
      const attempts: AttemptRecord[] = [];
      try {
        const r = await triageTicket(rt.deps, TICKET, ASSIGN, { stream: c.stream, timeoutMs: 800, onAttempt: (a) => attempts.push(a) });
        const sev = r.tasks.severity;
        expect(sev.status).toBe('error');
        // 'stream-cut' may surface as a network error or a provider error depending on where the cut lands.
        if (c.fault === 'stream-cut') expect(['NETWORK', 'PROVIDER_ERROR']).toContain(sev.error?.code);
        else expect(sev.error?.code).toBe(c.code);
        expect(sev.error?.message.length).toBeGreaterThan(5);
        if (c.raw) expect(sev.raw).toMatch(c.raw);
        for (const t of ['platform', 'product', 'asset_ids', 'technical_details'] as TaskId[]) expect(r.tasks[t].status).toBe('ok');
        // Each attempt is reported for the record, the failed ones too.
        expect(attempts.filter((a) => a.task === 'severity' && a.error).length).toBe(sev.attempts);
      } finally {
        fake.configure({ faults: null });
      }
    });
  }
});

describe('rate limits', () => {
  it('a retry-after of minutes fails at once with the wait named, instead of sleeping through it', async () => {
    const rt = await runtime({ maxRetries: 3 });
    fake.configure({ faults: (i) => (i.task === 'platform' ? '429-long' : null) });
    try {
      const r = await triageTicket(rt.deps, TICKET, ASSIGN);
      expect(r.tasks.platform.error?.code).toBe('RATE_LIMITED');
      expect(r.tasks.platform.error?.message).toMatch(/asked to wait 10m0?s, more than the 3s cap/);
      expect(r.tasks.platform.attempts).toBe(1);
      expect(r.tasks.product.status).toBe('skipped');
      expect(r.tasks.severity.status).toBe('ok');
    } finally {
      fake.configure({ faults: null });
    }
  });

  it('a request larger than the tokens-per-minute limit (413) is not retried and says what to do', async () => {
    const rt = await runtime({ maxRetries: 3 });
    fake.configure({ tpm: 50 });
    try {
      const r = await triageTicket(rt.deps, TICKET, ASSIGN);
      expect(r.tasks.platform.error?.code).toBe('RATE_LIMITED');
      expect(r.tasks.platform.attempts).toBe(1);
      expect(r.tasks.platform.error?.message).toMatch(/too large|shorten|reduce/i);
    } finally {
      fake.configure({ tpm: null });
    }
  });
  // 429 storms, per-model limits and header pacing: test/reliability/rateLimits.test.ts.
});

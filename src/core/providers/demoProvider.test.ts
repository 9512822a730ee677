import { describe, expect, it } from 'vitest';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { WIRE_SCHEMAS } from '#shared/wireSchemas.ts';
import { createDemoProvider, demoModels, loadLatencyProfiles, readPrompt } from './demoProvider.ts';
import type { ProviderError, ChatRequest } from './types.ts';

const TICKET =
  'Our GKE cluster prod-eu-1 in project acme-prod-42 returns 502 from the ingress since the upgrade to 1.29. Production is down!';

function request(model: string, task: TaskId, extra: Partial<ChatRequest> = {}): ChatRequest {
  return {
    model,
    task,
    messages: [
      { role: 'system', content: 'You triage support tickets. Answer in JSON.' },
      { role: 'user', content: `Platform: gcp\nProduct: Google Kubernetes Engine\n<ticket>${TICKET}</ticket>` },
    ],
    responseFormat: { type: 'json_schema', name: task, schema: TASKS[task].jsonSchema, strict: true },
    stream: true,
    timeoutMs: 30_000,
    ...extra,
  };
}

async function settle(p: Promise<unknown>): Promise<{ ok: true; v: unknown } | { ok: false; e: ProviderError }> {
  try {
    return { ok: true, v: await p };
  } catch (e) {
    return { ok: false, e: e as ProviderError };
  }
}

describe('demo provider', () => {
  it("serves the article's five models", () => {
    expect(demoModels().sort()).toEqual(['gpt-4.1-mini', 'gpt-4o', 'llama-3.1-8b', 'llama-3.3-70b', 'llama-4-scout-17b']);
  });

  it('answers every task with JSON that matches the task schema, with token counts and TTFT', async () => {
    const demo = createDemoProvider({ seed: 1, failures: false, speed: 0.01 });
    for (const task of TASK_IDS) {
      const res = await demo.complete(request('gpt-4o', task));
      const parsed = WIRE_SCHEMAS[task].safeParse(JSON.parse(res.text));
      expect(parsed.success, `${task}: ${res.text}`).toBe(true);
      expect(res.outputTokens).toBe(Math.ceil(res.text.length / 4));
      expect(res.inputTokens).toBeGreaterThan(TICKET.length / 4);
      expect(res.ttftMs).toBeGreaterThan(0);
      expect(res.finishReason).toBe('stop');
    }
    const platform = await demo.complete(request('gpt-4o', 'platform'));
    expect(JSON.parse(platform.text)).toEqual({ platform: 'gcp' });
  });

  it('gives the same simulated run for the same seed, a different one for another seed', async () => {
    const run = async (seed: number) => {
      const demo = createDemoProvider({ seed, speed: 0.001 });
      const out: string[] = [];
      for (let i = 0; i < 30; i++) {
        const r = await settle(demo.complete(request('llama-4-scout-17b', 'platform')));
        out.push(r.ok ? `ok:${(r.v as { ttftMs: number }).ttftMs.toFixed(6)}` : `fail:${r.e.raw}`);
      }
      return out;
    };
    const a = await run(42);
    expect(await run(42)).toEqual(a);
    expect(await run(43)).not.toEqual(a);
  });

  it("simulates latency around the article's median for each model and task", async () => {
    const demo = createDemoProvider({ seed: 7, failures: false, speed: 0.001 });
    const speed = 0.001;
    const samples = await Promise.all(Array.from({ length: 301 }, () => demo.complete(request('gpt-4o', 'technical_details'))));
    const latencies = samples.map((s) => (s.ttftMs as number) / 0.8 / speed).sort((x, y) => x - y);
    const median = latencies[150] as number;
    // Article: gpt-4o technical_details median 1914 ms.
    expect(median).toBeGreaterThan(1914 * 0.9);
    expect(median).toBeLessThan(1914 * 1.1);
    // Log-normal with sigma 0.25: a real spread, not a constant.
    expect(latencies[15] as number).toBeLessThan(1914 * 0.8);
    expect(latencies[285] as number).toBeGreaterThan(1914 * 1.2);
  });

  it("answers with broken JSON at the article's failure rate, and never when switched off", async () => {
    // llama-4-scout-17b succeeded on only 42.95 % of platform calls in the article.
    const valid = (text: string): boolean => {
      try {
        WIRE_SCHEMAS.platform.parse(JSON.parse(text));
        return true;
      } catch {
        return false;
      }
    };
    const flaky = createDemoProvider({ seed: 3, speed: 0.0001 });
    const results = await Promise.all(Array.from({ length: 400 }, () => flaky.complete(request('llama-4-scout-17b', 'platform'))));
    const broken = results.filter((r) => !valid(r.text));
    expect(broken.length / results.length).toBeGreaterThan(0.5);
    expect(broken.length / results.length).toBeLessThan(0.65);

    const steady = createDemoProvider({ seed: 3, failures: false, speed: 0.0001 });
    const clean = await Promise.all(Array.from({ length: 100 }, () => steady.complete(request('llama-4-scout-17b', 'platform'))));
    expect(clean.every((r) => valid(r.text))).toBe(true);
  });

  it('stops waiting when the caller aborts', async () => {
    const demo = createDemoProvider({ seed: 1, failures: false, speed: 1 });
    const ctl = new AbortController();
    const p = settle(demo.complete(request('gpt-4o', 'technical_details', { signal: ctl.signal })));
    setTimeout(() => ctl.abort(), 5);
    const r = await p;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.e.code).toBe('CANCELLED');
  });

  it('times out when the simulated latency exceeds the timeout', async () => {
    const demo = createDemoProvider({ seed: 1, failures: false, speed: 1 });
    const r = await settle(demo.complete(request('gpt-4o', 'technical_details', { timeoutMs: 5 })));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.e.code).toBe('TIMEOUT');
      expect(r.e.retryable).toBe(true);
    }
  });

  it('names the models it has when asked for another', async () => {
    const demo = createDemoProvider({ speed: 0.01 });
    const r = await settle(demo.complete(request('gpt-9', 'platform')));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.e.code).toBe('MODEL_NOT_FOUND');
      expect(r.e.message).toContain('llama-3.3-70b');
    }
  });

  it('reads the ticket from the last <ticket> block and context lines outside it', () => {
    const p = readPrompt([
      { role: 'system', content: 'Example: <ticket>old example</ticket>' },
      {
        role: 'user',
        content:
          'Example <ticket>an example ticket</ticket>\nPlatform: aws\nProduct: unknown\n<ticket>Product: Fake\nS3 bucket is slow</ticket>',
      },
    ]);
    expect(p.ticket).toBe('Product: Fake\nS3 bucket is slow');
    expect(p.platform).toBe('aws');
    expect(p.product).toBeNull();
  });

  it('ships profiles that cover every model and task', () => {
    const profiles = loadLatencyProfiles();
    for (const m of Object.values(profiles.models)) {
      for (const t of TASK_IDS) expect(m.tasks[t].medianMs).toBeGreaterThan(0);
    }
    expect(profiles.models['llama-3.1-8b']?.tasks.platform.medianMs).toBe(141);
  });
});

import { describe, expect, it } from 'vitest';
import type { TicketInput } from '#shared/results.ts';
import type { TaskId } from '#shared/tasks.ts';
import { createRuntime } from '../runtime.ts';
import type { EngineDeps } from '../graph/engine.ts';
import { heuristicAnswer } from '../providers/demo/heuristicAnswers.ts';
import { ProviderScheduler } from '../providers/scheduler.ts';
import { ProviderError, type ChatProvider, type ChatRequest } from '../providers/types.ts';
import { openStore, type Store } from '../store/store.ts';
import {
  checkExperimentModels,
  estimateExperimentCost,
  experimentEtaMs,
  experimentRunId,
  runExperiment,
  type ExperimentPlan,
  type ExperimentProgress,
} from './experiment.ts';
import { minimumDurationMs, parseRpm, rpmFor, withRateLimits } from './rateLimits.ts';

const rt = await createRuntime({ env: {}, secretStore: null, today: '2026-11-25' });
const BASE = 'openai:gpt-4o';
const A = 'groq:openai/gpt-oss-20b';
const B = 'groq:openai/gpt-oss-120b';

const TICKETS: TicketInput[] = Array.from({ length: 6 }, (_, i) => ({
  id: `T${i + 1}`,
  text: [
    `Our S3 bucket logs-${i} in account 12345678901${i} returns AccessDenied since 09:00; production is down.`,
    `BigQuery in project data-${i} is slow since yesterday, error "Resources exceeded"; not urgent.`,
  ][i % 2]!,
}));

type Answer = (model: string, task: TaskId, req: ChatRequest) => string | ProviderError;

/** A provider answering with the heuristics unless `answer` overrides; records what it was asked. */
function fakeDeps(
  answer: Answer = () => '',
  delayMs = 0,
): { deps: EngineDeps; requests: Array<{ model: string; task: TaskId; user: string }> } {
  const requests: Array<{ model: string; task: TaskId; user: string }> = [];
  const provider: ChatProvider = {
    id: 'groq',
    complete: async (req) => {
      const task = req.task as TaskId;
      const user = req.messages[1]!.content;
      requests.push({ model: req.model, task, user });
      if (delayMs) {
        await new Promise<void>((res, rej) => {
          const t = setTimeout(res, delayMs);
          req.signal?.addEventListener('abort', () => {
            clearTimeout(t);
            rej(new ProviderError({ code: 'CANCELLED', message: 'cancelled' }));
          });
        });
      }
      const a = answer(req.model, task, req);
      if (a instanceof ProviderError) throw a;
      const ticket = /<ticket>\n([\s\S]*)\n<\/ticket>$/.exec(user)?.[1] ?? '';
      const ctx = { platform: /^Platform: (.*)$/m.exec(user)?.[1] ?? null, product: /^Product: (.*)$/m.exec(user)?.[1] ?? null };
      const text = a || JSON.stringify(heuristicAnswer(task, ticket, ctx));
      return {
        text,
        finishReason: 'stop',
        inputTokens: 300,
        outputTokens: 10,
        cachedTokens: 0,
        reasoningTokens: null,
        ttftMs: null,
        queueTimeMs: null,
        providerTotalMs: null,
        requestId: null,
        rateLimit: null,
      };
    },
  };
  const scheduler = new ProviderScheduler({ maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 });
  const deps: EngineDeps = {
    ...rt.deps,
    lane: (spec) => ({ providerId: spec.slice(0, spec.indexOf(':')), model: spec.slice(spec.indexOf(':') + 1), provider, scheduler }),
  };
  return { deps, requests };
}

const plan = (upstream: ExperimentPlan['upstream'] = 'own', models = [BASE, A, B]): ExperimentPlan => ({
  models,
  baseline: BASE,
  upstream,
});
const count = (s: Store, sql: string, ...args: string[]): number => Number((s.prepare(sql).get(...args) as { n: number }).n);

describe('experiment: every ticket × model × task, recorded', () => {
  it('records one final result per ticket, task and model, every call, and marks the tickets done', async () => {
    const store = openStore(':memory:');
    const { deps } = fakeDeps();
    const runId = experimentRunId(plan(), 'tickets.jsonl');
    const out = await runExperiment({ store, deps, runId, plan: plan(), tickets: TICKETS, source: 'tickets.jsonl', concurrency: 2 });
    expect(out).toMatchObject({ complete: true, interrupted: false, stopped: {} });
    expect(count(store, 'SELECT count(*) AS n FROM results WHERE run_id = ?', runId)).toBe(6 * 3 * 5);
    expect(count(store, 'SELECT count(DISTINCT ticket_id || task || model_spec) AS n FROM results WHERE run_id = ?', runId)).toBe(90);
    expect(count(store, 'SELECT count(*) AS n FROM calls WHERE run_id = ?', runId)).toBe(90);
    expect(store.runTicketIds(runId, 'done').size).toBe(6);
    expect(store.getRun(runId)).toMatchObject({
      kind: 'experiment',
      status: 'done',
      config: { models: [BASE, A, B], baseline: BASE, upstream: 'own' },
    });
    expect(out.progress).toMatchObject({ totalTasks: 90, doneTasks: 90, doneBefore: 0, calls: 90 });
    expect(out.progress.costUsd).toBeGreaterThan(0);
  });

  it("feeds the baseline's platform to the other models' dependent prompts in baseline mode, and their own in own mode", async () => {
    // Model A always says azure; the baseline says aws for the S3 tickets.
    const wrong: Answer = (model, task) => (model === 'openai/gpt-oss-20b' && task === 'platform' ? '{"platform":"azure"}' : '');
    for (const mode of ['own', 'baseline'] as const) {
      const store = openStore(':memory:');
      const { deps, requests } = fakeDeps(wrong);
      const pl = plan(mode);
      await runExperiment({
        store,
        deps,
        runId: experimentRunId(pl, 's'),
        plan: pl,
        tickets: TICKETS.slice(0, 1),
        source: 's',
        concurrency: 1,
      });
      const productPrompt = requests.find((r) => r.model === 'openai/gpt-oss-20b' && r.task === 'product')!.user;
      expect(productPrompt).toContain(mode === 'baseline' ? 'Platform: aws' : 'Platform: azure');
      // The model still made (and is judged on) its own platform call.
      const own = store
        .resultsForTicket(experimentRunId(pl, 's'), 'T1')
        .find((r) => r.task === 'platform' && r.model === 'openai/gpt-oss-20b');
      expect(own?.value).toBe('azure');
    }
  });

  it('resumes after an interruption without repeating a finished call, and keeps no cancelled result', async () => {
    const store = openStore(':memory:');
    const { deps } = fakeDeps(() => '', 3);
    const runId = experimentRunId(plan(), 's');
    const ac = new AbortController();
    const first = await runExperiment({
      store,
      deps,
      runId,
      plan: plan(),
      tickets: TICKETS,
      source: 's',
      concurrency: 2,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.doneTasks >= 30) ac.abort();
      },
    });
    expect(first).toMatchObject({ complete: false, interrupted: true });
    expect(store.getRun(runId)!.status).toBe('interrupted');
    expect(count(store, "SELECT count(*) AS n FROM results WHERE error_code = 'CANCELLED'")).toBe(0);
    const before = count(store, "SELECT count(*) AS n FROM calls WHERE status = 'ok'");
    const saved = count(store, 'SELECT count(*) AS n FROM results');
    expect(saved).toBeGreaterThanOrEqual(30);
    expect(saved).toBeLessThan(90);

    let progress: ExperimentProgress | null = null;
    const again = await runExperiment({
      store,
      deps,
      runId,
      plan: plan(),
      tickets: TICKETS,
      source: 's',
      concurrency: 2,
      onProgress: (p) => (progress = p),
    });
    expect(again.complete).toBe(true);
    expect(progress!.doneBefore).toBe(saved);
    expect(count(store, 'SELECT count(*) AS n FROM results')).toBe(90);
    // Each finished task was called successfully once, across both sessions.
    expect(
      store.prepare("SELECT ticket_id, task, model_spec, count(*) AS n FROM calls WHERE status = 'ok' GROUP BY 1, 2, 3 HAVING n > 1").all(),
    ).toEqual([]);
    expect(count(store, "SELECT count(*) AS n FROM calls WHERE status = 'ok'")).toBe(before + (90 - saved));
  });

  it('pauses a model whose calls keep failing for transient reasons, and records those failures', async () => {
    const store = openStore(':memory:');
    const down: Answer = (model) =>
      model === 'openai/gpt-oss-120b'
        ? new ProviderError({ code: 'PROVIDER_ERROR', message: 'Groq: 503 Service Unavailable', status: 503 })
        : '';
    const { deps } = fakeDeps(down);
    let clock = 0;
    const pauses: number[] = [];
    const notices: string[] = [];
    const out = await runExperiment({
      store,
      deps,
      runId: 'r',
      plan: plan(),
      tickets: TICKETS.slice(0, 4),
      source: 's',
      concurrency: 1,
      outage: { threshold: 2, pauseMs: 10_000, maxPauseMs: 15_000 },
      now: () => clock,
      sleep: async (ms) => {
        pauses.push(ms);
        clock += ms;
      },
      onNotice: (m) => notices.push(m),
    });
    expect(out.complete).toBe(true);
    // Each of B's tickets fails platform and severity (2 in a row): pause 10 s, then 15 s (capped), …
    expect(pauses.slice(0, 3)).toEqual([10_000, 15_000, 15_000]);
    expect(notices[0]).toMatch(
      /^groq:openai\/gpt-oss-120b: 2 calls in a row failed \(PROVIDER_ERROR: Groq: 503 Service Unavailable.*\); pausing 10s/,
    );
    // The failures are the model's outcomes: recorded, not dropped.
    expect(count(store, "SELECT count(*) AS n FROM results WHERE model_spec = ? AND status = 'error'", B)).toBe(8);
    expect(count(store, "SELECT count(*) AS n FROM results WHERE model_spec = ? AND status = 'skipped'", B)).toBe(12);
  });

  it('stops a model that cannot be called (key rejected) without recording refusals as its answers', async () => {
    const store = openStore(':memory:');
    const auth: Answer = (model) =>
      model === 'openai/gpt-oss-120b' ? new ProviderError({ code: 'AUTH', message: 'Groq rejected the API key (401).', status: 401 }) : '';
    const { deps, requests } = fakeDeps(auth);
    const notices: string[] = [];
    const out = await runExperiment({
      store,
      deps,
      runId: 'r',
      plan: plan(),
      tickets: TICKETS,
      source: 's',
      concurrency: 1,
      onNotice: (m) => notices.push(m),
    });
    expect(out.complete).toBe(false);
    expect(out.stopped).toEqual({ [B]: 'AUTH: Groq rejected the API key (401).' });
    expect(notices).toContain(`${B}: stopped (AUTH: Groq rejected the API key (401).); fix it and run the same command again to resume`);
    expect(count(store, 'SELECT count(*) AS n FROM results WHERE model_spec = ?', B)).toBe(0);
    expect(count(store, 'SELECT count(*) AS n FROM calls WHERE model_spec = ?', B)).toBeGreaterThan(0);
    expect(requests.filter((r) => r.model === 'openai/gpt-oss-120b').length).toBeLessThanOrEqual(2); // one ticket's two root calls
    expect(count(store, 'SELECT count(*) AS n FROM results WHERE model_spec = ?', A)).toBe(30);
    expect(store.getRun('r')!.status).toBe('interrupted');
  });
});

describe('experiment: checks before any call', () => {
  const reg = rt.models;
  it('accepts known models, openai-compatible ones, and a baseline among them', () => {
    expect(
      checkExperimentModels([BASE, ' groq:openai/gpt-oss-20b', 'openai-compatible:llama3'], ' openai:gpt-4o', reg, '2026-11-25'),
    ).toEqual({
      models: [BASE, A, 'openai-compatible:llama3'],
      baseline: BASE,
    });
  });
  it('refuses, in one line, an unknown model, a shut-down one, a duplicate, and a baseline not among the models', () => {
    expect(() => checkExperimentModels([BASE, 'groq:llama-9-huge'], BASE, reg, '2026-11-25')).toThrow(
      /^unknown model groq:llama-9-huge: not in resources\/models\.json \(groq models: openai\/gpt-oss-20b, /,
    );
    expect(() => checkExperimentModels([BASE, 'groq:llama-3.1-8b-instant'], BASE, reg, '2026-11-25')).toThrow(
      'groq:llama-3.1-8b-instant was shut down on 2026-08-16; use groq:openai/gpt-oss-20b instead',
    );
    expect(() => checkExperimentModels([BASE, BASE], BASE, reg, '2026-11-25')).toThrow(`--models lists ${BASE} twice`);
    expect(() => checkExperimentModels([A, B], BASE, reg, '2026-11-25')).toThrow(`--baseline ${BASE} is not among --models (${A}, ${B})`);
    expect(() => checkExperimentModels(['gpt-4o'], 'gpt-4o', reg, '2026-11-25')).toThrow(/no provider prefix/);
  });
  it('gives the same run id for the same experiment whatever the model order', () => {
    expect(experimentRunId(plan('own', [BASE, A]), 'f')).toBe(experimentRunId(plan('own', [A, BASE]), 'f'));
    expect(experimentRunId(plan('own'), 'f')).not.toBe(experimentRunId(plan('baseline'), 'f'));
  });
});

describe('experiment: cost estimate and ETA', () => {
  it('prices prompts × tickets per model, and lists models without a price apart', () => {
    const units = new Map([
      [BASE, 100],
      [A, 100],
      ['openai:gpt-6.1-sol', 100],
    ]);
    const e = estimateExperimentCost(rt.deps, rt.models, TICKETS, units);
    expect(e.calls).toBe(1500);
    expect(e.inputTokensPerCall).toBeGreaterThan(100);
    expect(e.unknown).toEqual(['openai:gpt-6.1-sol']);
    const base = e.perModel.find((m) => m.model === BASE)!.costUsd!;
    const a = e.perModel.find((m) => m.model === A)!.costUsd!;
    expect(e.totalUsd).toBeCloseTo(base + a, 12);
    // GPT-4o costs $2.50/$10 per 1M tokens, gpt-oss-20b $0.075/$0.30: far cheaper even with its reasoning tokens.
    expect(base / a).toBeGreaterThan(10);
    const half = estimateExperimentCost(rt.deps, rt.models, TICKETS, new Map([[BASE, 50]]));
    expect(half.totalUsd).toBeCloseTo(base / 2, 12);
  });

  it("estimates time left from the slowest model's own pace", () => {
    const p = (done: number, before: number, total = 100) => ({ total, done, doneBefore: before, pausedUntil: null, stopped: null });
    const prog = { perModel: { fast: p(100, 0), slow: p(30, 10) } } as unknown as ExperimentProgress;
    // slow: 20 done in 60 s this session, 70 left → 210 s
    expect(experimentEtaMs(prog, 60_000)).toBe(210_000);
    expect(experimentEtaMs({ perModel: { m: p(10, 10) } } as unknown as ExperimentProgress, 5000)).toBeNaN();
  });
});

describe('--rpm', () => {
  const models = [BASE, A, B];
  it('reads one limit, per-provider limits, per-model limits and provider:* for each model of a provider', () => {
    expect(parseRpm('30', models)).toEqual({ '*': 30 });
    expect(parseRpm('groq=30,openai=500', models)).toEqual({ groq: 30, openai: 500 });
    expect(parseRpm(`groq:*=30,${A}=60`, models)).toEqual({ 'groq:*': 30, [A]: 60 });
    expect(() => parseRpm('groq=fast', models)).toThrow(/--rpm groq: "fast" is not a positive number/);
    expect(() => parseRpm('groq:other=3', models)).toThrow(/--rpm names groq:other, which is not among the models/);
    expect(() => parseRpm('azure=3', models)).toThrow(/neither a provider/);
  });

  it('gives per-model limits their own bucket and provider limits one shared bucket', () => {
    expect(rpmFor({ groq: 30 }, A)).toEqual({ key: 'groq', rpm: 30 });
    expect(rpmFor({ 'groq:*': 30 }, A)).toEqual({ key: A, rpm: 30 });
    expect(rpmFor({ groq: 30, [B]: 60 }, B)).toEqual({ key: B, rpm: 60 });
    expect(rpmFor({ groq: 30 }, BASE)).toBeNull();
    const { deps } = fakeDeps();
    const shared = withRateLimits(deps, { groq: 30 });
    // One bucket (scheduler tests: 'shares one rpm bucket …'), but each model its own scheduler:
    // one model's 429s and headers never hold the other back.
    expect(shared.deps.lane(A).scheduler).not.toBe(shared.deps.lane(B).scheduler);
    expect(Object.keys(shared.states()).sort()).toEqual([A, B].sort());
    const own = withRateLimits(deps, { 'groq:*': 30 });
    expect(own.deps.lane(A).scheduler).not.toBe(own.deps.lane(B).scheduler);
    expect(own.deps.lane(BASE).scheduler).toBe(deps.lane(BASE).scheduler);
  });

  it('says how long the calls take at least at these limits (the slowest bucket)', () => {
    const calls = new Map([
      [A, 600],
      [B, 300],
      [BASE, 900],
    ]);
    expect(minimumDurationMs({ groq: 30 }, calls)).toEqual({ ms: 30 * 60_000, bucket: 'groq', calls: 900, rpm: 30 });
    expect(minimumDurationMs({ 'groq:*': 30 }, calls)).toEqual({ ms: 20 * 60_000, bucket: A, calls: 600, rpm: 30 });
    expect(minimumDurationMs({}, calls).ms).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelInfo } from '#shared/routes.ts';
import type { ExperimentLive, ExperimentModelTaskStats, ExperimentPlanReport, ExperimentReport } from '#shared/routes/experimentRoutes.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { fakeTransport } from '#renderer/platform/fakeTransport.ts';
import { createExperimentsStore, plotDrill } from './experimentsStore.ts';
import { bestCells, cellDrill, columnsFor, duration, usd } from './reportLogic.ts';
import { EMPTY_FORM, rpmSpec, setupInput, toggleModel } from './setupLogic.ts';

const A = 'groq:openai/gpt-oss-120b';
const B = 'groq:openai/gpt-oss-20b';
const C = 'groq:qwen/qwen3.8-27b';
const info = (spec: string, status = 'production'): ModelInfo => ({
  spec,
  provider: spec.split(':')[0]!,
  name: spec,
  status,
  priceKnown: true,
  retiredOn: status === 'retired' ? '2026-08-16' : null,
  replacement: null,
});
const MODELS = [info(A), info(B), info(C), info('groq:llama-3.1-8b-instant', 'retired')];

const stats = (o: Partial<ExperimentModelTaskStats> = {}): ExperimentModelTaskStats => ({
  n: 10,
  agreement_rate: null,
  agreement_ci95: null,
  n_compared: 0,
  kappa: null,
  accuracy: null,
  n_labelled: 0,
  first_try_success_rate: 1,
  success_rate: 1,
  n_failed: 0,
  failures: {},
  n_skipped: 0,
  calls: 10,
  median_ms: 300,
  median_ms_ci95: null,
  p95_ms: 400,
  p99_ms: 450,
  speedup: 1,
  cost_per_1k_usd: 0.1,
  cost_ratio: 1,
  price_unknown: false,
  ...o,
});
const uniform = (m: string) => Object.fromEntries(TASK_IDS.map((t) => [t, m])) as Record<TaskId, string>;
const entry = (m: string, median: number) => ({
  assignment: uniform(m),
  critical_path_median_ms: median,
  critical_path_p95_ms: median * 1.2,
  n_tickets_p95: 10,
  speedup: 1,
  cost_per_1k_tickets_usd: 0.5,
  below_floor: [],
  success_rate: 1,
  n_failed: 0,
  cost_vs_baseline: 1,
});
const plan = (rec: string | null): ExperimentPlanReport => ({
  floors: Object.fromEntries(TASK_IDS.map((t) => [t, 0.8])) as Record<TaskId, number>,
  min_success_rate: 0,
  quality_source: Object.fromEntries(TASK_IDS.map((t) => [t, 'agreement'])) as Record<TaskId, 'agreement'>,
  assignment: null,
  baseline: entry(A, 900),
  recommended: rec ? entry(rec, 500) : null,
  recommended_reason: rec ? null : 'no model reaches the floor 0.8 for severity',
  recommended_cost_note: null,
  within_baseline_cost: null,
  floor_sweep: [],
});
function report(over: Partial<Record<string, Partial<ExperimentModelTaskStats>>> = {}, labels = false): ExperimentReport {
  const tasks = {} as ExperimentReport['tasks'];
  for (const t of TASK_IDS) {
    tasks[t] = {
      [A]: stats({
        median_ms: 300,
        speedup: 1,
        cost_per_1k_usd: 0.1,
        cost_ratio: 1,
        accuracy: labels ? 0.9 : null,
        n_labelled: labels ? 10 : 0,
      }),
      [B]: stats({
        agreement_rate: 0.9,
        kappa: 0.8,
        median_ms: 150,
        speedup: 2,
        cost_per_1k_usd: 0.05,
        cost_ratio: 2,
        accuracy: labels ? 0.8 : null,
        n_labelled: labels ? 10 : 0,
        ...over[B],
      }),
      [C]: stats({
        agreement_rate: 0.7,
        kappa: 0.5,
        median_ms: 200,
        speedup: 1.5,
        cost_per_1k_usd: null,
        cost_ratio: null,
        price_unknown: true,
        accuracy: labels ? 0.95 : null,
        n_labelled: labels ? 10 : 0,
        ...over[C],
      }),
    };
  }
  return {
    run: {
      id: 'experiment-1',
      kind: 'experiment',
      status: 'done',
      created_at: '',
      models: [A, B, C],
      baseline: A,
      upstream: 'own',
      tickets: 10,
    },
    baseline: A,
    bootstrap: { resamples: 1000, seed: 1, confidence: 0.95 },
    has_labels: labels,
    latency_basis: { span: 'request sent → answer received', cold_calls_excluded: 0 },
    tasks,
    reviews: {},
    plan: plan(B),
  };
}

describe('experiment setup form', () => {
  it('needs two models and a baseline among them; the first model picked is the baseline until one is chosen', () => {
    let f = toggleModel(EMPTY_FORM, A, MODELS);
    expect(setupInput(f)).toEqual({ ok: false, reason: 'Pick at least two models to compare.' });
    f = toggleModel(f, B, MODELS);
    expect(f.baseline).toBe(A);
    const v = setupInput(f);
    expect(v.ok && v.input).toMatchObject({ tickets: { kind: 'workspace' }, models: [A, B], baseline: A, upstream: 'own' });
    // Removing the baseline hands it to the next model.
    expect(toggleModel(f, A, MODELS).baseline).toBe(B);
  });

  it('refuses a retired model, and a file setup waits for the file', () => {
    const f = toggleModel(EMPTY_FORM, 'groq:llama-3.1-8b-instant', MODELS);
    expect(f.models).toEqual([]);
    const g = toggleModel(toggleModel({ ...EMPTY_FORM, ticketKind: 'staged' }, A, MODELS), B, MODELS);
    expect(setupInput(g)).toEqual({ ok: false, reason: 'Choose a ticket file (JSONL or CSV).' });
  });

  it('turns per-model limits into the --rpm spec, and names the model whose limit is not a number', () => {
    expect(rpmSpec({ models: [A, B], rpm: { [A]: '30', [B]: '' } })).toEqual({ ok: true, spec: `${A}=30` });
    expect(rpmSpec({ models: [A], rpm: {} })).toEqual({ ok: true, spec: undefined });
    const bad = rpmSpec({ models: [A, B], rpm: { [B]: '-3' } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toMatch(/gpt-oss-20b/);
  });
});

describe('report tables', () => {
  it('marks the best cell of each column: highest agreement, lowest latency and cost; unknown prices are never best', () => {
    const best = bestCells(report(), 'severity');
    expect(best.agreement).toEqual([B]);
    expect(best.median).toEqual([B]);
    expect(best.speedup).toEqual([B]);
    expect(best.cost).toEqual([B]);
    // Every model succeeded every time: a "best" everyone shares is not marked.
    expect(best.success).toBeUndefined();
  });

  it('marks ties, shows accuracy only with gold labels, and leads a cell to the right tickets', () => {
    const r = report({ [C]: { median_ms: 150 } }, true);
    expect(bestCells(r, 'platform').median).toEqual([B, C]);
    expect(bestCells(r, 'platform').accuracy).toEqual([C]);
    expect(columnsFor(report(), 'platform').map((c) => c.id)).not.toContain('accuracy');
    expect(columnsFor(r, 'platform').map((c) => c.id)).toContain('accuracy');
    expect(cellDrill(r, 'severity', B, 'agreement')).toMatchObject({
      filter: 'disagree',
      label: `Disagreements with the baseline · ${B} · Severity`,
    });
    expect(cellDrill(r, 'severity', A, 'agreement').filter).toBe('all');
    expect(cellDrill(r, 'severity', B, 'p95')).toMatchObject({ filter: 'slow', minLatencyMs: 400 });
    expect(cellDrill(r, 'severity', B, 'success').filter).toBe('failed');
    expect(cellDrill(r, 'severity', B, 'accuracy').filter).toBe('wrong');
  });

  it('says "price unknown", never $0, and reads durations plainly', () => {
    expect(usd(null)).toBe('price unknown');
    expect(usd(0.00421)).toBe('$0.0042');
    expect(duration(400)).toBe('< 1 s');
    expect(duration(125_000)).toBe('2 min 05 s');
  });
});

describe('plot selections', () => {
  const points = [
    { callId: 1, ticketId: 'T1', task: 'product' as const, model: B, latencyMs: 100, inputTokens: 400 },
    { callId: 2, ticketId: 'T2', task: 'product' as const, model: B, latencyMs: 120, inputTokens: 420 },
  ];
  it('a dot or a bar lists the tickets of its calls; a violin its latency range', () => {
    expect(plotDrill({ task: 'product', model: B, callIds: [2], ticketIds: [], latencyRange: null }, points, 'platform')).toMatchObject({
      task: 'product',
      model: B,
      filter: 'all',
      ticketIds: ['T2'],
    });
    expect(plotDrill({ task: 'product', model: B, callIds: [], ticketIds: [], latencyRange: [90, 130] }, points, 'platform')).toMatchObject(
      { filter: 'slow', minLatencyMs: 90, maxLatencyMs: 130 },
    );
    expect(plotDrill({ task: null, model: null, callIds: [1], ticketIds: [], latencyRange: null }, points, 'platform')).toBeNull();
  });
});

describe('experiments store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks for the estimate once the setup is complete, and starts only what the estimate was for', async () => {
    const t = fakeTransport();
    t.on('experiments.ticketSources', () => ({ ok: true, data: { total: 3, sources: [{ source: 'a.jsonl', count: 3, labelled: 0 }] } }));
    t.on('experiments.estimate', (i) => ({
      ok: true,
      data: { runId: 'experiment-x', label: 'a.jsonl · 2 models', tickets: 3, input: i } as never,
    }));
    t.on('experiments.start', () => ({
      ok: true,
      data: { runId: 'experiment-x', live: { runId: 'experiment-x', active: true, state: 'running', doneTasks: 0 } as ExperimentLive },
    }));
    const s = createExperimentsStore(t);
    const a = s.getState().actions;
    a.openSetup([A]);
    await vi.runAllTimersAsync();
    expect(t.calls.filter((c) => c.route === 'experiments.estimate')).toHaveLength(0);
    expect(s.getState().setup.incomplete).toMatch(/two models/);
    a.toggleModel(B, MODELS);
    a.chooseWorkspace('a.jsonl');
    a.setRpm(B, '30');
    await vi.runAllTimersAsync();
    const estimates = t.calls.filter((c) => c.route === 'experiments.estimate');
    // The burst of changes is estimated once, for the final setup.
    expect(estimates).toHaveLength(1);
    expect(estimates[0]!.input).toMatchObject({
      tickets: { kind: 'workspace', source: 'a.jsonl' },
      models: [A, B],
      baseline: A,
      rpm: `${B}=30`,
    });
    expect(s.getState().setup.estimate.load).toBe('ready');
    expect(await a.start()).toBe('experiment-x');
    expect(s.getState().live['experiment-x']?.state).toBe('running');
    expect(s.getState().sections['experiment-x']).toBe('overview');
  });

  it('follows progress events; a finished run refreshes the report it had open', async () => {
    const t = fakeTransport();
    let reports = 0;
    t.on('experiments.report', () => {
      reports++;
      return { ok: true, data: report() };
    });
    t.on('experiments.plan', () => ({ ok: true, data: plan(B) }));
    const s = createExperimentsStore(t);
    s.getState().actions.attach();
    const live = (o: Partial<ExperimentLive>) => ({ runId: 'r1', active: true, state: 'running', doneTasks: 1, ...o }) as ExperimentLive;
    t.emit({ type: 'experiment.progress', runId: 'r1', live: live({}) });
    await s.getState().actions.loadReport('r1');
    expect(reports).toBe(1);
    t.emit({ type: 'experiment.progress', runId: 'r1', live: live({ doneTasks: 5 }) });
    expect(s.getState().reports.r1?.stale).toBe(true);
    t.emit({ type: 'experiment.progress', runId: 'r1', live: live({ doneTasks: 10, active: false, state: 'done' }) });
    await vi.runAllTimersAsync();
    expect(reports).toBe(2);
    expect(s.getState().reports.r1?.stale).toBe(false);
    expect(s.getState().live.r1?.state).toBe('done');
  });

  it('the plan starts from the recommendation; a pick or a moved floor asks the core again', async () => {
    const t = fakeTransport();
    t.on('experiments.report', () => ({ ok: true, data: report() }));
    t.on('experiments.plan', (i) => ({ ok: true, data: plan((i as { floor: number }).floor < 0.75 ? C : B) }));
    const s = createExperimentsStore(t);
    const a = s.getState().actions;
    await a.loadReport('r1');
    expect(s.getState().plans.r1?.picks).toEqual(uniform(B));
    a.pick('r1', 'severity', A);
    a.setFloor('r1', 0.7);
    await vi.runAllTimersAsync();
    const plans = t.calls.filter((c) => c.route === 'experiments.plan');
    expect(plans.at(-1)!.input).toMatchObject({ runId: 'r1', floor: 0.7, assignment: { ...uniform(B), severity: A } });
    expect(s.getState().plans.r1?.data?.recommended?.assignment.platform).toBe(C);
  });

  it('a cell click lists its tickets in the Tickets section; clearing it shows the whole run again', async () => {
    const t = fakeTransport();
    t.on('experiments.cellTickets', () => ({ ok: true, data: { rows: [{ ticketId: 'T1' } as never], total: 1, truncated: false } }));
    const s = createExperimentsStore(t);
    const a = s.getState().actions;
    await a.drill('r1', { task: 'severity', model: B, filter: 'disagree', label: 'Disagreements' });
    expect(t.calls.at(-1)).toEqual({
      route: 'experiments.cellTickets',
      input: { runId: 'r1', task: 'severity', model: B, filter: 'disagree' },
    });
    expect(s.getState().sections.r1).toBe('tickets');
    expect(s.getState().drills.r1?.data?.total).toBe(1);
    a.clearDrill('r1');
    expect(s.getState().drills.r1?.query).toBeNull();
  });
});

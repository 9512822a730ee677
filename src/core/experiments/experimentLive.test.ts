// Experiments run from the workbench, through the core's routes and events against the fake
// Groq/OpenAI server: set up, estimate, run with progress events, stop, resume, and the report,
// plan and cell drill-downs the Experiments view reads.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, RouteName, RouteOutputs } from '#shared/routes.ts';
import type { ExperimentLive } from '#shared/routes/experimentRoutes.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { startFakeServer, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { createCoreServices, type CoreServices } from '../app.ts';

const KEY = 'gsk_EXPKEY00-00000000000000000000exp1';
const A = 'groq:openai/gpt-oss-120b';
const B = 'groq:openai/gpt-oss-20b';
let fake: FakeServer;
const open: CoreServices[] = [];

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: (model) => (model.includes('120b') ? 30 : 10) });
});
afterAll(async () => fake?.close());
afterEach(async () => {
  fake.configure({ answer: null, latencyMs: (model) => (model.includes('120b') ? 30 : 10) });
  for (const c of open.splice(0)) await c.close();
});

async function core() {
  const events: AppEvent[] = [];
  const c = await createCoreServices({
    dbPath: join(mkdtempSync(join(tmpdir(), 'cb-exp-')), 'cb.db'),
    env: { GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    secretStore: { get: async (p) => (p === 'groq' ? KEY : null), set: async () => {}, delete: async () => true },
  });
  open.push(c);
  c.subscribe((e) => events.push(e));
  const call = async <R extends RouteName>(route: R, input: unknown): Promise<RouteOutputs[R]> => {
    const r = await c.request(route, input);
    if (!r.ok) throw new Error(`${route}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  const fail = async (route: RouteName, input: unknown) => {
    const r = await c.request(route, input);
    if (r.ok) throw new Error(`${route} should have failed`);
    return r.error;
  };
  const lastLive = (runId: string): ExperimentLive | null => {
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.type === 'experiment.progress' && e.runId === runId) return e.live;
    }
    return null;
  };
  const settled = async (runId: string, ms = 20_000) => {
    const t0 = Date.now();
    while (Date.now() - t0 < ms) {
      const l = lastLive(runId);
      if (l && !l.active) return l;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('experiment did not finish');
  };
  return { c, events, call, fail, lastLive, settled };
}

const tickets = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `X${i + 1}`,
      text: `Cloud SQL instance db-${i} in project shop-${i} refuses connections since 08:00; checkout is down`,
      labels: { severity: 'urgent' },
    }),
  ).join('\n');

describe('experiments from the workbench', () => {
  it('stages a file, estimates before anything is called, runs with progress events, and reports', async () => {
    const { call, events, settled } = await core();
    const staged = await call('experiments.stageFile', { name: 'exp.jsonl', content: `${tickets(4)}\n{broken\n` });
    expect(staged).toMatchObject({ tickets: 4, labelled: 4, badCount: 1 });
    expect(staged.badLines[0]!.line).toBe(5);
    const setup = { tickets: { kind: 'staged', fileId: staged.fileId }, models: [A, B], baseline: A, rpm: 'groq:*=6000' };
    const before = fake.stats.total;
    const est = await call('experiments.estimate', setup);
    expect(fake.stats.total).toBe(before);
    expect(est).toMatchObject({
      tickets: 4,
      totalTasks: 40,
      callsToGo: 40,
      doneBefore: 0,
      resuming: false,
      simulated: false,
      keyProblems: [],
    });
    expect(est.costUsd).toBeGreaterThan(0);
    expect(est.minDuration?.bucket).toBe(A);

    // A model answering another severity disagrees with the baseline on every ticket.
    fake.configure({ answer: (i) => (i.model === 'openai/gpt-oss-20b' && i.task === 'severity' ? { severity: 'low' } : undefined) });
    const { runId } = await call('experiments.start', setup);
    expect(runId).toBe(est.runId);
    const final = await settled(runId);
    expect(final).toMatchObject({ state: 'done', doneTasks: 40, totalTasks: 40, failedTasks: 0 });
    expect(final.costUsd).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'experiment.progress').length).toBeGreaterThan(1);
    expect(events.some((e) => e.type === 'runs.changed')).toBe(true);

    const report = await call('experiments.report', { runId });
    expect(report.baseline).toBe(A);
    expect(report.tasks.severity[B]!.agreement_rate).toBe(0);
    expect(report.tasks.platform[B]!.agreement_rate).toBe(1);
    expect(report.has_labels).toBe(true);
    const cell = await call('experiments.cellTickets', { runId, task: 'severity', model: B, filter: 'disagree' });
    expect(cell.total).toBe(4);
    expect(cell.rows[0]).toMatchObject({ ticketId: 'X1', value: 'low', agrees: false, hasGold: true, gold: 'urgent', correct: false });
    expect(cell.rows[0]!.title).toMatch(/Cloud SQL/);
    expect((await call('experiments.cellTickets', { runId, task: 'platform', model: B, filter: 'disagree' })).total).toBe(0);

    // The plan moves with the floor: severity's only qualifying model at 0.8 is the baseline.
    const strict = await call('experiments.plan', { runId, floor: 0.8 });
    expect(strict.recommended?.assignment.severity).toBe(A);
    const loose = await call('experiments.plan', { runId, floor: 0 });
    expect(loose.recommended?.assignment.severity).toBe(B);
    const picked = await call('experiments.plan', { runId, assignment: Object.fromEntries(TASK_IDS.map((t) => [t, B])) });
    expect(picked.assignment?.critical_path_median_ms).toBeGreaterThan(0);
    expect(picked.assignment?.below_floor).toContain('severity');

    const pts = await call('experiments.latencyPoints', { runId });
    // Every successful call is a point, but for those first on a new connection (cold), which the
    // report's latency leaves out too.
    expect(pts.points).toHaveLength(40 - report.latency_basis.cold_calls_excluded);
    expect(pts.points[0]).toHaveProperty('callId');

    // Running the same setup again resumes it: nothing left to call.
    const again = await call('experiments.estimate', setup);
    expect(again).toMatchObject({ resuming: true, doneBefore: 40, callsToGo: 0 });
    const status = await call('experiments.status', { runId });
    expect(status).toMatchObject({ state: 'done', active: false, doneTasks: 40, tickets: 4 });
    expect(status.label).toMatch(/exp\.jsonl · 2 models/);
  });

  it('refuses a retired model and a missing key before anything is called; workspace tickets keep their source', async () => {
    const { call, fail } = await core();
    await call('tickets.import', { name: 'ws.jsonl', content: tickets(3) });
    const sources = await call('experiments.ticketSources', {});
    expect(sources.sources).toEqual([{ source: 'ws.jsonl', count: 3, labelled: 3 }]);
    const retired = await fail('experiments.estimate', {
      tickets: { kind: 'workspace' },
      models: [A, 'groq:llama-3.1-8b-instant'],
      baseline: A,
    });
    expect(retired.code).toBe('MODEL_RETIRED');
    const est = await call('experiments.estimate', {
      tickets: { kind: 'workspace', source: 'ws.jsonl', limit: 2 },
      models: [A, 'openai:gpt-4o'],
      baseline: A,
    });
    expect(est.tickets).toBe(2);
    expect(est.keyProblems[0]!.message).toMatch(/No OpenAI API key/);
    const refused = await fail('experiments.start', {
      tickets: { kind: 'workspace', source: 'ws.jsonl', limit: 2 },
      models: [A, 'openai:gpt-4o'],
      baseline: A,
    });
    expect(refused.code).toBe('KEY_MISSING');
  });

  it('stops mid-run keeping what finished, and resumes without repeating a finished call', async () => {
    const { call, settled, c } = await core();
    fake.configure({ latencyMs: 150 });
    await call('tickets.import', { name: 'ws.jsonl', content: tickets(6) });
    // An import is triaged at once; let that finish so the provider's count is the experiment's alone.
    for (let i = 0; i < 500 && !(await call('tickets.list', {})).rows.every((r) => r.state === 'done'); i++)
      await new Promise((r) => setTimeout(r, 20));
    const setup = { tickets: { kind: 'workspace', source: 'ws.jsonl' }, models: [A, B], baseline: A, concurrency: 1 };
    const { runId } = await call('experiments.start', setup);
    await new Promise((r) => setTimeout(r, 400));
    expect((await call('experiments.stop', { runId })).stopping).toBe(true);
    const stopped = await settled(runId);
    expect(stopped.state).toBe('interrupted');
    expect(stopped.doneTasks).toBeLessThan(60);
    // The workspace tickets still say where they came from.
    const list = await call('tickets.list', {});
    expect(list.rows.every((r) => r.source === 'ws.jsonl')).toBe(true);
    fake.configure({ latencyMs: 5 });
    fake.resetStats();
    await call('experiments.resume', { runId });
    const done = await settled(runId);
    expect(done.state).toBe('done');
    expect(done.doneTasks).toBe(60);
    expect(fake.stats.total).toBe(60 - stopped.doneTasks);
    // Resuming does not take their source away either.
    expect((await call('tickets.list', {})).rows.map((r) => r.source)).toEqual(Array(6).fill('ws.jsonl'));
    void c;
  });
});

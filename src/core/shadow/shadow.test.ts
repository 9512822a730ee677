// Shadow models on live tickets, through the workbench's core services against the fake Groq/OpenAI
// server (real SDKs): candidates answer every incoming ticket after production, never delay it,
// stay within the spend limit, and their answers accumulate in a live experiment that the report,
// plan and review queues read as they read a batch experiment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeKey } from '#test/fakes/keys.ts';
import type { AppEvent, RouteName, RouteOutputs } from '#shared/routes.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { startFakeServer, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { createCoreServices, type CoreServices } from '../app.ts';
import type { SecretStore } from '../secrets/secretStore.ts';

const G20 = 'groq:openai/gpt-oss-20b';
const G120 = 'groq:openai/gpt-oss-120b';
const TICKETS = [
  'URGENT: our GKE cluster gke-prod-eu-1 in project acme-prod-42 stopped scheduling pods after the 1.29 upgrade; customers see 502s.',
  'Our S3 bucket logs-archive-7 in account 123456789012 returns AccessDenied since 09:00 for the ingest role, nothing changed on our side.',
  'Azure VM vm-web-03 in subscription 9f1c2d3e-0000-4000-8000-abcdefabcdef will not boot after the kernel update, serial console shows a panic.',
  'Lambda function order-sync times out after 15 minutes when reading from DynamoDB table orders-prod; started yesterday after a deploy.',
];

let fake: FakeServer;
/** Model × task pairs answered slowly (the shadow calls of the load test). */
let slow: (model: string, task: string | null) => boolean = () => false;
const open: CoreServices[] = [];
const dir = () => mkdtempSync(join(tmpdir(), 'cb-shadow-'));

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: (m, t) => (slow(m, t) ? 4000 : 20) });
});
afterAll(async () => fake?.close());
afterEach(async () => {
  slow = () => false;
  for (const c of open.splice(0)) await c.close();
});

function memoryKeychain(initial: Record<string, string>): SecretStore {
  const data = new Map(Object.entries(initial));
  return { get: async (p) => data.get(p) ?? null, set: async (p, k) => void data.set(p, k), delete: async (p) => data.delete(p) };
}

const BOTH_KEYS = { groq: fakeKey('groq', 'shadow'), openai: fakeKey('openai', 'shadow') };

async function core(db = join(dir(), 'cb.db'), keys: Record<string, string> = BOTH_KEYS) {
  const events: AppEvent[] = [];
  const c = await createCoreServices({
    dbPath: db,
    env: { GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    secretStore: memoryKeychain(keys),
  });
  open.push(c);
  c.subscribe((e) => events.push(e));
  const call = async <R extends RouteName>(route: R, input: unknown = {}): Promise<RouteOutputs[R]> => {
    const r = await c.request(route, input);
    if (!r.ok) throw new Error(`${route}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  const done = (ticketId: string) => waitFor(() => events.some((e) => e.type === 'ticket.done' && e.ticketId === ticketId));
  return { c, db, events, call, done };
}

async function waitFor(pred: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const assign = (o: Partial<Record<TaskId, string>>, dflt: string) => Object.fromEntries(TASK_IDS.map((t) => [t, o[t] ?? dflt]));

describe('shadow models on live tickets', () => {
  it('answers of pasted and imported tickets land in a live experiment the report, plan and review queues read', async () => {
    const { call, done, db } = await core();
    await call('settings.set', { assignment: assign({ severity: G120 }, G20) });
    await call('shadow.add', { task: 'product', model: G120 });
    await call('shadow.add', { task: 'severity', model: 'openai:gpt-4o' });
    await call('shadow.limits', { rpm: 10_000 });
    const st0 = await call('shadow.add', { task: 'platform', model: 'openai:gpt-4.1-mini' });
    expect(st0.candidates.map((c) => `${c.task} ${c.spec}`)).toEqual([
      'platform openai:gpt-4.1-mini',
      'product groq:openai/gpt-oss-120b',
      'severity openai:gpt-4o',
    ]);

    const { ticketId } = await call('triage.start', { text: TICKETS[0] });
    await done(ticketId);
    await waitFor(async () => (await call('shadow.status')).candidates.every((c) => c.answered === 1));
    const st = await call('shadow.status');
    expect(st.runId).toMatch(/^shadow-/);
    expect(st.tickets).toBe(1);
    for (const c of st.candidates) {
      expect(c.nCompared).toBe(1);
      expect(c.agreement).not.toBeNull();
      expect(c.costTodayUsd).toBeGreaterThan(0);
    }
    expect(st.spentTodayUsd).toBeCloseTo(
      st.candidates.reduce((a, c) => a + c.costTodayUsd, 0),
      10,
    );

    // An imported file: both tickets are shadowed too; the live experiment grows.
    const file = join(dir(), 'two.jsonl');
    writeFileSync(
      file,
      TICKETS.slice(1, 3)
        .map((text, i) => JSON.stringify({ id: `F${i}`, text }))
        .join('\n'),
    );
    const imported = await call('tickets.importPath', { path: file });
    // A batch waits for the go-ahead on its estimate (spend control) before any call goes.
    await call('batches.start', { runId: imported.runId });
    await waitFor(async () => (await call('shadow.status')).candidates.every((c) => c.answered === 3));

    const report = await call('experiments.report', { runId: st.runId! });
    expect(report.run.kind).toBe('shadow');
    expect(report.run.tickets).toBe(3);
    // Each task is compared against production's own model for it.
    expect(report.baseline_by_task).toEqual(assign({ severity: G120 }, G20));
    expect(report.tasks.product[G120]).toMatchObject({ n: 3, n_compared: 3 });
    expect(report.tasks.severity['openai:gpt-4o']).toMatchObject({ n: 3, n_compared: 3 });
    // Production's latency and cost come from its own calls, read where they were recorded.
    expect(report.tasks.product[G20]!.median_ms).not.toBeNull();
    expect(report.tasks.product[G20]!.cost_per_1k_usd).not.toBeNull();
    expect(report.plan.baseline.assignment).toEqual(assign({ severity: G120 }, G20));
    expect(report.plan.baseline.critical_path_median_ms).not.toBeNull();
    const plan = await call('experiments.plan', {
      runId: st.runId!,
      assignment: assign({ severity: 'openai:gpt-4o', product: G120 }, G20),
    });
    expect(plan.assignment?.critical_path_median_ms).not.toBeNull();
    const cell = await call('experiments.cellTickets', { runId: st.runId!, task: 'product', model: G120, filter: 'all' });
    expect(cell.rows).toHaveLength(3);
    expect(cell.rows.every((r) => r.baselineStatus === 'ok')).toBe(true);

    const points = await call('experiments.latencyPoints', { runId: st.runId! });
    expect(new Set(points.points.filter((p) => p.task === 'product').map((p) => p.model))).toEqual(new Set([G20, G120]));

    // A review queue over the live experiment holds the candidates' answers beside production's.
    const q = await call('reviews.createQueue', { runId: st.runId!, tasks: ['product'], reviewers: ['ana'], k: 1, blind: false });
    expect(q.items).toBe(3);

    // Every request the providers saw is recorded once: production's calls are linked, not copied.
    const raw = new DatabaseSync(db, { readOnly: true });
    const calls = Number((raw.prepare('SELECT count(*) AS n FROM calls').get() as { n: number }).n);
    raw.close();
    expect(calls).toBe(3 * 5 + 3 * 3);
  });

  it('never delays production: a production call does not wait for shadow calls holding its model', async () => {
    const { call, done, events } = await core();
    // Production uses both models; every shadow call is on a model production also uses, and slow.
    await call('settings.set', { assignment: assign({ severity: G120 }, G20), callConcurrency: 4 });
    for (const t of ['platform', 'product', 'asset_ids', 'technical_details']) await call('shadow.add', { task: t, model: G120 });
    await call('shadow.add', { task: 'severity', model: G20 });
    await call('shadow.limits', { concurrency: 16, rpm: 10_000 });
    slow = (m, t) => (m === 'openai/gpt-oss-120b' && t !== 'severity') || (m === 'openai/gpt-oss-20b' && t === 'severity');

    const first = await call('triage.start', { text: TICKETS[0] });
    await done(first.ticketId);
    await waitFor(async () => (await call('shadow.status')).inFlight > 0 && fake.stats.inFlight >= 4);
    // The shadow lane is as full as it may get on both models; now production is under load.
    const later = await Promise.all(TICKETS.slice(1).map((text) => call('triage.start', { text })));
    for (const t of later) await done(t.ticketId);
    const st = await call('shadow.status');
    // Every production ticket finished while the first ticket's shadow calls were all still open.
    expect(st.candidates.reduce((a, c) => a + c.answered + c.failed, 0)).toBe(0);
    expect(st.inFlight + st.queued).toBeGreaterThan(0);
    const results = events.filter(
      (e): e is Extract<AppEvent, { type: 'task.result' }> => e.type === 'task.result' && later.some((l) => l.runId === e.runId),
    );
    expect(results).toHaveLength(later.length * 5);
    expect(results.every((e) => e.result.status === 'ok')).toBe(true);
  });

  it('stops shadowing at the spend limit and says so; production goes on', async () => {
    const { call, done } = await core();
    await call('settings.set', { assignment: assign({}, G20) });
    await call('shadow.add', { task: 'severity', model: G120 });
    await call('shadow.limits', { spendLimitUsd: 0.0000001 });
    const a = await call('triage.start', { text: TICKETS[0] });
    await done(a.ticketId);
    await waitFor(async () => (await call('shadow.status')).candidates[0]!.answered === 1);
    const b = await call('triage.start', { text: TICKETS[1] });
    await done(b.ticketId);
    await waitFor(async () => (await call('shadow.status')).dropped.spendLimit === 1);
    const st = await call('shadow.status');
    expect(st.blocked).toMatch(/shadow spend limit reached: \$0\.\d+ spent today of the shadow set's \$0\.0000 a day/);
    expect(st.candidates[0]!.answered).toBe(1);
    expect((await call('tickets.get', { ticketId: b.ticketId })).results).toHaveLength(5);
    // Raising the limit lets the next ticket be shadowed.
    await call('shadow.limits', { spendLimitUsd: 5 });
    const c = await call('triage.start', { text: TICKETS[2] });
    await done(c.ticketId);
    await waitFor(async () => (await call('shadow.status')).candidates[0]!.answered === 2);
    expect((await call('shadow.status')).blocked).toBeNull();
  });

  it('a candidate that cannot be called (no key) is said once and not recorded as failing; the others go on', async () => {
    const { call, done, events, db } = await core(undefined, { groq: BOTH_KEYS.groq });
    await call('settings.set', { assignment: assign({}, G20) });
    await call('shadow.limits', { rpm: 10_000 });
    await call('shadow.add', { task: 'severity', model: 'openai:gpt-4o' });
    await call('shadow.add', { task: 'severity', model: G120 });
    for (const text of TICKETS.slice(0, 2)) {
      const t = await call('triage.start', { text });
      await done(t.ticketId);
      await waitFor(async () => (await call('shadow.status')).candidates.find((c) => c.spec === G120)!.answered >= 1);
    }
    await waitFor(async () => (await call('shadow.status')).candidates.find((c) => c.spec === G120)!.answered === 2);
    const st = await call('shadow.status');
    expect(st.candidates.find((c) => c.spec === 'openai:gpt-4o')).toMatchObject({ answered: 0, failed: 0 });
    expect(st.unusable).toEqual([{ spec: 'openai:gpt-4o', message: expect.stringMatching(/^KEY_MISSING: /) }]);
    const notices = events.filter(
      (e) => e.type === 'notice' && /shadow model openai:gpt-4o cannot be called \(KEY_MISSING/.test(e.message),
    );
    expect(notices).toHaveLength(1);
    const raw = new DatabaseSync(db, { readOnly: true });
    expect((raw.prepare("SELECT count(*) AS n FROM results WHERE model_spec = 'openai:gpt-4o'").get() as { n: number }).n).toBe(0);
    raw.close();
  });

  it('refuses unknown and retired candidates with the reason, and removing an absent one names it', async () => {
    const { c } = await core();
    const bad = await c.request('shadow.add', { task: 'product', model: 'groq:no-such-model' });
    expect(bad.ok ? '' : bad.error.message).toMatch(/unknown model groq:no-such-model: not in resources\/models.json/);
    const retired = await c.request('shadow.add', { task: 'product', model: 'groq:llama-3.1-8b-instant' });
    expect(retired.ok ? '' : retired.error.message).toMatch(/shut down/);
    const absent = await c.request('shadow.remove', { task: 'product', model: G120 });
    expect(absent.ok ? '' : absent.error.message).toBe('groq:openai/gpt-oss-120b is not shadowing on product (see casebench shadow list)');
  });
});

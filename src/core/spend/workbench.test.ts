// Spend in the workbench's core services (what the UI sees through routes and events), against the
// fake Groq/OpenAI server: a big paste asks first, batches wait for the go-ahead and have Stop and
// Resume, the daily limit stops a batch mid-way and it resumes once raised, spend is the store's
// truth across restarts, and retired models are refused wherever they are chosen.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, RouteName, RouteOutputs } from '#shared/routes.ts';
import { startFakeServer, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { createCoreServices, type CoreServices } from '../app.ts';
import { createRuntime } from '../runtime.ts';
import { openStore } from '../store/store.ts';
import { loadSettings, saveSettings } from '../settings/settingsStore.ts';
import { runBatch } from '../experiments/batchRun.ts';

const KEY = 'gsk_SPENDWB0-00000000000000000000key1';
let fake: FakeServer;
const open: CoreServices[] = [];
const dir = () => mkdtempSync(join(tmpdir(), 'cb-spendwb-'));

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 15 });
});
afterAll(async () => fake?.close());
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

async function core(db = join(dir(), 'cb.db')) {
  const events: AppEvent[] = [];
  const c = await createCoreServices({
    dbPath: db,
    env: { GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL, GROQ_API_KEY: KEY },
    secretStore: null,
  });
  open.push(c);
  c.subscribe((e) => events.push(e));
  const call = async <R extends RouteName>(route: R, input: unknown): Promise<RouteOutputs[R]> => {
    const r = await c.request(route, input);
    if (!r.ok) throw new Error(`${route}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  const fail = async (route: RouteName, input: unknown): Promise<{ code: string; message: string }> => {
    const r = await c.request(route, input);
    if (r.ok) throw new Error(`${route} succeeded`);
    return r.error;
  };
  return { c, events, call, fail, db };
}

async function waitFor(pred: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ticketsFile = (n: number): string =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `B${i}`,
      text: `S3 bucket logs-${i} in account 12345678901${i % 10} returns AccessDenied for Lambda writes since 09:00`,
    }),
  ).join('\n');

describe('spend in the workbench', () => {
  it('asks before a large paste: estimate first, nothing stored or called until confirmed', async () => {
    const { call, fail } = await core();
    const big = `Our EKS cluster in account 123456789012 is failing.\n${'kubelet: node not ready, PLEG is not healthy\n'.repeat(10_000)}`;
    const sent = fake.stats.total;
    const est = await call('triage.estimate', { text: big });
    expect(est).toMatchObject({ needsConfirm: true, tickets: 1, calls: 5, simulated: false });
    expect(est.usd).toBeGreaterThan(0);
    const refused = await fail('triage.start', { text: big });
    expect(refused.code).toBe('CONFIRM_SPEND');
    expect(refused.message).toMatch(/would cost about \$[\d.]+ \(5 calls on [\d,]+ characters\); confirm/);
    expect(fake.stats.total).toBe(sent);
    expect((await call('tickets.list', {})).rows).toHaveLength(0);
    const ok = await call('triage.start', { text: big, confirmed: true });
    expect(ok.ticketId).toBeTruthy();
    // A short paste does not ask.
    expect((await call('triage.estimate', { text: 'S3 bucket logs in account 123456789012 returns AccessDenied' })).needsConfirm).toBe(
      false,
    );
  });

  it('a batch waits for the go-ahead, Stop stops further calls, Resume finishes without repeating a finished call', async () => {
    const { call, events } = await core();
    await call('settings.set', { ticketConcurrency: 1 });
    const rep = await call('tickets.import', { name: 'big.jsonl', content: ticketsFile(30) });
    expect(rep.batch).toMatchObject({ state: 'confirm', total: 30, done: 0, estimate: { tickets: 30, calls: 150 } });
    await call('batches.start', { runId: rep.runId });
    await waitFor(() => events.some((e) => e.type === 'ticket.done' && e.runId === rep.runId));
    const stopped = await call('batches.stop', {});
    expect(stopped.find((b) => b.runId === rep.runId)?.state).toBe('stopped');
    // Calls in flight end (a request already written may still be on its way to the server on a
    // loaded machine: wait until the server's count holds still); then no more go out.
    let seen = -1;
    await waitFor(async () => {
      const now = fake.stats.inFlight === 0 ? fake.stats.total : -1;
      const still = now !== -1 && now === seen;
      seen = now;
      if (!still) await new Promise((r) => setTimeout(r, 300));
      return still;
    });
    const sent = fake.stats.total;
    await new Promise((r) => setTimeout(r, 600));
    expect(fake.stats.total).toBe(sent);
    const doneAtStop = (await call('batches.list', {})).find((b) => b.runId === rep.runId)!.done;
    expect(doneAtStop).toBeLessThan(30);
    // Its tickets wait for Resume: they are not a closed session's leftovers (no "interrupted" banner).
    expect((await call('tickets.list', { state: 'interrupted' })).rows).toHaveLength(0);
    expect((await call('tickets.list', { state: 'waiting' })).rows.length).toBe(30 - doneAtStop);
    // Calls cut short by Stop (and the tasks skipped because of them) are not failures.
    expect((await call('tickets.list', { failed: true })).rows).toHaveLength(0);
    await call('batches.resume', { runId: rep.runId });
    await waitFor(async () => (await call('batches.list', {})).find((b) => b.runId === rep.runId)!.state === 'done', 30_000);
    const runs = await call('runs.list', {});
    expect(runs.find((r) => r.id === rep.runId)).toMatchObject({ status: 'done', tickets: 30, done: 30 });
  });

  it('a daily limit reached mid-batch stops it with a clear message, loses nothing, and it resumes once raised', async () => {
    const { call, fail, events, db } = await core();
    await call('settings.set', { ticketConcurrency: 1 });
    // One ticket first, to know what a ticket costs; then a limit of about three more.
    const one = await call('tickets.import', { name: 'one.jsonl', content: ticketsFile(1) });
    await call('batches.start', { runId: one.runId });
    await waitFor(async () => (await call('batches.list', {})).find((b) => b.runId === one.runId)!.state === 'done');
    await waitFor(() => events.some((e) => e.type === 'spend.changed'));
    const perTicket = (await call('spend.get', {})).today.usd;
    expect(perTicket).toBeGreaterThan(0);
    await call('spend.setLimit', { dailyUsd: perTicket * 4.5 });

    const rep = await call('tickets.import', { name: 'more.jsonl', content: ticketsFile(20).replaceAll('"B', '"M') });
    expect(rep.batch!.estimate).toMatchObject({ dailyLimitUsd: perTicket * 4.5 });
    await call('batches.start', { runId: rep.runId });
    await waitFor(async () => (await call('batches.list', {})).find((b) => b.runId === rep.runId)!.state === 'limited');
    const limited = (await call('batches.list', {})).find((b) => b.runId === rep.runId)!;
    expect(limited.message).toMatch(/daily spend limit reached: .* spent today \(local day \d{4}-\d{2}-\d{2}\)/);
    expect(limited.done).toBeGreaterThanOrEqual(2);
    expect(limited.done).toBeLessThan(20);
    const spend = await call('spend.get', {});
    expect(spend.limits[0]).toMatchObject({ reached: true });
    // Resume is refused while the limit holds, with the same message.
    expect((await fail('batches.resume', { runId: rep.runId })).code).toBe('SPEND_LIMIT');
    // Nothing was recorded as a failure.
    const tickets = await call('runs.tickets', { runId: rep.runId });
    expect(tickets.length).toBe(20);
    const failedList = await call('tickets.list', { failed: true });
    expect(failedList.rows).toHaveLength(0);

    await call('spend.setLimit', { dailyUsd: null });
    await call('batches.resume', { runId: rep.runId });
    await waitFor(async () => (await call('batches.list', {})).find((b) => b.runId === rep.runId)!.state === 'done', 30_000);
    expect((await call('runs.list', {})).find((r) => r.id === rep.runId)).toMatchObject({ status: 'done', done: 20 });

    // The spend is the store's truth: a restart shows the same figures.
    const before = await call('spend.get', {});
    for (const c of open.splice(0)) await c.close();
    const again = await core(db);
    const after = await again.call('spend.get', {});
    expect(after.today.usd).toBeCloseTo(before.today.usd, 10);
    expect(after.total.usd).toBeCloseTo(before.total.usd, 10);
    expect(after.run?.runId).toBe(rep.runId);
    expect(after.today.usd).toBeGreaterThan(perTicket * 20);
  });

  it('resuming interrupted tickets is a batch like an import: it waits for the go-ahead on its estimate', async () => {
    const first = await core();
    const rep = await first.call('tickets.import', { name: 'left.jsonl', content: ticketsFile(4).replaceAll('"B', '"L') });
    expect(rep.batch?.state).toBe('confirm');
    for (const c of open.splice(0)) await c.close();
    const again = await core(first.db);
    const sent = fake.stats.total;
    const r = await again.call('triage.resumeInterrupted', {});
    expect(r).toMatchObject({ queued: 4, confirm: true });
    const held = (await again.call('batches.list', {})).find((b) => b.runId === r.runId)!;
    expect(held).toMatchObject({ state: 'confirm', total: 4, estimate: { tickets: 4, calls: 20 } });
    await new Promise((res) => setTimeout(res, 300));
    expect(fake.stats.total).toBe(sent);
    await again.call('batches.start', { runId: r.runId! });
    await waitFor(async () => (await again.call('batches.list', {})).find((b) => b.runId === r.runId)!.state === 'done', 30_000);
    expect(fake.stats.total).toBe(sent + 20);
  });

  it('the status bar hears of spend another process records on the same workspace (a CLI run beside the workbench)', async () => {
    const { call, events, db } = await core();
    expect((await call('spend.get', {})).today.usd).toBe(0);
    const seen = events.filter((e) => e.type === 'spend.changed').length;
    // Another process: its own runtime and store on the same file.
    const rt = await createRuntime({ env: { GROQ_API_KEY: KEY, GROQ_BASE_URL: fake.groqBaseURL }, secretStore: null });
    const other = openStore(db);
    try {
      const lines = (async function* () {
        yield {
          ok: true as const,
          line: 1,
          ticket: { id: 'X1', text: 'S3 bucket logs in account 123456789012 returns AccessDenied for Lambda writes' },
        };
      })();
      await runBatch({
        store: other,
        deps: rt.deps,
        runId: 'cli-run',
        assignment: rt.assignment('groq:openai/gpt-oss-120b'),
        tickets: lines,
        source: 'x',
        concurrency: 1,
      });
    } finally {
      other.close();
      await rt.close();
    }
    await waitFor(() => events.filter((e) => e.type === 'spend.changed').length > seen);
    const after = await call('spend.get', {});
    expect(after.today.usd).toBeGreaterThan(0);
    expect(after.run?.runId).toBe('cli-run');
  });

  it('a batch whose saved assignment names a model retired since is refused at its start, naming the replacement, before any call', async () => {
    const db = join(dir(), 'cb.db');
    // Saved while the model was still served (Settings now refuses it).
    const pre = openStore(db);
    saveSettings(pre, {
      ...loadSettings(pre),
      assignment: {
        platform: 'groq:openai/gpt-oss-120b',
        product: 'groq:openai/gpt-oss-120b',
        severity: 'groq:llama-3.3-70b-versatile',
        asset_ids: 'groq:openai/gpt-oss-120b',
        technical_details: 'groq:openai/gpt-oss-120b',
      },
    });
    pre.close();
    const { call, fail } = await core(db);
    const rep = await call('tickets.import', { name: 'r.jsonl', content: ticketsFile(3).replaceAll('"B', '"R') });
    expect(rep.batch?.estimate?.warnings.join(' ')).toMatch(
      /groq:llama-3\.3-70b-versatile was shut down on 2026-08-16; use groq:openai\/gpt-oss-120b instead/,
    );
    const sent = fake.stats.total;
    const refused = await fail('batches.start', { runId: rep.runId });
    expect(refused.code).toBe('MODEL_RETIRED');
    expect(refused.message).toMatch(/use groq:openai\/gpt-oss-120b instead/);
    expect(fake.stats.total).toBe(sent);
    // The tickets are kept, waiting; nothing failed.
    expect((await call('batches.list', {})).find((b) => b.runId === rep.runId)).toMatchObject({ state: 'confirm', done: 0 });
    expect((await call('tickets.list', { failed: true })).rows).toHaveLength(0);
  });

  it('refuses retired models in Settings and Compare, naming the replacement, and marks them in the model list', async () => {
    const { call, fail } = await core();
    const s = await fail('settings.set', { assignment: { platform: 'groq:llama-3.1-8b-instant' } });
    expect(s.code).toBe('MODEL_RETIRED');
    expect(s.message).toMatch(/groq:llama-3\.1-8b-instant was shut down on 2026-08-16; use groq:openai\/gpt-oss-20b instead/);
    const t = await call('triage.start', { text: 'S3 bucket logs in account 123456789012 returns AccessDenied for Lambda writes' });
    const c = await fail('compare.start', {
      ticketId: t.ticketId,
      models: ['groq:openai/gpt-oss-20b', 'groq:llama-3.3-70b-versatile'],
      baseline: 'groq:openai/gpt-oss-20b',
    });
    expect(c.code).toBe('MODEL_RETIRED');
    expect(c.message).toMatch(/use groq:openai\/gpt-oss-120b instead/);
    const models = await call('models.list', {});
    expect(models.find((m) => m.spec === 'groq:llama-3.1-8b-instant')).toMatchObject({
      status: 'retired',
      lifecycle: expect.stringMatching(/shut down/),
    });
  });
});

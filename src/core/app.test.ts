// The workbench's core services against the fake Groq/OpenAI server: what a user of the UI would
// see through the routes and events, without a browser.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent, RouteName, RouteOutputs } from '#shared/routes.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { startFakeServer, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { createCoreServices, type CoreServices } from './app.ts';
import type { SecretStore } from './secrets/secretStore.ts';

const TICKET =
  'URGENT: our GKE cluster gke-prod-eu-1 in project acme-prod-42 stopped scheduling pods after the 1.29 upgrade; customers see 502s.';
const OLD_KEY = 'gsk_OLDKEY00-00000000000000000000old1';
const NEW_KEY = 'gsk_NEWKEY00-00000000000000000000new2';

let fake: FakeServer;
const open: CoreServices[] = [];
const dir = () => mkdtempSync(join(tmpdir(), 'cb-app-'));

beforeAll(async () => {
  const lat: Record<string, number> = { severity: 20, platform: 40, asset_ids: 30, product: 40, technical_details: 50 };
  fake = await startFakeServer({ latencyMs: (_m, task) => lat[task ?? ''] ?? 20 });
});
afterAll(async () => fake?.close());
afterEach(async () => {
  fake.configure({ faults: null, apiKeys: null, answer: null });
  for (const c of open.splice(0)) await c.close();
});

function memoryKeychain(initial: Record<string, string> = {}): SecretStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: async (p) => data.get(p) ?? null,
    set: async (p, k) => void data.set(p, k),
    delete: async (p) => data.delete(p),
  };
}

async function core(
  opts: { db?: string; keys?: Record<string, string>; keychain?: SecretStore | null; env?: Record<string, string> } = {},
) {
  const events: AppEvent[] = [];
  const c = await createCoreServices({
    dbPath: opts.db ?? join(dir(), 'cb.db'),
    env: { GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL, ...(opts.env ?? {}) },
    secretStore: opts.keychain === undefined ? memoryKeychain(opts.keys ?? { groq: OLD_KEY }) : opts.keychain,
  });
  open.push(c);
  c.subscribe((e) => events.push(e));
  const call = async <R extends RouteName>(route: R, input: unknown): Promise<RouteOutputs[R]> => {
    const r = await c.request(route, input);
    if (!r.ok) throw new Error(`${route}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  const done = (ticketId: string, runId: string) =>
    waitFor(() => events.some((e) => e.type === 'ticket.done' && e.ticketId === ticketId && e.runId === runId));
  return { c, events, call, done };
}

async function waitFor(pred: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('workbench core services', () => {
  it('triages a pasted ticket with every fact published the moment it lands, tagged with its run, and lists it', async () => {
    const { call, events, done } = await core();
    // The order of the sequential graph (speculation, on by default, starts the dependents at once:
    // src/core/graph/speculate.test.ts).
    await call('settings.set', { speculate: false });
    const { ticketId, runId } = await call('triage.start', { text: TICKET });
    await done(ticketId, runId);
    const results = events.filter((e): e is Extract<AppEvent, { type: 'task.result' }> => e.type === 'task.result');
    expect(results.map((e) => e.result.task)[0]).toBe('severity');
    expect(results.at(-1)!.result.task).toBe('technical_details');
    expect(results.every((e) => e.runId === runId && typeof e.emittedAt === 'number')).toBe(true);
    const attempts = events.filter((e) => e.type === 'task.attempt');
    expect(attempts).toHaveLength(5);
    const list = await call('tickets.list', {});
    expect(list.rows[0]).toMatchObject({ id: ticketId, state: 'done', platform: 'gcp', failed: 0, doneTasks: 5 });
    expect((await call('tickets.list', { platform: 'aws' })).rows).toHaveLength(0);
    expect((await call('tickets.list', { search: 'ACME-PROD' })).rows).toHaveLength(1);
    const d = await call('tickets.get', { ticketId });
    expect(d.results).toHaveLength(5);
    expect(d.calls).toHaveLength(5);
    // Calls sit on the ticket's own axis: product only after platform finished.
    const at = (t: string) => d.calls.find((c) => c.task === t)!;
    expect(at('product').startedMs).toBeGreaterThanOrEqual(at('platform').startedMs + (at('platform').latencyMs ?? 0) - 5);
  });

  it('keeps a failing provider on its card while the rest completes, and a retry asks only that task again', async () => {
    const { call, events, done } = await core();
    fake.configure({ faults: (i) => (i.task === 'severity' ? 'reset' : null) });
    const { ticketId, runId } = await call('triage.start', { text: TICKET });
    await done(ticketId, runId);
    const first = await call('tickets.get', { ticketId });
    expect(first.results.find((r) => r.task === 'severity')).toMatchObject({ status: 'error', error: { code: 'NETWORK' } });
    expect(first.results.filter((r) => r.status === 'ok')).toHaveLength(4);
    expect((await call('tickets.list', { failed: true })).rows.map((r) => r.id)).toEqual([ticketId]);

    fake.configure({ faults: null });
    fake.resetStats();
    const retry = await call('triage.rerun', { ticketId, task: 'severity' });
    await done(ticketId, retry.runId);
    expect(fake.stats.total).toBe(1);
    const after = await call('tickets.get', { ticketId });
    expect(after.runId).toBe(retry.runId);
    expect(after.results.every((r) => r.status === 'ok')).toBe(true);
    expect(after.reused.sort()).toEqual(['asset_ids', 'platform', 'product', 'technical_details']);
    expect(events.some((e) => e.type === 'task.result' && e.runId === retry.runId && e.reused === true)).toBe(true);
  });

  it('sets, replaces and removes keys without ever returning one, and the next call uses the new key', async () => {
    const keychain = memoryKeychain({ groq: OLD_KEY });
    const { c, call, done } = await core({ keychain });
    fake.configure({ apiKeys: [NEW_KEY] });
    const a = await call('triage.start', { text: TICKET });
    await done(a.ticketId, a.runId);
    expect((await call('tickets.get', { ticketId: a.ticketId })).results.find((r) => r.task === 'platform')?.error?.code).toBe('AUTH');

    const set = await c.request('keys.set', { provider: 'groq', key: NEW_KEY });
    expect(JSON.stringify(set)).not.toContain(NEW_KEY);
    expect(set).toMatchObject({
      ok: true,
      data: [
        { provider: 'groq', set: true, last4: 'new2', source: 'keychain' },
        { provider: 'openai', set: false },
      ],
    });
    expect(keychain.data.get('groq')).toBe(NEW_KEY);
    const b = await call('triage.start', { text: TICKET });
    await done(b.ticketId, b.runId);
    expect((await call('tickets.get', { ticketId: b.ticketId })).results.every((r) => r.status === 'ok')).toBe(true);

    const removed = await call('keys.remove', { provider: 'groq' });
    expect(removed[0]).toMatchObject({ set: false, last4: null });
    // No key left: the default falls back to the keyless demo.
    expect((await call('settings.get', {})).demo).toBe(true);
    for (const route of ['settings.get', 'keys.status', 'tickets.list', 'runs.list'] as const) {
      expect(JSON.stringify(await c.request(route, {}))).not.toMatch(/gsk_(NEW|OLD)KEY/);
    }
  });

  it('names the provider without a key before recording anything, and keeps UI-set keys for the session without a keychain', async () => {
    const { c, call } = await core({ keychain: null, keys: {} });
    await call('settings.set', { assignment: { severity: 'openai:gpt-4o', platform: 'groq:openai/gpt-oss-120b' } });
    const refused = await c.request('triage.start', { text: TICKET });
    expect(refused).toMatchObject({ ok: false, error: { code: 'KEY_MISSING' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/No (Groq|OpenAI) API key.*Settings/);
    // The provider travels as data, so the window points Settings at it without reading the sentence.
    if (!refused.ok) expect(refused.error.provider).toBe(refused.error.message.includes('Groq') ? 'groq' : 'openai');
    expect((await call('tickets.list', {})).total).toBe(0);
    const keys = await call('keys.set', { provider: 'openai', key: 'sk-test-000000000000000000abcd' });
    expect(keys.find((k) => k.provider === 'openai')).toMatchObject({ set: true, last4: 'abcd', source: 'session' });
  });

  it('keeps settings and UI state across restarts, and refuses a bad assignment', async () => {
    const db = join(dir(), 'cb.db');
    const first = await core({ db });
    await first.call('settings.set', {
      assignment: { severity: 'openai:gpt-4o' },
      ticketConcurrency: 7,
      endpoints: { openai: 'http://127.0.0.1:9/v1' },
    });
    await first.call('ui.save', { key: 'layout', value: { sidebarVisible: false, sizes: { 'wb-h': { sidebar: 30, main: 70 } } } });
    expect((await first.c.request('settings.set', { assignment: { severity: 'nonsense' } })).ok).toBe(false);
    expect((await first.c.request('settings.set', { assignment: { bogus_task: 'groq:x' } })).ok).toBe(false);
    await first.c.close();
    open.splice(open.indexOf(first.c), 1);
    const second = await core({ db });
    const s = await second.call('settings.get', {});
    expect(s.assignment.severity).toBe('openai:gpt-4o');
    expect(s.assignment.platform).toBe('groq:openai/gpt-oss-120b');
    expect(s.ticketConcurrency).toBe(7);
    expect(s.ui.layout).toEqual({ sidebarVisible: false, sizes: { 'wb-h': { sidebar: 30, main: 70 } } });
    // The environment's endpoint wins over the saved one, and says so.
    expect(s.envOverrides).toContain('OPENAI_BASE_URL');
  });

  it("speculates by default (the dependents' calls marked kept on the timeline), and not once the workspace setting is off, which it remembers", async () => {
    const db = join(dir(), 'cb.db');
    const first = await core({ db });
    expect((await first.call('settings.get', {})).speculate).toBe(true);
    const a = await first.call('triage.start', { text: TICKET });
    await first.done(a.ticketId, a.runId);
    const kept = (evs: AppEvent[], runId: string) =>
      evs
        .flatMap((e) =>
          e.type === 'task.attempt' && e.runId === runId && e.call.speculation ? [`${e.call.task} ${e.call.speculation}`] : [],
        )
        .sort();
    expect(kept(first.events, a.runId)).toEqual(['asset_ids kept', 'product kept', 'technical_details kept']);
    const view = await first.call('tickets.get', { ticketId: a.ticketId });
    expect(
      view.calls
        .filter((c) => c.speculation === 'kept')
        .map((c) => c.task)
        .sort(),
    ).toEqual(['asset_ids', 'product', 'technical_details']);
    await first.call('settings.set', { speculate: false });
    await first.c.close();
    const second = await core({ db });
    expect((await second.call('settings.get', {})).speculate).toBe(false);
    const b = await second.call('triage.start', { text: TICKET });
    await second.done(b.ticketId, b.runId);
    expect(kept(second.events, b.runId)).toEqual([]);
  });

  it('imports a ticket file (reporting bad lines), triages it with bounded concurrency and records the run', async () => {
    const { call, events } = await core();
    await call('settings.set', { ticketConcurrency: 2 });
    const lines = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify({ id: `F${i}`, text: `S3 bucket logs-${i} in account 12345678901${i} returns AccessDenied for Lambda writes` }),
    );
    const sentBefore = fake.stats.total;
    const rep = await call('tickets.import', { name: 'batch.jsonl', content: `${lines.join('\n')}\n{not json\n` });
    expect(rep).toMatchObject({ added: 6, source: 'batch.jsonl', badLines: [{ line: 7 }] });
    // Stored and listed at once, but nothing is called before the go-ahead on its estimate.
    expect(rep.batch).toMatchObject({ state: 'confirm', total: 6, estimate: { tickets: 6, calls: 30 } });
    expect(rep.batch!.estimate!.usd).toBeGreaterThan(0);
    expect(fake.stats.total).toBe(sentBefore);
    await call('batches.start', { runId: rep.runId });
    await waitFor(() => events.filter((e) => e.type === 'ticket.done' && e.runId === rep.runId).length === 6);
    // Two tickets at a time, each with at most its five calls in flight (speculation starts them at once).
    expect(fake.stats.peakInFlight).toBeLessThanOrEqual(2 * 5);
    const runs = await call('runs.list', {});
    expect(runs.find((r) => r.id === rep.runId)).toMatchObject({
      kind: 'run',
      label: 'batch.jsonl',
      status: 'done',
      tickets: 6,
      done: 6,
      pending: 0,
    });
    const list = await call('tickets.list', { platform: 'aws' });
    expect(list.rows).toHaveLength(6);
    expect(list.products).toContain('S3');
    expect((await call('runs.tickets', { runId: rep.runId })).map((t) => t.ticketId)).toEqual(['F0', 'F1', 'F2', 'F3', 'F4', 'F5']);
    await expect(call('tickets.importPath', { path: '/etc/passwd' })).rejects.toThrow(/not a ticket file/);
  });

  it('compares models on one ticket live and reopens it from the store like an experiment', async () => {
    const { call, done } = await core({ keys: { groq: OLD_KEY, openai: 'sk-openai-000000000000000000wxyz' } });
    fake.configure({ answer: (i) => (i.model === 'gpt-4o' && i.task === 'severity' ? { severity: 'low' } : undefined) });
    const t = await call('triage.start', { text: TICKET });
    await done(t.ticketId, t.runId);
    const models = ['groq:openai/gpt-oss-120b', 'groq:openai/gpt-oss-20b', 'openai:gpt-4o'];
    const cmp = await call('compare.start', { ticketId: t.ticketId, models, baseline: 'groq:openai/gpt-oss-120b' });
    await done(t.ticketId, cmp.runId);
    const data = await call('compare.get', { runId: cmp.runId, ticketId: t.ticketId });
    expect(data).toMatchObject({ kind: 'compare', baseline: 'groq:openai/gpt-oss-120b', models, live: false });
    expect(data.cells).toHaveLength(15);
    expect(data.cells.find((c) => c.modelSpec === 'openai:gpt-4o' && c.result.task === 'severity')?.result.value).toBe('low');
    // The comparison is not the ticket's own triage: its list row still shows the triage.
    expect((await call('tickets.list', {})).rows[0]!.runId).toBe(t.runId);
    expect((await call('runs.list', {})).find((r) => r.id === cmp.runId)).toMatchObject({
      kind: 'compare',
      tickets: 1,
      baseline: 'groq:openai/gpt-oss-120b',
    });
    const lat = await call('models.latency', {});
    expect(lat['openai:gpt-4o']?.severity).toMatchObject({ source: 'recorded', n: 1 });
    expect(lat['demo:gpt-4o']?.platform?.source).toBe('article');
  });

  it('keeps finished facts when closed mid-run, marks the ticket interrupted, and resumes only what is missing', async () => {
    const db = join(dir(), 'cb.db');
    const first = await core({ db });
    fake.configure({ latencyMs: (_m, task) => (task === 'technical_details' ? 5_000 : task === 'product' ? 40 : 20) });
    const t = await first.call('triage.start', { text: TICKET });
    await waitFor(() => first.events.filter((e) => e.type === 'task.result' && e.runId === t.runId).length >= 4);
    await first.c.close();
    open.splice(open.indexOf(first.c), 1);
    fake.configure({ latencyMs: 20 });

    const second = await core({ db });
    // A graceful close records the cancelled call itself; a killed process leaves the run to be marked at start.
    const row = (await second.call('tickets.list', {})).rows[0]!;
    expect(row).toMatchObject({ id: t.ticketId, state: 'interrupted' });
    const d = await second.call('tickets.get', { ticketId: t.ticketId });
    expect(
      d.results
        .filter((r) => r.status === 'ok')
        .map((r) => r.task)
        .sort(),
    ).toEqual(['asset_ids', 'platform', 'product', 'severity']);
    fake.resetStats();
    expect(await second.call('triage.resumeInterrupted', {})).toMatchObject({ queued: 1, confirm: false });
    await waitFor(() => second.events.some((e) => e.type === 'ticket.done' && e.ticketId === t.ticketId));
    expect(fake.stats.total).toBe(1);
    expect((await second.call('tickets.list', {})).rows[0]).toMatchObject({ state: 'done', failed: 0 });
    expect(TASK_IDS).toHaveLength(5);
  });

  it('imports files dropped into the watched folder once each', async () => {
    const folder = dir();
    const { call, events } = await core();
    const s = await call('settings.set', { watchFolder: folder });
    expect(s).toMatchObject({ watchFolder: folder, watchError: null });
    writeFileSync(join(folder, 'one.txt'), 'Azure VM vm-web-01 in subscription 1111-2222 does not boot after resize, urgent');
    writeFileSync(
      join(folder, 'many.csv'),
      'id,text\nC1,"BigQuery in project data-1 is slow since yesterday"\nC2,"Cloud SQL db-1 refuses connections in project p-2"\n',
    );
    await waitFor(() => events.some((e) => e.type === 'ticket.done'), 15_000);
    // The file's batch waits for the go-ahead; the short .txt ticket goes at once.
    await waitFor(
      () =>
        events.some((e) => e.type === 'batches.changed' && e.batches.some((b) => b.label === 'watch: many.csv' && b.state === 'confirm')),
      15_000,
    );
    const held = (await call('batches.list', {})).find((b) => b.label === 'watch: many.csv')!;
    await call('batches.start', { runId: held.runId });
    await waitFor(() => events.filter((e) => e.type === 'ticket.done').length >= 3, 15_000);
    const ids = (await call('tickets.list', {})).rows.map((r) => r.id).sort();
    expect(ids).toEqual(['C1', 'C2', 'one']);
    expect((await call('settings.set', { watchFolder: join(folder, 'missing') })).watchError).toMatch(/does not exist/);
  });
});

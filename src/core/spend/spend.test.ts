// The daily spend limit through the real engine, SDKs and store: reached mid-batch it stops further
// calls with a clear message, records nothing as a failure, and the batch resumes — without
// repeating a finished call — once the limit is raised or the local day turns.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import type { TicketLine } from '../tickets/ticketFile.ts';
import { createRuntime, type Runtime } from '../runtime.ts';
import { openStore, type Store } from '../store/store.ts';
import { runBatch } from '../experiments/batchRun.ts';
import { createSpendGuard } from './guard.ts';
import { saveLimit } from './limits.ts';
import { spendView } from './view.ts';
import { localDay, localMidnight } from './day.ts';

const ASSIGN = 'groq:openai/gpt-oss-120b';
let fake: FakeServer;
let rt: Runtime;

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 5 });
  rt = await createRuntime({
    env: { GROQ_API_KEY: 'gsk_SPENDTEST-0000000000000000000001', GROQ_BASE_URL: fake.groqBaseURL },
    secretStore: null,
    scheduler: { maxConcurrency: 4, maxRetries: 0 },
  });
});
afterAll(() => fake.close());

const tickets = (n: number): TicketLine[] =>
  Array.from({ length: n }, (_, i) => ({
    ok: true as const,
    line: i + 1,
    ticket: {
      id: `S${i + 1}`,
      text: `S3 bucket logs-${i} in account 123456789012 returns AccessDenied since 09:00, production writes failing.`,
    },
  }));
async function* lines(n: number): AsyncIterable<TicketLine> {
  for (const l of tickets(n)) yield l;
}
const count = (store: Store, sql: string, ...p: string[]): number => Number((store.prepare(sql).get(...p) as { n: number }).n);

describe('daily spend limit', () => {
  it('stops a batch mid-way with a clear message, keeps what finished, and resumes once the limit is raised', async () => {
    const store = openStore(join(mkdtempSync(join(tmpdir(), 'cb-spend-')), 'cb.db'));
    // A day at noon, local time, so the day does not turn during the test.
    const day = new Date(2026, 11, 4, 12, 0, 0);
    const guard = createSpendGuard({ store, clock: () => day, resyncMs: 0 });
    const deps = { ...rt.deps, spend: guard };
    // Learn one ticket's cost, then allow about three tickets' worth.
    saveLimit(store, { kind: 'workspace' }, 1e9);
    await runBatch({ store, deps, runId: 'probe', assignment: rt.assignment(ASSIGN), tickets: lines(1), source: 'probe', concurrency: 1 });
    const perTicket = spendView(store).today.usd;
    expect(perTicket).toBeGreaterThan(0);
    saveLimit(store, { kind: 'workspace' }, perTicket * 3.5);
    guard.refresh();

    const before = fake.stats.total;
    const first = await runBatch({
      store,
      deps,
      runId: 'batch',
      assignment: rt.assignment(ASSIGN),
      tickets: lines(20),
      source: 'b',
      concurrency: 1,
    });
    expect(first.spendLimited).toMatch(
      /daily spend limit reached: \$[\d.]+ spent today \(local day 2026-12-04\) of the workspace's \$[\d.]+ limit/,
    );
    expect(first.spendLimited).toMatch(/raised .* or the day turns at local midnight/);
    const sent = fake.stats.total - before;
    // Only what fitted under the limit was sent (plus the calls in flight when it was reached).
    expect(sent).toBeLessThan(5 * 6);
    expect(first.done).toBeGreaterThanOrEqual(2);
    expect(first.done).toBeLessThan(20);
    // Nothing was recorded as a failure: no refused call, no SPEND_LIMIT result.
    expect(count(store, `SELECT count(*) AS n FROM calls WHERE error_code = 'SPEND_LIMIT' OR status = 'error'`)).toBe(0);
    expect(count(store, `SELECT count(*) AS n FROM results WHERE status != 'ok'`)).toBe(0);
    expect(store.getRun('batch')!.status).toBe('interrupted');
    const okBefore = count(store, `SELECT count(*) AS n FROM calls WHERE run_id = 'batch' AND status = 'ok'`);

    // Calls stay refused while the limit holds…
    const again = await runBatch({
      store,
      deps,
      runId: 'batch',
      assignment: rt.assignment(ASSIGN),
      tickets: lines(20),
      source: 'b',
      concurrency: 1,
    });
    expect(again.spendLimited).toBeTruthy();
    expect(again.done).toBe(0);
    // …and the batch resumes when it is raised, repeating no finished call.
    saveLimit(store, { kind: 'workspace' }, null);
    guard.refresh();
    const rest = await runBatch({
      store,
      deps,
      runId: 'batch',
      assignment: rt.assignment(ASSIGN),
      tickets: lines(20),
      source: 'b',
      concurrency: 3,
    });
    expect(rest.spendLimited).toBeUndefined();
    expect(rest.done + rest.skippedAsDone).toBe(20);
    expect(store.runTicketIds('batch', 'done').size).toBe(20);
    expect(count(store, `SELECT count(*) AS n FROM calls WHERE run_id = 'batch' AND status = 'ok'`)).toBe(100);
    expect(
      count(
        store,
        `SELECT count(*) AS n FROM (SELECT ticket_id, task FROM calls WHERE run_id = 'batch' AND status = 'ok' GROUP BY 1, 2 HAVING count(*) > 1)`,
      ),
    ).toBe(0);
    expect(okBefore).toBeGreaterThan(0);
    store.close();
  });

  it("resumes when the local day turns: today's spend starts again from zero at local midnight", async () => {
    const store = openStore(join(mkdtempSync(join(tmpdir(), 'cb-spend-')), 'cb.db'));
    let now = new Date(2026, 11, 4, 23, 59, 0);
    const guard = createSpendGuard({ store, clock: () => now, resyncMs: 0 });
    const deps = { ...rt.deps, spend: guard };
    saveLimit(store, { kind: 'workspace' }, 1);
    // $1 already spent earlier on the 4th (another batch).
    store.createRun({ id: 'earlier', kind: 'run', assignment: rt.assignment(ASSIGN) });
    store.insertCall({
      runId: 'earlier',
      ticketId: 'X',
      task: 'platform',
      modelSpec: ASSIGN,
      provider: 'groq',
      model: 'openai/gpt-oss-120b',
      attempt: 1,
      promptVersion: null,
      startedAt: localMidnight(now) + 3600_000,
      latencyMs: 100,
      ttftMs: null,
      queueTimeMs: null,
      providerTotalMs: null,
      status: 'ok',
      errorCode: null,
      errorMessage: null,
      httpStatus: null,
      requestId: null,
      inputTokens: 1,
      outputTokens: 1,
      cachedTokens: null,
      reasoningTokens: null,
      costUsd: 1,
      raw: null,
    });
    const before = fake.stats.total;
    const a = await runBatch({
      store,
      deps,
      runId: 'night',
      assignment: rt.assignment(ASSIGN),
      tickets: lines(6),
      source: 'n',
      concurrency: 2,
    });
    expect(a.spendLimited).toMatch(/\$1\.00 spent today \(local day 2026-12-04\) of the workspace's \$1\.00 limit/);
    expect(a.done).toBe(0);
    expect(fake.stats.total).toBe(before);
    now = new Date(2026, 11, 5, 0, 0, 30);
    expect(localDay(now)).toBe('2026-12-05');
    const b = await runBatch({
      store,
      deps,
      runId: 'night',
      assignment: rt.assignment(ASSIGN),
      tickets: lines(6),
      source: 'n',
      concurrency: 2,
    });
    expect(b.spendLimited).toBeUndefined();
    expect(b.done).toBe(6);
    store.close();
  });

  it('never refuses demo models (simulated: nothing is spent) and says refused calls are not failures', async () => {
    const store = openStore(':memory:');
    const guard = createSpendGuard({ store, resyncMs: 0 });
    saveLimit(store, { kind: 'workspace' }, 0);
    guard.refresh();
    expect(() => guard.beforeCall('demo:gpt-4o')).not.toThrow();
    expect(() => guard.beforeCall('groq:openai/gpt-oss-20b')).toThrow(/daily spend limit reached/);
    try {
      guard.beforeCall('openai:gpt-4o');
    } catch (e) {
      expect((e as { code: string; retryable: boolean }).code).toBe('SPEND_LIMIT');
      expect((e as { retryable: boolean }).retryable).toBe(false);
    }
    store.close();
  });

  it('a stored limit of a scope this version does not know (a newer version wrote it) neither disables nor loses the others', async () => {
    const store = openStore(':memory:');
    const later = { scope: { kind: 'shadowSet', id: 'canary' }, dailyUsd: 2 };
    store
      .prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('spend.limits', ?, 0)`)
      .run(JSON.stringify([later, { scope: { kind: 'workspace' }, dailyUsd: 0 }]));
    const guard = createSpendGuard({ store, resyncMs: 0 });
    // The workspace limit still stops calls.
    expect(() => guard.beforeCall('groq:openai/gpt-oss-20b')).toThrow(
      /daily spend limit reached: \$0\.00 spent today .* of the workspace's \$0\.00 limit/,
    );
    expect(spendView(store).limits).toEqual([expect.objectContaining({ scope: { kind: 'workspace' }, label: 'Workspace', reached: true })]);
    // Changing the workspace limit keeps the entry it could not read.
    saveLimit(store, { kind: 'workspace' }, 5);
    const stored = JSON.parse(
      String((store.prepare(`SELECT value FROM settings WHERE key = 'spend.limits'`).get() as { value: string }).value),
    );
    expect(stored).toEqual([later, { scope: { kind: 'workspace' }, dailyUsd: 5 }]);
    guard.refresh();
    expect(() => guard.beforeCall('groq:openai/gpt-oss-20b')).not.toThrow();
    // A gate for calls of a narrower scope still obeys the workspace's limit and charges it.
    saveLimit(store, { kind: 'workspace' }, 0.001);
    guard.refresh();
    const narrow = guard.gateFor([]);
    narrow.charge('groq:openai/gpt-oss-20b', 0.002);
    expect(() => narrow.beforeCall('groq:openai/gpt-oss-20b')).toThrow(/daily spend limit reached/);
    expect(() => guard.beforeCall('groq:openai/gpt-oss-20b')).toThrow(/daily spend limit reached/);
    store.close();
  });
});

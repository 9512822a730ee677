// A full disk, simulated without any mount through SQLite's own page limit (PRAGMA max_page_count
// makes every write past it fail with SQLITE_FULL, "database or disk is full", exactly as a full
// file system does). The failing write must surface that cause in words, keep the database sound,
// and never become an uncaught exception (which ended `casebench serve`).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '#shared/routes.ts';
import { DEMO_ASSIGNMENT } from '#core/assignment.ts';
import { createRuntime, type Runtime } from '#core/runtime.ts';
import { openStore, type Store } from '#core/store/store.ts';
import { runBatch, stableRunId } from '#core/experiments/batchRun.ts';
import { createIntake } from '#core/live/intake.ts';
import { experimentRunId, runExperiment } from '#core/experiments/experiment.ts';
import type { TicketLine } from '#core/tickets/ticketFile.ts';

let rt: Runtime;
beforeAll(async () => {
  rt = await createRuntime({ env: {}, secretStore: null, demoSpeed: 0.001 });
});
afterAll(async () => rt?.close());

const dir = (): string => mkdtempSync(join(tmpdir(), 'cb-full-'));
const TEXT = (i: number): string =>
  `Our S3 bucket logs-${i} in account 1234567890${String(i % 100).padStart(2, '0')} returns AccessDenied since 09:00 ${'detail '.repeat(300)}`;

/** Lets the file grow by `pages` more pages from now on (SQLite's page limit stands in for the disk). */
function fillUpAfter(store: Store, pages: number): void {
  const n = Number((store.prepare('PRAGMA page_count').get() as { page_count: number }).page_count);
  store.prepare(`PRAGMA max_page_count = ${n + pages}`).get();
}

async function* tickets(n: number): AsyncGenerator<TicketLine> {
  for (let i = 1; i <= n; i++) yield { ok: true, line: i, ticket: { id: `T${i}`, text: TEXT(i) } };
}

describe('a full disk', () => {
  it('a transaction that hits it says "disk full" and names the file, not "cannot rollback"; the file stays sound', () => {
    const path = join(dir(), 'cb.db');
    const store = openStore(path);
    fillUpAfter(store, 2);
    let err: unknown = null;
    try {
      store.transaction(() => {
        for (let i = 0; i < 50; i++) store.upsertTicket({ id: `X${i}`, text: TEXT(i) }, 'test');
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      new RegExp(`^disk full: cannot write ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(SQLite: database or disk is full\\)`),
    );
    expect((err as Error).message).not.toMatch(/rollback/);
    expect(store.prepare('SELECT count(*) AS n FROM tickets').get()).toEqual({ n: 0 });
    store.close();
    const again = openStore(path);
    expect(again.integrityCheck()).toBe('ok');
    again.close();
  });

  it('`run` stops with the cause, what of the failing ticket was written and how many tickets are saved; a re-run with room finishes', async () => {
    const path = join(dir(), 'cb.db');
    const store = openStore(path);
    const runId = stableRunId('run', DEMO_ASSIGNMENT, 'tickets.jsonl');
    fillUpAfter(store, 40);
    let err: Error | null = null;
    try {
      await runBatch({
        store,
        deps: rt.deps,
        runId,
        assignment: { ...DEMO_ASSIGNMENT },
        tickets: tickets(60),
        source: 'tickets.jsonl',
        concurrency: 2,
        gate: rt.gate,
      });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(
      /^disk full: cannot write .*cb\.db \(SQLite: database or disk is full\); (nothing of ticket T\d+ was written|ticket T\d+ is saved in part \(\d of 5 tasks\)); \d+ tickets? of this run saved \(run the same command again to resume\)$/,
    );
    const saved = Number(/; (\d+) tickets? of this run saved/.exec(err!.message)![1]);
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(60);
    expect(store.runTicketIds(runId, 'done').size).toBe(saved);
    store.close();

    // More room (a fresh connection has no page limit): the same run resumes and finishes.
    const roomy = openStore(path);
    expect(roomy.integrityCheck()).toBe('ok');
    const p = await runBatch({
      store: roomy,
      deps: rt.deps,
      runId,
      assignment: { ...DEMO_ASSIGNMENT },
      tickets: tickets(60),
      source: 'tickets.jsonl',
      concurrency: 2,
      gate: rt.gate,
    });
    expect(p.skippedAsDone).toBe(saved);
    expect(roomy.runTicketIds(runId, 'done').size).toBe(60);
    roomy.close();
  });

  it('`experiment` stops every model with the cause; a re-run with room completes it', async () => {
    const path = join(dir(), 'cb.db');
    const store = openStore(path);
    const plan = { models: ['demo:gpt-4o', 'demo:llama-3.1-8b'], baseline: 'demo:gpt-4o', upstream: 'own' as const };
    const runId = experimentRunId(plan, 'tickets.jsonl');
    const list = Array.from({ length: 40 }, (_, i) => ({ id: `E${i}`, text: TEXT(i) }));
    fillUpAfter(store, 6);
    await expect(
      runExperiment({ store, deps: rt.deps, runId, plan, tickets: list, source: 'tickets.jsonl', concurrency: 2 }),
    ).rejects.toThrow(/^disk full: cannot write .*cb\.db \(SQLite: database or disk is full\)$/);
    store.close();
    const roomy = openStore(path);
    const out = await runExperiment({ store: roomy, deps: rt.deps, runId, plan, tickets: list, source: 'tickets.jsonl', concurrency: 2 });
    expect(out.complete).toBe(true);
    expect(roomy.integrityCheck()).toBe('ok');
    roomy.close();
  });

  it('the workbench (serve) keeps running: the failure reaches the window as a notice and nothing is thrown unhandled', async () => {
    const store = openStore(join(dir(), 'cb.db'));
    const events: AppEvent[] = [];
    const done: string[] = [];
    const intake = createIntake({
      store,
      rt,
      emit: (e) => events.push(e),
      assignment: () => ({ ...DEMO_ASSIGNMENT }),
      concurrency: () => 2,
      onTicketDone: (id) => done.push(id),
      onRunDone: () => {},
    });
    const jobs = Array.from({ length: 30 }, (_, i) => ({ ticket: { id: `W${i}`, text: TEXT(i) } }));
    store.transaction(() => {
      for (const j of jobs) store.upsertTicket(j.ticket, 'paste');
    });
    fillUpAfter(store, 4);
    intake.enqueue('paste', jobs);
    for (let i = 0; i < 500 && done.length < jobs.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(done.length).toBe(jobs.length); // every ticket was accounted for: none hung on a failed write
    const notices = events.filter((e): e is Extract<AppEvent, { type: 'notice' }> => e.type === 'notice' && e.level === 'error');
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]!.message).toMatch(/^ticket W\d+: (results not saved: )?disk full: cannot write .*cb\.db/);
    // The host is still usable: reads work and, with room again, writes do too.
    store.prepare('PRAGMA max_page_count = 1073741823').get();
    store.upsertTicket({ id: 'after', text: TEXT(1) }, 'paste');
    expect(store.getTicket('after')?.id).toBe('after');
    expect(store.integrityCheck()).toBe('ok');
    intake.close();
    store.close();
  });
});

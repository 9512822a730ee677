// `--hedge` / `--no-hedge` / `--hedge-budget` and the workspace setting, through the real command
// against the loopback fake with a heavy-tailed latency (issue 15 §2).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '#core/store/store.ts';
import { loadSettings, saveSettings } from '#core/settings/settingsStore.ts';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { heavyTail, type HeavyTailLatency } from '../fakes/heavyTail.ts';
import { fakeCliEnv, runCli, tempDir, writeTickets } from './helpers.ts';

const ASSIGN = 'groq:openai/gpt-oss-20b';
let fake: FakeServer;
let lat: HeavyTailLatency;
let dir: string;
let db: string;

/** A file of two tickets: `${name}-0`, then `name`. */
function tickets(name: string): string {
  const p = join(dir, `${name}.jsonl`);
  const line = (id: string) =>
    JSON.stringify({ id, text: `S3 bucket ${id} in account 123456789012 returns AccessDenied since the deploy.` });
  writeFileSync(p, `${line(`${name}-0`)}\n${line(name)}\n`);
  return p;
}

/**
 * Runs two tickets one after the other, the second one's severity request taking 40× the usual
 * (the first ticket opens the connections: a process hedges only once a model has answered it);
 * returns the second one's severity calls as recorded.
 */
async function slowRun(name: string, flags: string[]) {
  lat.slowNext(1, 'severity', 1);
  const r = await runCli(
    ['run', '--tickets', tickets(name), '--concurrency', '1', '--assign', ASSIGN, '--db', db, '--out', join(dir, `${name}.out`), ...flags],
    fakeCliEnv(fake),
  );
  lat.reset();
  expect(r.code, r.stderr).toBe(0);
  const store = openStore(db, { readOnly: true });
  try {
    const calls = store
      .prepare(
        "SELECT c.hedge, c.hedge_lost, c.status FROM calls c JOIN runs r ON r.id = c.run_id WHERE c.task = 'severity' AND c.ticket_id = ? ORDER BY c.id",
      )
      .all(name) as Array<{ hedge: string | null; hedge_lost: number | null; status: string }>;
    return { calls, stderr: r.stderr };
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  lat = heavyTail({ baseMs: 30, tailShare: 0, factor: 40 });
  fake = await startFakeServer({ latencyMs: lat });
  dir = tempDir('cb-hedge-cli-');
  db = join(dir, 'w.db');
  // The workspace's history: 24 tickets at the usual 30 ms, one at a time.
  const r = await runCli(
    [
      'run',
      '--tickets',
      writeTickets(dir, 24),
      '--assign',
      ASSIGN,
      '--concurrency',
      '1',
      '--db',
      db,
      '--out',
      join(dir, 'warm.out'),
      '--no-hedge',
    ],
    fakeCliEnv(fake),
  );
  expect(r.code, r.stderr).toBe(0);
}, 120_000);
afterAll(() => fake.close());

describe('casebench run: hedged calls', () => {
  it('refuses a budget outside 0–50 % with the range, before any call', async () => {
    fake.resetStats();
    const r = await runCli(['run', '--tickets', tickets('bad'), '--assign', ASSIGN, '--db', db, '--hedge-budget', '80'], fakeCliEnv(fake));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--hedge-budget.*must be a percentage from 0 to 50/);
    expect(fake.stats.total).toBe(0);
  });

  it('--hedge-budget alone turns hedging on: a call past the p95 the workspace recorded gets a duplicate, and the summary says so', async () => {
    const { calls, stderr } = await slowRun('D1', ['--hedge-budget', '50']);
    // The duplicate answered (recorded as it came) and the original was cancelled.
    expect(calls.map((c) => [c.hedge, c.hedge_lost, c.status]).sort()).toEqual([
      ['hedge', 0, 'ok'],
      ['primary', 1, 'error'],
    ]);
    expect(stderr).toMatch(/\d+ hedged calls? \(\d+\.\d % more calls\), [1-9]\d* answered first/);
  });

  it('the workspace setting turns it off; --hedge turns it back on for one command', async () => {
    const store = openStore(db);
    saveSettings(store, { ...loadSettings(store), hedge: { enabled: false, budgetPct: 50 } });
    store.close();
    const off = await slowRun('S1', []);
    expect(off.calls.map((c) => c.hedge)).toEqual([null]);
    expect(off.stderr).not.toMatch(/hedged/);
    const on = await slowRun('S2', ['--hedge']);
    expect(on.calls.map((c) => c.hedge).sort()).toEqual(['hedge', 'primary']);
  });
});

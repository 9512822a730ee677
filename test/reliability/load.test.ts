// A smaller version of `npm run bench:load`: many tickets at high concurrency with 5 % of calls
// failing — no ticket is lost, every task is accounted for, every failure is recorded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, runCli, tempDir, writeTickets } from '../cli/helpers.ts';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeServer({
    latencyMs: 10,
    faults: { rate: 0.05, kinds: ['500', '503', 'reset', 'invalid-json', 'schema-violation'], seed: 11 },
  });
});
afterAll(() => fake.close());

describe('load with faults', () => {
  it('300 tickets at concurrency 64 with 5 % failing calls: zero lost, all recorded', async () => {
    const dir = tempDir('cb-load-');
    const tickets = writeTickets(dir, 300);
    const out = join(dir, 'out.jsonl');
    const db = join(dir, 'cb.db');
    const r = await runCli(
      ['run', '--tickets', tickets, '--assign', 'groq:openai/gpt-oss-20b', '--concurrency', '64', '--db', db, '--out', out],
      cliEnv({ GROQ_API_KEY: 'gsk_LOADTEST-KEY0000000000000000001', GROQ_BASE_URL: fake.groqBaseURL }),
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ticket_id: string; tasks: Record<string, { status: string }> });
    expect(new Set(lines.map((l) => l.ticket_id)).size).toBe(300);
    expect(lines).toHaveLength(300);
    for (const l of lines) expect(Object.keys(l.tasks)).toHaveLength(5);
    const sql = new DatabaseSync(db, { readOnly: true });
    const failed = (sql.prepare("SELECT count(*) AS n FROM calls WHERE status = 'error'").get() as { n: number }).n;
    const served = fake.stats.total;
    const recorded = (sql.prepare('SELECT count(*) AS n FROM calls').get() as { n: number }).n;
    sql.close();
    expect(failed).toBeGreaterThan(0);
    // Every request the provider saw is a recorded call: nothing vanished between them.
    expect(recorded).toBe(served);
  });
});

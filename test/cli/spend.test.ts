// The spend limit and retired models through the real `casebench` command.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, runCli, tempDir, writeTickets } from './helpers.ts';

const ASSIGN = 'groq:openai/gpt-oss-120b';
let fake: FakeServer;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 5 });
  env = cliEnv({
    GROQ_API_KEY: 'gsk_TESTKEYs-pend00000000000000000001',
    GROQ_BASE_URL: fake.groqBaseURL,
    OPENAI_BASE_URL: fake.openaiBaseURL,
  });
});
afterAll(() => fake.close());

const lines = (p: string): Array<{ ticket_id: string }> =>
  readFileSync(p, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('casebench spend / daily limit', () => {
  it('run stops when the daily limit is reached, says why, and resumes once it is lifted', async () => {
    const dir = tempDir();
    const db = join(dir, 'cb.db');
    const tickets = writeTickets(dir, 30);
    // One ticket to learn what a ticket costs here.
    const one = writeTickets(tempDir(), 1);
    expect((await runCli(['run', '--tickets', one, '--assign', ASSIGN, '--db', db, '--out', join(dir, 'one.jsonl')], env)).code).toBe(0);
    const probe = JSON.parse((await runCli(['spend', '--db', db, '--json'], env)).stdout);
    expect(probe.today.usd).toBeGreaterThan(0);
    const set = await runCli(['spend', '--db', db, '--limit', String(probe.today.usd * 4)], env);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/daily limit: \$/);

    const out = join(dir, 'out.jsonl');
    const args = ['run', '--tickets', tickets, '--assign', ASSIGN, '--db', db, '--out', out, '--concurrency', '1'];
    const first = await runCli(args, env);
    expect(first.code, first.stderr).toBe(3);
    expect(first.stderr).toMatch(
      /stopped: daily spend limit reached: \$[\d.]+ spent today \(local day \d{4}-\d{2}-\d{2}\) of the workspace's \$[\d.]+ limit/,
    );
    expect(first.stderr).toMatch(/run the same command again to resume/);
    const partial = lines(out).length;
    expect(partial).toBeGreaterThanOrEqual(2);
    expect(partial).toBeLessThan(30);
    const shown = await runCli(['spend', '--db', db], env);
    expect(shown.stdout).toMatch(/reached: calls are refused/);

    expect((await runCli(['spend', '--db', db, '--limit', 'off'], env)).stdout).toMatch(/daily limit: none/);
    const second = await runCli(args, env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/resuming/);
    const all = lines(out)
      .map((l) => l.ticket_id)
      .sort();
    expect(new Set(all).size).toBe(30);
    expect(all).toHaveLength(30);
  });

  it('refuses a bad limit with a clear message and changes nothing', async () => {
    const db = join(tempDir(), 'cb.db');
    const r = await runCli(['spend', '--db', db, '--limit', 'lots'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"lots" is not an amount in USD/);
    // Nothing changed: not even a workspace was made; showing the spend of none says so.
    expect(existsSync(db)).toBe(false);
    const show = await runCli(['spend', '--db', db], env);
    expect([show.code, show.stderr]).toEqual([2, expect.stringMatching(/no database at .*cb\.db/)]);
    expect(existsSync(db)).toBe(false);
    expect((await runCli(['spend', '--db', db, '--limit', '5'], env)).code).toBe(0);
    expect((await runCli(['spend', '--db', db], env)).stdout).toMatch(/daily limit: \$5/);
  });
});

describe('retired models on the command line', () => {
  it('triage and run refuse a retired model before any call, naming the replacement', async () => {
    const before = fake.stats.total;
    const t = await runCli(
      [
        'triage',
        '--text',
        'S3 bucket logs in account 123456789012 returns AccessDenied for Lambda writes',
        '--assign',
        'groq:llama-3.1-8b-instant',
        '--no-record',
      ],
      env,
    );
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/groq:llama-3\.1-8b-instant was shut down on 2026-08-16; use groq:openai\/gpt-oss-20b instead/);
    const dir = tempDir();
    const r = await runCli(
      ['run', '--tickets', writeTickets(dir, 2), '--assign', 'severity=groq:llama-3.3-70b-versatile', '--db', join(dir, 'cb.db')],
      env,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/groq:llama-3\.3-70b-versatile was shut down on 2026-08-16; use groq:openai\/gpt-oss-120b instead/);
    expect(fake.stats.total).toBe(before);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { fakeCliEnv, readJsonLines, runCli, startCli, tempDir, writeTickets } from './helpers.ts';

const ASSIGN =
  'platform=groq:openai/gpt-oss-120b,product=groq:openai/gpt-oss-20b,technical_details=groq:openai/gpt-oss-20b,asset_ids=groq:openai/gpt-oss-120b,severity=openai:gpt-4o';
let fake: FakeServer;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 5 });
  env = fakeCliEnv(fake);
});
afterAll(() => fake.close());

describe('casebench run', () => {
  it('accounts for every task of every ticket under injected faults, reports malformed lines, and records every attempt', async () => {
    const dir = tempDir();
    const tickets = writeTickets(dir, 40, ['{"id":"broken", "text": ', '{"text":"no id"}']);
    fake.configure({ faults: { rate: 0.15, kinds: ['429', '500', '503', 'invalid-json', 'schema-violation', 'reset'], seed: 7 } });
    const out = join(dir, 'out.jsonl');
    const db = join(dir, 'cb.db');
    const r = await runCli(['run', '--tickets', tickets, '--assign', ASSIGN, '--concurrency', '6', '--db', db, '--out', out], env);
    fake.configure({ faults: null });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('tickets.jsonl:41: not valid JSON');
    expect(r.stderr).toContain('tickets.jsonl:42: missing `id`');
    const lines = readJsonLines(out);
    expect(lines.map((l) => l.ticket_id).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `T${i + 1}`).sort());
    for (const l of lines) {
      expect(Object.keys(l.tasks).sort()).toEqual([...TASK_IDS].sort());
      for (const t of Object.values<any>(l.tasks)) {
        expect(['ok', 'error', 'skipped']).toContain(t.status);
        if (t.status !== 'ok') expect(t.error).toMatch(/^[A-Z_]+: /);
        if (t.status === 'ok') expect(t.latency_ms).toBeGreaterThan(0);
      }
    }
    // Retries happened and every attempt, failed ones included, is in the store.
    const sql = new DatabaseSync(db);
    const calls = sql.prepare('SELECT status, error_code, count(*) AS n FROM calls GROUP BY status, error_code').all() as any[];
    const failed = calls.filter((c) => c.status === 'error').reduce((a, c) => a + c.n, 0);
    expect(failed).toBeGreaterThan(0);
    expect(calls.map((c) => c.error_code)).toEqual(expect.arrayContaining(['RATE_LIMITED', 'INVALID_OUTPUT']));
    const invalid = sql.prepare("SELECT raw FROM calls WHERE error_code = 'INVALID_OUTPUT' AND raw IS NOT NULL LIMIT 1").get() as any;
    expect(invalid?.raw).toBeTruthy();
    const okResults = (sql.prepare("SELECT count(*) AS n FROM results WHERE status = 'ok'").get() as any).n;
    expect(okResults).toBeGreaterThan(150);
    sql.close();
    expect(r.stderr).toMatch(/40 triaged, 0 already done, 2 bad lines skipped/);
  });

  it('writes contract-shaped lines with costs, and a re-run skips what is done', async () => {
    const dir = tempDir();
    const tickets = writeTickets(dir, 6);
    const out = join(dir, 'out.jsonl');
    const db = join(dir, 'cb.db');
    const args = ['run', '--tickets', tickets, '--assign', ASSIGN, '--db', db, '--out', out];
    expect((await runCli(args, env)).code).toBe(0);
    const first = readJsonLines(out);
    const l = first.find((x) => x.ticket_id === 'T2')!;
    expect(l.tasks.platform).toMatchObject({ status: 'ok', value: 'aws', provider: 'groq', model: 'openai/gpt-oss-120b', error: null });
    expect(l.tasks.product.value).toBe('S3');
    expect(l.tasks.platform.cost_usd).toBeGreaterThan(0);
    expect(l.tasks.platform.input_tokens).toBeGreaterThan(0);
    expect(l.tasks.product.started_ms).toBeGreaterThanOrEqual(l.tasks.platform.ended_ms);
    expect(l.total_ms).toBeGreaterThanOrEqual(l.tasks.technical_details.ended_ms);
    const before = fake.stats.total;
    const again = await runCli(args, env);
    expect(again.code).toBe(0);
    expect(fake.stats.total).toBe(before);
    expect(again.stderr).toMatch(/0 triaged, 6 already done/);
    expect(readJsonLines(out)).toHaveLength(6);
  });

  it('refuses to start, in one line, when a key is missing, and makes no call', async () => {
    const dir = tempDir();
    const tickets = writeTickets(dir, 2);
    const before = fake.stats.total;
    const { GROQ_API_KEY: _, ...noGroq } = env;
    const r = await runCli(['run', '--tickets', tickets, '--assign', ASSIGN, '--db', join(dir, 'x.db')], noGroq);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no Groq API key: set one with `casebench keys set groq`/);
    expect(fake.stats.total).toBe(before);
  });

  it('loses nothing when killed with SIGKILL mid-run: the database opens, and a re-run finishes without repeating finished calls', async () => {
    const dir = tempDir();
    const tickets = writeTickets(dir, 150);
    const out = join(dir, 'out.jsonl');
    const db = join(dir, 'cb.db');
    fake.configure({ latencyMs: 40 });
    const args = ['run', '--tickets', tickets, '--assign', ASSIGN, '--db', db, '--out', out, '--concurrency', '4'];
    const { child, done } = startCli(args, env);
    // Kill once some tickets are finished but not all.
    for (let i = 0; i < 400; i++) {
      await new Promise((r) => setTimeout(r, 25));
      let n = 0;
      try {
        n = readFileSync(out, 'utf8').split('\n').length - 1;
      } catch {}
      if (n >= 10) break;
    }
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    fake.configure({ latencyMs: 5 });

    const sql = new DatabaseSync(db);
    expect((sql.prepare('PRAGMA integrity_check').get() as any).integrity_check).toBe('ok');
    const doneBefore = (sql.prepare("SELECT count(*) AS n FROM run_tickets WHERE status = 'done'").get() as any).n;
    expect(doneBefore).toBeGreaterThanOrEqual(10);
    expect(doneBefore).toBeLessThan(150);
    sql.close();

    const again = await runCli(args, env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resuming/);
    const lines = readJsonLines(out);
    expect(lines.map((l) => l.ticket_id).sort()).toEqual(Array.from({ length: 150 }, (_, i) => `T${i + 1}`).sort());
    const sql2 = new DatabaseSync(db);
    // No finished task was called twice: at most one successful call per ticket and task.
    const dup = sql2
      .prepare("SELECT ticket_id, task, count(*) AS n FROM calls WHERE status = 'ok' GROUP BY ticket_id, task HAVING n > 1")
      .all();
    expect(dup).toEqual([]);
    sql2.close();
  });
});

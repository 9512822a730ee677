// Issue 13 §4 through the real command: tickets keep their identity (id + text), a run is executed
// by one live process, and failures are counted and retried truthfully.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { fakeCliEnv, readJsonLines, runCli, startCli, tempDir, writeTickets } from './helpers.ts';

const ASSIGN = 'groq:openai/gpt-oss-20b';
let fake: FakeServer;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 5 });
  env = fakeCliEnv(fake);
});
afterAll(() => fake.close());

const jsonl = (rows: object[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
const S3 = 'S3 bucket logs-7 in account 123456789012 returns AccessDenied when Lambda writes to it.';
const GKE = 'Our production GKE cluster in project acme-prod-7 is down since 09:00 UTC; pods fail with "ImagePullBackOff".';

describe('tickets keep their identity', () => {
  it('the same id in two files keeps each text and labels: run A exports its own ticket beside its answers', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, jsonl([{ id: 'T1', text: S3, labels: { platform: 'aws' } }]));
    writeFileSync(b, jsonl([{ id: 'T1', text: GKE, labels: { platform: 'gcp' } }]));
    const db = join(dir, 'cb.db');
    expect((await runCli(['run', '--tickets', a, '--assign', ASSIGN, '--db', db, '--out', join(dir, 'a.out')], env)).code).toBe(0);
    expect((await runCli(['run', '--tickets', b, '--assign', ASSIGN, '--db', db, '--out', join(dir, 'b.out')], env)).code).toBe(0);
    expect(readJsonLines(join(dir, 'a.out'))[0]!.tasks.platform.value).toBe('aws');

    const sql = new DatabaseSync(db);
    const runA = String((sql.prepare("SELECT id FROM runs WHERE config LIKE '%a.jsonl%'").get() as any).id);
    sql.close();
    const exp = join(dir, 'a.export.jsonl');
    const r = await runCli(['export', '--format', 'jsonl', '--out', exp, '--db', db, '--run', runA], env);
    expect(r.code, r.stderr).toBe(0);
    const tickets = readJsonLines(exp).filter((l) => l.casebench === 'ticket');
    expect(tickets).toEqual([expect.objectContaining({ id: 'T1', text: S3, labels: { platform: 'aws' } })]);
    const results = readJsonLines(exp).filter((l) => l.casebench === 'result' && l.task === 'platform');
    expect(results.map((x) => x.value)).toEqual(['aws']);
  });

  it('an edited ticket is triaged again on a re-run of the same file; unchanged ones are not', async () => {
    const dir = tempDir();
    const file = writeTickets(dir, 4);
    const db = join(dir, 'cb.db');
    const out = join(dir, 'out.jsonl');
    const args = ['run', '--tickets', file, '--assign', ASSIGN, '--db', db, '--out', out];
    expect((await runCli(args, env)).code).toBe(0);
    expect(readJsonLines(out).find((l) => l.ticket_id === 'T2')!.tasks.platform.value).toBe('aws');

    // T2 is rewritten from an S3 problem into a GKE one.
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    lines[1].text = GKE;
    writeFileSync(file, jsonl(lines));
    const before = fake.stats.total;
    const again = await runCli(args, env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/1 triaged \(1 edited since the last run\), 3 already done/);
    expect(fake.stats.total - before).toBe(5); // the edited ticket's five tasks, nothing else
    const now = readJsonLines(out);
    expect(now.map((l) => l.ticket_id).sort()).toEqual(['T1', 'T2', 'T3', 'T4']); // one line per ticket
    expect(now.find((l) => l.ticket_id === 'T2')!.tasks.platform.value).toBe('gcp');

    // A third run of the unchanged file calls nothing.
    const third = await runCli(args, env);
    expect(third.stderr).toMatch(/0 triaged, 4 already done/);
    expect(fake.stats.total - before).toBe(5);
  });
});

describe('one live process per run', () => {
  it('two concurrent runs on one database: the second names the holder and stops, --wait waits; every task is called once', async () => {
    const dir = tempDir();
    const n = 12;
    const file = writeTickets(dir, n);
    const db = join(dir, 'cb.db');
    // Slow enough (≈ 12 × 3 × 250 ms) that both other processes start while the first one runs.
    fake.configure({ latencyMs: 250 });
    fake.resetStats();
    try {
      const first = startCli(
        ['run', '--tickets', file, '--assign', ASSIGN, '--db', db, '--out', join(dir, 'one.jsonl'), '--concurrency', '1'],
        env,
      );
      // Wait until the first process has started its run (it holds the lease from then on).
      for (let i = 0; i < 400 && fake.stats.total === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(fake.stats.total).toBeGreaterThan(0);
      const waiting = startCli(['run', '--tickets', file, '--assign', ASSIGN, '--db', db, '--out', join(dir, 'two.jsonl'), '--wait'], env);
      const refused = await runCli(['run', '--tickets', file, '--assign', ASSIGN, '--db', db, '--out', join(dir, 'three.jsonl')], env);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(
        new RegExp(
          `run run-[0-9a-f]+ is being executed by casebench run \\(pid ${first.child.pid} on host .+\\) since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC; not started`,
        ),
      );
      const r1 = await first.done;
      const r2 = await waiting.done;
      expect(r1.code, r1.stderr).toBe(0);
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.stderr).toMatch(/is being executed by casebench run .*; waiting \(Ctrl-C to stop\)/);
      expect(r2.stderr).toMatch(new RegExp(`0 triaged, ${n} already done`));
      // Each task of each ticket reached the provider exactly once.
      expect(fake.stats.total).toBe(n * 5);
      expect(Object.values(fake.stats.perTask)).toEqual([n, n, n, n, n]);
      expect(readJsonLines(join(dir, 'two.jsonl'))).toHaveLength(n);
    } finally {
      fake.configure({ latencyMs: 5 });
    }
  });

  it('serve started beside a live run does not mark it interrupted', async () => {
    const dir = tempDir();
    const file = writeTickets(dir, 10);
    const db = join(dir, 'cb.db');
    fake.configure({ latencyMs: 80 });
    fake.resetStats();
    try {
      const run = startCli(
        ['run', '--tickets', file, '--assign', ASSIGN, '--db', db, '--out', join(dir, 'o.jsonl'), '--concurrency', '1'],
        env,
      );
      for (let i = 0; i < 400 && fake.stats.total === 0; i++) await new Promise((r) => setTimeout(r, 25));
      const page = tempDir();
      writeFileSync(join(page, 'index.html'), '<!doctype html><title>casebench</title>');
      const serve = startCli(['serve', '--port', '0', '--db', db, '--static', `${page}/`], env);
      let listening = false;
      serve.child.stdout!.on('data', (d: Buffer) => (listening ||= d.toString().includes('casebench listening')));
      for (let i = 0; i < 600 && !listening; i++) await new Promise((r) => setTimeout(r, 25));
      expect(listening).toBe(true);
      const sql = new DatabaseSync(db);
      const status = (sql.prepare("SELECT status FROM runs WHERE kind = 'run'").get() as any).status;
      sql.close();
      serve.child.kill('SIGTERM');
      await serve.done;
      const r = await run.done;
      expect(status).toBe('running');
      expect(r.code, r.stderr).toBe(0);
      expect(fake.stats.total).toBe(50); // no ticket triaged twice
    } finally {
      fake.configure({ latencyMs: 5 });
    }
  });
});

describe('failures counted and retried truthfully', () => {
  it('run on two too-short tickets says refused, not failed', async () => {
    const dir = tempDir();
    const file = join(dir, 'short.jsonl');
    writeFileSync(
      file,
      jsonl([
        { id: 'S1', text: 'help' },
        { id: 'S2', text: 'hi' },
      ]),
    );
    const r = await runCli(['run', '--tickets', file, '--assign', ASSIGN, '--db', join(dir, 'cb.db'), '--out', join(dir, 'o.jsonl')], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/0 triaged, 0 already done, 0 bad lines skipped, 0 failed tasks, 2 tickets refused \(nothing to triage\)/);
    for (const l of readJsonLines(join(dir, 'o.jsonl'))) for (const t of Object.values<any>(l.tasks)) expect(t.status).toBe('skipped');
  });

  it('experiment: a re-run reports the failures it keeps, and --retry-failed calls exactly those again', async () => {
    const dir = tempDir();
    const file = writeTickets(dir, 6);
    const db = join(dir, 'cb.db');
    const args = [
      'experiment',
      '--tickets',
      file,
      '--models',
      'groq:openai/gpt-oss-20b,groq:openai/gpt-oss-120b',
      '--baseline',
      'groq:openai/gpt-oss-120b',
      '--db',
      db,
      '--yes',
    ];
    const e = { ...env, CASEBENCH_MAX_RETRIES: '0' };
    // Every severity call fails once, as a 503 with no retries left.
    fake.configure({ faults: (info) => (info.task === 'severity' ? '503' : null) });
    const first = await runCli(args, e);
    fake.configure({ faults: null });
    expect(first.stderr).toMatch(/, 12 failed,/);

    const before = fake.stats.total;
    const again = await runCli(args, e);
    expect(fake.stats.total - before).toBe(0);
    expect(again.stderr).toMatch(/12 failed \(12 from earlier sessions, not called again; --retry-failed calls them again\)/);

    const retried = await runCli([...args, '--retry-failed'], e);
    expect(retried.code, retried.stderr).toBe(0);
    expect(fake.stats.total - before).toBe(12); // the failed severity calls, nothing that had succeeded
    expect(retried.stderr).toMatch(/60\/60 tasks done \(48 before this session\), 0 failed/);
    const sql = new DatabaseSync(db);
    expect((sql.prepare("SELECT count(*) AS n FROM results WHERE status = 'error'").get() as any).n).toBe(0);
    sql.close();
  });
});

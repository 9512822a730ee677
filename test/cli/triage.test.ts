import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, runCli, startCli, tempDir } from './helpers.ts';

const ASSIGN =
  'platform=groq:openai/gpt-oss-120b,product=groq:openai/gpt-oss-20b,technical_details=groq:openai/gpt-oss-20b,asset_ids=groq:openai/gpt-oss-120b,severity=groq:openai/gpt-oss-20b';
const TICKET =
  'Our Cloud SQL instance orders-db in project shop-prod-7 refuses connections since 08:10 UTC with "too many clients"; checkout is down.';
let fake: FakeServer;
let env: Record<string, string>;

beforeAll(async () => {
  // Severity is fast; the platform chain is slow: severity must print long before the rest.
  fake = await startFakeServer({ latencyMs: (_m, task) => (task === 'severity' ? 10 : 150) });
  env = cliEnv({ GROQ_API_KEY: 'gsk_TESTKEYt-riage00000000000000000001', GROQ_BASE_URL: fake.groqBaseURL });
});
afterAll(() => fake.close());

describe('casebench triage', () => {
  it('prints each fact the moment it arrives: severity first, the dependent chain in graph order, the whole ticket last', async () => {
    const db = join(tempDir(), 'cb.db');
    // The sequential graph (speculation starting dependents early is test/cli/speculate.test.ts).
    const { child, done } = startCli(['triage', '--text', TICKET, '--assign', ASSIGN, '--json', '--db', db, '--no-speculate'], env);
    const arrivals: Array<{ line: string; total: number }> = [];
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        arrivals.push({ line: buf.slice(0, i), total: fake.stats.total });
        buf = buf.slice(i + 1);
      }
    });
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    const events = arrivals.map((a) => JSON.parse(a.line));
    expect(events.slice(0, 5).map((e) => e.task)).toEqual([
      'severity',
      'platform',
      expect.any(String),
      expect.any(String),
      'technical_details',
    ]);
    // When severity was printed, the product and technical-details calls had not even been sent.
    expect(arrivals[0]!.total).toBeLessThanOrEqual(2);
    const final = events[5];
    expect(final.ticket_id).toBe(events[0].ticket_id);
    expect(final.tasks.platform.value).toBe('gcp');
    expect(final.tasks.asset_ids.value).toContain('shop-prod-7');
    expect(final.tasks.severity.value).toBe('urgent');
    expect(final.tasks.severity.ttft_ms).not.toBeNull(); // streamed
  });

  it('prints human lines with ms, model and cost, and the critical path', async () => {
    const r = await runCli(['triage', '--assign', ASSIGN, '--no-record'], env, TICKET);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^✓ +\d+ ms {2}Severity +urgent +groq:openai\/gpt-oss-20b +\d+→\d+ tok +\$/);
    expect(lines.at(-1)).toMatch(/total \d+ ms · critical path \d+ ms( \(as a sequential run; speculation overlapped it\))? · cost \$/);
  });

  it('says there is nothing to triage for an empty ticket and calls no model', async () => {
    const before = fake.stats.total;
    const r = await runCli(['triage', '--text', '   \n  ', '--assign', ASSIGN, '--no-record'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nothing to triage/);
    expect(fake.stats.total).toBe(before);
  });

  it('runs with no key at all on the keyless demo', async () => {
    const r = await runCli(['triage', '--assign', 'demo', '--no-record', '--text', TICKET], cliEnv({ CASEBENCH_DEMO_SPEED: '0.05' }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/demo:llama-3\.3-70b/);
    // Five facts and the totals, plus what speculation (on by default) did on the guess.
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => /^[✓✗–] /.test(l))).toHaveLength(5);
    expect(lines.at(-1)).toMatch(/total \d+ ms · critical path/);
  });

  it('refuses a retired model before calling it, naming its replacement in words', async () => {
    const before = fake.stats.total;
    const r = await runCli(['triage', '--assign', 'groq:llama-3.1-8b-instant', '--no-record', '--text', TICKET], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'casebench: --assign: groq:llama-3.1-8b-instant was shut down on 2026-08-16; use groq:openai/gpt-oss-20b instead',
    );
    expect(fake.stats.total).toBe(before);
  });
});

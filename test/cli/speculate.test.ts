// `--speculate` / `--no-speculate` on the real command: `run` speculates by default, writes the same
// lines either way, records every call with its fate and says what speculation did; a wrong guess
// is re-run on the model's platform.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { fakeCliEnv, readJsonLines, runCli, tempDir } from './helpers.ts';

const ASSIGN = 'groq:openai/gpt-oss-20b';
const TICKETS = [
  { id: 'A', text: 'Our S3 bucket acme-logs in account 123456789012 returns AccessDenied since 09:00 UTC; production is down.' },
  { id: 'B', text: 'Storage Transfer Service job from our S3 bucket to project mig-77 stalls at 40 %; transfer ids attached.' },
];

let fake: FakeServer;
beforeAll(async () => {
  // The platform model reads ticket B as gcp; the keywords read aws.
  fake = await startFakeServer({
    latencyMs: 5,
    answer: (i) => (i.task === 'platform' && i.ticketText.startsWith('Storage Transfer') ? { platform: 'gcp' } : undefined),
  });
});
afterAll(() => fake.close());

function calls(db: string): Array<{ ticket_id: string; task: string; speculation: string | null }> {
  const d = new DatabaseSync(db, { readOnly: true });
  try {
    return d.prepare('SELECT ticket_id, task, speculation FROM calls ORDER BY id').all() as never;
  } finally {
    d.close();
  }
}

describe('casebench run --speculate / --no-speculate', () => {
  it('speculates when asked, with the same facts as without, and reports the guesses and the extra calls; a batch does not speculate by default', async () => {
    const dir = tempDir();
    const tickets = join(dir, 't.jsonl');
    writeFileSync(tickets, TICKETS.map((t) => JSON.stringify(t)).join('\n') + '\n');
    const env = fakeCliEnv(fake);
    const on = await runCli(
      ['run', '--tickets', tickets, '--assign', ASSIGN, '--db', join(dir, 'on.db'), '--out', join(dir, 'on.jsonl'), '--speculate'],
      env,
    );
    const off = await runCli(
      ['run', '--tickets', tickets, '--assign', ASSIGN, '--db', join(dir, 'off.db'), '--out', join(dir, 'off.jsonl')],
      env,
    );
    expect(on.code, on.stderr).toBe(0);
    expect(off.code, off.stderr).toBe(0);
    const values = (p: string) =>
      readJsonLines(p)
        .map((l) => [
          l.ticket_id,
          Object.fromEntries(
            Object.entries(l.tasks as Record<string, { status: string; value: unknown }>).map(([k, v]) => [k, [v.status, v.value]]),
          ),
        ])
        .sort();
    expect(values(join(dir, 'on.jsonl'))).toEqual(values(join(dir, 'off.jsonl')));
    expect(on.stderr).toMatch(/casebench run: speculation: 2 of 3 guesses right \(67 %\), 3 early starts kept, 3 extra calls \(\$[\d.]+\)/);
    expect(off.stderr).not.toMatch(/speculation/);
    const onCalls = calls(join(dir, 'on.db'));
    expect(
      onCalls
        .filter((c) => c.speculation === 'discarded')
        .map((c) => `${c.ticket_id} ${c.task}`)
        .sort(),
    ).toEqual(['B asset_ids', 'B product', 'B technical_details']);
    expect(
      onCalls
        .filter((c) => c.speculation === 'kept')
        .map((c) => `${c.ticket_id} ${c.task}`)
        .sort(),
    ).toEqual(['A asset_ids', 'A product', 'A technical_details']);
    expect(calls(join(dir, 'off.db')).every((c) => c.speculation === null)).toBe(true);
    // A kept early start says so in its line; its upstream had not answered when it started.
    const a = readJsonLines(join(dir, 'on.jsonl')).find((l) => l.ticket_id === 'A')!;
    expect(a.tasks.product.speculative).toBe(true);
    expect(a.tasks.platform.speculative).toBeUndefined();
    // Without speculation every dependent starts after its upstream ended (the contract's graph).
    for (const l of readJsonLines(join(dir, 'off.jsonl'))) {
      expect(l.tasks.product.speculative).toBeUndefined();
      if (l.tasks.product.status === 'ok') expect(l.tasks.product.started_ms).toBeGreaterThanOrEqual(l.tasks.platform.ended_ms);
    }
  });

  it('triage --speculate says what it did; experiment does not speculate unless asked', async () => {
    const dir = tempDir();
    const env = fakeCliEnv(fake);
    const t = await runCli(['triage', '--text', TICKETS[0]!.text, '--assign', ASSIGN, '--db', join(dir, 'cb.db'), '--speculate'], env);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/speculation: 2 of 2 guesses right \(100 %\), 3 early starts kept, 0 extra calls/);
    const tickets = join(dir, 't.jsonl');
    writeFileSync(tickets, TICKETS.map((x) => JSON.stringify(x)).join('\n') + '\n');
    const e = await runCli(
      ['experiment', '--tickets', tickets, '--models', ASSIGN, '--baseline', ASSIGN, '--db', join(dir, 'exp.db'), '--yes'],
      env,
    );
    expect(e.code, e.stderr).toBe(0);
    expect(calls(join(dir, 'exp.db')).every((c) => c.speculation === null)).toBe(true);
    const e2 = await runCli(
      ['experiment', '--tickets', tickets, '--models', ASSIGN, '--baseline', ASSIGN, '--db', join(dir, 'exp2.db'), '--yes', '--speculate'],
      env,
    );
    expect(e2.code, e2.stderr).toBe(0);
    expect(calls(join(dir, 'exp2.db')).filter((c) => c.speculation === 'discarded').length).toBe(3);
  });
});

// `casebench prompts` as a user runs it against the fake provider server: save an edited prompt as
// the next version (an invalid one refused, naming the problem), diff it, promote — a version that
// leaks its few-shot example ids refused on a copying model, a guarded one accepted — list with the
// active version marked, `run` recording the promoted version on its calls, rollback, and an
// experiment that runs a candidate version beside the active one with the report split by version.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { leakyAnswer } from '../fakes/leakyModel.ts';
import { loadShippedPrompts } from '#core/graph/prompts.ts';
import { fakeCliEnv, runCli, tempDir, writeTickets } from './helpers.ts';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 2, answer: leakyAnswer });
});
afterAll(async () => fake?.close());

const v1 = loadShippedPrompts().asset_ids[0]!.template;
const rows = (db: string, sql: string): Array<Record<string, unknown>> => {
  const d = new DatabaseSync(db, { readOnly: true });
  try {
    return d.prepare(sql).all() as Array<Record<string, unknown>>;
  } finally {
    d.close();
  }
};

describe('casebench prompts', () => {
  it('saves, diffs, refuses a leaky promotion, promotes, runs with it, rolls back, and compares versions in an experiment', async () => {
    const env = fakeCliEnv(fake);
    const dir = tempDir('cb-prompts-cli-');
    const db = join(dir, 'cb.db');
    const write = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };

    const bad = await runCli(['prompts', 'save', 'asset_ids', write('bad.md', v1.replace('{{id_hints}}', '{{id_hint}}')), '--db', db], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/casebench: the asset_ids prompt is not valid: line \d+: unknown placeholder \{\{id_hint\}\}/);

    const leaky = v1.replace(/^The examples below are illustrations only\..*$/m, '').replace(/example-proj-a1/g, 'my-project-123');
    const s2 = await runCli(
      ['prompts', 'save', 'asset_ids', write('v2.md', leaky), '--from', 'v1', '--note', 'realistic example', '--db', db],
      env,
    );
    expect(s2.code, s2.stderr).toBe(0);
    expect(s2.stdout).toMatch(/^saved asset_ids v2 \([0-9a-f]{12}\); make it active with: casebench prompts promote asset_ids v2/);

    const diff = await runCli(['prompts', 'diff', 'asset_ids', 'v1', 'v2', '--db', db], env);
    expect(diff.stdout).toContain('--- asset_ids v1\n+++ asset_ids v2');
    expect(diff.stdout).toContain('- {"asset_ids": ["example-bucket-a1", "example-proj-a1"]}');
    expect(diff.stdout).toContain('+ {"asset_ids": ["example-bucket-a1", "my-project-123"]}');

    const refused = await runCli(['prompts', 'promote', 'asset_ids', 'v2', '--model', 'groq:fake-leaky-1', '--db', db], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /casebench: not promoted: asset_ids v2 leaks its examples: .*groq:fake-leaky-1 answered .*"my-project-123"/,
    );

    const guarded = `${v1}\n- Never guess an identifier.`;
    expect((await runCli(['prompts', 'save', 'asset_ids', write('v3.md', guarded), '--db', db], env)).code).toBe(0);
    const ok = await runCli(['prompts', 'promote', 'asset_ids', 'v3', '--db', db], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/passed the leak check on groq:openai\/gpt-oss-120b/);
    expect(ok.stdout).toMatch(/^asset_ids v3 is active \(was v1\); undo with: casebench prompts rollback asset_ids/);

    const list = await runCli(['prompts', 'list', '--task', 'asset_ids', '--db', db], env);
    expect(list.stdout).toMatch(/^asset_ids\n {4}v1 {3}shipped {3}— /);
    expect(list.stdout).toMatch(/\n {2}\* v3 {3}workspace/);
    expect((await runCli(['prompts', 'show', 'asset_ids', '--db', db], env)).stdout).toContain('- Never guess an identifier.');

    const tickets = writeTickets(dir, 4);
    const run = await runCli(['run', '--tickets', tickets, '--db', db, '--out', join(dir, 'out.jsonl')], env);
    expect(run.code, run.stderr).toBe(0);
    expect(rows(db, "SELECT DISTINCT prompt_version AS v FROM calls WHERE task = 'asset_ids' AND run_id LIKE 'run-%'")).toEqual([
      { v: 'v3' },
    ]);

    const back = await runCli(['prompts', 'rollback', 'asset_ids', '--db', db], env);
    expect(back.stdout).toMatch(/^asset_ids rolled back to v1 \(was v3\)/);
    const again = await runCli(['prompts', 'rollback', 'asset_ids', '--db', db], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/nothing to roll back: asset_ids uses v1/);

    // The same command after the rollback asks again with v1: a run's identity includes its prompt
    // versions, so it is not resumed as "already done" with v3's answers.
    const rerun = await runCli(['run', '--tickets', tickets, '--db', db, '--out', join(dir, 'out2.jsonl')], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/4 triaged, 0 already done/);
    expect(
      rows(
        db,
        "SELECT prompt_version AS v, count(*) AS n FROM calls WHERE task = 'asset_ids' AND run_id LIKE 'run-%' GROUP BY 1 ORDER BY 1",
      ),
    ).toEqual([
      { v: 'v1', n: 4 },
      { v: 'v3', n: 4 },
    ]);

    // The candidate beside the active version, same model: two arms of one experiment.
    const M = 'groq:openai/gpt-oss-20b';
    const exp = await runCli(
      ['experiment', '--tickets', tickets, '--models', `${M},${M}@asset_ids=v3`, '--baseline', M, '--db', db, '-y'],
      env,
    );
    expect(exp.code, exp.stderr).toBe(0);
    const versions = rows(
      db,
      "SELECT model_spec AS m, prompt_version AS v, count(*) AS n FROM calls WHERE task = 'asset_ids' AND run_id LIKE 'experiment-%' GROUP BY 1, 2 ORDER BY 1",
    );
    expect(versions).toEqual([
      { m: M, v: 'v1', n: 4 },
      { m: `${M}@asset_ids=v3`, v: 'v3', n: 4 },
    ]);
    const rep = await runCli(['report', '--db', db, '--format', 'json'], env);
    const report = JSON.parse(rep.stdout) as { tasks: Record<string, Record<string, { n: number }>> };
    expect(Object.keys(report.tasks.asset_ids!).sort()).toEqual([M, `${M}@asset_ids=v3`]);
  });

  it('refuses a prompt that is not text or too long — from a file or a pipe — and keeps the versions it had', async () => {
    const env = fakeCliEnv(fake);
    const dir = tempDir('cb-prompts-bad-');
    const db = join(dir, 'cb.db');
    // A template with a NUL byte on line 2 (a binary file saved by mistake): named with its line.
    const binary = join(dir, 'binary.md');
    writeFileSync(binary, v1.replace('\n', '\n\u0000oops'));
    const bin = await runCli(['prompts', 'save', 'asset_ids', binary, '--db', db], env);
    expect(bin.code).toBe(2);
    expect(bin.stderr).toMatch(/line 2.*control character U\+0000/);
    // A megabyte on standard input: refused at the read's limit, not read whole into memory.
    const huge = await runCli(['prompts', 'save', 'severity', '-', '--db', db], env, 'x'.repeat(1_000_000));
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/prompt file standard input: more than [\d,]+ KB, the limit/);
    // A folder instead of a file: a usage error, not an internal one.
    const folder = await runCli(['prompts', 'save', 'severity', dir, '--db', db], env);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('a folder, not a file');
    // Nothing was saved: only the shipped versions are listed.
    const list = await runCli(['prompts', 'list', '--db', db], env);
    expect(list.stdout).not.toMatch(/\bv2\b/);
  });
});

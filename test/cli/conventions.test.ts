// The command line's conventions, as a user meets them: every command's --help ends with examples
// that use only flags the command has; every exit status is listed in one place (casebench
// --help); usage errors exit 2; --strict makes failed tasks a distinct status (4) while the
// default stays 0 as the contract says; `keys list --json` is machine-readable without leaking a
// key; `-` reads standard input for trace reviews too.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, addExamples, commandPath } from '#cli/examples.ts';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, fakeCliEnv, runCli, tempDir, writeTickets } from './helpers.ts';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 2 });
});
afterAll(() => fake.close());

/** Every command as the CLI registers it, with the examples main adds. */
async function program(): Promise<Command> {
  const p = new Command().name('casebench');
  const mods = await Promise.all(
    // Every command file, so a command added later cannot escape the check.
    readdirSync(new URL('../../src/cli/commands/', import.meta.url))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => import(`../../src/cli/commands/${f}`)),
  );
  for (const m of mods)
    for (const [name, f] of Object.entries(m)) if (name.startsWith('register') && typeof f === 'function') (f as (c: Command) => void)(p);
  addExamples(p);
  return p;
}
const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
const helpOf = (c: Command): string => {
  let text = '';
  c.configureOutput({ writeOut: (s) => void (text += s), writeErr: (s) => void (text += s) });
  c.outputHelp();
  return text;
};

describe('command-line conventions', () => {
  it("every command's help ends with examples, and each example uses only that command's flags", async () => {
    const p = await program();
    const byPath = new Map(all(p).map((c) => [commandPath(c), c]));
    expect(byPath.size).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const [path, c] of byPath) {
      const help = helpOf(c);
      if (!/\nExamples:\n {2}\$ .*\bcasebench\b/.test(help)) problems.push(`${path || 'casebench'}: no examples in --help`);
      for (const line of EXAMPLES[path] ?? []) {
        // the command an example runs: the longest registered path it starts with
        const args = line.replace(/^.*?\bcasebench /, '').split(/ \|/)[0]!;
        const words = args.split(/\s+/);
        let run = '';
        for (let k = words.length; k > 0; k--) {
          const cand = words.slice(0, k).join(' ');
          if (byPath.has(cand)) {
            run = cand;
            break;
          }
        }
        const known = new Set(['--help', ...byPath.get(run)!.options.flatMap((o) => [o.long, o.short].filter(Boolean) as string[])]);
        for (const flag of args.match(/(?<=\s|^)--?[a-z][\w-]*/g) ?? [])
          if (!known.has(flag)) problems.push(`${path}: example "${line}" uses ${flag}, which \`casebench ${run}\` does not have`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('casebench --help lists every exit status in one place, and unknown commands, flags and values exit 2', async () => {
    const env = cliEnv({});
    const help = await runCli(['--help'], env);
    expect(help.code).toBe(0);
    for (const code of ['0', '1', '2', '3', '4', '130', '141']) expect(help.stdout).toMatch(new RegExp(`^ {2}${code} +\\S`, 'm'));
    expect(help.stdout).toMatch(/143 stopped by SIGTERM/);
    expect(help.stdout).toMatch(/`-` as a file name reads standard input/);
    expect(help.stdout).toMatch(/Examples:\n {2}\$ casebench triage/);
    const dir = tempDir();
    for (const args of [
      ['frobnicate'],
      ['run', '--no-such-flag'],
      ['run'],
      ['run', '--tickets', 'x.jsonl', '--concurrency', '0'],
      ['keys', 'set'],
    ]) {
      const r = await runCli([...args, '--db', join(dir, 'w.db')], env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/error|casebench:/);
    }
  });

  it('failed tasks exit 0 by default (the contract) and 4 with --strict; a clean run exits 0 either way', async () => {
    const dir = tempDir();
    const env = fakeCliEnv(fake, { CASEBENCH_MAX_RETRIES: '0' });
    const tickets = writeTickets(dir, 3);
    const assign = 'groq:openai/gpt-oss-20b';
    fake.configure({ faults: (i) => (i.task === 'severity' ? '500' : null) });
    try {
      const plain = await runCli(
        ['run', '--tickets', tickets, '--assign', assign, '--db', join(dir, 'a.db'), '--out', join(dir, 'a.jsonl')],
        env,
      );
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stderr).toMatch(/3 failed tasks/);
      const strict = await runCli(
        ['run', '--tickets', tickets, '--assign', assign, '--db', join(dir, 'b.db'), '--out', join(dir, 'b.jsonl'), '--strict'],
        env,
      );
      expect(strict.code, strict.stderr).toBe(4);
      // the results are kept: every ticket has its line, with the failure in it
      const lines = readFileSync(join(dir, 'b.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => l.tasks.severity.status)).toEqual(['error', 'error', 'error']);
      const triage = await runCli(
        ['triage', '--assign', assign, '--no-record', '--strict', '--text', 'RDS instance db-prod-1 in eu-west-1 is down'],
        env,
      );
      expect(triage.code, triage.stderr).toBe(4);
    } finally {
      fake.configure({ faults: null });
    }
    const clean = await runCli(
      ['triage', '--assign', assign, '--no-record', '--strict', '--text', 'RDS instance db-prod-1 in eu-west-1 is down'],
      env,
    );
    expect(clean.code, clean.stderr).toBe(0);
  });

  it('`keys list --json` gives provider, set, last 4 and source, never the key', async () => {
    const key = 'gsk_TESTKEYc-asebench00000000000WXYZ';
    const r = await runCli(['keys', 'list', '--json'], cliEnv({ GROQ_API_KEY: key }));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { provider: 'groq', set: true, last4: 'WXYZ', source: 'env', env_var: 'GROQ_API_KEY', keychain_error: null },
      { provider: 'openai', set: false, last4: null, source: null, env_var: 'OPENAI_API_KEY', keychain_error: null },
    ]);
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  it('`traces import -` reads trace reviews from standard input, and a missing file imports nothing', async () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    const fixture = resolve(import.meta.dirname, '../fixtures/traces/promptfoo-output.sample-export.json');
    const env = cliEnv({});
    expect((await runCli(['import', fixture, '--db', db], env)).code).toBe(0);
    const out = join(dir, 'reviews.jsonl');
    expect((await runCli(['traces', 'export', '--out', out, '--db', db], env)).code).toBe(0);
    const reviews = readFileSync(out, 'utf8');
    const missing = await runCli(['traces', 'import', '-', join(dir, 'nope.jsonl'), '--db', db], env, reviews);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl: no such file/);
    expect(missing.stdout).toBe('');
    const r = await runCli(['traces', 'import', '-', '--db', db], env, `${reviews}{"bad":1}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^stdin: 0 imported, \d+ already there, 1 skipped$/m);
    expect(r.stderr).toMatch(/^stdin:\d+: .*; skipped$/m);
  });
});

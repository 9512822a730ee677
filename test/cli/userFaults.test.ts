// Faults a user meets end in one clear line and a documented exit status, never a stack trace:
// standard input as `-`, a pipe read once, unbounded input, folders and missing files, a closed
// stdout, SIGTERM, a read-only or damaged workspace, a full disk. The real command, spawned.
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it, vi } from 'vitest';
import { BIN, cliEnv, runCli, startCli, tempDir, writeTickets, type CliResult } from './helpers.ts';

// Several spawned commands per test: a loaded 2-core machine needs more than the default 30 s (no timing is asserted).
vi.setConfig({ testTimeout: 120_000 });

const env = cliEnv({ CASEBENCH_DEMO_SPEED: '0.01' });
const NO_STACK = /\n\s+at |Error:|EPIPE|internal error/;
const lines = (s: string): Array<Record<string, any>> =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** Runs the command with its stdin connected to a file or device (e.g. /dev/zero), as `< file` does. */
function runWithStdinFrom(args: string[], file: string, extraEnv = env): Promise<CliResult> {
  const fd = openSync(file, 'r');
  const child = spawn(process.execPath, [BIN, ...args], { env: extraEnv, stdio: [fd, 'pipe', 'pipe'] });
  closeSync(fd);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // An unbounded reader (the bug this guards against) would grow until the machine swaps: it is
  // killed before the test's own timeout, so a failing run cannot outlive the test.
  const guard = setTimeout(() => child.kill('SIGKILL'), 25_000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

describe('standard input and pipes', () => {
  it('`run --tickets -` and `--tickets /dev/stdin` triage every piped ticket (the pipe is read once)', async () => {
    const dir = tempDir();
    const tickets = readFileSync(writeTickets(dir, 6), 'utf8');
    const file = join(dir, 'tickets.jsonl');
    // `-` through Node's pipe, and /dev/stdin behind a shell pipe (a FIFO), as a user types it
    const viaShell = (arg: string): Promise<CliResult> =>
      new Promise((resolve) => {
        const child = spawn(
          'sh',
          ['-c', `cat "$1" | "$2" "$3" run --tickets ${arg} --assign demo --db "$4"`, 'sh', file, process.execPath, BIN, join(dir, 'b.db')],
          { env },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
    for (const r of [
      await runCli(['run', '--tickets', '-', '--assign', 'demo', '--db', join(dir, 'a.db')], env, tickets),
      await viaShell('/dev/stdin'),
    ]) {
      expect(r.code, r.stderr).toBe(0);
      expect(
        lines(r.stdout)
          .map((l) => l.ticket_id)
          .sort(),
      ).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T6']);
      expect(r.stderr).toMatch(/6 triaged/);
    }
  });

  it('`import -` and `reviews import -` read standard input', async () => {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    const trace = readFileSync(new URL('../fixtures/traces/otlp-genai-span.langsmith-collector-proxy-doc.json', import.meta.url), 'utf8');
    const imp = await runCli(['import', '-', '--db', db], env, trace);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/^stdin: 1 call/);
    const rev = await runCli(['reviews', 'import', '-', '--db', db], env, '{"not":"a review"}\n');
    expect(rev.code, rev.stderr).toBe(0);
    expect(rev.stderr).toMatch(/^stdin:1: /m);
    expect(rev.stdout).toMatch(/imported 0 reviews from stdin: .*1 bad line skipped/);
  });

  it('every read is bounded: `triage < /dev/zero` and `run --tickets /dev/zero` stop with the limit stated', async () => {
    const dir = tempDir();
    const t = await runWithStdinFrom(['triage', '--assign', 'demo', '--db', join(dir, 'a.db')], '/dev/zero');
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/^casebench: standard input: more than 1 MB \(the limit for one ticket's text\); nothing was done\n$/);
    const r = await runCli(['run', '--tickets', '/dev/zero', '--assign', 'demo', '--db', join(dir, 'b.db')], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /casebench: \/dev\/zero: more than 1 GB of input \(the limit for standard input, pipes and devices\); stopped reading/,
    );
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('a line over the per-line limit is reported with its number and the limit, and the next ticket is still triaged', async () => {
    const dir = tempDir();
    const huge = `{"id":"BIG","text":"${'a'.repeat(17 * 1024 * 1024)}"}`;
    const ok = JSON.stringify({ id: 'OK', text: 'Our S3 bucket in account 123456789012 returns AccessDenied since 09:00' });
    const r = await runCli(['run', '--tickets', '-', '--assign', 'demo', '--db', join(dir, 'w.db')], env, `${huge}\n${ok}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^stdin:1: line longer than 16 MB \(17 MB; the limit per ticket line\); skipped$/m);
    expect(lines(r.stdout).map((l) => l.ticket_id)).toEqual(['OK']);
  });
});

describe('usage errors exit 2 with the path named', () => {
  it('a folder or a missing file given as input', async () => {
    const dir = tempDir();
    const cases: Array<[string[], RegExp]> = [
      [['run', '--tickets', dir, '--assign', 'demo', '--db', join(dir, 'w.db')], /is a folder, not a tickets file/],
      [
        ['run', '--tickets', join(dir, 'nope.jsonl'), '--assign', 'demo', '--db', join(dir, 'w.db')],
        /cannot read tickets file .*nope\.jsonl: no such file/,
      ],
      [['triage', '--file', dir, '--assign', 'demo', '--no-record'], /is a folder, not a file/],
      [['reviews', 'import', dir, '--db', join(dir, 'w.db')], /is a folder, not a file/],
      [['import', join(dir, 'nope.json'), '--db', join(dir, 'w.db')], /cannot read .*nope\.json: no such file/],
      [['run', '--tickets', writeTickets(dir, 1), '--assign', 'demo', '--db', dir], /is a folder, not a workspace database/],
      [
        ['run', '--tickets', writeTickets(dir, 1), '--assign', 'demo', '--db', join(dir, 'w.db'), '--out', dir],
        /--out .* is a folder, not a file/,
      ],
      [
        ['run', '--tickets', writeTickets(dir, 1), '--assign', 'demo', '--db', join(dir, 'w.db'), '--out', join(dir, 'no', 'o.jsonl')],
        /--out .*o\.jsonl: the folder .*no does not exist/,
      ],
      [['report', '--db', dir], /is a folder, not a workspace database/],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(args, env);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(NO_STACK);
    }
  });

  it('--help documents the exit statuses and `-` for standard input', async () => {
    const r = await runCli(['--help'], env);
    expect(r.stdout).toMatch(
      /Exit status:[\s\S]*\b2 {4}usage[\s\S]*\b3 {4}stopped by the workspace.s daily spend limit[\s\S]*130 {2}stopped by Ctrl-C; 143 stopped by SIGTERM[\s\S]*141 {2}stdout was closed/,
    );
    expect(r.stdout).toMatch(/`-` as a file name reads standard input/);
  });
});

describe('stopping', () => {
  it('`triage … | head -1`: a closed stdout stops quietly with 141, no EPIPE trace', async () => {
    const slow = cliEnv({ CASEBENCH_DEMO_SPEED: '1' });
    const { child, done } = startCli(
      ['triage', '--assign', 'demo', '--no-record', '--text', 'Our S3 bucket in account 123456789012 returns AccessDenied since 09:00'],
      slow,
    );
    child.stdout!.once('data', () => child.stdout!.destroy()); // what `head -1` does after its line
    const r = await done;
    expect(r.code).toBe(141);
    expect(r.stderr).toBe('');
  });

  it('SIGTERM stops `run` like Ctrl-C: exit 143, finished tickets kept, the same command resumes', async () => {
    const dir = tempDir();
    const tickets = writeTickets(dir, 30);
    const db = join(dir, 'w.db');
    const args = ['run', '--tickets', tickets, '--assign', 'demo', '--concurrency', '1', '--db', db];
    const { child, done } = startCli(args, cliEnv({ CASEBENCH_DEMO_SPEED: '0.5' }));
    child.stdout!.once('data', () => child.kill('SIGTERM'));
    const r = await done;
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toMatch(/stopping on SIGTERM \(finished results are kept; run the same command again to resume/);
    expect(r.stderr).not.toMatch(NO_STACK);
    const again = await runCli(args, env);
    expect(again.code, again.stderr).toBe(0);
    const before = Number(/resuming \S+ \((\d+) tickets already done[;)]/.exec(again.stderr)?.[1]);
    expect(before).toBeGreaterThan(0);
    expect(again.stderr).toMatch(new RegExp(`${30 - before} triaged, ${before} already done`));
  });
});

describe('the workspace file', () => {
  async function workspace(dir: string): Promise<string> {
    const db = join(dir, 'w.db');
    const r = await runCli(
      [
        'experiment',
        '--tickets',
        writeTickets(dir, 8),
        '--baseline',
        'demo:gpt-4o',
        '--models',
        'demo:gpt-4o,demo:llama-3.1-8b',
        '--db',
        db,
        '--yes',
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    return db;
  }

  it('report, export and reviews results read a read-only file in a read-only folder', async () => {
    const root = tempDir();
    const dir = join(root, 'ws');
    mkdirSync(dir);
    const db = await workspace(dir);
    const outDir = join(root, 'out');
    mkdirSync(outDir);
    chmodSync(root, 0o755);
    chmodSync(outDir, 0o777);
    chmodSync(db, 0o444);
    chmodSync(dir, 0o555);
    // root ignores file modes: run the command as an unprivileged user to make them bite
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = (args: string[]): Promise<CliResult> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], {
          env: { ...env, HOME: outDir },
          stdio: ['ignore', 'pipe', 'pipe'],
          cwd: outDir,
          ...asUser,
        });
        let stdout = '';
        let stderr = '';
        child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
    try {
      const rep = await run(['report', '--db', db, '--format', 'json']);
      expect(rep.code, rep.stderr).toBe(0);
      expect(JSON.parse(rep.stdout).tasks).toBeTruthy();
      const exp = await run(['export', '--format', 'jsonl', '--out', join(outDir, 'e.jsonl'), '--db', db]);
      expect(exp.code, exp.stderr).toBe(0);
      expect(readFileSync(join(outDir, 'e.jsonl'), 'utf8')).toMatch(/"casebench":"call"/);
      const rr = await run(['reviews', 'results', '--db', db]);
      expect(rr.code, rr.stderr).toBe(0);
      // a command that writes says so in words
      const w = await run(['run', '--tickets', writeTickets(outDir, 1), '--assign', 'demo', '--db', db]);
      expect(w.code).toBe(1);
      expect(w.stderr).toMatch(/w\.db is read-only/);
      expect(readdir(dir).filter((f) => f.startsWith('w.db'))).toEqual(['w.db']); // no -wal or -shm was created beside it
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('a file damaged mid-way: a clear message naming the file and integrity_check, exit 1', async () => {
    const dir = tempDir();
    const db = await workspace(dir);
    const fd = openSync(db, 'r+');
    const size = fstatSync(fd).size;
    const junk = Buffer.alloc(Math.floor(size / 2 / 4096) * 4096, 0x5a);
    writeSync(fd, junk, 0, junk.length, 2 * 4096);
    closeSync(fd);
    for (const args of [
      ['report', '--db', db],
      ['export', '--format', 'jsonl', '--out', join(dir, 'e.jsonl'), '--db', db],
    ]) {
      const r = await runCli(args, env);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        /^casebench: .*w\.db is (damaged \(SQLite: database disk image is malformed\); check it with `sqlite3 .*w\.db "PRAGMA integrity_check"`|not a casebench database)/,
      );
      expect(r.stderr).not.toMatch(NO_STACK);
    }
  });

  it('a real full disk (a small tmpfs) ends `run` with the cause and what was saved; the file stays sound', async (ctx) => {
    const dir = tempDir();
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      ctx.skip(
        'cannot mount a tmpfs here (needs root and mount rights); the same fault is covered through max_page_count in test/reliability/diskFull.test.ts',
      );
      return;
    }
    try {
      const db = join(mnt, 'w.db');
      const many = Array.from({ length: 300 }, (_, i) =>
        JSON.stringify({
          id: `T${i + 1}`,
          text: `S3 bucket logs-${i} in account 123456789012 returns AccessDenied ${'detail '.repeat(150)}`,
        }),
      );
      writeFileSync(join(dir, 't.jsonl'), `${many.join('\n')}\n`);
      const r = await runCli(
        ['run', '--tickets', join(dir, 't.jsonl'), '--assign', 'demo', '--db', db, '--out', join(dir, 'out.jsonl')],
        env,
      );
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        /casebench: disk full: cannot write .*w\.db \(SQLite: database or disk is full\); (nothing of ticket T\d+ was written|ticket T\d+ is saved in part \(\d of 5 tasks\)); \d+ tickets? of this run saved/,
      );
      expect(r.stderr).not.toMatch(/rollback/);
      expect(r.stderr).not.toMatch(NO_STACK);
      const sql = new DatabaseSync(db, { readOnly: true });
      expect(sql.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      sql.close();
    } finally {
      execFileSync('umount', [mnt]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function readdir(d: string): string[] {
  return existsSync(d) ? execFileSync('ls', ['-A', d], { encoding: 'utf8' }).split('\n').filter(Boolean) : [];
}

describe('what a command writes', () => {
  /** A workspace with a demo run of 6 tickets (the JSONL export of its calls is ~30 KB). */
  async function workspace(): Promise<{ dir: string; db: string }> {
    const dir = tempDir();
    const db = join(dir, 'w.db');
    const r = await runCli(['run', '--tickets', writeTickets(dir, 6), '--assign', 'demo', '--db', db, '--out', join(dir, 'o.jsonl')], env);
    expect(r.code, r.stderr).toBe(0);
    return { dir, db };
  }

  it('`--out -` writes to standard output, and a pipe or FIFO is written in place, never replaced by a file', async () => {
    const { dir, db } = await workspace();
    const csv = await runCli(['export', '--db', db, '--format', 'csv', '--out', '-'], env);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout).toMatch(/^task,model,n,success_rate/);
    expect(csv.stderr).toContain('→ standard output (csv)');
    expect(existsSync('-')).toBe(false);
    const reviews = await runCli(['reviews', 'export', '--db', db, '--out', '-'], env);
    expect(reviews.code, reviews.stderr).toBe(0);
    expect(reviews.stderr).toContain('to standard output');

    // A FIFO with a reader: the reader gets the export and the FIFO is still a FIFO afterwards
    // (a temporary file renamed over it would have replaced it, as it did /dev/full's device node).
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (d: Buffer) => (got += d.toString()));
    const closed = new Promise((res) => reader.on('close', res));
    const viaFifo = await runCli(['export', '--db', db, '--format', 'jsonl', '--out', fifo], env);
    await closed;
    expect(viaFifo.code, viaFifo.stderr).toBe(0);
    const said = Number(/(\d+) calls/.exec(viaFifo.stderr)?.[1]);
    expect(said).toBeGreaterThan(20); // 6 tickets × 5 tasks, less the demo's simulated failures, plus speculation
    expect(lines(got).filter((l) => l.casebench === 'call')).toHaveLength(said);
    expect(execFileSync('stat', ['-c', '%F', fifo], { encoding: 'utf8' }).trim()).toBe('fifo');
    expect(readdir(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('a full disk fails the export with the cause, exit 1, and leaves the earlier file as it was', async (ctx) => {
    const { dir, db } = await workspace();
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      ctx.skip('cannot mount a tmpfs here (needs root and mount rights)');
      return;
    }
    try {
      const out = join(mnt, 'export.jsonl');
      writeFileSync(out, '{"an":"earlier export"}\n');
      const r = await runCli(['export', '--db', db, '--format', 'jsonl', '--out', out], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`casebench: cannot write ${out}: the disk is full; ${out} was left as it was\n`);
      expect(readFileSync(out, 'utf8')).toBe('{"an":"earlier export"}\n');
      expect(readdir(mnt)).toEqual(['export.jsonl']);
      // The same for a report written whole.
      const rep = await runCli(['report', '--db', db, '--baseline', 'demo:groq/openai/gpt-oss-20b', '--out', out, '--format', 'json'], env);
      expect(rep.stderr).not.toMatch(NO_STACK);
    } finally {
      execFileSync('umount', [mnt]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

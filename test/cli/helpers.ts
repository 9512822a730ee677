// Runs the real `casebench` command as a child process, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/casebench.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = 'cb-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Environment for a child: only what the test gives (no developer keys leak in). */
export function cliEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', CASEBENCH_NO_KEYCHAIN: '1', ...extra };
}

/** Environment for a child that talks to a loopback fake provider server with test keys. */
export function fakeCliEnv(
  fake: { groqBaseURL: string; openaiBaseURL: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return cliEnv({
    GROQ_API_KEY: 'gsk_TESTKEYc-asebench0000000000000001',
    OPENAI_API_KEY: 'sk-TESTKEYc-asebench000000000000000001',
    GROQ_BASE_URL: fake.groqBaseURL,
    OPENAI_BASE_URL: fake.openaiBaseURL,
    CASEBENCH_RETRY_AFTER_CAP_MS: '3000',
    ...extra,
  });
}

/** The JSON lines of a file written by the command (e.g. `run --out`). */
export function readJsonLines(path: string): Array<Record<string, any>> {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);
}

export function startCli(args: string[], env: Record<string, string>, input?: string): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // A CLI that refuses its input early (a limit, a usage error) closes the pipe before reading it all.
  child.stdin!.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  if (input !== undefined) child.stdin!.end(input);
  else child.stdin!.end();
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return startCli(args, env, input).done;
}

/** Writes n realistic tickets as JSONL and returns the path. */
export function writeTickets(dir: string, n: number, extraLines: string[] = []): string {
  const kinds = [
    (i: number) => `Our production GKE cluster in project acme-prod-${i} is down since 09:00 UTC; pods fail with "ImagePullBackOff".`,
    (i: number) =>
      `S3 bucket logs-${i} in account 1234567890${String(i % 100).padStart(2, '0')} returns AccessDenied when Lambda writes to it.`,
    (i: number) => `How do I rotate the keys of Azure Storage account store${i}? Not urgent, just planning.`,
    (i: number) => `BigQuery query in project data-${i} takes 10 minutes since yesterday, error "Resources exceeded".`,
  ];
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `T${i + 1}`, text: kinds[i % kinds.length]!(i + 1) }));
  const p = join(dir, 'tickets.jsonl');
  writeFileSync(p, [...lines, ...extraLines].join('\n') + '\n');
  return p;
}

// Shared pieces of the benchmark scripts: the fake server in its own process, ticket files,
// running the real CLI while sampling its memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const TEXTS = [
  'Our production GKE cluster in project acme-prod-42 is down since 09:00 UTC; pods fail with "ImagePullBackOff".',
  'S3 bucket logs-7 in account 123456789012 returns AccessDenied when our Lambda writes to it since the deploy.',
  'How do I rotate the keys of Azure Storage account store9? Not urgent, just planning for next quarter.',
  'BigQuery query in project data-3 takes 10 minutes since yesterday, error "Resources exceeded during query execution".',
];

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const fmt = (n: number, d = 1): string => n.toFixed(d);

/** The fake provider server in a child process; resolves with its URL. */
export async function startFake(cfg: object): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [new URL('./fakeServerProcess.ts', import.meta.url).pathname, JSON.stringify(cfg)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rl = createInterface({ input: proc.stdout! });
  const url = await new Promise<string>((resolve) => rl.once('line', resolve));
  return { url, proc };
}

export const stopFake = (p: ChildProcess): Promise<void> =>
  new Promise((r) => {
    p.once('exit', () => r());
    p.kill('SIGTERM');
  });

/** Writes n tickets as JSONL; returns the path and the texts. */
export function writeTicketFile(dir: string, n: number): { path: string; texts: string[] } {
  const texts = Array.from({ length: n }, (_, i) => `${TEXTS[i % TEXTS.length]} (case ${i + 1})`);
  const path = join(dir, 'tickets.jsonl');
  writeFileSync(path, texts.map((text, i) => JSON.stringify({ id: `T${i + 1}`, text })).join('\n') + '\n');
  return { path, texts };
}

export interface CliRun {
  ms: number;
  code: number | null;
  stderr: string;
  /** Peak RSS (MB) in each third of the tickets written. */
  rssThirdsMb: number[];
  peakRssMb: number;
}

/** Runs `casebench <args>` and samples its RSS against the lines written to `outPath`. */
export async function runCliSampled(args: string[], env: NodeJS.ProcessEnv, outPath: string, total: number): Promise<CliRun> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [new URL('../bin/casebench.mjs', import.meta.url).pathname, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const rss: Array<{ done: number; kb: number }> = [];
  const poll = setInterval(() => {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      let done = 0;
      try {
        done = readFileSync(outPath, 'utf8').split('\n').length - 1;
      } catch {}
      if (m) rss.push({ done, kb: Number(m[1]) });
    } catch {}
  }, 100);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearInterval(poll);
  const ms = performance.now() - t0;
  const thirds = [0, 1, 2].map(
    (k) => Math.max(0, ...rss.filter((r) => r.done >= (k * total) / 3 && r.done < ((k + 1) * total) / 3).map((r) => r.kb)) / 1024,
  );
  return { ms, code, stderr, rssThirdsMb: thirds, peakRssMb: Math.max(0, ...rss.map((r) => r.kb)) / 1024 };
}

// Starts the real `casebench serve` as a child process and reads its first stdout line.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BIN, cliEnv } from '../cli/helpers.ts';

export interface ServeProcess {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** `casebench serve --port 0` with the given environment; resolves once it is listening. */
export async function startServe(env: Record<string, string>, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  const m = /^casebench listening on (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)$/.exec(first);
  if (!m) throw new Error(`unexpected first line: ${first}`);
  return {
    url: `${m[1]}/#token=${m[2]}`,
    origin: m[1]!,
    token: m[2]!,
    child,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

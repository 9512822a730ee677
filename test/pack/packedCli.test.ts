// The command line as a user installs it: `npm pack`, install the tarball into a fresh folder,
// run `casebench`. Before the JavaScript build, an installed copy failed on its first line (Node
// will not strip types inside node_modules: ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, tempDir } from '../cli/helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ASSIGN =
  'platform=groq:openai/gpt-oss-120b,product=groq:openai/gpt-oss-20b,technical_details=groq:openai/gpt-oss-20b,asset_ids=groq:openai/gpt-oss-120b,severity=groq:openai/gpt-oss-20b';
const TICKET =
  'Our EKS cluster payments-prod in account 123456789012 (eu-west-1) cannot pull images from ECR since 07:40 UTC; pods are in ImagePullBackOff.';

let installed: string; // the installed package's folder
let bin: string;
let fake: FakeServer;

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  const dir = tempDir('cb-pack-');
  // The renderer (for `serve`) is built by `npm test` before the suites; the CLI build is quick.
  if (!existsSync(join(ROOT, 'out/renderer/index.html')))
    sh(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], ROOT);
  sh(process.execPath, [join(ROOT, 'scripts/build-cli.mjs'), '--quiet'], ROOT);
  const packed = JSON.parse(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  const tarball = join(dir, packed[0]!.filename);
  const prefix = join(dir, 'install');
  mkdirSync(prefix);
  // A user's project: keytar builds its native module in its install script, and npm 11 runs only
  // the scripts a project allows (a global install takes --allow-scripts=keytar instead).
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ name: 'uses-casebench', private: true, allowScripts: { keytar: true } }));
  sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], prefix);
  installed = join(prefix, 'node_modules', 'casebench');
  bin = join(prefix, 'node_modules', '.bin', 'casebench');
  fake = await startFakeServer({ latencyMs: 20 });
}, 600_000);
afterAll(async () => {
  await fake?.close();
});

describe('the packed command line', () => {
  it('installs without its TypeScript sources and answers --version and --help', async () => {
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'out/cli/main.js'))).toBe(true);
    const v = await run(['--version'], cliEnv({}));
    expect(v.stderr).toBe('');
    expect(v.stdout.trim()).toBe(VERSION);
    expect(v.code).toBe(0);
    const h = await run(['--help'], cliEnv({}));
    expect(h.code).toBe(0);
    for (const cmd of ['triage', 'run', 'experiment', 'report', 'import', 'export', 'serve']) expect(h.stdout).toContain(cmd);
  });

  it('triages a ticket against a provider, records it, and exports the calls', async () => {
    const db = join(tempDir(), 'cb.db');
    const env = cliEnv({ GROQ_API_KEY: 'gsk_TESTKEYp-acked00000000000000000001', GROQ_BASE_URL: fake.groqBaseURL });
    const t = await run(['triage', '--text', TICKET, '--assign', ASSIGN, '--json', '--db', db], env);
    expect(t.stderr).not.toMatch(/internal error|ERR_/);
    expect(t.code).toBe(0);
    const lines = t.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const platform = lines.find((l) => l.task === 'platform');
    expect(platform?.status).toBe('ok');
    expect(platform?.value).toBe('aws');
    const out = join(tempDir(), 'calls.jsonl');
    const r = await run(['export', '--db', db, '--format', 'jsonl', '--out', out], env);
    expect(r.stderr).not.toMatch(/internal error|ERR_/);
    expect(r.code).toBe(0);
    const calls = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(calls.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(calls)).toContain('gpt-oss-120b');
  });

  it('serves the workbench from the installed copy', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', join(tempDir(), 'cb.db')], {
      env: cliEnv({}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      child.kill('SIGTERM');
    }
  });
});

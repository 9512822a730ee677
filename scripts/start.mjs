#!/usr/bin/env node
// `npm start`: build if out/ is missing or older than the sources, then open the desktop app.
// Where the Electron binary is not installed (or there is no display), say so in one line and
// serve the same workbench to a browser tab instead (`casebench serve`, which prints the URL).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) => join(root, p));
const inputs = ['src', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p));

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) t = Math.max(t, newest(join(path, e.name)));
  return t;
}

function isStale() {
  if (!outputs.every((p) => existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  return Math.max(...inputs.map(newest)) > built;
}

/** The Electron binary: installed already, or fetched now by electron's own installer (once). */
function electronBinary() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { path: null, why: 'there is no display to open a window on' };
  }
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, why: 'the electron package is not installed' };
  }
  const locate = () => {
    const pathFile = join(dir, 'path.txt');
    const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
    const base = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist');
    const bin = rel ? join(base, rel) : null;
    return bin && existsSync(bin) ? bin : null;
  };
  let bin = locate();
  if (!bin) {
    // electron 45 has no postinstall: the binary comes on first use. Fetch it once, bounded.
    console.error('casebench: fetching the Electron binary (first start only)…');
    spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: ['ignore', 2, 2], timeout: 180_000 });
    bin = locate();
  }
  return bin ? { path: bin, why: null } : { path: null, why: 'the Electron binary could not be installed (no download access?)' };
}

function run(cmd, cmdArgs, opts) {
  const child = spawn(cmd, cmdArgs, { cwd: root, ...opts });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (err) => {
    console.error(`casebench: could not start ${cmd}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
}

if (isStale()) {
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  // Build logs go to stderr so stdout stays the app's own (serve's first line is the URL).
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) {
    console.error('casebench: the build failed (see above)');
    process.exit(r.status ?? 1);
  }
}

const electron = electronBinary();
if (electron.path) {
  run(electron.path, ['.', ...args], { stdio: 'inherit' });
} else {
  console.error(`casebench: no desktop window because ${electron.why}; opening browser mode instead.`);
  run(process.execPath, [join(root, 'bin', 'casebench.mjs'), 'serve', ...args], { stdio: 'inherit' });
}

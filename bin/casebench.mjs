#!/usr/bin/env node
// The casebench command. In a checkout it runs the TypeScript sources with Node's built-in type
// stripping (Node >= 22.18 / 23.6 by default; 22.13-22.17 need the flag, so re-exec with it). An
// installed package has no sources: it runs the JavaScript build in out/cli/ (scripts/build-cli.mjs),
// since Node will not strip types inside node_modules.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(`casebench: needs Node >= 22.13 (this is ${process.version}); see the README`);
  process.exit(2);
}
const sources = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const built = new URL('../out/cli/main.js', import.meta.url);
const useSources = existsSync(sources) && process.env.CASEBENCH_USE_BUILD !== '1';
if (!useSources && !existsSync(built)) {
  console.error(
    'casebench: this copy has neither its sources nor its build (out/cli/main.js); reinstall it, or run `node scripts/build-cli.mjs` in a checkout',
  );
  process.exit(1);
}
if (useSources && !process.features.typescript) {
  const child = spawn(
    process.execPath,
    ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  child.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
} else {
  // Node's on-disk compile cache (in the OS temp folder, keyed by content): the stripped and
  // compiled sources are reused by the next start, worker threads included (the trace importer's
  // reading thread starts in ~0.1 s instead of ~0.15 s).
  module.enableCompileCache?.();
  const { main } = await import(useSources ? '../src/cli/main.ts' : '../out/cli/main.js');
  await main(process.argv);
}

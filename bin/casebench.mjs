#!/usr/bin/env node
// The casebench command. The sources are TypeScript run by Node's built-in type stripping
// (Node >= 22.18 / 23.6 by default; 22.13-22.17 need the flag, so re-exec with it).
import { spawn } from 'node:child_process';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(`casebench: needs Node >= 22.13 (this is ${process.version}); see the README`);
  process.exit(2);
}
if (!process.features.typescript) {
  const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings=ExperimentalWarning', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
} else {
  // Node's on-disk compile cache (in the OS temp folder, keyed by content): the stripped and
  // compiled sources are reused by the next start, worker threads included (the trace importer's
  // reading thread starts in ~0.1 s instead of ~0.15 s).
  module.enableCompileCache?.();
  const { main } = await import('../src/cli/main.ts');
  await main(process.argv);
}

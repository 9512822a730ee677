// `npm test`: lint, type-check, build the app, then every test suite (unit + integration, then the
// browser end-to-end tests against the built workbench). Ends with one "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
mkdirSync('test-results', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let failedStep = null;

function step(title, cmd, args) {
  process.stdout.write(`\n== ${title}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0 && !failedStep) failedStep = `${title} (exit ${r.status ?? r.signal})`;
  return r.status === 0;
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += j.numPassedTests ?? 0;
  totals.failed += j.numFailedTests ?? 0;
  totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
}

const suites = [
  ['unit and integration tests', 'vitest.config.ts', 'test-results/unit.json'],
  ['browser end-to-end tests', 'vitest.e2e.config.ts', 'test-results/e2e.json'],
];
const only = process.argv[2];

if (!only) {
  step('lint (biome: layering, correctness)', bin('biome'), ['lint', '--error-on-warnings', '.']);
  step('format check (biome; `npm run format` fixes it)', bin('biome'), ['format', '.']);
  step('import aliases (`node scripts/codemod-aliases.mjs` fixes them)', process.execPath, ['scripts/codemod-aliases.mjs', '--check']);
  step('type-check (everything: sources, tests, benches, scripts)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
  // Each side on its own, with only its own files and globals: the compiler enforces the layering.
  for (const side of ['node', 'web', 'shared']) step(`type-check (${side} side)`, bin('tsc'), ['--noEmit', '-p', `tsconfig.${side}.json`]);
  step('build (electron-vite)', bin('electron-vite'), ['build']);
}
for (const [title, config, out] of suites) {
  if (only && !config.includes(only)) continue;
  if (!existsSync(config)) continue;
  rmSync(out, { force: true });
  step(title, bin('vitest'), ['run', '-c', config, '--reporter=default', '--reporter=json', `--outputFile=${out}`]);
  countVitest(out);
}

if (failedStep) process.stdout.write(`\nfailed step: ${failedStep}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`);
process.exit(failedStep ? 1 : 0);

// Compares the demo provider's answers over the shipped tickets with test/fixtures/demo-answers.golden.json
// and lists every answer that changed; `--write` rewrites the golden file (after a deliberate change to the
// keyword rules or to resources/catalog/*.json, whose services the demo's product rules are derived from).
//   node scripts/demo-answers.ts           # compare, exit 1 on any difference
//   node scripts/demo-answers.ts --write   # regenerate the golden file
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { GOLDEN_PATH, allAnswers, diffAnswers } from '#test/demo/demoAnswers.ts';

const now = allAnswers();
if (process.argv.includes('--write')) {
  writeFileSync(GOLDEN_PATH, JSON.stringify(now, null, 1) + '\n');
  console.log(`wrote ${Object.keys(now).length} tickets' demo answers to ${GOLDEN_PATH}`);
} else {
  const golden = existsSync(GOLDEN_PATH) ? JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) : {};
  const diffs = diffAnswers(golden, now);
  for (const d of diffs) console.log(`${d.key} ${d.answer}: ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`);
  const n = Object.values(now).reduce((s, a) => s + Object.keys(a).length, 0);
  console.log(`${Object.keys(now).length} tickets, ${n} answers, ${n - diffs.length} identical, ${diffs.length} changed`);
  process.exitCode = diffs.length === 0 ? 0 : 1;
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_PATH, allAnswers, corpus, diffAnswers } from './demoAnswers.ts';

// The demo's answers are what the keyless workbench shows and what every demo figure in the README
// was measured on; its product rules are derived from resources/catalog/*.json, so a catalog edit can
// change them. Any change must be deliberate: `node scripts/demo-answers.ts --write` regenerates the file.
describe('demo answers over the shipped tickets', () => {
  it('match test/fixtures/demo-answers.golden.json answer for answer', () => {
    const golden = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(Object.keys(golden).sort()).toEqual(
      corpus()
        .map((t) => t.key)
        .sort(),
    );
    expect(diffAnswers(golden, allAnswers())).toEqual([]);
  });
});

// The demo provider's answers over every ticket text the repository ships, so a change to the
// keyword rules or to the catalog they are derived from (resources/catalog/*.json) shows up as a
// diff of test/fixtures/demo-answers.golden.json. Used by demoAnswers.golden.test.ts and by
// scripts/demo-answers.ts (which rewrites the golden file with --write).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { heuristicAnswer, predictPlatform, predictProduct } from '#core/providers/demo/heuristicAnswers.ts';
import { TEXTS as BENCH_TEXTS } from '../../bench/lib.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const GOLDEN_PATH = join(ROOT, 'test', 'fixtures', 'demo-answers.golden.json');

export interface CorpusTicket {
  /** source#id, stable across runs */
  key: string;
  text: string;
  labels?: { platform?: string | null; product?: string | null };
}

const jsonl = (rel: string, source: string): CorpusTicket[] =>
  readFileSync(join(ROOT, rel), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const row = JSON.parse(l) as { id?: string; text: string; labels?: CorpusTicket['labels'] };
      return { key: `${source}#${row.id ?? i + 1}`, text: row.text, ...(row.labels ? { labels: row.labels } : {}) };
    });

/** The demo tickets, the privacy corpus and the benchmark texts: every ticket file the repo ships. */
export function corpus(): CorpusTicket[] {
  return [
    ...jsonl('resources/demo/tickets.jsonl', 'demo'),
    ...jsonl('test/fixtures/privacy/corpus.jsonl', 'privacy'),
    ...BENCH_TEXTS.map((text, i) => ({ key: `bench#${i + 1}`, text })),
  ];
}

const ctxPlatforms = ['aws', 'gcp', 'azure'] as const;

/**
 * Every answer the demo gives for one ticket: each task without upstream answers, the dependent
 * tasks with the demo's own upstream answers (as the graph passes them), with the labelled ones,
 * and product under each of the big three platforms; plus the speculation guesses.
 */
export function answersFor(t: CorpusTicket): Record<string, unknown> {
  const platform = (heuristicAnswer('platform', t.text) as { platform: string | null }).platform;
  const product = (heuristicAnswer('product', t.text, { platform }) as { product: string | null }).product;
  const out: Record<string, unknown> = {
    platform,
    product: heuristicAnswer('product', t.text),
    'product|chain': product,
    severity: heuristicAnswer('severity', t.text),
    asset_ids: heuristicAnswer('asset_ids', t.text),
    technical_details: heuristicAnswer('technical_details', t.text),
    'technical_details|chain': heuristicAnswer('technical_details', t.text, { platform, product }),
    predictPlatform: predictPlatform(t.text),
    'predictProduct|chain': predictProduct(t.text, platform),
  };
  for (const p of ctxPlatforms) {
    out[`product|${p}`] = heuristicAnswer('product', t.text, { platform: p });
    out[`predictProduct|${p}`] = predictProduct(t.text, p);
  }
  if (t.labels) {
    const ctx = { platform: t.labels.platform ?? null, product: t.labels.product ?? null };
    out['product|label'] = heuristicAnswer('product', t.text, { platform: ctx.platform });
    out['technical_details|label'] = heuristicAnswer('technical_details', t.text, ctx);
  }
  return out;
}

export function allAnswers(tickets: readonly CorpusTicket[] = corpus()): Record<string, Record<string, unknown>> {
  return Object.fromEntries(tickets.map((t) => [t.key, answersFor(t)]));
}

/** Each (ticket, answer) pair whose value differs between two answer sets. */
export function diffAnswers(
  before: Record<string, Record<string, unknown>>,
  after: Record<string, Record<string, unknown>>,
): Array<{ key: string; answer: string; before: unknown; after: unknown }> {
  const out: Array<{ key: string; answer: string; before: unknown; after: unknown }> = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const b = before[key] ?? {};
    const a = after[key] ?? {};
    for (const answer of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (JSON.stringify(b[answer]) !== JSON.stringify(a[answer])) out.push({ key, answer, before: b[answer], after: a[answer] });
    }
  }
  return out;
}

// Review of generic traces: a queue over imported calls (file, model, search, sample) with a rubric
// of its own, blind until scored, re-scores superseding, undo, κ/α between reviewers (the source's
// own verdict counts as a reviewer), and JSON lines out and back in (LangSmith feedback too).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/store.ts';
import { importTraceFile } from './importer.ts';
import { createTraceQueue, openTraceReview, scoreTraceItem, undoTraceScore } from './traceReview.ts';
import { exportTraceReviews, importTraceReviews } from './traceReviewLines.ts';
import { krippendorffAlphaNominal, traceReviewResults } from './traceReviewResults.ts';

const FIX = fileURLToPath(new URL('../../../test/fixtures/traces/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cb-trq-'));
let seq = 0;
const opened: Store[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
async function workspace(): Promise<Store> {
  const s = openStore(join(dir, `w${seq++}.db`));
  opened.push(s);
  await importTraceFile(s, join(FIX, 'promptfoo-output.sample-export.json'));
  await importTraceFile(s, join(FIX, 'langfuse-trace-download.microsoft-agent.json'));
  return s;
}
const RUBRIC = [
  { id: 'pass', label: 'Correct', kind: 'pass_fail' as const },
  { id: 'quality', label: 'Quality', kind: 'score' as const },
  { id: 'issue', label: 'Issue', kind: 'label' as const, labels: ['none', 'wrong', 'verbose'] },
  { id: 'note', label: 'Note', kind: 'note' as const },
];

describe('trace review queues', () => {
  it('a queue by file and model, sampled with a seed; blind until every criterion is scored; bad values refused with the reason', async () => {
    const s = await workspace();
    const pf = (s.prepare(`SELECT id FROM runs WHERE label LIKE 'promptfoo%'`).get() as { id: string }).id;
    const all = createTraceQueue(s, { name: 'all', rubric: RUBRIC });
    expect(all.items).toBe(6);
    const q = createTraceQueue(s, { name: 'gpt-5 riddles', runIds: [pf], models: ['openai:gpt-5'], rubric: RUBRIC, seed: 7 });
    expect(q.items).toBe(2);
    const sampled = createTraceQueue(s, { name: 's', runIds: [pf], sample: 3, seed: 7, rubric: RUBRIC });
    expect(sampled.items).toBe(3);
    expect(createTraceQueue(s, { name: 's2', runIds: [pf], sample: 3, seed: 7, rubric: RUBRIC }).items).toBe(3);
    expect(() => createTraceQueue(s, { name: 'none', search: 'no such words anywhere' })).toThrow(/no imported call matches/);
    expect(() => createTraceQueue(s, { name: 'bad', rubric: [{ id: 'x', label: 'X', kind: 'label', labels: ['only'] }] })).toThrow(
      /bad queue/,
    );

    let sc = openTraceReview(s, { queueId: q.id, reviewer: 'ana' });
    expect(sc.position).toBe(0);
    expect(sc.revealed).toBe(false);
    expect(sc.call!.modelSpec).toBe('hidden');
    expect(sc.call!.scores).toEqual([]); // promptfoo's own verdict is hidden too
    expect(sc.call!.output).toBeTruthy();
    expect(sc.missing).toEqual(['pass', 'quality', 'issue']);
    expect(() => scoreTraceItem(s, { queueId: q.id, position: 0, reviewer: 'ana', criterion: 'quality', value: 1.5 })).toThrow(
      /score from 0 to 1/,
    );
    expect(() => scoreTraceItem(s, { queueId: q.id, position: 0, reviewer: 'ana', criterion: 'issue', value: 'meh' })).toThrow(
      /one of none, wrong, verbose/,
    );
    sc = scoreTraceItem(s, { queueId: q.id, position: 0, reviewer: 'ana', criterion: 'pass', value: true });
    sc = scoreTraceItem(s, { queueId: q.id, position: 0, reviewer: 'ana', criterion: 'quality', value: 0.75 });
    expect(sc.revealed).toBe(false);
    sc = scoreTraceItem(s, { queueId: q.id, position: 0, reviewer: 'ana', criterion: 'issue', value: 'verbose' });
    expect(sc.revealed).toBe(true);
    expect(sc.call!.modelSpec).toBe('openai:gpt-5');
    expect(sc.others.some((o) => o.reviewer === 'promptfoo')).toBe(true);
    expect(sc.done).toBe(1);
    expect(sc.nextUnscored).toBe(1);
    // a re-score supersedes; undo brings the earlier value back
    sc = scoreTraceItem(s, { queueId: q.id, position: 0, reviewer: 'ana', criterion: 'quality', value: 0.5 });
    expect(sc.mine.quality!.value).toBe(0.5);
    sc = undoTraceScore(s, { queueId: q.id, reviewer: 'ana' });
    expect(sc.mine.quality!.value).toBe(0.75);
    // the reviewer's next open lands on their first unscored item
    expect(openTraceReview(s, { queueId: q.id, reviewer: 'ana' }).position).toBe(1);
  });

  it('κ and α between reviewers per criterion, results per model, JSONL out and back in; LangSmith feedback lines too', async () => {
    const s = await workspace();
    const q = createTraceQueue(s, { name: 'riddles', search: 'riddle', rubric: RUBRIC, blind: false });
    expect(q.items).toBe(4);
    const give = (who: string, pass: boolean[], issue: string[]) =>
      pass.forEach((p, i) => {
        scoreTraceItem(s, { queueId: q.id, position: i, reviewer: who, criterion: 'pass', value: p });
        scoreTraceItem(s, { queueId: q.id, position: i, reviewer: who, criterion: 'issue', value: issue[i]! });
      });
    give('ana', [true, false, true, false], ['none', 'wrong', 'none', 'wrong']);
    give('ben', [true, false, true, true], ['none', 'wrong', 'none', 'verbose']);
    scoreTraceItem(s, { queueId: q.id, position: 0, reviewer: 'ana', criterion: 'note', value: 'echo is right' });
    const res = traceReviewResults(s, { queueId: q.id });
    const pass = res.criteria.find((c) => c.criterion === 'pass')!;
    const pair = pass.pairs.find((p) => p.a === 'ana' && p.b === 'ben')!;
    expect(pair).toMatchObject({ n: 4, agreement: 0.75 });
    // κ by hand: pₒ = 3/4; ana 2T/2F, ben 3T/1F → pₑ = (2·3 + 2·1)/16 = 0.5 → κ = 0.5
    expect(pair.kappa).toBeCloseTo(0.5, 10);
    expect(pass.alpha).not.toBeNull();
    expect(pass.models.map((m) => m.model)).toEqual(['openai:gpt-5', 'openai:gpt-5-mini']);
    expect(res.criteria.some((c) => c.criterion === 'note')).toBe(false);
    expect(res.criteria.find((c) => c.criterion === 'issue')!.models.reduce((n, m) => n + m.n, 0)).toBe(8);

    const out = exportTraceReviews(s, { queueId: q.id });
    expect(out.count).toBe(17);
    const t = openStore(join(dir, `copy-${seq++}.db`));
    opened.push(t);
    await importTraceFile(t, join(FIX, 'promptfoo-output.sample-export.json'));
    const bad = `${out.text}not json\n{"casebench":"trace_review","call":{"trace_id":"x","span_id":"y"},"criterion":"pass","kind":"pass_fail","value":true,"reviewer":"z","scored_at":"2025-01-01T00:00:00Z"}\n`;
    const back = importTraceReviews(t, bad, { source: 'ana.jsonl' });
    expect(back).toMatchObject({ imported: 17, duplicates: 0 });
    expect(back.bad.map((b) => b.line)).toEqual([18, 19]);
    expect(back.bad[1]!.message).toMatch(/not in this workspace/);
    expect(importTraceReviews(t, out.text, { source: 'ana.jsonl' })).toMatchObject({ imported: 0, duplicates: 17 });
    expect(
      traceReviewResults(t)
        .criteria.find((c) => c.criterion === 'pass')!
        .pairs.find((p) => p.a === 'ana' && p.b === 'ben')!.kappa,
    ).toBeCloseTo(0.5, 10);

    // LangSmith feedback on an imported LangSmith run: the reviewer is the source
    const u = openStore(join(dir, `ls-${seq++}.db`));
    opened.push(u);
    await importTraceFile(u, join(FIX, 'langsmith-runs.langsmith-fetch-fixture.json'));
    const fb = JSON.stringify({
      run_id: 'grandchild-uuid-1',
      key: 'correctness',
      score: 1,
      comment: 'fine',
      created_at: '2025-01-10T13:00:00',
      feedback_source: { type: 'app' },
    });
    expect(importTraceReviews(u, fb, { source: 'feedback.json' })).toMatchObject({ imported: 1 });
    expect(u.prepare('SELECT criterion, kind, value, reviewer, note FROM trace_reviews').get()).toEqual({
      criterion: 'correctness',
      kind: 'score',
      value: '1',
      reviewer: 'langsmith:app',
      note: 'fine',
    });
  });

  it('nominal α: 1 when all agree, below 0 for systematic disagreement, null with nothing pairable', () => {
    expect(
      krippendorffAlphaNominal([
        ['a', 'a'],
        ['b', 'b'],
      ]),
    ).toBe(1);
    expect(
      krippendorffAlphaNominal([
        ['a', 'b'],
        ['b', 'a'],
      ])!,
    ).toBeLessThan(0);
    expect(krippendorffAlphaNominal([['a']])).toBeNull();
    // by the coincidence matrix: o_ab = o_ba = 1 of n = 6 values, n_a = n_b = 3 → α = 1 − (2/6) / (18/30) = 4/9
    expect(
      krippendorffAlphaNominal([
        ['a', 'a'],
        ['a', 'b'],
        ['b', 'b'],
      ]),
    ).toBeCloseTo(4 / 9, 10);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/store.ts';
import { exportReviews, importReviews } from './jsonl.ts';
import { listReviews, submitScore } from './reviewsRepo.ts';
import { reviewResults } from './results.ts';
import { BASE, fixtureStore, LARGE, RUN, SMALL } from './workspace.fixture.ts';

let dir: string;
let mine: Store;
let theirs: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-jsonl-'));
  mine = fixtureStore(join(dir, 'mine.db'));
  theirs = fixtureStore(join(dir, 'theirs.db'));
});
afterEach(() => {
  mine.close();
  theirs.close();
});

const at = (m: number) => ({ now: () => new Date(Date.UTC(2026, 10, 25, 10, m)) });
const line = (o: Record<string, unknown>): string =>
  JSON.stringify({ ticket_id: 'T1', task: 'platform', model: LARGE, reviewer: 'carol', score: 1, scored_at: '2026-11-25T12:00:00Z', ...o });

describe('review exchange (JSONL, contracts §5)', () => {
  it('exports one review a line in the contract shape', () => {
    submitScore(
      mine,
      { ticketId: 'T1', task: 'severity', model: SMALL, runId: RUN, reviewer: 'alice', correctValue: 'high', note: ' one off ' },
      at(1),
    );
    submitScore(
      mine,
      { ticketId: 'T1', task: 'technical_details', model: LARGE, runId: RUN, reviewer: 'alice', expected: ['a', 'b', 'c'], missing: ['c'] },
      at(2),
    );
    const { text, count } = exportReviews(mine);
    expect(count).toBe(2);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(lines[0]!)).toEqual(['ticket_id', 'task', 'model', 'reviewer', 'score', 'correct_value', 'note', 'scored_at']);
    expect(lines[0]).toEqual({
      ticket_id: 'T1',
      task: 'severity',
      model: SMALL,
      reviewer: 'alice',
      score: 0.5,
      correct_value: 'high',
      note: 'one off',
      scored_at: '2026-11-25T10:01:00.000Z',
    });
    expect(lines[1]).toMatchObject({ task: 'technical_details', missing: ['c'], expected_count: 3 });
    expect(lines[1]!.score).toBeCloseTo(2 / 3, 12);
  });

  it('merges reviews labelled offline on another machine; importing twice adds nothing', () => {
    submitScore(theirs, { ticketId: 'T2', task: 'platform', model: SMALL, runId: RUN, reviewer: 'bob', score: 1 }, at(1));
    submitScore(
      theirs,
      { ticketId: 'T1', task: 'technical_details', model: LARGE, runId: RUN, reviewer: 'bob', expected: ['a', 'b', 'c'], missing: ['c'] },
      at(2),
    );
    submitScore(theirs, { ticketId: 'T3', task: 'asset_ids', model: BASE, runId: RUN, reviewer: 'bob', correctValue: ['store3'] }, at(3));
    const file = exportReviews(theirs).text;
    const first = importReviews(mine, file, { source: 'bob.jsonl' });
    expect(first).toMatchObject({ lines: 3, imported: 3, duplicates: 0, bad: [], labelsWritten: 1, conflicts: [] });
    expect(mine.getTicket('T3')!.labels).toEqual({ asset_ids: ['store3'] });
    const again = importReviews(mine, file, { source: 'bob.jsonl' });
    expect(again).toMatchObject({ imported: 0, duplicates: 3 });
    expect(listReviews(mine)).toHaveLength(3);
    expect(listReviews(mine).every((r) => r.source === 'bob.jsonl' && r.runId === RUN)).toBe(true);
    // The merged scores count like local ones.
    expect(reviewResults(mine).table.cells.find((c) => c.task === 'technical_details')!.mean).toBeCloseTo(2 / 3, 12);
  });

  it('keeps both scores of a disagreement and lists the conflict', () => {
    submitScore(mine, { ticketId: 'T1', task: 'platform', model: LARGE, runId: RUN, reviewer: 'alice', score: 1 }, at(1));
    const r = importReviews(
      mine,
      [
        line({ reviewer: 'bob', score: 0, scored_at: '2026-11-25T12:00:00Z' }),
        line({ task: 'product', reviewer: 'carol', score: 1, scored_at: '2026-11-25T12:00:00Z' }),
        line({ task: 'product', reviewer: 'carol', score: 0, scored_at: '2026-11-25T13:00:00Z' }),
      ].join('\n'),
      { source: 'team.jsonl' },
    );
    expect(r.imported).toBe(3);
    expect(r.conflicts.map((c) => [c.task, c.kinds])).toEqual([
      ['platform', ['reviewers differ']],
      ['product', ['same reviewer twice']],
    ]);
    expect(r.conflicts[0]!.reviews.map((x) => [x.reviewer, x.score])).toEqual([
      ['alice', 1],
      ['bob', 0],
    ]);
    expect(listReviews(mine, { ticketId: 'T1', task: 'platform' })).toHaveLength(2);
  });

  it('reports each bad line with its number and reason and keeps the rest', () => {
    const text = [
      line({}),
      '{not json',
      line({ ticket_id: 'T99' }),
      line({ model: 'openai:gpt-9' }),
      line({ ticket_id: 'T6', model: SMALL }),
      line({ score: 0.5 }),
      line({ task: 'technical_details', score: 0.5, missing: ['x'], expected_count: 0 }),
      line({ task: 'severity', scored_at: 'yesterday' }),
      '',
      line({ task: 'sentiment' }),
      line({ reviewer: '' }),
      line({ task: 'severity', score: 0.5, correct_value: 'high', ticket_id: 'T2' }),
    ].join('\n');
    const r = importReviews(mine, text, { source: 'x.jsonl' });
    expect(r.imported).toBe(2);
    expect(r.lines).toBe(11);
    const reasons = Object.fromEntries(r.bad.map((b) => [b.line, b.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([2, 3, 4, 5, 6, 7, 8, 10, 11]);
    expect(reasons[2]).toMatch(/^not JSON/);
    expect(reasons[3]).toBe('ticket T99 is not in this workspace');
    expect(reasons[4]).toBe('no platform answer from openai:gpt-9 for ticket T1 in this workspace');
    expect(reasons[5]).toMatch(/failed \(INVALID_OUTPUT\): there is nothing to review/);
    expect(reasons[6]).toBe('platform is scored 0 or 1');
    expect(reasons[7]).toMatch(/no technical details \(M = 0\), so nothing can be missing/);
    expect(reasons[8]).toMatch(/^scored_at:/);
    expect(reasons[10]).toMatch(/^task:/);
    expect(reasons[11]).toMatch(/reviewer: a reviewer needs a name/);
    expect(mine.getTicket('T2')!.labels).toEqual({ severity: 'high' });
  });

  it('imports plain technical-details scores (spreadsheets, other tools) and no-details reviews (M = 0) both ways', () => {
    const text = [
      line({ task: 'technical_details', model: BASE, score: 0.5 }),
      line({ task: 'technical_details', model: SMALL, score: 1, reviewer: 'dan' }),
      line({ task: 'technical_details', model: LARGE, score: 0.75, missing: ['region'] }),
      line({ task: 'technical_details', model: LARGE, score: 0.6, missing: ['region'], reviewer: 'dan' }),
    ].join('\n');
    const r = importReviews(mine, text, { source: 'sheet.jsonl' });
    expect(r.bad).toEqual([{ line: 4, reason: 'score 0.6 with 1 missing detail is not 1 − 1/M for any whole M (give expected_count)' }]);
    expect(r.imported).toBe(3);
    const cells = reviewResults(mine).table.cells.filter((c) => c.task === 'technical_details');
    expect(Object.fromEntries(cells.map((c) => [c.model, c.mean]))).toEqual({ [BASE]: 0.5, [SMALL]: 1, [LARGE]: 0.75 });

    // T3 has no technical details: the answer that says none scores 1, and the line travels with expected_count 0.
    submitScore(
      theirs,
      { ticketId: 'T3', task: 'technical_details', model: BASE, runId: RUN, reviewer: 'bob', expected: [], missing: [] },
      at(1),
    );
    const file = exportReviews(theirs).text;
    expect(JSON.parse(file)).toMatchObject({ ticket_id: 'T3', score: 1, missing: [], expected_count: 0 });
    expect(importReviews(mine, file, { source: 'bob.jsonl' })).toMatchObject({ imported: 1, bad: [] });
  });

  it('does not overwrite a different gold label on import; it reports it', () => {
    mine.upsertTicket({ id: 'T2', text: 'GKE down', labels: { severity: 'urgent' } }, 'x');
    const r = importReviews(mine, line({ ticket_id: 'T2', task: 'severity', model: SMALL, score: 0.5, correct_value: 'high' }), {
      source: 'x.jsonl',
    });
    expect(r.imported).toBe(1);
    expect(r.labelConflicts).toEqual([{ line: 1, ticketId: 'T2', task: 'severity', label: 'urgent', correctValue: 'high' }]);
    expect(mine.getTicket('T2')!.labels).toEqual({ severity: 'urgent' });
  });
});

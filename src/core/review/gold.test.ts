import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/store.ts';
import { goldHistory } from './gold.ts';
import { importReviews } from './jsonl.ts';
import { createQueue } from './queues.ts';
import { goldLabel, listReviews } from './reviewsRepo.ts';
import { reviewItem, scoreSlot } from './screen.ts';
import { openScreen, restoreOnScreen, scoreFromCorrect, undoOnScreen } from './workbench.ts';
import { fixtureStore, RUN, SMALL } from './workspace.fixture.ts';

let path: string;
let store: Store;
beforeEach(() => {
  path = join(mkdtempSync(join(tmpdir(), 'cb-gold-')), 'w.db');
  store = fixtureStore(path);
});
afterEach(() => store.close());

const openItem = (queueId: string, position = 0) => {
  const v = openScreen(store, { queueId, reviewer: 'alice', position });
  if (v.state !== 'item') throw new Error(`not an item: ${v.state}`);
  return v;
};

describe('gold labels are safe', () => {
  it('one undo takes back a confirmed correct value whole: every score it gave and the gold label', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['asset_ids'], reviewers: ['alice'], blind: false });
    const r = scoreFromCorrect(store, { queueId: q.id, position: 0, reviewer: 'alice', correctValue: ['n'], confirmed: true });
    expect(r.scored).toHaveLength(3);
    expect(r.goldChanged).toBe(true);
    expect(goldLabel(store, 'T1', 'asset_ids')).toEqual(['n']);

    const u = undoOnScreen(store, { queueId: q.id, reviewer: 'alice' });
    expect(u.undone).toMatchObject({ position: 0, gold: { restored: 1, kept: 0 } });
    expect([...u.undone!.slots].sort()).toEqual(['A', 'B', 'C']);
    expect(listReviews(store)).toHaveLength(0);
    expect(goldLabel(store, 'T1', 'asset_ids')).toBeUndefined();
    // Nothing else to take back.
    expect(undoOnScreen(store, { queueId: q.id, reviewer: 'alice' }).undone).toBeNull();
  });

  it('keeps every change of a gold label: who, when, from what, and why — undo and restore included', () => {
    store.upsertTicket(
      { id: 'T1', text: 'S3 bucket logs-1 in account 123456789012 returns AccessDenied since 09:00.', labels: { severity: 'normal' } },
      'tickets.jsonl',
    );
    const q = createQueue(store, { runId: RUN, tasks: ['severity'], reviewers: ['alice'], blind: false });
    scoreFromCorrect(store, { queueId: q.id, position: 0, reviewer: 'alice', correctValue: 'high', confirmed: true });
    undoOnScreen(store, { queueId: q.id, reviewer: 'alice' });
    const h = goldHistory(store, 'T1', 'severity');
    expect(h.map((c) => [c.source, c.by, c.before, c.after])).toEqual([
      ['undo', 'alice', { has: true, value: 'high' }, { has: true, value: 'normal' }],
      ['review', 'alice', { has: true, value: 'normal' }, { has: true, value: 'high' }],
    ]);
    expect(Date.parse(h[0]!.at)).toBeGreaterThan(0);
    // Restoring the value before the undo is a change of its own, shown on the screen and undoable.
    const v = restoreOnScreen(store, { queueId: q.id, position: 0, reviewer: 'alice', entryId: h[0]!.id });
    expect(v.state === 'item' && v.gold).toMatchObject({ has: true, value: 'high', hidden: false });
    expect(goldHistory(store, 'T1', 'severity')[0]).toMatchObject({ source: 'restore', detail: `the value before change #${h[0]!.id}` });
    undoOnScreen(store, { queueId: q.id, reviewer: 'alice' });
    expect(goldLabel(store, 'T1', 'severity')).toBe('normal');
  });

  it('records an imported correct value in the history with its file and reviewer', () => {
    const line = JSON.stringify({
      ticket_id: 'T2',
      task: 'platform',
      model: SMALL,
      reviewer: 'carol',
      score: 1,
      correct_value: 'gcp',
      scored_at: '2026-11-25T12:00:00Z',
    });
    importReviews(store, line, { source: 'carol.jsonl' });
    expect(goldHistory(store, 'T2', 'platform')).toMatchObject([
      { source: 'import', by: 'carol', detail: 'carol.jsonl', before: { has: false }, after: { has: true, value: 'gcp' } },
    ]);
  });

  it('writes no gold label unconfirmed, and none at all when the value is refused', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['severity'], reviewers: ['alice'], blind: false });
    expect(() => scoreFromCorrect(store, { queueId: q.id, position: 0, reviewer: 'alice', correctValue: 'high' })).toThrow(
      /only once the reviewer has confirmed it/,
    );
    expect(() => scoreFromCorrect(store, { queueId: q.id, position: 0, reviewer: 'alice', correctValue: 'n', confirmed: true })).toThrow(
      /the correct severity is one of/,
    );
    expect(goldLabel(store, 'T1', 'severity')).toBeUndefined();
    expect(goldHistory(store, 'T1', 'severity')).toEqual([]);
    expect(listReviews(store)).toHaveLength(0);
  });

  it('never overwrites a score already given: the ones a new gold label contradicts are listed, not changed', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['severity'], reviewers: ['alice'], blind: false });
    const small = reviewItem(store, q.id, 'alice', 0).answers.find((a) => a.model === SMALL)!; // answered urgent
    scoreSlot(store, { queueId: q.id, position: 0, slot: small.slot, reviewer: 'alice', score: 1 });
    const r = scoreFromCorrect(store, { queueId: q.id, position: 0, reviewer: 'alice', correctValue: 'high', confirmed: true });
    expect(r.scored).toHaveLength(2);
    expect(r.kept).toEqual([{ slot: small.slot, score: 1, wouldBe: 0.5 }]);
    expect(r.item.answers.find((a) => a.slot === small.slot)!.mine!.score).toBe(1);
  });

  it('hides the gold label and its history in a blind review until the reviewer has scored every answer', () => {
    store.upsertTicket(
      { id: 'T1', text: 'S3 bucket logs-1 in account 123456789012 returns AccessDenied since 09:00.', labels: { platform: 'aws' } },
      'tickets.jsonl',
    );
    const q = createQueue(store, { runId: RUN, tasks: ['platform'], reviewers: ['alice'], seed: 3 });
    const v = openItem(q.id);
    expect(v.gold).toEqual({ has: false, value: null, hidden: true, history: [] });
    expect(JSON.stringify(v.gold)).not.toContain('aws');
    expect(() => restoreOnScreen(store, { queueId: q.id, position: 0, reviewer: 'alice', entryId: 1 })).toThrow(/hidden in a blind review/);
    for (const a of v.item.answers) scoreSlot(store, { queueId: q.id, position: 0, slot: a.slot, reviewer: 'alice', score: 1 });
    expect(openItem(q.id).gold).toMatchObject({ has: true, value: 'aws', hidden: false });
  });

  it('keeps gold-label history across reopening the workspace (migration 8 on an existing file)', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['platform'], reviewers: ['alice'], blind: false });
    scoreFromCorrect(store, { queueId: q.id, position: 0, reviewer: 'alice', correctValue: 'aws', confirmed: true });
    store.close();
    store = openStore(path);
    expect(goldHistory(store, 'T1', 'platform')).toHaveLength(1);
    expect(undoOnScreen(store, { queueId: q.id, reviewer: 'alice' }).undone?.gold.restored).toBe(1);
  });
});

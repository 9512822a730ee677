import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/store.ts';
import { createQueue, queueItems } from './queues.ts';
import { goldLabel, listReviews, reviewConflicts, submitScore, undoLastScore } from './reviewsRepo.ts';
import { displayOrder, nextItem, reviewItem, scoreSlot, undoInQueue } from './screen.ts';
import { ANSWERS, BASE, fixtureStore, MODELS, RUN, SMALL } from './workspace.fixture.ts';

let path: string;
let store: Store;
beforeEach(() => {
  path = join(mkdtempSync(join(tmpdir(), 'cb-screen-')), 'w.db');
  store = fixtureStore(path);
});
afterEach(() => store.close());

describe('the review screen model', () => {
  it('shows the ticket and the answers blind, in the order the recorded seed gives, and reveals them once all are scored', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['severity'], reviewers: ['alice'], seed: 11 });
    const v = nextItem(store, q.id, 'alice')!;
    expect(v.ticket.text).toMatch(/S3 bucket/);
    expect(v.task).toBe('severity');
    expect(v.rubric.scores).toEqual([0, 0.5, 1]);
    expect(v.blind).toBe(true);
    expect(v.answers.map((a) => a.slot)).toEqual(['A', 'B', 'C']);
    expect(v.answers.every((a) => a.model === null)).toBe(true);
    // The same item shows the same order every time (and to every reviewer).
    expect(reviewItem(store, q.id, 'alice', 0).answers.map((a) => a.value)).toEqual(v.answers.map((a) => a.value));

    const first = scoreSlot(store, { queueId: q.id, position: 0, slot: 'A', reviewer: 'alice', score: 1 });
    expect(first.item.revealed).toBe(false);
    expect(first.item.answers[0]!.mine?.score).toBe(1);
    scoreSlot(store, { queueId: q.id, position: 0, slot: 'B', reviewer: 'alice', score: 0.5 });
    const done = scoreSlot(store, { queueId: q.id, position: 0, slot: 'C', reviewer: 'alice', score: 0, note: 'says urgent, is high' });
    expect(done.item.revealed).toBe(true);
    expect(done.item.done).toBe(true);
    // Revealed: each slot's model and value belong together, as recorded.
    for (const a of done.item.answers) expect(a.value).toBe(ANSWERS.T1![a.model!]!.severity);
    expect(new Set(done.item.answers.map((a) => a.model))).toEqual(new Set(MODELS));
    expect(nextItem(store, q.id, 'alice')!.position).toBe(1);
  });

  it('shuffles per item with its recorded seed: across a queue each model shows up in different slots', () => {
    const q = createQueue(store, { runId: RUN, reviewers: ['alice'], seed: 5 });
    const slotsOf = new Map<string, Set<number>>();
    for (const it of queueItems(store, q.id)) {
      displayOrder(it, true).forEach((a, i) => slotsOf.set(a.model, (slotsOf.get(a.model) ?? new Set()).add(i)));
      // The view follows the recorded order.
      expect(reviewItem(store, q.id, 'alice', it.pos).seed).toBe(it.seed);
    }
    for (const m of MODELS) expect(slotsOf.get(m)!.size).toBeGreaterThan(1);
    const unblind = createQueue(store, { runId: RUN, reviewers: ['alice'], blind: false });
    expect(reviewItem(store, unblind.id, 'alice', 0).answers.map((a) => a.model)).toEqual([...MODELS].sort());
  });

  it('scores technical details from ticked missing details and offers details to expect', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['technical_details'], reviewers: ['bob'], blind: false });
    const v = reviewItem(store, q.id, 'bob', 0);
    expect(v.detailSuggestions).toEqual(expect.arrayContaining(['error message', 'account id']));
    const slot = v.answers.find((a) => a.model === SMALL)!.slot;
    const r = scoreSlot(store, {
      queueId: q.id,
      position: 0,
      slot,
      reviewer: 'bob',
      expected: ['error message', 'account id'],
      missing: ['account id'],
    });
    expect(r.review.score).toBe(0.5);
    // M = 0 (the reviewer says the ticket has none): an answer naming a detail scores 0, never 1.
    expect(() => scoreSlot(store, { queueId: q.id, position: 0, slot, reviewer: 'bob', expected: [], missing: [], score: 1 })).toThrow(
      /the answer names "error message"/,
    );
    expect(scoreSlot(store, { queueId: q.id, position: 0, slot, reviewer: 'bob', expected: [], missing: [] }).review.score).toBe(0);
    expect(() => scoreSlot(store, { queueId: q.id, position: 0, slot: 'F', reviewer: 'bob', score: 1 })).toThrow(
      'this item has 3 answers (A, B, C); there is no F',
    );
  });

  it('refuses a score outside the rubric and a reviewer not on the queue, saying why', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['platform'], reviewers: ['alice'] });
    expect(() => scoreSlot(store, { queueId: q.id, position: 0, slot: 'A', reviewer: 'alice', score: 0.5 })).toThrow(
      'platform is scored 0 or 1',
    );
    expect(() => nextItem(store, q.id, 'mallory')).toThrow('mallory is not a reviewer of queue q1; assign them first');
    expect(() => nextItem(store, q.id, '  ')).toThrow('a reviewer needs a name');
    expect(listReviews(store)).toHaveLength(0);
  });

  it('never writes a gold label from a score: the score route takes no correct value', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['severity'], reviewers: ['alice'], blind: false });
    const input = { queueId: q.id, position: 0, slot: 'A', reviewer: 'alice', score: 1, correctValue: 'high' } as unknown as Parameters<
      typeof scoreSlot
    >[1];
    scoreSlot(store, input);
    expect(store.getTicket('T1')!.labels).toBeUndefined();
    const undone = undoInQueue(store, q.id, 'alice')!;
    expect(undone.undone.reviews.map((r) => r.score)).toEqual([1]);
    expect(undone.item.answers[0]!.mine).toBeNull();
    expect(undoInQueue(store, q.id, 'alice')).toBeNull();
  });

  it('treats a re-score on the screen as a correction (not a conflict), and undo brings the earlier score back', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['platform'], reviewers: ['alice'] });
    scoreSlot(store, { queueId: q.id, position: 0, slot: 'A', reviewer: 'alice', score: 1 });
    scoreSlot(store, { queueId: q.id, position: 0, slot: 'A', reviewer: 'alice', score: 0 });
    expect(listReviews(store).map((r) => r.score)).toEqual([0]);
    expect(reviewConflicts(store)).toEqual([]);
    expect(reviewItem(store, q.id, 'alice', 0).answers[0]!.mine!.score).toBe(0);
    undoInQueue(store, q.id, 'alice');
    expect(listReviews(store).map((r) => r.score)).toEqual([1]);
  });

  it('undo restores a label that was there before', () => {
    store.upsertTicket({ id: 'T2', text: 'GKE down', labels: { severity: 'high', platform: 'gcp' } }, 'x');
    submitScore(store, { ticketId: 'T2', task: 'severity', model: BASE, runId: RUN, reviewer: 'alice', correctValue: 'urgent' });
    expect(goldLabel(store, 'T2', 'severity')).toBe('urgent');
    undoLastScore(store, 'alice');
    expect(store.getTicket('T2')!.labels).toEqual({ severity: 'high', platform: 'gcp' });
  });

  it('loses nothing when the app closes mid-queue: each score is committed as given', () => {
    const q = createQueue(store, { runId: RUN, tasks: ['platform'], reviewers: ['alice'], blind: false });
    const v = nextItem(store, q.id, 'alice')!;
    scoreSlot(store, { queueId: q.id, position: v.position, slot: 'A', reviewer: 'alice', score: 1 });
    scoreSlot(store, { queueId: q.id, position: v.position, slot: 'B', reviewer: 'alice', score: 0, note: 'wrong vendor' });
    // Another process opening the file now (the app was killed: no close, no flush) sees both.
    const other = openStore(path);
    try {
      const seen = listReviews(other, { reviewer: 'alice' });
      expect(seen.map((r) => r.score)).toEqual([1, 0]);
      expect(seen[1]!.note).toBe('wrong vendor');
      // And resumes on the same item, with the two answers already scored.
      const resumed = nextItem(other, q.id, 'alice')!;
      expect(resumed.position).toBe(v.position);
      expect(resumed.answers.filter((a) => a.mine !== null)).toHaveLength(2);
    } finally {
      other.close();
    }
  });
});

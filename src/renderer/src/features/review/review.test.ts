import { describe, expect, it } from 'vitest';
import type { GoldLabelView, ReviewItemView, ReviewScreenView } from '#shared/review.ts';
import type { TaskId } from '#shared/tasks.ts';
import { fakeTransport } from '#renderer/platform/fakeTransport.ts';
import { createReviewStore } from './reviewStore.ts';
import {
  defaultExpected,
  defaultMissed,
  detailsScore,
  nextUnscored,
  noDetailsScore,
  parseCorrectValue,
  REVIEW_KEYS,
  reviewKeyAction,
} from './screenModel.ts';

const key = (k: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

function item(task: TaskId, values: unknown[], over: Partial<ReviewItemView> = {}): ReviewItemView {
  return {
    queueId: 'q1',
    queueName: 'q',
    reviewer: 'alice',
    position: 0,
    total: 2,
    dealt: true,
    prevPosition: null,
    nextPosition: 1,
    progress: { done: 0, assigned: 2 },
    ticket: { id: 'T1', title: null, text: 'ticket' },
    task,
    question: '?',
    rubric: {
      task,
      label: task,
      kind: task === 'severity' ? 'severity' : task === 'technical_details' ? 'details' : 'exact',
      scores: task === 'technical_details' ? null : task === 'severity' ? [0, 0.5, 1] : [0, 1],
      help: '',
    },
    blind: true,
    revealed: false,
    seed: 1,
    detailSuggestions: [],
    done: false,
    answers: values.map((value, i) => ({ slot: (['A', 'B', 'C'] as const)[i]!, value, model: null, mine: null })),
    ...over,
  };
}
const screen = (it: ReviewItemView, gold: Partial<GoldLabelView> = {}): ReviewScreenView => ({
  state: 'item',
  item: it,
  gold: { has: false, value: null, hidden: false, history: [], ...gold },
});
const mine = (score: number, extra: object = {}) => ({
  reviewId: 1,
  score,
  missing: null,
  expected: null,
  note: null,
  scoredAt: '2026-11-25T10:00:00Z',
  ...extra,
});

describe('review screen keys and rules', () => {
  it('maps keys to the rubric by task: 0/1 and ½ for exact and severity, 1–9 tick details, moves, undo, fields', () => {
    expect(reviewKeyAction(key('1'), 'platform')).toEqual({ kind: 'score', score: 1 });
    expect(reviewKeyAction(key('0'), 'severity')).toEqual({ kind: 'score', score: 0 });
    for (const k of ['5', 'h', '½', '.']) expect(reviewKeyAction(key(k), 'severity')).toEqual({ kind: 'score', score: 0.5 });
    // Any other digit is sent as given and refused by the rubric with its reason.
    expect(reviewKeyAction(key('2'), 'platform')).toEqual({ kind: 'score', score: 2 });
    expect(reviewKeyAction(key('3'), 'technical_details')).toEqual({ kind: 'toggleMissed', index: 2 });
    // Technical details: 0 scores (a ticket with no details, M = 0), x says the ticket has none.
    expect(reviewKeyAction(key('0'), 'technical_details')).toEqual({ kind: 'score', score: 0 });
    expect(reviewKeyAction(key('x'), 'technical_details')).toEqual({ kind: 'noDetails' });
    expect(reviewKeyAction(key('g'), 'severity')).toEqual({ kind: 'history' });
    expect(reviewKeyAction(key('Tab', { shiftKey: true }), 'platform')).toEqual({ kind: 'answer', delta: -1 });
    expect(reviewKeyAction(key('j'), 'platform')).toEqual({ kind: 'item', delta: 1 });
    expect(reviewKeyAction(key('ArrowUp'), 'platform')).toEqual({ kind: 'item', delta: -1 });
    expect(reviewKeyAction(key('u'), 'platform')).toEqual({ kind: 'undo' });
    expect(reviewKeyAction(key('e'), 'technical_details')).toBeNull();
    expect(reviewKeyAction(key('d'), 'technical_details')).toEqual({ kind: 'focusDetails' });
    expect(reviewKeyAction(key('1', { ctrlKey: true }), 'platform')).toBeNull();
  });

  it('reads a typed correct value per task, "none" being the empty answer', () => {
    expect(parseCorrectValue('platform', ' GCP ')).toEqual({ kind: 'ok', value: 'gcp' });
    expect(parseCorrectValue('platform', 'none')).toEqual({ kind: 'ok', value: null });
    expect(parseCorrectValue('asset_ids', 'a-1, b-2  a-1')).toEqual({ kind: 'ok', value: ['a-1', 'b-2'] });
    expect(parseCorrectValue('severity', 'meh')).toMatchObject({ kind: 'bad' });
    expect(parseCorrectValue('product', '')).toEqual({ kind: 'empty' });
  });

  it('expects what the answers say is there, pre-ticks what each answer does not name, scores 1 − missed/M', () => {
    const it = item('technical_details', [
      { present: ['Region', 'error'], missing: [] },
      { present: ['error'], missing: [] },
      { present: [], missing: ['x'] },
    ]);
    expect(defaultExpected(it)).toEqual(['Region', 'error']);
    expect(defaultMissed(it.answers[1]!.value, ['Region', 'error'])).toEqual(['Region']);
    expect(defaultMissed({ present: ['region'], missing: [] }, ['Region'])).toEqual([]);
    expect(detailsScore(1, 3)).toBeCloseTo(2 / 3);
    expect(detailsScore(0, 0)).toBeNull();
    // M = 0: an answer saying none scores 1; one naming a detail (even "No Lambda details are provided") 0.
    expect(noDetailsScore({ present: [], missing: ['runtime'] })).toBe(1);
    expect(noDetailsScore({ present: ['No Lambda function details are provided'], missing: [] })).toBe(0);
    // A ticket whose gold label says it has no details opens with none expected.
    expect(defaultExpected(it, { has: true, value: false, hidden: false, history: [] })).toEqual([]);
    expect(defaultExpected(it, { has: false, value: null, hidden: true, history: [] })).toEqual(['Region', 'error']);
    const scored = item('platform', ['aws', 'gcp', 'aws']);
    scored.answers[1]!.mine = mine(1);
    expect(nextUnscored(scored, 0)).toBe(2);
    expect(nextUnscored(scored, 2)).toBe(0);
  });
});

describe('review store', () => {
  it('scores the current answer where the cursor is (Tab moves on), shows a score before replacing it, and Enter goes to the next item in order', async () => {
    const t = fakeTransport();
    const items = [0, 1, 2].map((p) =>
      item('severity', ['low', 'high', 'urgent'], { position: p, prevPosition: p ? p - 1 : null, nextPosition: p < 2 ? p + 1 : null }),
    );
    const sent: Array<{ slot: string; score: number; note?: string }> = [];
    const opened: Array<number | undefined> = [];
    t.on('reviews.overview', () => ({ ok: true, data: { me: 'alice', reviewers: ['alice'], queues: [] } }));
    t.on('reviews.open', (i) => {
      const pos = (i as { position?: number }).position;
      opened.push(pos);
      // Without a position the host opens the first unfinished item.
      return { ok: true, data: screen(items[pos ?? items.findIndex((x) => !x.done)]!) };
    });
    t.on('reviews.score', (i) => {
      const x = i as { position: number; slot: string; score: number };
      sent.push(i as (typeof sent)[number]);
      if (x.score === 2)
        return { ok: false, error: { code: 'BAD_INPUT', message: 'severity is scored 0, 0.5 or 1 (exact, one level off, otherwise)' } };
      let it = items[x.position]!;
      it = { ...it, answers: it.answers.map((a) => (a.slot === x.slot ? { ...a, mine: mine(x.score) } : a)) };
      const done = it.answers.every((a) => a.mine);
      items[x.position] = it = {
        ...it,
        done,
        revealed: done,
        answers: done ? it.answers.map((a, k) => ({ ...a, model: `m:${k}` })) : it.answers,
      };
      return { ok: true, data: screen(it) };
    });
    const s = createReviewStore(t);
    const a = s.getState().actions;
    const cur = () => s.getState().screens.q1!;
    await a.refresh();
    await a.open('q1');
    await a.score('q1', 2);
    expect(cur().refusal).toMatch(/severity is scored 0, 0.5 or 1/);
    await a.score('q1', 0);
    // The cursor stays on A: the documented Tab goes to B, not past it.
    expect(cur().cursor).toBe(0);
    expect(cur().hint).toMatch(/A scored 0\. Tab or Enter: next answer/);
    a.moveAnswer('q1', 1);
    expect(cur().cursor).toBe(1);
    a.setNote('q1', 'B', 'one level too low');
    await a.score('q1', 0.5);
    expect(sent.at(-1)).toMatchObject({ slot: 'B', score: 0.5, note: 'one level too low' });
    // A later key on the scored B does not overwrite it: it shows the score; the same key again changes it.
    const before = sent.length;
    await a.score('q1', 1);
    expect(sent.length).toBe(before);
    expect(cur().pendingRescore).toEqual({ slot: 'B', score: 1 });
    expect(cur().hint).toMatch(/B is scored ½ .*Press 1 again to change it to 1/);
    await a.score('q1', 1);
    expect(sent.at(-1)).toMatchObject({ slot: 'B', score: 1 });
    expect(cur().hint).toMatch(/B changed from ½ to 1/);
    // Enter on a scored answer goes to the next unscored one.
    await a.confirm('q1');
    expect(cur().cursor).toBe(2);
    await a.score('q1', 1);
    expect(cur().hint).toMatch(/models revealed/);
    await a.confirm('q1');
    expect(opened.at(-1)).toBe(1);
    // Skip item 2 (j), finish item 3: Enter does not pull back to the skipped item 2 ...
    await a.moveItem('q1', 1);
    const v = cur().view;
    expect(v?.state === 'item' && v.item.position).toBe(2);
    for (const i of [0, 1, 2]) {
      a.setCursor('q1', i);
      await a.score('q1', 1);
    }
    await a.confirm('q1');
    // ... until the end of the queue: then the first item of the share still unfinished.
    expect(opened.at(-1)).toBeUndefined();
    const w = cur().view;
    expect(w?.state === 'item' && w.item.position).toBe(1);
  });

  it('writes a gold label only after it was shown and confirmed; editing or Esc drops the confirmation; undo reports the label', async () => {
    const t = fakeTransport();
    const it = item('asset_ids', [['a'], ['b'], []]);
    t.on('reviews.overview', () => ({ ok: true, data: { me: 'alice', reviewers: [], queues: [] } }));
    t.on('reviews.open', () => ({ ok: true, data: screen(it) }));
    const gold: unknown[] = [];
    t.on('reviews.scoreFromCorrect', (i) => {
      gold.push(i);
      const done = { ...it, done: true, answers: it.answers.map((a) => ({ ...a, mine: mine(0) })) };
      return {
        ok: true,
        data: {
          item: done,
          gold: { has: true, value: ['n'], hidden: false, history: [] },
          goldChanged: true,
          scored: ['A', 'B', 'C'],
          refused: [],
          kept: [],
        },
      };
    });
    t.on('reviews.undo', () => ({
      ok: true,
      data: { undone: { slot: 'A', slots: ['A', 'B', 'C'], score: 0, position: 0, gold: { restored: 1, kept: 0 } }, screen: screen(it) },
    }));
    const s = createReviewStore(t);
    const a = s.getState().actions;
    const cur = () => s.getState().screens.q1!;
    await a.refresh();
    await a.open('q1');
    a.setCorrect('q1', 'n');
    await a.applyCorrect('q1');
    expect(gold).toEqual([]);
    expect(cur().goldConfirm).toEqual({ value: ['n'], shown: 'n' });
    a.setCorrect('q1', 'n2');
    expect(cur().goldConfirm).toBeNull();
    await a.applyCorrect('q1');
    a.cancelGold('q1');
    expect(cur().goldConfirm).toBeNull();
    expect(gold).toEqual([]);
    await a.applyCorrect('q1');
    await a.applyCorrect('q1');
    expect(gold).toEqual([{ queueId: 'q1', position: 0, reviewer: 'alice', correctValue: ['n2'], confirmed: true }]);
    expect(cur().hint).toMatch(/Gold label set to n2; scored A, B, C from it/);
    await a.undo('q1');
    expect(cur().hint).toBe('Took back the scores of A, B, C and the gold label (put back as it was)');
  });

  it('technical details on a ticket with none: x sets M = 0, then Enter and 1 score 1 an answer that says none, 0 one that invents some', async () => {
    const t = fakeTransport();
    const it = item('technical_details', [
      { present: [], missing: ['function name'] },
      { present: ['No Lambda function details are provided'], missing: [] },
    ]);
    t.on('reviews.overview', () => ({ ok: true, data: { me: 'alice', reviewers: [], queues: [] } }));
    t.on('reviews.open', () => ({ ok: true, data: screen(it) }));
    const sent: Array<Record<string, unknown>> = [];
    t.on('reviews.score', (i) => {
      const x = i as Record<string, unknown>;
      sent.push(x);
      if (x.slot === 'B' && x.score === 1)
        return {
          ok: false,
          error: { code: 'BAD_INPUT', message: 'score 1 contradicts M = 0: the answer names "No Lambda function details are provided"' },
        };
      return {
        ok: true,
        data: screen({
          ...it,
          answers: it.answers.map((a) =>
            a.slot === x.slot ? { ...a, mine: mine(x.score as number, { missing: x.missing, expected: x.expected }) } : a,
          ),
        }),
      };
    });
    const s = createReviewStore(t);
    const a = s.getState().actions;
    await a.refresh();
    await a.open('q1');
    // The invented detail is suggested; x says the ticket has none.
    expect(s.getState().screens.q1!.expected).toEqual(['No Lambda function details are provided']);
    a.toggleNoDetails('q1');
    expect(s.getState().screens.q1!.expected).toEqual([]);
    await a.confirm('q1');
    expect(sent.at(-1)).toMatchObject({ slot: 'A', expected: [], missing: [], score: 1 });
    expect(s.getState().screens.q1!.cursor).toBe(1);
    // `1` (the first detail key) scores when nothing is expected: sent as given, the host's rubric decides.
    a.toggleMissed('q1', 0);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.at(-1)).toMatchObject({ slot: 'B', expected: [], missing: [], score: 1 });
    expect(s.getState().screens.q1!.refusal).toMatch(/contradicts M = 0/);
    await a.confirm('q1');
    expect(sent.at(-1)).toMatchObject({ slot: 'B', expected: [], missing: [], score: 0 });
    // x again brings the list back.
    a.toggleNoDetails('q1');
    expect(s.getState().screens.q1!.expected).toEqual(['No Lambda function details are provided']);
  });

  it('documents in the ? sheet every key the screen reads', () => {
    const documented = new Set(REVIEW_KEYS.flatMap((g) => g.rows.flatMap(([, keys]) => keys)).map((k) => k.toLowerCase()));
    for (const k of ['1', '0', '5', 'x', 'u', 'tab', 'enter', 'j', 'k', 'e', 'n', 'd', 'g', '?', 'shift+r'])
      expect(documented.has(k), k).toBe(true);
    for (const k of ['x', 'g', 'u', 'e', 'n', 'd', 'j', 'k', '?', 'Tab', 'Enter'])
      expect(reviewKeyAction(key(k), k === 'x' || k === 'd' ? 'technical_details' : 'platform'), k).not.toBeNull();
  });

  it('technical details: digits tick missed details, Enter sends expected and missing with 1 − missed/M', async () => {
    const t = fakeTransport();
    const it = item('technical_details', [
      { present: ['region', 'error'], missing: [] },
      { present: ['error'], missing: [] },
    ]);
    t.on('reviews.overview', () => ({ ok: true, data: { me: 'alice', reviewers: [], queues: [] } }));
    t.on('reviews.open', () => ({ ok: true, data: screen(it) }));
    let sent: Record<string, unknown> = {};
    t.on('reviews.score', (i) => {
      sent = i as Record<string, unknown>;
      return {
        ok: true,
        data: screen({
          ...it,
          answers: it.answers.map((a) =>
            a.slot === sent.slot ? { ...a, mine: mine(sent.score as number, { missing: sent.missing, expected: sent.expected }) } : a,
          ),
        }),
      };
    });
    const s = createReviewStore(t);
    const a = s.getState().actions;
    await a.refresh();
    await a.open('q1');
    expect(s.getState().screens.q1!.expected).toEqual(['region', 'error']);
    expect(s.getState().screens.q1!.missed).toEqual({ A: [], B: ['region'] });
    a.toggleMissed('q1', 1);
    expect(s.getState().screens.q1!.missed.A).toEqual(['error']);
    a.toggleMissed('q1', 5);
    expect(s.getState().screens.q1!.refusal).toMatch(/there are 2 expected details/);
    await a.confirm('q1');
    expect(sent).toMatchObject({ slot: 'A', expected: ['region', 'error'], missing: ['error'], score: 0.5 });
    expect(s.getState().screens.q1!.cursor).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { ReviewItemView, ReviewScreenView } from '../../../../shared/review.ts';
import type { TaskId } from '../../../../shared/tasks.ts';
import { fakeTransport } from '../../platform/fakeTransport.ts';
import { createReviewStore } from './reviewStore.ts';
import { defaultExpected, defaultMissed, detailsScore, nextUnscored, parseCorrectValue, reviewKeyAction } from './screenModel.ts';

const key = (k: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

function item(task: TaskId, values: unknown[], over: Partial<ReviewItemView> = {}): ReviewItemView {
  return {
    queueId: 'q1', queueName: 'q', reviewer: 'alice', position: 0, total: 2, dealt: true, prevPosition: null, nextPosition: 1,
    progress: { done: 0, assigned: 2 }, ticket: { id: 'T1', title: null, text: 'ticket' }, task, question: '?',
    rubric: { task, label: task, kind: task === 'severity' ? 'severity' : task === 'technical_details' ? 'details' : 'exact', scores: task === 'technical_details' ? null : task === 'severity' ? [0, 0.5, 1] : [0, 1], help: '' },
    blind: true, revealed: false, seed: 1, detailSuggestions: [], done: false,
    answers: values.map((value, i) => ({ slot: (['A', 'B', 'C'] as const)[i]!, value, model: null, mine: null })),
    ...over,
  };
}
const screen = (it: ReviewItemView): ReviewScreenView => ({ state: 'item', item: it, gold: { has: false, value: null } });
const mine = (score: number, extra: object = {}) => ({ reviewId: 1, score, missing: null, expected: null, note: null, scoredAt: '2026-11-25T10:00:00Z', ...extra });

describe('review screen keys and rules', () => {
  it('maps keys to the rubric by task: 0/1 and ½ for exact and severity, 1–9 tick details, moves, undo, fields', () => {
    expect(reviewKeyAction(key('1'), 'platform')).toEqual({ kind: 'score', score: 1 });
    expect(reviewKeyAction(key('0'), 'severity')).toEqual({ kind: 'score', score: 0 });
    for (const k of ['5', 'h', '½', '.']) expect(reviewKeyAction(key(k), 'severity')).toEqual({ kind: 'score', score: 0.5 });
    // Any other digit is sent as given and refused by the rubric with its reason.
    expect(reviewKeyAction(key('2'), 'platform')).toEqual({ kind: 'score', score: 2 });
    expect(reviewKeyAction(key('3'), 'technical_details')).toEqual({ kind: 'toggleMissed', index: 2 });
    expect(reviewKeyAction(key('0'), 'technical_details')).toBeNull();
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
    const it = item('technical_details', [{ present: ['Region', 'error'], missing: [] }, { present: ['error'], missing: [] }, { present: [], missing: ['x'] }]);
    expect(defaultExpected(it)).toEqual(['Region', 'error']);
    expect(defaultMissed(it.answers[1]!.value, ['Region', 'error'])).toEqual(['Region']);
    expect(defaultMissed({ present: ['region'], missing: [] }, ['Region'])).toEqual([]);
    expect(detailsScore(1, 3)).toBeCloseTo(2 / 3);
    expect(detailsScore(0, 0)).toBeNull();
    const scored = item('platform', ['aws', 'gcp', 'aws']);
    scored.answers[1]!.mine = mine(1);
    expect(nextUnscored(scored, 0)).toBe(2);
    expect(nextUnscored(scored, 2)).toBe(0);
  });
});

describe('review store', () => {
  it('scores the current answer, moves to the next unscored one, shows a refusal as given, and advances when all are scored', async () => {
    const t = fakeTransport();
    let it = item('severity', ['low', 'high', 'urgent']);
    const sent: unknown[] = [];
    t.on('reviews.overview', () => ({ ok: true, data: { me: 'alice', reviewers: ['alice'], queues: [] } }));
    t.on('reviews.open', (i) => {
      const pos = (i as { position?: number }).position;
      return { ok: true, data: screen(pos === undefined && it.answers.every((a) => a.mine) ? { ...it, position: 1, answers: it.answers.map((a) => ({ ...a, mine: null })) } : it) };
    });
    t.on('reviews.score', (i) => {
      const x = i as { slot: string; score: number };
      sent.push(i);
      if (x.score === 2) return { ok: false, error: { code: 'BAD_INPUT', message: 'severity is scored 0, 0.5 or 1 (exact, one level off, otherwise)' } };
      it = { ...it, answers: it.answers.map((a) => (a.slot === x.slot ? { ...a, mine: mine(x.score) } : a)) };
      const done = it.answers.every((a) => a.mine);
      it = { ...it, done, revealed: done, answers: done ? it.answers.map((a, k) => ({ ...a, model: `m:${k}` })) : it.answers };
      return { ok: true, data: screen(it) };
    });
    const s = createReviewStore(t);
    const a = s.getState().actions;
    await a.refresh();
    await a.open('q1');
    expect(s.getState().screens.q1!.cursor).toBe(0);
    await a.score('q1', 2);
    expect(s.getState().screens.q1!.refusal).toMatch(/severity is scored 0, 0.5 or 1/);
    expect(s.getState().screens.q1!.cursor).toBe(0);
    await a.score('q1', 0);
    expect(s.getState().screens.q1!.cursor).toBe(1);
    expect(s.getState().screens.q1!.refusal).toBeNull();
    a.setNote('q1', 'B', 'one level too low');
    await a.score('q1', 0.5);
    expect(sent.at(-1)).toMatchObject({ slot: 'B', score: 0.5, note: 'one level too low' });
    await a.score('q1', 1);
    expect(s.getState().screens.q1!.hint).toMatch(/models revealed/);
    await a.confirm('q1');
    const v = s.getState().screens.q1!.view;
    expect(v?.state === 'item' && v.item.position).toBe(1);
  });

  it('technical details: digits tick missed details, Enter sends expected and missing with 1 − missed/M', async () => {
    const t = fakeTransport();
    const it = item('technical_details', [{ present: ['region', 'error'], missing: [] }, { present: ['error'], missing: [] }]);
    t.on('reviews.overview', () => ({ ok: true, data: { me: 'alice', reviewers: [], queues: [] } }));
    t.on('reviews.open', () => ({ ok: true, data: screen(it) }));
    let sent: Record<string, unknown> = {};
    t.on('reviews.score', (i) => {
      sent = i as Record<string, unknown>;
      return { ok: true, data: screen({ ...it, answers: it.answers.map((a) => (a.slot === sent.slot ? { ...a, mine: mine(sent.score as number, { missing: sent.missing, expected: sent.expected }) } : a)) }) };
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

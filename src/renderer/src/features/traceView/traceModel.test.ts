import { describe, expect, it } from 'vitest';
import type { SpanNodeView } from '#shared/traceView.ts';
import { nextCall, reviewKey, scoreText } from './traceModel.ts';

const node = (kind: 'call' | 'span'): SpanNodeView => ({
  key: kind,
  depth: 0,
  kind,
  name: kind,
  type: null,
  startMs: 0,
  durationMs: 1,
  status: 'ok',
  call: kind === 'call' ? 0 : null,
  span: null,
});

describe('trace view keys', () => {
  it('j/k skip the spans that are not model calls, and stop at the ends', () => {
    const nodes = [node('span'), node('call'), node('span'), node('span'), node('call')];
    expect(nextCall(nodes, 1, 1)).toBe(4);
    expect(nextCall(nodes, 4, -1)).toBe(1);
    expect(nextCall(nodes, 4, 1)).toBeNull();
    expect(nextCall(nodes, 0, -1)).toBeNull();
  });

  it('review keys give values the focused criterion accepts, nothing else', () => {
    const pf = { id: 'ok', label: 'OK', kind: 'pass_fail' as const };
    const sc = { id: 'q', label: 'Q', kind: 'score' as const };
    const lb = { id: 'l', label: 'L', kind: 'label' as const, labels: ['a', 'b', 'c'] };
    expect(reviewKey('1', false, pf)).toEqual({ kind: 'value', value: true });
    expect(reviewKey('f', false, pf)).toEqual({ kind: 'value', value: false });
    expect(reviewKey('3', false, sc)).toEqual({ kind: 'value', value: 0.75 });
    expect(reviewKey('4', false, sc)).toEqual({ kind: 'value', value: 1 });
    expect(reviewKey('5', false, sc)).toBeNull();
    expect(reviewKey('3', false, lb)).toEqual({ kind: 'value', value: 'c' });
    expect(reviewKey('4', false, lb)).toBeNull();
    expect(reviewKey('Tab', true, pf)).toEqual({ kind: 'criterion', delta: -1 });
    expect(scoreText({ kind: 'score', value: 0.666, note: null })).toBe('0.67');
    expect(scoreText({ kind: 'pass_fail', value: false, note: null })).toBe('fail');
  });
});

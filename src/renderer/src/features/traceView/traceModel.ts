// Pure helpers of the trace view and trace review screen (tested without a browser).
import type { Criterion } from '#shared/traceReview.ts';
import { SCORE_STEPS } from '#shared/traceRubric.ts';
import type { SpanNodeView, TraceScoreView } from '#shared/traceView.ts';

/** The next (dir 1) or previous (dir −1) model call's row from row `from`; null when there is none that way. */
export function nextCall(nodes: readonly SpanNodeView[], from: number, dir: 1 | -1): number | null {
  for (let i = from + dir; i >= 0 && i < nodes.length; i += dir) if (nodes[i]!.kind === 'call') return i;
  return null;
}

export function scoreText(s: Pick<TraceScoreView, 'kind' | 'value' | 'note'>): string {
  if (s.kind === 'note') return 'note';
  if (s.value === true) return 'pass';
  if (s.value === false) return 'fail';
  if (typeof s.value === 'number') return Number.isInteger(s.value) ? String(s.value) : s.value.toFixed(2);
  return s.value === null ? '—' : String(s.value);
}

export type ReviewKey =
  | { kind: 'value'; value: boolean | number | string }
  | { kind: 'criterion'; delta: 1 | -1 }
  | { kind: 'item'; delta: 1 | -1 }
  | { kind: 'confirm' }
  | { kind: 'undo' }
  | { kind: 'note' };

/**
 * What a key does on the trace review screen for the focused criterion: pass/fail 1/p and 0/f,
 * a score 0–4 (quarters of the 0–1 scale), a label 1–9, n for the note; Tab/Shift+Tab between
 * criteria, j/k between items, Enter to the next unscored item, u undo.
 */
export function reviewKey(key: string, shift: boolean, c: Criterion | null): ReviewKey | null {
  if (key === 'Tab') return { kind: 'criterion', delta: shift ? -1 : 1 };
  if (key === 'j') return { kind: 'item', delta: 1 };
  if (key === 'k') return { kind: 'item', delta: -1 };
  if (key === 'Enter') return { kind: 'confirm' };
  if (key === 'u') return { kind: 'undo' };
  if (key === 'n') return { kind: 'note' };
  if (!c) return null;
  if (c.kind === 'pass_fail') {
    if (key === '1' || key === 'p') return { kind: 'value', value: true };
    if (key === '0' || key === 'f') return { kind: 'value', value: false };
  } else if (c.kind === 'score') {
    const d = Number(key);
    if (/^[0-4]$/.test(key)) return { kind: 'value', value: SCORE_STEPS[d]! };
  } else if (c.kind === 'label') {
    const d = Number(key);
    if (/^[1-9]$/.test(key) && c.labels && d <= c.labels.length) return { kind: 'value', value: c.labels[d - 1]! };
  }
  return null;
}

// The review screen's rules that are not drawing: which answer the cursor goes to, the details a
// reviewer expects and which each answer missed, how a typed correct value reads, and which key
// does what (one table feeds the key handler and the `?` sheet).
import type { GoldLabelView, ReviewItemView, Slot } from '#shared/review.ts';
import { SEVERITIES, type TaskId } from '#shared/tasks.ts';
import { asTechnicalDetails } from '../ticket/format.ts';

/** The first answer this reviewer has not scored, else the first answer. */
export function firstUnscored(item: ReviewItemView): number {
  const i = item.answers.findIndex((a) => a.mine === null);
  return Math.max(i, 0);
}

/** The next unscored answer after `from` (wrapping), or null when every answer is scored. */
export function nextUnscored(item: ReviewItemView, from: number): number | null {
  const n = item.answers.length;
  for (let d = 1; d <= n; d++) {
    const i = (from + d) % n;
    if (item.answers[i]!.mine === null) return i;
  }
  return null;
}

const key = (s: string): string => s.trim().toLowerCase();
const uniq = (xs: string[]): string[] => {
  const seen = new Set<string>();
  return xs.map((x) => x.trim()).filter((x) => x !== '' && !seen.has(key(x)) && (seen.add(key(x)), true));
};

/** Details the answers say the ticket carries, in order of appearance. */
export function presentDetails(item: ReviewItemView): string[] {
  return uniq(item.answers.flatMap((a) => asTechnicalDetails(a.value)?.present ?? []));
}

/**
 * The details the reviewer expects (M) when the item opens: what they listed when they scored here
 * before (none, M = 0, included); else none when the ticket's gold label (shown) says it has no
 * details; else every detail an answer says the ticket carries (the reviewer unticks the wrong
 * ones, or presses x for a ticket with none).
 */
export function defaultExpected(item: ReviewItemView, gold?: GoldLabelView | null): string[] {
  const mine = item.answers.find((a) => a.mine?.expected)?.mine?.expected;
  if (mine) return [...mine];
  if (gold && !gold.hidden && gold.has && gold.value === false) return [];
  return presentDetails(item);
}

/** A technical-details answer's score on a ticket with none (M = 0): 1 when it says none, 0 when it names some. */
export function noDetailsScore(value: unknown): number {
  return (asTechnicalDetails(value)?.present ?? []).some((d) => d.trim() !== '') ? 0 : 1;
}

/** Details to choose the expected ones from: the expected ones first, then the core's suggestions. */
export function detailChoices(item: ReviewItemView, expected: readonly string[]): string[] {
  return uniq([...expected, ...presentDetails(item), ...item.detailSuggestions]);
}

/** The expected details an answer does not name (its present or missing list), as a first guess of what it missed. */
export function defaultMissed(value: unknown, expected: readonly string[]): string[] {
  const td = asTechnicalDetails(value);
  const named = new Set([...(td?.present ?? [])].map(key));
  return expected.filter((d) => !named.has(key(d)));
}

/** 1 − missed/M, never below 0; null when nothing is expected (M = 0). */
export function detailsScore(missed: number, expected: number): number | null {
  if (expected < 1) return null;
  return Math.max(0, 1 - missed / expected);
}

/** The key that gives a score: 1, 0, 5 (½). */
export const scoreKey = (s: number): string => (s === 0.5 ? '5' : String(s));

/** A score as the screen shows it: 1, ½, 0, 0.67. */
export function showScore(s: number): string {
  if (s === 0.5) return '½';
  return Number.isInteger(s) ? String(s) : s.toFixed(2);
}

export type CorrectParse = { kind: 'empty' } | { kind: 'ok'; value: unknown } | { kind: 'bad'; reason: string };

/** Whether a task takes a typed correct value (technical details are scored from the expected list). */
export const takesCorrectValue = (task: TaskId): boolean => task !== 'technical_details';

/** The hint beside the correct-value field. */
export function correctHint(task: TaskId): string {
  switch (task) {
    case 'platform':
      return 'aws, gcp, azure, other:<vendor>, or none';
    case 'product':
      return 'the service name, or none';
    case 'severity':
      return SEVERITIES.join(', ');
    case 'asset_ids':
      return 'ids separated by commas or spaces, or none';
    case 'technical_details':
      return '';
  }
}

/** Reads what the reviewer typed as the task's correct value ("none" is the empty answer). */
export function parseCorrectValue(task: TaskId, text: string): CorrectParse {
  const t = text.trim();
  if (t === '') return { kind: 'empty' };
  const none = /^(none|null|no|-)$/i.test(t);
  switch (task) {
    case 'platform':
      return { kind: 'ok', value: none ? null : t.toLowerCase() };
    case 'product':
      return { kind: 'ok', value: none ? null : t };
    case 'severity': {
      const s = t.toLowerCase();
      return (SEVERITIES as readonly string[]).includes(s)
        ? { kind: 'ok', value: s }
        : { kind: 'bad', reason: `the correct severity is one of ${SEVERITIES.join(', ')}` };
    }
    case 'asset_ids':
      return { kind: 'ok', value: none ? [] : uniq(t.split(/[\s,;]+/)) };
    case 'technical_details':
      return { kind: 'bad', reason: 'technical details are scored from the details you expect, not a typed value' };
  }
}

/** A correct value as the field shows it again (the gold label). */
export function showCorrectValue(v: unknown): string {
  if (v === null) return 'none';
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'none';
  if (typeof v === 'boolean') return v ? 'has details' : 'no details';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

// ---- keys ----

export type ReviewKeyAction =
  | { kind: 'score'; score: number }
  | { kind: 'toggleMissed'; index: number }
  | { kind: 'confirm' }
  | { kind: 'answer'; delta: 1 | -1 }
  | { kind: 'item'; delta: 1 | -1 }
  | { kind: 'undo' }
  | { kind: 'focusCorrect' }
  | { kind: 'focusNote' }
  | { kind: 'focusDetails' }
  | { kind: 'noDetails' }
  | { kind: 'history' }
  | { kind: 'results' }
  | { kind: 'help' };

export interface KeyEventLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * What a key does on the review screen. Scores: 1 and 0, and ½ as `5`, `h`, `.` or `½` (exact
 * tasks take 0/1, severity 0/½/1; other digits are sent and refused with the rubric's reason).
 * Technical details: 1–9 tick the n-th expected detail as missed by the current answer; with no
 * expected details (M = 0) 1 and 0 score it (the store decides, as it knows M); x: "none".
 */
export function reviewKeyAction(e: KeyEventLike, task: TaskId): ReviewKeyAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const k = e.key;
  if (k === 'Tab') return { kind: 'answer', delta: e.shiftKey ? -1 : 1 };
  if (k === 'ArrowRight') return { kind: 'answer', delta: 1 };
  if (k === 'ArrowLeft') return { kind: 'answer', delta: -1 };
  if (k === 'j' || k === 'ArrowDown') return { kind: 'item', delta: 1 };
  if (k === 'k' || k === 'ArrowUp') return { kind: 'item', delta: -1 };
  if (k === 'Enter') return { kind: 'confirm' };
  if (k === 'u') return { kind: 'undo' };
  if (k === '?') return { kind: 'help' };
  if (k === 'e' && takesCorrectValue(task)) return { kind: 'focusCorrect' };
  if (k === 'n') return { kind: 'focusNote' };
  if (k === 'd' && task === 'technical_details') return { kind: 'focusDetails' };
  if (k === 'R') return { kind: 'results' };
  if (k === 'g') return { kind: 'history' };
  if (task === 'technical_details') {
    if (/^[1-9]$/.test(k)) return { kind: 'toggleMissed', index: Number(k) - 1 };
    if (k === '0') return { kind: 'score', score: 0 };
    if (k === 'x') return { kind: 'noDetails' };
    return null;
  }
  if (k === '½' || k === 'h' || k === '.') return { kind: 'score', score: 0.5 };
  if (/^[0-9]$/.test(k)) return { kind: 'score', score: k === '5' ? 0.5 : Number(k) };
  return null;
}

/** The `?` sheet of the review screen (the same keys reviewKeyAction reads; README's review section lists them too). */
export const REVIEW_KEYS: Array<{ group: string; rows: Array<[string, string[]]> }> = [
  {
    group: 'Score the current answer (the cursor stays on it)',
    rows: [
      ['Right (1)', ['1']],
      ['Wrong (0)', ['0']],
      ['One severity level off (½)', ['5', 'H', '½']],
      ['An answer already scored: the first press shows its score, the same key again changes it', ['1', '0', '5']],
      ['Technical details: tick the n-th expected detail as missed', ['1', '…', '9']],
      ['Technical details: the ticket has none (M = 0) — then 1 = says none, 0 = names some; again: the list back', ['X']],
      ['Take back your last action in this queue (a score, or a gold label with the scores it gave)', ['U']],
    ],
  },
  {
    group: 'Move',
    rows: [
      ['Next / previous answer', ['Tab', '→', 'Shift+Tab', '←']],
      ['Go on: save the ticked details, then the next unscored answer; all scored: the next item', ['Enter']],
      ['Next / previous item', ['J', '↓', 'K', '↑']],
    ],
  },
  {
    group: 'Fields (keys do nothing while you type; Esc leaves the field)',
    rows: [
      ['Correct value: Enter shows the gold label it writes, Enter again confirms (scores the unscored answers); Esc cancels', ['E']],
      ['Note on the current answer (Enter saves it with the score)', ['N']],
      ['Technical details: the details you expect (Space ticks, Esc returns)', ['D']],
    ],
  },
  {
    group: 'Other',
    rows: [
      ['Gold label history (who, when, from what; put a value back) — hidden while a blind item is unscored', ['G']],
      ['Results of this queue', ['Shift+R']],
      ['This sheet', ['?']],
    ],
  },
];

/** The slot letter of an answer index. */
export const slotAt = (item: ReviewItemView, i: number): Slot | null => item.answers[i]?.slot ?? null;

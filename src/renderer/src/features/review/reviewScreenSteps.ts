// What each key or click on a review screen does to it before (or instead of) asking the host: a
// change to show, a score to send, an item to open. Pure, like reviewScreenState.ts; the store acts on them.
import type { ReviewItemView, Slot } from '#shared/review.ts';
import { itemOf, type ScreenState } from './reviewScreenState.ts';
import {
  defaultMissed,
  detailsScore,
  nextUnscored,
  noDetailsScore,
  parseCorrectValue,
  scoreKey,
  showCorrectValue,
  showScore,
  slotAt,
} from './screenModel.ts';

/** What a score sends besides the answer it is for (technical details: the list and the ticks). */
export interface ScoreExtra {
  score?: number;
  expected?: string[];
  missing?: string[];
}

/** Technical details: what the current answer's score would be with the current list (M = 0: says none → 1, names some → 0). */
function detailsPending(s: ScreenState, item: ReviewItemView): { expected: string[]; missing: string[]; score: number } | null {
  const a = item.answers[s.cursor];
  if (!a) return null;
  if (s.expected.length === 0) return { expected: [], missing: [], score: noDetailsScore(a.value) };
  const missing = s.missed[a.slot] ?? [];
  return { expected: s.expected, missing, score: detailsScore(missing.length, s.expected.length) ?? 0 };
}

/**
 * A score key on the current answer: a change to show (refused, already given, or asking for a
 * second press before replacing another score), or the score to send; null when there is nothing
 * to score.
 */
export function scorePress(
  s: ScreenState,
  score: number,
  confirmed: boolean,
): { patch: Partial<ScreenState> } | { send: ScoreExtra } | null {
  const item = itemOf(s);
  const a = item?.answers[s.cursor];
  if (!item || !a || s.busy) return null;
  const isDetails = item.task === 'technical_details';
  if (isDetails && s.expected.length > 0) {
    return {
      patch: {
        refusal: `technical details with expected details are scored by ticking those the answer missed (1–9), then Enter; 1 and 0 score a ticket with none (x: M = 0)`,
        hint: null,
      },
    };
  }
  if (a.mine && Math.abs(a.mine.score - score) < 1e-9 && !(isDetails && a.mine.expected?.length)) {
    return { patch: { hint: `${a.slot} is already scored ${showScore(score)}`, refusal: null, pendingRescore: null } };
  }
  // Never replace a score unseen: the first press shows it, a second press of the same key changes it.
  if (a.mine && !confirmed && !(s.pendingRescore?.slot === a.slot && s.pendingRescore.score === score)) {
    return {
      patch: {
        pendingRescore: { slot: a.slot, score },
        refusal: null,
        hint: `${a.slot} is scored ${showScore(a.mine.score)} (${new Date(a.mine.scoredAt).toLocaleTimeString()}). Press ${scoreKey(score)} again to change it to ${showScore(score)}`,
      },
    };
  }
  return { send: isDetails ? { expected: [], missing: [], score } : { score } };
}

/** Technical details, `x`: the ticket has no details (M = 0), or back to the list it had. */
export function noDetailsToggled(s: ScreenState): Partial<ScreenState> | null {
  const item = itemOf(s);
  if (item?.task !== 'technical_details') return null;
  if (s.expected.length > 0) {
    return {
      expected: [],
      expectedBeforeNone: s.expected,
      missed: Object.fromEntries(item.answers.map((a) => [a.slot, []])),
      refusal: null,
      hint: 'No technical details (M = 0): an answer that says none scores 1, one that names some scores 0. Enter saves; x brings the list back',
    };
  }
  const back = s.expectedBeforeNone ?? [];
  const missed: ScreenState['missed'] = {};
  for (const a of item.answers) missed[a.slot] = a.mine?.missing?.filter((d) => back.includes(d)) ?? defaultMissed(a.value, back);
  return {
    expected: back,
    expectedBeforeNone: null,
    missed,
    refusal: null,
    hint: back.length ? `Expected details back: M = ${back.length}` : 'List the details you expect (d)',
  };
}

/**
 * Technical details: ticks/unticks the n-th expected detail as missed by the current answer.
 * 'score-1' when no details are expected and the key is 1 (the answer rightly says none).
 */
export function missedToggled(s: ScreenState, index: number): Partial<ScreenState> | 'score-1' | null {
  const item = itemOf(s);
  if (item?.task !== 'technical_details') return null;
  const detail = s.expected[index];
  const slot = slotAt(item, s.cursor);
  if (!slot) return null;
  if (detail === undefined) {
    // No expected details (M = 0): 1 is the score "the answer rightly says none".
    if (s.expected.length === 0 && index === 0) return 'score-1';
    return {
      refusal: s.expected.length
        ? `there are ${s.expected.length} expected details; ${index + 1} is not one`
        : 'no details are expected (M = 0): 1 or 0 scores the answer; d lists details',
      hint: null,
    };
  }
  const cur = s.missed[slot] ?? [];
  const next = cur.includes(detail) ? cur.filter((d) => d !== detail) : [...cur, detail];
  return {
    missed: { ...s.missed, [slot]: next },
    refusal: null,
    hint: `${slot}: ${cur.includes(detail) ? 'named' : 'missed'} “${detail}”`,
  };
}

/** Technical details: adds or drops an expected detail, and the answers' ticks with it. */
export function expectedToggled(s: ScreenState, detail: string): Partial<ScreenState> | null {
  const item = itemOf(s);
  if (!item) return null;
  const on = s.expected.includes(detail);
  const expected = on ? s.expected.filter((d) => d !== detail) : [...s.expected, detail];
  const missed = { ...s.missed };
  for (const a of item.answers) {
    const m = (missed[a.slot] ?? []).filter((d) => expected.includes(d));
    // A newly expected detail counts as missed by answers that do not name it (until they are scored).
    if (!on && !a.mine && defaultMissed(a.value, [detail]).length) m.push(detail);
    missed[a.slot] = m;
  }
  return { expected, missed, refusal: null };
}

/**
 * Enter on the screen: send the current answer's changed details score, show what is missing, go
 * to the next unscored answer, or open the next item (`open`: its position; null: the reviewer's
 * first unfinished item). Null when there is nothing to do.
 */
export function confirmStep(s: ScreenState): { send: ScoreExtra } | { patch: Partial<ScreenState> } | { open: number | null } | null {
  const item = itemOf(s);
  if (!item || s.busy) return null;
  const a = item.answers[s.cursor];
  if (!a) return null;
  if (item.task === 'technical_details') {
    const p = detailsPending(s, item);
    const changed =
      !a.mine ||
      JSON.stringify([...(a.mine.missing ?? [])].sort()) !== JSON.stringify([...(p?.missing ?? [])].sort()) ||
      JSON.stringify(a.mine.expected ?? []) !== JSON.stringify(s.expected);
    // The card shows the saved score and the one Enter gives ("changed: Enter saves") before this.
    if (changed && p) return { send: p };
  } else if (!a.mine) {
    return { patch: { hint: `Score ${a.slot} first: ${item.rubric.scores?.map(showScore).join(' / ')}`, refusal: null } };
  }
  const n = nextUnscored(item, s.cursor);
  if (n !== null) return { patch: { cursor: n, refusal: null, hint: null, pendingRescore: null } };
  // Every answer is scored: on to the next item in queue order (a skipped item does not pull
  // you back); after the last one, to the first item of your share still unfinished, or "done".
  return { open: item.nextPosition };
}

/** Moves the cursor to the next or previous answer (wrapping). */
export function answerMoved(s: ScreenState, delta: 1 | -1): Partial<ScreenState> | null {
  const item = itemOf(s);
  if (!item) return null;
  const n = item.answers.length;
  return { cursor: (s.cursor + delta + n) % n, refusal: null, pendingRescore: null };
}

/** The next or previous item in queue order to open, or the hint that there is none. */
export function itemStep(s: ScreenState, delta: 1 | -1): { patch: Partial<ScreenState> } | { open: number } | null {
  const item = itemOf(s);
  if (!item) return null;
  const to = delta > 0 ? item.nextPosition : item.prevPosition;
  if (to === null) {
    return {
      patch: {
        hint: delta > 0 ? 'This is your last item in this queue' : 'This is your first item in this queue',
        refusal: null,
      },
    };
  }
  return { open: to };
}

/**
 * Enter in the correct-value field: a change to show (the value refused, or shown for
 * confirmation), or the confirmed value to write; null when the field is empty.
 */
export function correctStep(
  s: ScreenState,
  item: ReviewItemView,
): { patch: Partial<ScreenState> } | { write: { value: unknown; shown: string } } | null {
  const c = parseCorrectValue(item.task, s.correct);
  if (c.kind === 'empty') return null;
  if (c.kind === 'bad') return { patch: { refusal: c.reason, hint: null, goldConfirm: null } };
  const shown = showCorrectValue(c.value);
  if (!s.goldConfirm || JSON.stringify(s.goldConfirm.value) !== JSON.stringify(c.value)) {
    return { patch: { goldConfirm: { value: c.value, shown }, refusal: null, hint: null } };
  }
  return { write: { value: c.value, shown } };
}

/**
 * Saving the current answer's note: it goes with the answer's score, sent again with the note
 * (`send`), or a hint that the answer has no score yet.
 */
export function noteStep(s: ScreenState): { patch: Partial<ScreenState> } | { send: ScoreExtra; slot: Slot } | null {
  const item = itemOf(s);
  const a = item?.answers[s.cursor];
  if (!item || !a) return null;
  if (!a.mine) return { patch: { hint: `The note goes with ${a.slot}'s score`, focusSeq: s.focusSeq + 1 } };
  const send =
    item.task === 'technical_details'
      ? { expected: a.mine.expected ?? s.expected, missing: a.mine.missing ?? [], score: a.mine.score }
      : { score: a.mine.score };
  return { send, slot: a.slot };
}

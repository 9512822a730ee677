// One open queue's review screen as state (the item, the cursor, the details expected and ticked,
// the drafts, the hints and refusals), and what the host's answers make of it. Pure: the store
// sends the requests and stores these; reviewScreenSteps.ts says what each key does first.
import type { AppErrorShape } from '#shared/errors.ts';
import type { ReviewItemView, ReviewScreenView, ScoreFromCorrectResult, Slot, UndoResult } from '#shared/review.ts';
import { defaultExpected, defaultMissed, firstUnscored, nextUnscored, scoreKey, showCorrectValue, showScore } from './screenModel.ts';

export interface ScreenState {
  queueId: string;
  load: 'loading' | 'ready' | 'error';
  view: ReviewScreenView | null;
  error: AppErrorShape | null;
  /** Why the last score was refused (shown as an alert until the next action). */
  refusal: string | null;
  /** What just happened, in words (screen readers hear it too). */
  hint: string | null;
  /** Index of the current answer. */
  cursor: number;
  /** Technical details: the details the reviewer expects (M), and per answer the ones ticked as missed. */
  expected: string[];
  missed: Partial<Record<Slot, string[]>>;
  correct: string;
  notes: Partial<Record<Slot, string>>;
  busy: boolean;
  /** Bumped to ask the screen to take focus (after it opens or a field is left). */
  focusSeq: number;
  /** A score key pressed on an answer that already has another score: shown, and given only when pressed again. */
  pendingRescore: { slot: Slot; score: number } | null;
  /** The correct value typed and shown for confirmation (Enter again in the field writes the gold label). */
  goldConfirm: { value: unknown; shown: string } | null;
  /** Technical details: the expected list before `x` declared the ticket has none (x again brings it back). */
  expectedBeforeNone: string[] | null;
  /** The gold label's history is open. */
  historyOpen: boolean;
}

export const blankScreen = (queueId: string): ScreenState => ({
  queueId,
  load: 'loading',
  view: null,
  error: null,
  refusal: null,
  hint: null,
  cursor: 0,
  expected: [],
  missed: {},
  correct: '',
  notes: {},
  busy: false,
  focusSeq: 0,
  pendingRescore: null,
  goldConfirm: null,
  expectedBeforeNone: null,
  historyOpen: false,
});

export const itemOf = (s: ScreenState | undefined): ReviewItemView | null => (s?.view?.state === 'item' ? s.view.item : null);

/** The screen after a new view arrives: drafts reset for a new item, kept (and synced) for the same one. */
export function withView(prev: ScreenState, view: ReviewScreenView, opts: { cursor?: number } = {}): ScreenState {
  const base: ScreenState = { ...prev, load: 'ready', view, error: null, busy: false };
  if (view.state !== 'item') return { ...base, cursor: 0 };
  const item = view.item;
  const old = itemOf(prev);
  const same = old !== null && old.queueId === item.queueId && old.position === item.position;
  if (!same) {
    const expected = item.task === 'technical_details' ? defaultExpected(item, view.gold) : [];
    const missed: ScreenState['missed'] = {};
    const notes: ScreenState['notes'] = {};
    for (const a of item.answers) {
      if (item.task === 'technical_details') missed[a.slot] = a.mine?.missing ?? defaultMissed(a.value, expected);
      notes[a.slot] = a.mine?.note ?? '';
    }
    return {
      ...base,
      cursor: opts.cursor ?? firstUnscored(item),
      expected,
      missed,
      notes,
      correct: '',
      pendingRescore: null,
      goldConfirm: null,
      expectedBeforeNone: null,
    };
  }
  // The same item: take the stored ticks and notes of answers just scored.
  const missed = { ...prev.missed };
  const notes = { ...prev.notes };
  for (const a of item.answers) {
    if (a.mine && item.task === 'technical_details' && a.mine.missing) missed[a.slot] = a.mine.missing;
    if (a.mine && a.mine.note !== null) notes[a.slot] = a.mine.note;
  }
  return { ...base, cursor: Math.min(opts.cursor ?? prev.cursor, item.answers.length - 1), missed, notes };
}

/**
 * The screen once a score is saved (`next`: withView of the host's answer): the hint says what
 * changed and what Enter does now; `advance` moves the cursor to the next unscored answer.
 */
export function afterScore(
  next: ScreenState,
  slot: Slot,
  before: number | undefined,
  sent: number | undefined,
  advance: boolean,
): ScreenState {
  const nitem = itemOf(next);
  let cursor = next.cursor;
  const given = nitem?.answers.find((a) => a.slot === slot)?.mine?.score ?? sent;
  let hint =
    given === undefined
      ? `${slot} saved`
      : before !== undefined && before !== given
        ? `${slot} changed from ${showScore(before)} to ${showScore(given)}`
        : `${slot} scored ${showScore(given)}`;
  if (nitem) {
    const n = nextUnscored(nitem, cursor);
    if (n === null)
      hint =
        nitem.revealed && nitem.blind
          ? `${hint}. All answers scored: models revealed. Enter: next item`
          : `${hint}. All answers scored. Enter: next item`;
    else if (advance) cursor = n;
    else hint = `${hint}. Tab or Enter: next answer`;
  }
  return { ...next, cursor, hint };
}

/** The screen after an undo took something back: the cursor on it, its ticks reset, the hint saying what. */
export function afterUndo(cur: ScreenState, undone: NonNullable<UndoResult['undone']>, view: ReviewScreenView): ScreenState {
  const { slot, slots, score, gold } = undone;
  const idx = view.state === 'item' && slot ? view.item.answers.findIndex((a) => a.slot === slot) : -1;
  const next = withView(cur, view, idx >= 0 ? { cursor: idx } : {});
  // The undone answers' ticks go back to the first guess.
  if (view.state === 'item' && view.item.task === 'technical_details') {
    for (const sl of slots) {
      const a = view.item.answers.find((x) => x.slot === sl);
      if (a) next.missed = { ...next.missed, [sl]: defaultMissed(a.value, next.expected) };
    }
  }
  const parts: string[] = [];
  if (slots.length === 1 && score !== null) parts.push(`${slots[0]}'s score ${showScore(score)}`);
  else if (slots.length > 1) parts.push(`the scores of ${slots.join(', ')}`);
  if (gold.restored) parts.push('the gold label (put back as it was)');
  if (gold.kept) parts.push('nothing of the gold label, which was changed since (see its history)');
  return {
    ...next,
    hint: `Took back ${parts.join(' and ') || 'your last action'}`,
    refusal: null,
    pendingRescore: null,
    goldConfirm: null,
  };
}

/** The screen after the gold label was written from the correct value and the answers scored from it. */
export function afterCorrect(cur: ScreenState, data: ScoreFromCorrectResult, shown: string): ScreenState {
  const next = withView(cur, { state: 'item', item: data.item, gold: data.gold });
  const refused = data.refused[0];
  const parts = [data.goldChanged ? `Gold label set to ${shown}` : `Gold label was already ${shown}`];
  if (data.scored.length) parts.push(`scored ${data.scored.join(', ')} from it`);
  for (const k of data.kept)
    parts.push(
      `${k.slot} keeps your ${showScore(k.score)} (the gold label gives ${showScore(k.wouldBe)}: press ${scoreKey(k.wouldBe)} twice on ${k.slot} to change it)`,
    );
  if (data.item.done) parts.push('all answers scored. Enter: next item');
  const n = nextUnscored(data.item, next.cursor);
  return {
    ...next,
    cursor: n ?? next.cursor,
    refusal: refused ? `${refused.slot}: ${refused.reason}` : null,
    hint: `${parts.join('; ')}. u takes it all back`,
    correct: '',
    goldConfirm: null,
    focusSeq: cur.focusSeq + 1,
  };
}

/** The screen after the gold label was put back to its value before a recorded change. */
export function afterRestore(cur: ScreenState, view: ReviewScreenView): ScreenState {
  const g = view.state === 'item' ? view.gold : null;
  return {
    ...withView(cur, view),
    hint: `Gold label put back to ${g?.has ? showCorrectValue(g.value) : 'none set'}. u takes it back`,
    refusal: null,
  };
}

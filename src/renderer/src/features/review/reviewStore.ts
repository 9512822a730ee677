// Manual review in the workbench: the reviewer's name (entered once, remembered by the workspace),
// the queues with progress per reviewer, one screen per open queue (the item, the cursor on an
// answer, the details expected and ticked, the correct-value and note drafts, the last refusal),
// the results, and the JSONL exchange. Every score is sent the moment it is given and committed
// by the host, so closing mid-queue loses nothing; reopening asks for the next unfinished item.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type {
  QueueSpecInput,
  QueueView,
  ReviewExport,
  ReviewImportView,
  ReviewItemView,
  ReviewResultsView,
  ReviewScreenView,
  Slot,
} from '#shared/review.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import {
  defaultExpected,
  defaultMissed,
  detailsScore,
  firstUnscored,
  nextUnscored,
  noDetailsScore,
  parseCorrectValue,
  scoreKey,
  showCorrectValue,
  showScore,
  slotAt,
} from './screenModel.ts';

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

export interface ResultsState {
  /** null: every review in the workspace. */
  queueId: string | null;
  baseline: string | null;
  load: 'idle' | 'loading' | 'ready' | 'error';
  data: ReviewResultsView | null;
  error: AppErrorShape | null;
}

export interface ExchangeState {
  importing: boolean;
  report: ReviewImportView | null;
  reportName: string | null;
  error: AppErrorShape | null;
  exported: { fileName: string; count: number } | null;
}

export interface ReviewState {
  me: string | null;
  reviewers: string[];
  queues: QueueView[];
  loadedOnce: boolean;
  error: AppErrorShape | null;
  /** The new-queue form is open. */
  creating: boolean;
  createError: AppErrorShape | null;
  screens: Record<string, ScreenState>;
  results: ResultsState;
  exchange: ExchangeState;
  /** Bumped to ask the shell's hidden file input to open (import reviews). */
  importSeq: number;
  actions: ReviewActions;
}

export interface ReviewActions {
  refresh(): Promise<void>;
  setMe(name: string): Promise<AppErrorShape | null>;
  openCreate(): void;
  closeCreate(): void;
  createQueue(spec: QueueSpecInput): Promise<QueueView | null>;
  assign(queueId: string, reviewers: string[]): Promise<AppErrorShape | null>;
  /** Opens a queue's screen at a position, or at the reviewer's next unfinished item. */
  open(queueId: string, position?: number): Promise<void>;
  /**
   * Scores the current answer (exact and severity tasks; technical details with no expected
   * details). The cursor stays; an answer that has another score is changed only by a second press.
   */
  score(queueId: string, score: number, opts?: { confirmed?: boolean }): Promise<void>;
  /** Technical details: the ticket has no details (M = 0), or back to the list it had. */
  toggleNoDetails(queueId: string): void;
  /** Technical details: ticks/unticks the n-th expected detail as missed by the current answer. */
  toggleMissed(queueId: string, index: number): void;
  toggleExpected(queueId: string, detail: string): void;
  addExpected(queueId: string, detail: string): void;
  /** Enter: saves the current answer's details score, or moves on (next unscored answer, then next item). */
  confirm(queueId: string): Promise<void>;
  moveAnswer(queueId: string, delta: 1 | -1): void;
  setCursor(queueId: string, index: number): void;
  moveItem(queueId: string, delta: 1 | -1): Promise<void>;
  undo(queueId: string): Promise<void>;
  setCorrect(queueId: string, text: string): void;
  /**
   * Enter in the correct-value field: the first shows the gold label it would write (and what it
   * replaces) for confirmation; the second, with the field still focused, writes it and scores the
   * unscored answers from it.
   */
  applyCorrect(queueId: string): Promise<void>;
  /** Drops a correct value awaiting confirmation (Esc, leaving the field, editing it). */
  cancelGold(queueId: string): void;
  toggleHistory(queueId: string): void;
  /** Puts the gold label back to its value before a recorded change. */
  restoreGold(queueId: string, entryId: number): Promise<void>;
  setNote(queueId: string, slot: Slot, text: string): void;
  /** Saves the note with the current answer's score (when it has one). */
  saveNote(queueId: string): Promise<void>;
  join(queueId: string): Promise<void>;
  requestFocus(queueId: string): void;
  closeScreen(queueId: string): void;
  setResultsScope(patch: { queueId?: string | null; baseline?: string | null }): void;
  loadResults(): Promise<void>;
  exportReviews(queueId: string | null): Promise<ReviewExport | null>;
  requestImport(): void;
  importReviews(name: string, content: string): Promise<void>;
  clearImportReport(): void;
}

export type ReviewStore = StoreApi<ReviewState>;

const blankScreen = (queueId: string): ScreenState => ({
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

const itemOf = (s: ScreenState | undefined): ReviewItemView | null => (s?.view?.state === 'item' ? s.view.item : null);

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

export function createReviewStore(transport: Transport): ReviewStore {
  return createStore<ReviewState>()((set, get) => {
    const screen = (queueId: string): ScreenState => get().screens[queueId] ?? blankScreen(queueId);
    const put = (s: ScreenState): void => set({ screens: { ...get().screens, [s.queueId]: s } });
    const patch = (queueId: string, p: Partial<ScreenState>): void => put({ ...screen(queueId), ...p });
    const me = (): string | null => get().me;

    const sendScore = async (
      queueId: string,
      extra: { score?: number; expected?: string[]; missing?: string[] },
      opts: { advance: boolean },
    ): Promise<boolean> => {
      const s = screen(queueId);
      const item = itemOf(s);
      const reviewer = me();
      if (!item || !reviewer || s.busy) return false;
      const slot = slotAt(item, s.cursor);
      if (!slot) return false;
      const note = s.notes[slot]?.trim();
      const before = item.answers[s.cursor]?.mine?.score;
      put({ ...s, busy: true, refusal: null, pendingRescore: null });
      // A score never carries a correct value: the gold label is written only from its own field, confirmed.
      const r = await transport.request('reviews.score', {
        queueId,
        position: item.position,
        slot,
        reviewer,
        ...extra,
        ...(note ? { note } : {}),
      });
      const cur = screen(queueId);
      if (!r.ok) {
        put({ ...cur, busy: false, refusal: r.error.message, hint: null });
        return false;
      }
      const next = withView(cur, r.data);
      const nitem = itemOf(next);
      let cursor = next.cursor;
      const given = nitem?.answers.find((a) => a.slot === slot)?.mine?.score ?? extra.score;
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
        else if (opts.advance) cursor = n;
        else hint = `${hint}. Tab or Enter: next answer`;
      }
      put({ ...next, cursor, hint });
      void refreshQuiet();
      return true;
    };

    /** Technical details: what the current answer's score would be with the current list (M = 0: says none → 1, names some → 0). */
    const detailsPending = (s: ScreenState, item: ReviewItemView): { expected: string[]; missing: string[]; score: number } | null => {
      const a = item.answers[s.cursor];
      if (!a) return null;
      if (s.expected.length === 0) return { expected: [], missing: [], score: noDetailsScore(a.value) };
      const missing = s.missed[a.slot] ?? [];
      return { expected: s.expected, missing, score: detailsScore(missing.length, s.expected.length) ?? 0 };
    };

    const refreshQuiet = async (): Promise<void> => {
      const r = await transport.request('reviews.overview', {});
      if (r.ok) set({ queues: r.data.queues, reviewers: r.data.reviewers });
    };

    const actions: ReviewActions = {
      async refresh() {
        const r = await transport.request('reviews.overview', {});
        if (r.ok) set({ me: r.data.me, reviewers: r.data.reviewers, queues: r.data.queues, loadedOnce: true, error: null });
        else set({ loadedOnce: true, error: r.error });
      },
      async setMe(name) {
        const r = await transport.request('reviews.setReviewer', { name });
        if (!r.ok) return r.error;
        // Screens were opened for the previous name (the same name again keeps them).
        set(r.data.me === get().me ? { me: r.data.me } : { me: r.data.me, screens: {} });
        void refreshQuiet();
        return null;
      },
      openCreate: () => set({ creating: true, createError: null }),
      closeCreate: () => set({ creating: false, createError: null }),
      async createQueue(spec) {
        const r = await transport.request('reviews.createQueue', spec);
        if (!r.ok) {
          set({ createError: r.error });
          return null;
        }
        set({ creating: false, createError: null, queues: [r.data, ...get().queues.filter((q) => q.id !== r.data.id)] });
        void refreshQuiet();
        return r.data;
      },
      async assign(queueId, reviewers) {
        const r = await transport.request('reviews.assign', { queueId, reviewers });
        if (!r.ok) return r.error;
        set({ queues: get().queues.map((q) => (q.id === queueId ? r.data : q)) });
        void refreshQuiet();
        return null;
      },
      async open(queueId, position) {
        const reviewer = me();
        if (!reviewer) return;
        const prev = screen(queueId);
        put({ ...prev, load: prev.view ? prev.load : 'loading', busy: true });
        const r = await transport.request('reviews.open', position === undefined ? { queueId, reviewer } : { queueId, reviewer, position });
        const cur = screen(queueId);
        if (!r.ok) {
          put({ ...cur, load: cur.view ? 'ready' : 'error', error: r.error, busy: false, refusal: cur.view ? r.error.message : null });
          return;
        }
        put({ ...withView(cur, r.data), refusal: null, hint: null, focusSeq: cur.focusSeq + 1 });
      },
      async score(queueId, score, opts = {}) {
        const s = screen(queueId);
        const item = itemOf(s);
        const a = item?.answers[s.cursor];
        if (!item || !a || s.busy) return;
        const isDetails = item.task === 'technical_details';
        if (isDetails && s.expected.length > 0) {
          patch(queueId, {
            refusal: `technical details with expected details are scored by ticking those the answer missed (1–9), then Enter; 1 and 0 score a ticket with none (x: M = 0)`,
            hint: null,
          });
          return;
        }
        if (a.mine && Math.abs(a.mine.score - score) < 1e-9 && !(isDetails && a.mine.expected?.length)) {
          patch(queueId, { hint: `${a.slot} is already scored ${showScore(score)}`, refusal: null, pendingRescore: null });
          return;
        }
        // Never replace a score unseen: the first press shows it, a second press of the same key changes it.
        if (a.mine && !opts.confirmed && !(s.pendingRescore?.slot === a.slot && s.pendingRescore.score === score)) {
          patch(queueId, {
            pendingRescore: { slot: a.slot, score },
            refusal: null,
            hint: `${a.slot} is scored ${showScore(a.mine.score)} (${new Date(a.mine.scoredAt).toLocaleTimeString()}). Press ${scoreKey(score)} again to change it to ${showScore(score)}`,
          });
          return;
        }
        await sendScore(queueId, isDetails ? { expected: [], missing: [], score } : { score }, { advance: false });
      },
      toggleNoDetails(queueId) {
        const s = screen(queueId);
        const item = itemOf(s);
        if (item?.task !== 'technical_details') return;
        if (s.expected.length > 0) {
          patch(queueId, {
            expected: [],
            expectedBeforeNone: s.expected,
            missed: Object.fromEntries(item.answers.map((a) => [a.slot, []])),
            refusal: null,
            hint: 'No technical details (M = 0): an answer that says none scores 1, one that names some scores 0. Enter saves; x brings the list back',
          });
          return;
        }
        const back = s.expectedBeforeNone ?? [];
        const missed: ScreenState['missed'] = {};
        for (const a of item.answers) missed[a.slot] = a.mine?.missing?.filter((d) => back.includes(d)) ?? defaultMissed(a.value, back);
        patch(queueId, {
          expected: back,
          expectedBeforeNone: null,
          missed,
          refusal: null,
          hint: back.length ? `Expected details back: M = ${back.length}` : 'List the details you expect (d)',
        });
      },
      toggleMissed(queueId, index) {
        const s = screen(queueId);
        const item = itemOf(s);
        if (item?.task !== 'technical_details') return;
        const detail = s.expected[index];
        const slot = slotAt(item, s.cursor);
        if (!slot) return;
        if (detail === undefined) {
          // No expected details (M = 0): 1 is the score "the answer rightly says none".
          if (s.expected.length === 0 && index === 0) {
            void actions.score(queueId, 1);
            return;
          }
          patch(queueId, {
            refusal: s.expected.length
              ? `there are ${s.expected.length} expected details; ${index + 1} is not one`
              : 'no details are expected (M = 0): 1 or 0 scores the answer; d lists details',
            hint: null,
          });
          return;
        }
        const cur = s.missed[slot] ?? [];
        const next = cur.includes(detail) ? cur.filter((d) => d !== detail) : [...cur, detail];
        patch(queueId, {
          missed: { ...s.missed, [slot]: next },
          refusal: null,
          hint: `${slot}: ${cur.includes(detail) ? 'named' : 'missed'} “${detail}”`,
        });
      },
      toggleExpected(queueId, detail) {
        const s = screen(queueId);
        const item = itemOf(s);
        if (!item) return;
        const on = s.expected.includes(detail);
        const expected = on ? s.expected.filter((d) => d !== detail) : [...s.expected, detail];
        const missed = { ...s.missed };
        for (const a of item.answers) {
          const m = (missed[a.slot] ?? []).filter((d) => expected.includes(d));
          // A newly expected detail counts as missed by answers that do not name it (until they are scored).
          if (!on && !a.mine && defaultMissed(a.value, [detail]).length) m.push(detail);
          missed[a.slot] = m;
        }
        patch(queueId, { expected, missed, refusal: null });
      },
      addExpected(queueId, detail) {
        const d = detail.trim();
        const s = screen(queueId);
        if (!d || s.expected.some((x) => x.toLowerCase() === d.toLowerCase())) return;
        actions.toggleExpected(queueId, d);
      },
      async confirm(queueId) {
        const s = screen(queueId);
        const item = itemOf(s);
        if (!item || s.busy) return;
        const a = item.answers[s.cursor];
        if (!a) return;
        if (item.task === 'technical_details') {
          const p = detailsPending(s, item);
          const changed =
            !a.mine ||
            JSON.stringify([...(a.mine.missing ?? [])].sort()) !== JSON.stringify([...(p?.missing ?? [])].sort()) ||
            JSON.stringify(a.mine.expected ?? []) !== JSON.stringify(s.expected);
          if (changed && p) {
            // The card shows the saved score and the one Enter gives ("changed: Enter saves") before this.
            await sendScore(queueId, p, { advance: true });
            return;
          }
        } else if (!a.mine) {
          patch(queueId, { hint: `Score ${a.slot} first: ${item.rubric.scores?.map(showScore).join(' / ')}`, refusal: null });
          return;
        }
        const n = nextUnscored(item, s.cursor);
        if (n !== null) {
          patch(queueId, { cursor: n, refusal: null, hint: null, pendingRescore: null });
          return;
        }
        // Every answer is scored: on to the next item in queue order (a skipped item does not pull
        // you back); after the last one, to the first item of your share still unfinished, or "done".
        if (item.nextPosition !== null) await actions.open(queueId, item.nextPosition);
        else await actions.open(queueId);
      },
      moveAnswer(queueId, delta) {
        const s = screen(queueId);
        const item = itemOf(s);
        if (!item) return;
        const n = item.answers.length;
        patch(queueId, { cursor: (s.cursor + delta + n) % n, refusal: null, pendingRescore: null });
      },
      setCursor(queueId, index) {
        const s = screen(queueId);
        patch(queueId, { cursor: index, pendingRescore: s.cursor === index ? s.pendingRescore : null });
      },
      async moveItem(queueId, delta) {
        const item = itemOf(screen(queueId));
        if (!item) return;
        const to = delta > 0 ? item.nextPosition : item.prevPosition;
        if (to === null) {
          patch(queueId, {
            hint: delta > 0 ? 'This is your last item in this queue' : 'This is your first item in this queue',
            refusal: null,
          });
          return;
        }
        await actions.open(queueId, to);
      },
      async undo(queueId) {
        const reviewer = me();
        if (!reviewer || screen(queueId).busy) return;
        patch(queueId, { busy: true });
        const r = await transport.request('reviews.undo', { queueId, reviewer });
        const cur = screen(queueId);
        if (!r.ok) {
          put({ ...cur, busy: false, refusal: r.error.message });
          return;
        }
        if (!r.data.undone || !r.data.screen) {
          put({ ...cur, busy: false, hint: 'Nothing to take back in this queue', refusal: null });
          return;
        }
        const { slot, slots, score, gold } = r.data.undone;
        const view = r.data.screen;
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
        put({
          ...next,
          hint: `Took back ${parts.join(' and ') || 'your last action'}`,
          refusal: null,
          pendingRescore: null,
          goldConfirm: null,
        });
        void refreshQuiet();
      },
      setCorrect(queueId, text) {
        patch(queueId, { correct: text, refusal: null, goldConfirm: null });
      },
      async applyCorrect(queueId) {
        const s = screen(queueId);
        const item = itemOf(s);
        const reviewer = me();
        if (!item || !reviewer || s.busy || s.view?.state !== 'item') return;
        const c = parseCorrectValue(item.task, s.correct);
        if (c.kind === 'empty') return;
        if (c.kind === 'bad') {
          patch(queueId, { refusal: c.reason, hint: null, goldConfirm: null });
          return;
        }
        const shown = showCorrectValue(c.value);
        if (!s.goldConfirm || JSON.stringify(s.goldConfirm.value) !== JSON.stringify(c.value)) {
          patch(queueId, { goldConfirm: { value: c.value, shown }, refusal: null, hint: null });
          return;
        }
        patch(queueId, { busy: true, refusal: null });
        const r = await transport.request('reviews.scoreFromCorrect', {
          queueId,
          position: item.position,
          reviewer,
          correctValue: c.value,
          confirmed: true,
        });
        const cur = screen(queueId);
        if (!r.ok) {
          put({ ...cur, busy: false, refusal: r.error.message, goldConfirm: null });
          return;
        }
        const next = withView(cur, { state: 'item', item: r.data.item, gold: r.data.gold });
        const refused = r.data.refused[0];
        const parts = [r.data.goldChanged ? `Gold label set to ${shown}` : `Gold label was already ${shown}`];
        if (r.data.scored.length) parts.push(`scored ${r.data.scored.join(', ')} from it`);
        for (const k of r.data.kept)
          parts.push(
            `${k.slot} keeps your ${showScore(k.score)} (the gold label gives ${showScore(k.wouldBe)}: press ${scoreKey(k.wouldBe)} twice on ${k.slot} to change it)`,
          );
        if (r.data.item.done) parts.push('all answers scored. Enter: next item');
        const n = nextUnscored(r.data.item, next.cursor);
        put({
          ...next,
          cursor: n ?? next.cursor,
          refusal: refused ? `${refused.slot}: ${refused.reason}` : null,
          hint: `${parts.join('; ')}. u takes it all back`,
          correct: '',
          goldConfirm: null,
          focusSeq: cur.focusSeq + 1,
        });
        void refreshQuiet();
      },
      cancelGold(queueId) {
        if (screen(queueId).goldConfirm) patch(queueId, { goldConfirm: null, hint: 'Gold label not written' });
      },
      toggleHistory(queueId) {
        patch(queueId, { historyOpen: !screen(queueId).historyOpen });
      },
      async restoreGold(queueId, entryId) {
        const s = screen(queueId);
        const item = itemOf(s);
        const reviewer = me();
        if (!item || !reviewer || s.busy) return;
        patch(queueId, { busy: true, refusal: null });
        const r = await transport.request('reviews.restoreGold', { queueId, position: item.position, reviewer, entryId });
        const cur = screen(queueId);
        if (!r.ok) {
          put({ ...cur, busy: false, refusal: r.error.message });
          return;
        }
        const g = r.data.state === 'item' ? r.data.gold : null;
        put({
          ...withView(cur, r.data),
          hint: `Gold label put back to ${g?.has ? showCorrectValue(g.value) : 'none set'}. u takes it back`,
          refusal: null,
        });
      },
      setNote(queueId, slot, text) {
        const s = screen(queueId);
        patch(queueId, { notes: { ...s.notes, [slot]: text } });
      },
      async saveNote(queueId) {
        const s = screen(queueId);
        const item = itemOf(s);
        const a = item?.answers[s.cursor];
        if (!item || !a) return;
        if (!a.mine) {
          patch(queueId, { hint: `The note goes with ${a.slot}'s score`, focusSeq: s.focusSeq + 1 });
          return;
        }
        const extra =
          item.task === 'technical_details'
            ? { expected: a.mine.expected ?? s.expected, missing: a.mine.missing ?? [], score: a.mine.score }
            : { score: a.mine.score };
        const ok = await sendScore(queueId, extra, { advance: false });
        if (ok) patch(queueId, { hint: `Note saved with ${a.slot}'s score`, focusSeq: screen(queueId).focusSeq + 1 });
      },
      async join(queueId) {
        const reviewer = me();
        if (!reviewer) return;
        const err = await actions.assign(queueId, [reviewer]);
        if (err) {
          patch(queueId, { error: err, load: 'error' });
          return;
        }
        await actions.open(queueId);
      },
      requestFocus(queueId) {
        patch(queueId, { focusSeq: screen(queueId).focusSeq + 1 });
      },
      closeScreen(queueId) {
        const { [queueId]: _gone, ...rest } = get().screens;
        set({ screens: rest });
      },
      setResultsScope(p) {
        set({ results: { ...get().results, ...p } });
      },
      async loadResults() {
        const { queueId, baseline } = get().results;
        set({ results: { ...get().results, load: 'loading', error: null } });
        const r = await transport.request('reviews.results', { ...(queueId ? { queueId } : {}), ...(baseline ? { baseline } : {}) });
        const cur = get().results;
        if (cur.queueId !== queueId || cur.baseline !== baseline) return;
        set({ results: r.ok ? { ...cur, load: 'ready', data: r.data, error: null } : { ...cur, load: 'error', error: r.error } });
      },
      async exportReviews(queueId) {
        const r = await transport.request('reviews.export', queueId ? { queueId } : {});
        if (!r.ok) {
          set({ exchange: { ...get().exchange, error: r.error } });
          return null;
        }
        set({ exchange: { ...get().exchange, error: null, exported: { fileName: r.data.fileName, count: r.data.count } } });
        return r.data;
      },
      requestImport: () => set({ importSeq: get().importSeq + 1 }),
      async importReviews(name, content) {
        set({ exchange: { ...get().exchange, importing: true, error: null } });
        const r = await transport.request('reviews.import', { name, content });
        set({
          exchange: r.ok
            ? { ...get().exchange, importing: false, report: r.data, reportName: name }
            : { ...get().exchange, importing: false, error: r.error },
        });
        if (r.ok) {
          void refreshQuiet();
          if (get().results.load !== 'idle') void actions.loadResults();
        }
      },
      clearImportReport: () => set({ exchange: { ...get().exchange, report: null, reportName: null, error: null } }),
    };
    return {
      me: null,
      reviewers: [],
      queues: [],
      loadedOnce: false,
      error: null,
      creating: false,
      createError: null,
      screens: {},
      results: { queueId: null, baseline: null, load: 'idle', data: null, error: null },
      exchange: { importing: false, report: null, reportName: null, error: null, exported: null },
      importSeq: 0,
      actions,
    };
  });
}

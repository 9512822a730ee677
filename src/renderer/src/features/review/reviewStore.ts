// Manual review in the workbench: the reviewer's name (entered once, remembered by the workspace),
// the queues with progress per reviewer, one screen per open queue (the item, the cursor on an
// answer, the details expected and ticked, the correct-value and note drafts, the last refusal),
// the results, and the JSONL exchange. Every score is sent the moment it is given and committed
// by the host, so closing mid-queue loses nothing; reopening asks for the next unfinished item.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type {
  QueueSpecInput,
  QueueView,
  ReviewExport,
  ReviewImportView,
  ReviewItemView,
  ReviewResultsView,
  ReviewScreenView,
  Slot,
} from '../../../../shared/review.ts';
import type { Transport } from '../../platform/transport.ts';
import { defaultExpected, defaultMissed, detailsScore, firstUnscored, nextUnscored, parseCorrectValue, showScore, slotAt } from './screenModel.ts';

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
  /** Scores the current answer (exact and severity tasks). */
  score(queueId: string, score: number): Promise<void>;
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
  /** Scores every unscored answer from the correct value typed. */
  applyCorrect(queueId: string): Promise<void>;
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
  queueId, load: 'loading', view: null, error: null, refusal: null, hint: null, cursor: 0, expected: [], missed: {}, correct: '', notes: {}, busy: false, focusSeq: 0,
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
    const expected = item.task === 'technical_details' ? defaultExpected(item) : [];
    const missed: ScreenState['missed'] = {};
    const notes: ScreenState['notes'] = {};
    for (const a of item.answers) {
      if (item.task === 'technical_details') missed[a.slot] = a.mine?.missing ?? defaultMissed(a.value, expected);
      notes[a.slot] = a.mine?.note ?? '';
    }
    return { ...base, cursor: opts.cursor ?? firstUnscored(item), expected, missed, notes, correct: '' };
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

    const sendScore = async (queueId: string, extra: { score?: number; expected?: string[]; missing?: string[] }, opts: { advance: boolean }): Promise<boolean> => {
      const s = screen(queueId);
      const item = itemOf(s);
      const reviewer = me();
      if (!item || !reviewer || s.busy) return false;
      const slot = slotAt(item, s.cursor);
      if (!slot) return false;
      const correct = item.task === 'technical_details' ? ({ kind: 'empty' } as const) : parseCorrectValue(item.task, s.correct);
      if (correct.kind === 'bad') {
        patch(queueId, { refusal: correct.reason, hint: null });
        return false;
      }
      const note = s.notes[slot]?.trim();
      put({ ...s, busy: true, refusal: null });
      const r = await transport.request('reviews.score', {
        queueId, position: item.position, slot, reviewer, ...extra,
        ...(correct.kind === 'ok' ? { correctValue: correct.value } : {}),
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
      let hint = `${slot} scored ${extra.score !== undefined ? showScore(extra.score) : ''}`.trim();
      if (nitem && opts.advance) {
        const n = nextUnscored(nitem, cursor);
        if (n !== null) cursor = n;
        else hint = nitem.revealed && nitem.blind ? `${hint}. All answers scored: models revealed. Enter: next item` : `${hint}. All answers scored. Enter: next item`;
      }
      put({ ...next, cursor, hint });
      void refreshQuiet();
      return true;
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
        // Screens were opened for the previous name.
        set({ me: r.data.me, screens: {} });
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
      async score(queueId, score) {
        const item = itemOf(screen(queueId));
        if (!item) return;
        if (item.task === 'technical_details') {
          patch(queueId, { refusal: 'technical details are scored by ticking the details the answer missed (1–9), then Enter', hint: null });
          return;
        }
        await sendScore(queueId, { score }, { advance: true });
      },
      toggleMissed(queueId, index) {
        const s = screen(queueId);
        const item = itemOf(s);
        if (!item || item.task !== 'technical_details') return;
        const detail = s.expected[index];
        const slot = slotAt(item, s.cursor);
        if (!slot) return;
        if (detail === undefined) {
          patch(queueId, { refusal: s.expected.length ? `there are ${s.expected.length} expected details; ${index + 1} is not one` : 'list the details you expect first (D)', hint: null });
          return;
        }
        const cur = s.missed[slot] ?? [];
        const next = cur.includes(detail) ? cur.filter((d) => d !== detail) : [...cur, detail];
        patch(queueId, { missed: { ...s.missed, [slot]: next }, refusal: null, hint: `${slot}: ${cur.includes(detail) ? 'named' : 'missed'} “${detail}”` });
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
          const missed = s.missed[a.slot] ?? [];
          const changed = !a.mine || JSON.stringify([...(a.mine.missing ?? [])].sort()) !== JSON.stringify([...missed].sort()) || JSON.stringify(a.mine.expected ?? []) !== JSON.stringify(s.expected);
          if (changed) {
            if (s.expected.length === 0) {
              patch(queueId, { refusal: 'technical details need at least one expected detail (D to list them)', hint: null });
              return;
            }
            const score = detailsScore(missed.length, s.expected.length) ?? 0;
            await sendScore(queueId, { expected: s.expected, missing: missed, score }, { advance: true });
            return;
          }
        } else if (!a.mine) {
          patch(queueId, { hint: `Score ${a.slot} first: ${item.rubric.scores?.map(showScore).join(' / ')}`, refusal: null });
          return;
        }
        const n = nextUnscored(item, s.cursor);
        if (n !== null) {
          patch(queueId, { cursor: n, refusal: null, hint: null });
          return;
        }
        // Every answer is scored: on to the reviewer's next unfinished item (or the next one dealt).
        await actions.open(queueId);
        const after = itemOf(screen(queueId));
        if (after && after.position === item.position && item.nextPosition !== null) await actions.open(queueId, item.nextPosition);
      },
      moveAnswer(queueId, delta) {
        const s = screen(queueId);
        const item = itemOf(s);
        if (!item) return;
        const n = item.answers.length;
        patch(queueId, { cursor: (s.cursor + delta + n) % n, refusal: null });
      },
      setCursor(queueId, index) {
        patch(queueId, { cursor: index });
      },
      async moveItem(queueId, delta) {
        const item = itemOf(screen(queueId));
        if (!item) return;
        const to = delta > 0 ? item.nextPosition : item.prevPosition;
        if (to === null) {
          patch(queueId, { hint: delta > 0 ? 'This is your last item in this queue' : 'This is your first item in this queue', refusal: null });
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
        const { slot, score } = r.data.undone;
        const view = r.data.screen;
        const idx = view.state === 'item' && slot ? view.item.answers.findIndex((a) => a.slot === slot) : -1;
        const next = withView(cur, view, idx >= 0 ? { cursor: idx } : {});
        // The undone answer's ticks go back to the first guess.
        if (view.state === 'item' && view.item.task === 'technical_details' && slot) {
          const a = view.item.answers.find((x) => x.slot === slot);
          if (a) next.missed = { ...next.missed, [slot]: defaultMissed(a.value, next.expected) };
        }
        put({ ...next, hint: `Took back ${slot ?? 'the'} score ${showScore(score)}`, refusal: null });
        void refreshQuiet();
      },
      setCorrect(queueId, text) {
        patch(queueId, { correct: text, refusal: null });
      },
      async applyCorrect(queueId) {
        const s = screen(queueId);
        const item = itemOf(s);
        const reviewer = me();
        if (!item || !reviewer || s.busy) return;
        const c = parseCorrectValue(item.task, s.correct);
        if (c.kind === 'empty') return;
        if (c.kind === 'bad') {
          patch(queueId, { refusal: c.reason, hint: null });
          return;
        }
        patch(queueId, { busy: true, refusal: null });
        const r = await transport.request('reviews.scoreFromCorrect', { queueId, position: item.position, reviewer, correctValue: c.value });
        const cur = screen(queueId);
        if (!r.ok) {
          put({ ...cur, busy: false, refusal: r.error.message });
          return;
        }
        const next = withView(cur, { state: 'item', item: r.data.item, gold: r.data.gold });
        const refused = r.data.refused[0];
        const hint = r.data.scored.length
          ? `Scored ${r.data.scored.join(', ')} from the correct value${r.data.item.done ? '. All answers scored. Enter: next item' : ''}`
          : refused
            ? null
            : 'Every answer was scored already; the correct value goes with your next score';
        const n = nextUnscored(r.data.item, next.cursor);
        put({ ...next, cursor: n ?? next.cursor, refusal: refused ? `${refused.slot}: ${refused.reason}` : null, hint, focusSeq: cur.focusSeq + 1 });
        void refreshQuiet();
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
        const extra = item.task === 'technical_details' ? { expected: a.mine.expected ?? s.expected, missing: a.mine.missing ?? [], score: a.mine.score } : { score: a.mine.score };
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
        set({ exchange: r.ok ? { ...get().exchange, importing: false, report: r.data, reportName: name } : { ...get().exchange, importing: false, error: r.error } });
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

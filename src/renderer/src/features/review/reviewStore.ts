// Manual review in the workbench: the reviewer's name (entered once, remembered by the workspace),
// the queues with progress per reviewer, one screen per open queue (the item, the cursor, the
// details expected and ticked, the drafts: worked out purely in reviewScreenState.ts and
// reviewScreenSteps.ts, sent and kept here), the results, and the JSONL exchange. Every score is
// sent the moment it is given and committed by the host, so closing mid-queue loses nothing;
// reopening asks for the next unfinished item.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type { QueueSpecInput, QueueView, ReviewExport, ReviewImportView, ReviewResultsView, Slot } from '#shared/review.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import { afterCorrect, afterRestore, afterScore, afterUndo, blankScreen, itemOf, withView, type ScreenState } from './reviewScreenState.ts';
import {
  answerMoved,
  confirmStep,
  correctStep,
  expectedToggled,
  itemStep,
  missedToggled,
  noDetailsToggled,
  noteStep,
  scorePress,
  type ScoreExtra,
} from './reviewScreenSteps.ts';
import { slotAt } from './screenModel.ts';

export { withView, type ScreenState } from './reviewScreenState.ts';

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

export function createReviewStore(transport: Transport): ReviewStore {
  return createStore<ReviewState>()((set, get) => {
    const screen = (queueId: string): ScreenState => get().screens[queueId] ?? blankScreen(queueId);
    const put = (s: ScreenState): void => set({ screens: { ...get().screens, [s.queueId]: s } });
    const patch = (queueId: string, p: Partial<ScreenState>): void => put({ ...screen(queueId), ...p });
    const me = (): string | null => get().me;

    const sendScore = async (queueId: string, extra: ScoreExtra, opts: { advance: boolean }): Promise<boolean> => {
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
      put(afterScore(withView(cur, r.data), slot, before, extra.score, opts.advance));
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
        const press = scorePress(screen(queueId), score, Boolean(opts.confirmed));
        if (!press) return;
        if ('patch' in press) patch(queueId, press.patch);
        else await sendScore(queueId, press.send, { advance: false });
      },
      toggleNoDetails(queueId) {
        const p = noDetailsToggled(screen(queueId));
        if (p) patch(queueId, p);
      },
      toggleMissed(queueId, index) {
        const p = missedToggled(screen(queueId), index);
        if (p === 'score-1') void actions.score(queueId, 1);
        else if (p) patch(queueId, p);
      },
      toggleExpected(queueId, detail) {
        const p = expectedToggled(screen(queueId), detail);
        if (p) patch(queueId, p);
      },
      addExpected(queueId, detail) {
        const d = detail.trim();
        const s = screen(queueId);
        if (!d || s.expected.some((x) => x.toLowerCase() === d.toLowerCase())) return;
        actions.toggleExpected(queueId, d);
      },
      async confirm(queueId) {
        const step = confirmStep(screen(queueId));
        if (!step) return;
        if ('send' in step) await sendScore(queueId, step.send, { advance: true });
        else if ('patch' in step) patch(queueId, step.patch);
        else if (step.open !== null) await actions.open(queueId, step.open);
        else await actions.open(queueId);
      },
      moveAnswer(queueId, delta) {
        const p = answerMoved(screen(queueId), delta);
        if (p) patch(queueId, p);
      },
      setCursor(queueId, index) {
        const s = screen(queueId);
        patch(queueId, { cursor: index, pendingRescore: s.cursor === index ? s.pendingRescore : null });
      },
      async moveItem(queueId, delta) {
        const step = itemStep(screen(queueId), delta);
        if (!step) return;
        if ('patch' in step) patch(queueId, step.patch);
        else await actions.open(queueId, step.open);
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
        put(afterUndo(cur, r.data.undone, r.data.screen));
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
        const step = correctStep(s, item);
        if (!step) return;
        if ('patch' in step) {
          patch(queueId, step.patch);
          return;
        }
        patch(queueId, { busy: true, refusal: null });
        const r = await transport.request('reviews.scoreFromCorrect', {
          queueId,
          position: item.position,
          reviewer,
          correctValue: step.write.value,
          confirmed: true,
        });
        const cur = screen(queueId);
        if (!r.ok) {
          put({ ...cur, busy: false, refusal: r.error.message, goldConfirm: null });
          return;
        }
        put(afterCorrect(cur, r.data, step.write.shown));
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
        put(afterRestore(cur, r.data));
      },
      setNote(queueId, slot, text) {
        const s = screen(queueId);
        patch(queueId, { notes: { ...s.notes, [slot]: text } });
      },
      async saveNote(queueId) {
        const step = noteStep(screen(queueId));
        if (!step) return;
        if ('patch' in step) {
          patch(queueId, step.patch);
          return;
        }
        const ok = await sendScore(queueId, step.send, { advance: false });
        if (ok) patch(queueId, { hint: `Note saved with ${step.slot}'s score`, focusSeq: screen(queueId).focusSeq + 1 });
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

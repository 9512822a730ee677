// Editor tabs: tickets, the new-ticket editor, comparisons, recorded runs and Settings. Opening
// from a list (single click, j/k) uses one italic preview tab that the next preview replaces, as
// VS Code does; Enter, a double click or an edit pins it.
import { createStore, type StoreApi } from 'zustand/vanilla';

export type EditorTab =
  | { id: string; kind: 'ticket'; ticketId: string; title: string; preview: boolean }
  | { id: 'new'; kind: 'new'; title: string; preview: false }
  | { id: string; kind: 'compare'; runId: string; ticketId: string; title: string; preview: boolean }
  | { id: string; kind: 'run'; runId: string; title: string; preview: boolean }
  | { id: 'settings'; kind: 'settings'; title: string; preview: false }
  | { id: string; kind: 'review'; queueId: string; title: string; preview: false }
  | { id: 'review-results'; kind: 'reviewResults'; title: string; preview: false }
  | { id: string; kind: 'traceImport'; runId: string; title: string; preview: boolean }
  /** One trace (the trace holding an imported call) and a trace review queue (issue 14 §3). */
  | { id: string; kind: 'trace'; callId: number; title: string; preview: boolean }
  | { id: string; kind: 'traceReview'; queueId: string; title: string; preview: false }
  | { id: 'experiment:new'; kind: 'experimentSetup'; title: string; preview: false }
  | { id: 'prompts'; kind: 'prompts'; title: string; preview: false };

export interface EditorState {
  tabs: EditorTab[];
  activeId: string | null;
  /** Settings section to scroll to (bumped on each request). */
  settingsSection: { id: string | null; seq: number };
  actions: EditorActions;
}

export interface OpenOptions {
  /** false pins the tab (Enter, double click). Default true: the preview tab. */
  preview?: boolean;
  /** Open without making it the active tab. */
  background?: boolean;
}

export interface EditorActions {
  openTicket(ticketId: string, title: string, opts?: OpenOptions): void;
  openNewTicket(): void;
  /** Turns the new-ticket tab into the pasted ticket's tab, in place. */
  replaceNewWithTicket(ticketId: string, title: string): void;
  openCompare(runId: string, ticketId: string, title: string, opts?: OpenOptions): void;
  openRun(runId: string, title: string, opts?: OpenOptions): void;
  openSettings(section?: string): void;
  /** A review queue's screen (always pinned: scoring is work, not a glance). */
  openReview(queueId: string, title: string): void;
  openReviewResults(): void;
  openTraceImport(runId: string, title: string, opts?: OpenOptions): void;
  openTrace(callId: number, title: string, opts?: OpenOptions): void;
  openTraceReview(queueId: string, title: string): void;
  /** The experiment setup form (one, pinned). */
  openExperimentSetup(): void;
  /** The prompt versions editor (one, pinned). */
  openPrompts(): void;
  activate(id: string): void;
  pin(id: string): void;
  close(id: string): void;
  closeActive(): void;
  cycle(delta: 1 | -1): void;
  retitle(id: string, title: string): void;
  hydrate(saved: unknown): void;
}

export type EditorStore = StoreApi<EditorState>;

export const ticketTabId = (ticketId: string): string => `ticket:${ticketId}`;
export const compareTabId = (runId: string, ticketId: string): string => `compare:${runId}:${ticketId}`;
export const runTabId = (runId: string): string => `run:${runId}`;
export const reviewTabId = (queueId: string): string => `review:${queueId}`;
export const traceImportTabId = (runId: string): string => `trace:${runId}`;
export const traceTabId = (callId: number): string => `tracecall:${callId}`;
export const traceReviewTabId = (queueId: string): string => `tracereview:${queueId}`;

export function createEditorStore(persist: (value: unknown) => void = () => {}): EditorStore {
  return createStore<EditorState>()((set, get) => {
    const save = (): void => {
      const { tabs, activeId } = get();
      persist({ tabs: tabs.filter((t) => !t.preview || t.id === activeId), activeId });
    };
    const open = (tab: EditorTab, opts: OpenOptions = {}): void => {
      const preview = opts.preview ?? true;
      const s = get();
      const existing = s.tabs.find((t) => t.id === tab.id);
      let tabs: EditorTab[];
      if (existing) {
        tabs = s.tabs.map((t) => (t.id === tab.id ? ({ ...t, title: tab.title, preview: t.preview && preview } as EditorTab) : t));
      } else {
        const fresh = {
          ...tab,
          preview:
            tab.kind === 'new' ||
            tab.kind === 'settings' ||
            tab.kind === 'review' ||
            tab.kind === 'reviewResults' ||
            tab.kind === 'experimentSetup' ||
            tab.kind === 'traceReview' ||
            tab.kind === 'prompts'
              ? false
              : preview,
        } as EditorTab;
        const previewIdx = preview ? s.tabs.findIndex((t) => t.preview) : -1;
        if (previewIdx >= 0) {
          tabs = [...s.tabs];
          tabs[previewIdx] = fresh;
        } else {
          const at = s.activeId ? s.tabs.findIndex((t) => t.id === s.activeId) + 1 : s.tabs.length;
          tabs = [...s.tabs.slice(0, at), fresh, ...s.tabs.slice(at)];
        }
      }
      set({ tabs, activeId: opts.background && s.activeId ? s.activeId : tab.id });
      save();
    };
    const actions: EditorActions = {
      openTicket(ticketId, title, opts) {
        open({ id: ticketTabId(ticketId), kind: 'ticket', ticketId, title, preview: true }, opts);
      },
      openNewTicket() {
        open({ id: 'new', kind: 'new', title: 'New ticket', preview: false }, { preview: false });
      },
      replaceNewWithTicket(ticketId, title) {
        const s = get();
        const id = ticketTabId(ticketId);
        const tab: EditorTab = { id, kind: 'ticket', ticketId, title, preview: false };
        const idx = s.tabs.findIndex((t) => t.id === 'new');
        const tabs =
          idx >= 0
            ? s.tabs.map((t, i) => (i === idx ? tab : t)).filter((t, i) => t.id !== id || i === idx)
            : [...s.tabs.filter((t) => t.id !== id), tab];
        set({ tabs, activeId: id });
        save();
      },
      openCompare(runId, ticketId, title, opts) {
        open({ id: compareTabId(runId, ticketId), kind: 'compare', runId, ticketId, title, preview: true }, opts);
      },
      openRun(runId, title, opts) {
        open({ id: runTabId(runId), kind: 'run', runId, title, preview: true }, opts);
      },
      openSettings(section) {
        open({ id: 'settings', kind: 'settings', title: 'Settings', preview: false }, { preview: false });
        set({ settingsSection: { id: section ?? null, seq: get().settingsSection.seq + 1 } });
      },
      openReview(queueId, title) {
        open({ id: reviewTabId(queueId), kind: 'review', queueId, title, preview: false }, { preview: false });
      },
      openReviewResults() {
        open({ id: 'review-results', kind: 'reviewResults', title: 'Review results', preview: false }, { preview: false });
      },
      openTraceImport(runId, title, opts) {
        open({ id: traceImportTabId(runId), kind: 'traceImport', runId, title, preview: true }, opts);
      },
      openTrace(callId, title, opts) {
        open({ id: traceTabId(callId), kind: 'trace', callId, title, preview: true }, opts);
      },
      openTraceReview(queueId, title) {
        open({ id: traceReviewTabId(queueId), kind: 'traceReview', queueId, title, preview: false }, { preview: false });
      },
      openExperimentSetup() {
        open({ id: 'experiment:new', kind: 'experimentSetup', title: 'New experiment', preview: false }, { preview: false });
      },
      openPrompts() {
        open({ id: 'prompts', kind: 'prompts', title: 'Prompts', preview: false }, { preview: false });
      },
      activate(id) {
        if (get().tabs.some((t) => t.id === id)) {
          set({ activeId: id });
          save();
        }
      },
      pin(id) {
        set({ tabs: get().tabs.map((t) => (t.id === id && t.preview ? ({ ...t, preview: false } as EditorTab) : t)) });
        save();
      },
      close(id) {
        const s = get();
        const idx = s.tabs.findIndex((t) => t.id === id);
        if (idx < 0) return;
        const tabs = s.tabs.filter((t) => t.id !== id);
        const activeId = s.activeId === id ? (tabs[Math.min(idx, tabs.length - 1)]?.id ?? null) : s.activeId;
        set({ tabs, activeId });
        save();
      },
      closeActive() {
        const id = get().activeId;
        if (id) actions.close(id);
      },
      cycle(delta) {
        const s = get();
        if (s.tabs.length < 2) return;
        const idx = s.tabs.findIndex((t) => t.id === s.activeId);
        const next = s.tabs[(idx + delta + s.tabs.length) % s.tabs.length]!;
        set({ activeId: next.id });
        save();
      },
      retitle(id, title) {
        if (!get().tabs.some((t) => t.id === id && t.title !== title)) return;
        set({ tabs: get().tabs.map((t) => (t.id === id ? ({ ...t, title } as EditorTab) : t)) });
      },
      hydrate(saved) {
        if (!saved || typeof saved !== 'object') return;
        const o = saved as { tabs?: unknown; activeId?: unknown };
        if (!Array.isArray(o.tabs)) return;
        const tabs: EditorTab[] = [];
        for (const t of o.tabs.slice(0, 30) as Array<Record<string, unknown>>) {
          const title = typeof t.title === 'string' ? t.title : '';
          const preview = t.preview === true;
          if (t.kind === 'ticket' && typeof t.ticketId === 'string')
            tabs.push({ id: ticketTabId(t.ticketId), kind: 'ticket', ticketId: t.ticketId, title, preview });
          else if (t.kind === 'compare' && typeof t.runId === 'string' && typeof t.ticketId === 'string')
            tabs.push({ id: compareTabId(t.runId, t.ticketId), kind: 'compare', runId: t.runId, ticketId: t.ticketId, title, preview });
          else if (t.kind === 'run' && typeof t.runId === 'string')
            tabs.push({ id: runTabId(t.runId), kind: 'run', runId: t.runId, title, preview });
          else if (t.kind === 'settings') tabs.push({ id: 'settings', kind: 'settings', title: 'Settings', preview: false });
          else if (t.kind === 'new') tabs.push({ id: 'new', kind: 'new', title: 'New ticket', preview: false });
          else if (t.kind === 'review' && typeof t.queueId === 'string')
            tabs.push({ id: reviewTabId(t.queueId), kind: 'review', queueId: t.queueId, title, preview: false });
          else if (t.kind === 'reviewResults')
            tabs.push({ id: 'review-results', kind: 'reviewResults', title: 'Review results', preview: false });
          else if (t.kind === 'traceImport' && typeof t.runId === 'string')
            tabs.push({ id: traceImportTabId(t.runId), kind: 'traceImport', runId: t.runId, title, preview });
          else if (t.kind === 'trace' && typeof t.callId === 'number')
            tabs.push({ id: traceTabId(t.callId), kind: 'trace', callId: t.callId, title, preview });
          else if (t.kind === 'traceReview' && typeof t.queueId === 'string')
            tabs.push({ id: traceReviewTabId(t.queueId), kind: 'traceReview', queueId: t.queueId, title, preview: false });
          else if (t.kind === 'experimentSetup')
            tabs.push({ id: 'experiment:new', kind: 'experimentSetup', title: 'New experiment', preview: false });
        }
        const activeId = typeof o.activeId === 'string' && tabs.some((t) => t.id === o.activeId) ? o.activeId : (tabs[0]?.id ?? null);
        set({ tabs, activeId });
      },
    };
    return { tabs: [], activeId: null, settingsSection: { id: null, seq: 0 }, actions };
  });
}

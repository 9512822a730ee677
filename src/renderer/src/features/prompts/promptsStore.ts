// State of the Prompts view and editor (issue 17 §3), shared by the side bar, the editor tab and the
// palette commands: every task's versions, the chosen task and version, the draft being typed per
// task (kept while moving around, so nothing typed is lost), its live check, the diff, and the last
// promotion or rollback with its undo.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type { LeakProbeView, PromptRouteOutputs, PromptTaskView, PromotionView } from '#shared/routes/promptRoutes.ts';
import type { TaskId } from '#shared/tasks.ts';
import type { Transport } from '#renderer/platform/transport.ts';

export type Check = PromptRouteOutputs['prompts.check'];
export type Diff = PromptRouteOutputs['prompts.diff'];

export interface Draft {
  text: string;
  /** The version it was started from. */
  base: string;
}

export interface Confirm {
  kind: 'promote' | 'rollback';
  task: TaskId;
  version: string | null;
  scope: string | null;
}

export interface PromptsState {
  tasks: PromptTaskView[] | null;
  loadError: AppErrorShape | null;
  task: TaskId;
  /** The version shown (the editor starts a draft from it). */
  version: string | null;
  drafts: Partial<Record<TaskId, Draft>>;
  note: string;
  check: Check | null;
  checking: boolean;
  diff: Diff | null;
  diffPick: { from: string | null; to: string | null };
  busy: 'save' | 'promote' | 'rollback' | 'experiment' | null;
  /** What the last action said (a saved version, a refusal, a promotion). */
  message: { kind: 'ok' | 'error'; text: string; undoable?: boolean } | null;
  leak: LeakProbeView | null;
  confirm: Confirm | null;
  /** The last promotion/rollback, undoable with one click or Ctrl+Z outside the text. */
  undo: PromotionView | null;
  actions: PromptsActions;
}

export interface PromptsActions {
  /** Follows `prompts.changed` (a save or promotion here or from the CLI): the list is read again. */
  attach(): () => void;
  refresh(): Promise<void>;
  select(task: TaskId, version?: string | null): void;
  edit(text: string): void;
  setNote(note: string): void;
  runCheck(): Promise<void>;
  save(): Promise<boolean>;
  discard(): void;
  showDiff(from: string, to: string): Promise<void>;
  closeDiff(): void;
  ask(c: Confirm): void;
  cancel(): void;
  confirmed(): Promise<void>;
  undoLast(): Promise<void>;
  /** `source`: only tickets imported from it (a file name, 'paste', …); absent: every ticket. */
  runExperiment(limit: number, source?: string | null): Promise<{ runId: string; label: string } | null>;
  dismiss(): void;
}

export type PromptsStore = StoreApi<PromptsState>;

export const taskView = (s: PromptsState, task: TaskId = s.task): PromptTaskView | null => s.tasks?.find((t) => t.task === task) ?? null;

/** The text in the editor: the draft, else the shown version's template. */
export function editorText(s: PromptsState): string {
  const d = s.drafts[s.task];
  if (d) return d.text;
  const v = taskView(s)?.versions.find((x) => x.version === s.version);
  return v?.template ?? '';
}

export function isDirty(s: PromptsState): boolean {
  const d = s.drafts[s.task];
  if (!d) return false;
  const base = taskView(s)?.versions.find((x) => x.version === d.base)?.template ?? '';
  return d.text.trim() !== base.trim();
}

export function createPromptsStore(transport: Transport): PromptsStore {
  let checkSeq = 0;
  return createStore<PromptsState>()((set, get) => {
    const fail = (e: AppErrorShape): void => set({ message: { kind: 'error', text: e.message } });
    const actions: PromptsActions = {
      attach() {
        return transport.onEvent((e) => {
          if (e.type === 'prompts.changed') void actions.refresh();
        });
      },
      async refresh() {
        const r = await transport.request('prompts.list', {});
        if (!r.ok) return set({ loadError: r.error });
        const s = get();
        const tv = r.data.tasks.find((t) => t.task === s.task);
        const version = s.version && tv?.versions.some((v) => v.version === s.version) ? s.version : (tv?.active ?? null);
        set({ tasks: r.data.tasks, loadError: null, version });
      },
      select(task, version) {
        const s = get();
        const tv = taskView(s, task);
        set({ task, version: version ?? tv?.active ?? null, diff: null, check: null, leak: null, message: null, confirm: null });
        // A draft of this task stays; starting to type on another version starts a new draft then.
        const d = get().drafts[task];
        if (d && version && d.base !== version && !isDirty(get())) set({ drafts: { ...get().drafts, [task]: undefined } });
        void actions.runCheck();
      },
      edit(text) {
        const s = get();
        const d = s.drafts[s.task];
        set({ drafts: { ...s.drafts, [s.task]: { text, base: d?.base ?? s.version ?? taskView(s)?.active ?? 'v1' } }, message: null });
        void actions.runCheck();
      },
      setNote(note) {
        set({ note });
      },
      async runCheck() {
        const s = get();
        const seq = ++checkSeq;
        set({ checking: true });
        const r = await transport.request('prompts.check', { task: s.task, template: editorText(s) });
        if (seq !== checkSeq) return;
        set({ checking: false, check: r.ok ? r.data : null });
      },
      async save() {
        const s = get();
        if (!transport || s.busy) return false;
        const d = s.drafts[s.task];
        if (!d || !isDirty(s)) {
          set({ message: { kind: 'error', text: 'nothing to save: edit the prompt first' } });
          return false;
        }
        set({ busy: 'save', message: null });
        const r = await transport.request('prompts.save', {
          task: s.task,
          template: d.text,
          parentVersion: d.base,
          note: s.note.trim() || undefined,
        });
        set({ busy: null });
        // Refused: the draft stays as typed, the reason is shown.
        if (!r.ok) {
          fail(r.error);
          return false;
        }
        set({
          drafts: { ...get().drafts, [s.task]: undefined },
          note: '',
          version: r.data.version,
          message: { kind: 'ok', text: `Saved ${s.task} ${r.data.version}. It is not active until you promote it.` },
        });
        await actions.refresh();
        void actions.runCheck();
        return true;
      },
      discard() {
        const s = get();
        set({ drafts: { ...s.drafts, [s.task]: undefined }, message: null });
        void actions.runCheck();
      },
      async showDiff(from, to) {
        const s = get();
        set({ diffPick: { from, to } });
        const r = await transport.request('prompts.diff', { task: s.task, from, to });
        if (!r.ok) return fail(r.error);
        set({ diff: r.data });
      },
      closeDiff() {
        set({ diff: null });
      },
      ask(c) {
        set({ confirm: c, message: null, leak: null });
      },
      cancel() {
        set({ confirm: null });
      },
      async confirmed() {
        const s = get();
        const c = s.confirm;
        if (!transport || !c || s.busy) return;
        set({ busy: c.kind, confirm: null, message: null, leak: null });
        if (c.kind === 'promote') {
          const r = await transport.request('prompts.promote', { task: c.task, version: c.version!, scope: c.scope });
          set({ busy: null });
          if (!r.ok) {
            fail(r.error);
            // A refused promotion still made the leak check's calls: the counts move.
            return void (await actions.refresh());
          }
          set({
            undo: r.data.promotion,
            leak: r.data.check,
            message: {
              kind: 'ok',
              text: `${c.task} ${r.data.promotion.version} is active${r.data.promotion.scope ? ` for ${r.data.promotion.scope}` : ''} (was ${r.data.promotion.fromVersion}).`,
              undoable: true,
            },
          });
        } else {
          const r = await transport.request('prompts.rollback', { task: c.task, scope: c.scope });
          set({ busy: null });
          if (!r.ok) return fail(r.error);
          set({
            undo: r.data.promotion,
            message: {
              kind: 'ok',
              text: `${c.task} rolled back to ${r.data.promotion.version}${r.data.promotion.scope ? ` for ${r.data.promotion.scope}` : ''} (was ${r.data.promotion.fromVersion}).`,
              undoable: true,
            },
          });
        }
        await actions.refresh();
      },
      async undoLast() {
        const s = get();
        const u = s.undo;
        if (!transport || !u || s.busy) return;
        set({ busy: u.action === 'promote' ? 'rollback' : 'promote', message: null });
        // Undo of a promotion is a rollback; undo of a rollback promotes the version again.
        const r =
          u.action === 'promote'
            ? await transport.request('prompts.rollback', { task: u.task, scope: u.scope })
            : await transport.request('prompts.promote', { task: u.task, version: u.fromVersion, scope: u.scope });
        set({ busy: null });
        if (!r.ok) return fail(r.error);
        set({ undo: null, message: { kind: 'ok', text: `Undone: ${u.task} uses ${u.fromVersion} again.` } });
        await actions.refresh();
      },
      async runExperiment(limit, source) {
        const s = get();
        const tv = taskView(s);
        if (!transport || !tv || !s.version || s.busy) return null;
        const base = tv.model;
        if (s.version === tv.modelActive) {
          set({
            message: { kind: 'error', text: `${s.version} is the version ${base} uses already: pick another version to compare with it` },
          });
          return null;
        }
        set({ busy: 'experiment', message: null });
        const r = await transport.request('experiments.start', {
          tickets: { kind: 'workspace', limit, ...(source !== undefined ? { source } : {}) },
          models: [base, `${base}@${s.task}=${s.version}`],
          baseline: base,
        });
        set({ busy: null });
        if (!r.ok) {
          fail(r.error);
          return null;
        }
        return { runId: r.data.runId, label: r.data.live.label ?? `${s.task} ${s.version} vs ${tv.modelActive}` };
      },
      dismiss() {
        set({ message: null, leak: null });
      },
    };
    return {
      tasks: null,
      loadError: null,
      task: 'asset_ids',
      version: null,
      drafts: {},
      note: '',
      check: null,
      checking: false,
      diff: null,
      diffPick: { from: null, to: null },
      busy: null,
      message: null,
      leak: null,
      confirm: null,
      undo: null,
      actions,
    };
  });
}

/** The one prompts store of this window (the view, the editor and the commands share it). */

// Open tickets: each one's text, its latest triage and the five facts filling in as results
// stream in (by task, tagged with the run, so a comparison of the same ticket never mixes in).
// Pasting, re-running a ticket or one task, and cancelling start here.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type { AppEvent } from '#shared/routes.ts';
import { MAX_TICKET_BYTES } from '#shared/limits.ts';
import { TASKS, type TaskId } from '#shared/tasks.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import { noteArrival } from '#renderer/app/perfProbe.ts';
import { applyEvent, blankView, describe, freshTasks, fromDetail, isTriageRun, type TicketView } from './ticketView.ts';

// The view model's names, for the files that read them from the store.
export type { CardStatus, TaskCardState, TicketView } from './ticketView.ts';
export { applyEvent, freshTasks, waitingOn } from './ticketView.ts';

export interface TicketState {
  views: Record<string, TicketView>;
  /** The new-ticket editor. */
  draft: { text: string; error: AppErrorShape | null; starting: boolean };
  /** Latest arrival, worded for screen readers. */
  announcement: string;
  actions: TicketActions;
}

export interface TicketActions {
  /** Loads (or reloads) a ticket's latest triage. */
  open(ticketId: string, opts?: { force?: boolean }): Promise<void>;
  /** Drops views of tickets no longer shown. */
  retain(ticketIds: string[]): void;
  setDraft(text: string): void;
  /** Refuses a paste before it reaches the editor (too large). */
  refuseDraft(error: AppErrorShape): void;
  /** Starts triage of the draft; resolves with the new ticket id, or null when refused. */
  /** confirmed: the user saw the estimate of a paste over the ask-first threshold and said go. */
  /** skipInfoGate: the user chose "Triage anyway" on a ticket the information gate held. */
  submitDraft(confirmed?: boolean, skipInfoGate?: boolean): Promise<{ ticketId: string; title: string } | null>;
  /** skipInfoGate: "Triage anyway" on a ticket the information gate held. */
  rerun(ticketId: string, task?: TaskId, opts?: { skipInfoGate?: boolean }): Promise<boolean>;
  cancel(ticketId: string): Promise<void>;
  attach(): () => void;
}

export type TicketStore = StoreApi<TicketState>;

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;

/** Refuses a draft before it leaves the window: empty, or over the size limit (stated). */
export function checkDraft(text: string): AppErrorShape | null {
  if (text.trim() === '') return { code: 'EMPTY_TICKET', message: 'Paste a ticket first.' };
  const bytes = utf8Bytes(text);
  return bytes > MAX_TICKET_BYTES ? tooLarge(bytes) : null;
}

/** The refusal of an oversized ticket, with the limit stated. */
export function tooLarge(bytes: number): AppErrorShape {
  return {
    code: 'BAD_INPUT',
    message: `This ticket is ${(bytes / 1_000_000).toFixed(1)} MB (${bytes.toLocaleString('en')} bytes); the limit is ${MAX_TICKET_BYTES.toLocaleString('en')} bytes (1 MB). Trim logs or attachments and paste again.`,
  };
}

export function createTicketStore(transport: Transport, now: () => number = () => performance.now()): TicketStore {
  // Recent events, replayed onto a view whose run became known after they arrived.
  const recent: AppEvent[] = [];
  const remember = (e: AppEvent): void => {
    recent.push(e);
    if (recent.length > 400) recent.splice(0, recent.length - 400);
  };
  const replay = (v: TicketView): TicketView => {
    let out = v;
    for (const e of recent) if ('runId' in e && e.runId === out.runId) out = applyEvent(out, e, now());
    return out;
  };

  return createStore<TicketState>()((set, get) => {
    const put = (v: TicketView): void => set({ views: { ...get().views, [v.ticketId]: v } });
    const startRun = (ticketId: string, runId: string, assignment: Record<TaskId, string> | null): void => {
      const prev = get().views[ticketId] ?? blankView(ticketId);
      put(
        replay({
          ...prev,
          runId,
          runKind: 'triage',
          state: 'running',
          assignment,
          tasks: freshTasks(),
          calls: [],
          totalMs: null,
          liveSince: now(),
          actionError: null,
          cancelling: false,
          seenRuns: [...prev.seenRuns, runId],
        }),
      );
    };

    const actions: TicketActions = {
      async open(ticketId, opts = {}) {
        const existing = get().views[ticketId];
        if (existing && existing.load !== 'error' && !opts.force) return;
        if (!existing) put(blankView(ticketId));
        let r = await transport.request('tickets.get', { ticketId });
        // A ticket that came with a trace import and was never triaged shows its imported calls.
        const imported = r.ok && r.data.runId === null ? r.data.history.find((h) => h.kind === 'import') : undefined;
        if (imported) r = await transport.request('tickets.get', { ticketId, runId: imported.runId });
        const cur = get().views[ticketId];
        if (!r.ok) {
          put({ ...(cur ?? blankView(ticketId)), load: 'error', error: r.error });
          return;
        }
        // A live run this view already follows wins over an older snapshot.
        if (
          cur &&
          cur.load === 'ready' &&
          cur.runId &&
          r.data.runId !== cur.runId &&
          cur.seenRuns.includes(cur.runId) &&
          cur.liveSince !== null
        ) {
          put({ ...cur, ticket: r.data.ticket, history: r.data.history });
          return;
        }
        const v = replay(fromDetail(r.data, now()));
        put(cur?.liveSince && cur.runId === v.runId ? { ...v, liveSince: cur.liveSince } : v);
      },
      retain(ticketIds) {
        const keep = new Set(ticketIds);
        const views = get().views;
        if (Object.keys(views).every((id) => keep.has(id))) return;
        set({ views: Object.fromEntries(Object.entries(views).filter(([id]) => keep.has(id))) });
      },
      setDraft(text) {
        set({ draft: { ...get().draft, text, error: null } });
      },
      refuseDraft(error) {
        set({ draft: { ...get().draft, error }, announcement: error.message });
      },
      async submitDraft(confirmed, skipInfoGate) {
        const { draft } = get();
        if (draft.starting) return null;
        const problem = checkDraft(draft.text);
        if (problem) {
          set({ draft: { ...draft, error: problem }, announcement: problem.message });
          return null;
        }
        set({ draft: { ...draft, starting: true, error: null } });
        const r = await transport.request('triage.start', {
          text: draft.text,
          ...(confirmed ? { confirmed: true } : {}),
          ...(skipInfoGate ? { skipInfoGate: true } : {}),
        });
        if (!r.ok) {
          set({ draft: { ...get().draft, starting: false, error: r.error }, announcement: `Triage refused: ${r.error.message}` });
          return null;
        }
        const ticketId = r.data.ticketId;
        const text = draft.text;
        const title = (text.split('\n').find((l) => l.trim()) ?? ticketId)
          .trim()
          .replace(/^subject:\s*/i, '')
          .slice(0, 80);
        const view: TicketView = {
          ...blankView(ticketId),
          load: 'ready',
          ticket: { id: ticketId, text, title: null, source: 'paste', addedAt: Date.now() },
        };
        put(view);
        startRun(ticketId, r.data.runId, r.data.assignment);
        set({ draft: { text: '', error: null, starting: false }, announcement: 'Triage started.' });
        return { ticketId, title };
      },
      async rerun(ticketId, task, opts) {
        const r = await transport.request('triage.rerun', {
          ticketId,
          ...(task ? { task } : {}),
          ...(opts?.skipInfoGate ? { skipInfoGate: true } : {}),
        });
        const v = get().views[ticketId];
        if (!r.ok) {
          if (v) put({ ...v, actionError: r.error });
          set({ announcement: `Re-run refused: ${r.error.message}` });
          return false;
        }
        startRun(ticketId, r.data.runId, r.data.assignment);
        set({
          announcement: opts?.skipInfoGate
            ? 'Triaging the held ticket anyway.'
            : task
              ? `Retrying ${TASKS[task].label.toLowerCase()}.`
              : 'Re-running the ticket.',
        });
        return true;
      },
      async cancel(ticketId) {
        const v = get().views[ticketId];
        if (v?.state !== 'running' || v.cancelling) return;
        put({ ...v, cancelling: true });
        const r = await transport.request('triage.cancel', { ticketId });
        const cur = get().views[ticketId];
        if (cur && (!r.ok || !r.data.cancelled)) put({ ...cur, cancelling: false, ...(r.ok ? {} : { actionError: r.error }) });
      },
      attach() {
        return transport.onEvent((e) => {
          if (!('runId' in e) || !e.runId || !('ticketId' in e)) return;
          if (e.type === 'task.result') noteArrival(e.emittedAt);
          remember(e);
          const v = get().views[e.ticketId];
          if (!v || v.load === 'loading') return;
          let next = v;
          if (e.runId !== v.runId) {
            // A new triage of this ticket started elsewhere (a resume, another window): follow it.
            if (!isTriageRun(e.runId) || v.seenRuns.includes(e.runId) || e.type !== 'task.started') return;
            next = {
              ...v,
              runId: e.runId,
              state: 'running',
              tasks: freshTasks(),
              calls: [],
              totalMs: null,
              liveSince: now(),
              seenRuns: [...v.seenRuns, e.runId],
            };
          }
          next = applyEvent(next, e, now());
          if (next === v) return;
          put(next);
          if (e.type === 'task.result') set({ announcement: describe(e.result) });
          else if (e.type === 'ticket.done') set({ announcement: `Ticket done in ${Math.round(e.totalMs)} ms.` });
        });
      },
    };
    return { views: {}, draft: { text: '', error: null, starting: false }, announcement: '', actions };
  });
}

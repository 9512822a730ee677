// Open tickets: each one's text, its latest triage and the five facts filling in as results
// stream in (by task, tagged with the run, so a comparison of the same ticket never mixes in).
// Pasting, re-running a ticket or one task, and cancelling start here.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type { TaskResult } from '#shared/results.ts';
import type { AppEvent, CallView, TicketDetail, TicketSummary } from '#shared/routes.ts';
import { MAX_TICKET_BYTES } from '#shared/limits.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import { noteArrival } from '#renderer/app/perfProbe.ts';

export type CardStatus = 'pending' | 'running' | 'ok' | 'error' | 'skipped';

export interface TaskCardState {
  status: CardStatus;
  provider: string | null;
  model: string | null;
  /** Offset from the ticket's start when the call began. */
  startedMs: number | null;
  /** Local clock (performance.now) when it started here, for a live elapsed counter. */
  startedAt: number | null;
  result: TaskResult | null;
  reused: boolean;
  /** Host clock (timeOrigin + now) when the result left the host; for the paint benchmark. */
  emittedAt: number | null;
}

export interface TicketView {
  ticketId: string;
  load: 'loading' | 'ready' | 'error';
  error: AppErrorShape | null;
  ticket: TicketDetail['ticket'] | null;
  runId: string | null;
  runKind: string | null;
  state: TicketSummary['state'];
  assignment: Record<TaskId, string> | null;
  tasks: Record<TaskId, TaskCardState>;
  calls: CallView[];
  totalMs: number | null;
  /** Local clock when the live run began here (null for a loaded, finished run). */
  liveSince: number | null;
  history: TicketDetail['history'];
  /** Why the last action (re-run, cancel) was refused. */
  actionError: AppErrorShape | null;
  cancelling: boolean;
  /** Runs seen for this ticket, so a late event from a superseded run is not taken for a new one. */
  seenRuns: string[];
}

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

export function freshTasks(): Record<TaskId, TaskCardState> {
  const out = {} as Record<TaskId, TaskCardState>;
  for (const id of TASK_IDS)
    out[id] = {
      status: 'pending',
      provider: null,
      model: null,
      startedMs: null,
      startedAt: null,
      result: null,
      reused: false,
      emittedAt: null,
    };
  return out;
}

function describe(r: TaskResult): string {
  const label = TASKS[r.task].label;
  if (r.status === 'ok') return `${label} arrived after ${Math.round(r.latencyMs)} ms.`;
  if (r.status === 'skipped') return `${label} skipped.`;
  return `${label} failed: ${r.error?.code ?? 'error'}.`;
}

/** Dependencies of `task` that have not produced a result yet (what a pending card waits for). */
export function waitingOn(tasks: Record<TaskId, TaskCardState>, task: TaskId): TaskId[] {
  return TASKS[task].dependsOn.filter((d) => tasks[d].result === null);
}

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

/** Applies one host event to a ticket view (pure; returns the same object when nothing changes). */
export function applyEvent(v: TicketView, e: AppEvent, now: number): TicketView {
  if (!('ticketId' in e) || e.ticketId !== v.ticketId) return v;
  if (e.type === 'task.started') {
    const prev = v.tasks[e.task];
    if (prev.result) return v;
    return {
      ...v,
      state: 'running',
      tasks: {
        ...v.tasks,
        [e.task]: { ...prev, status: 'running', provider: e.provider, model: e.model, startedMs: e.startedMs, startedAt: now },
      },
    };
  }
  if (e.type === 'task.result') {
    const r = e.result;
    const prev = v.tasks[r.task];
    if (prev.result === r || (prev.result && prev.result.endedMs === r.endedMs && prev.result.status === r.status)) return v;
    return {
      ...v,
      tasks: {
        ...v.tasks,
        [r.task]: {
          ...prev,
          status: r.status,
          provider: r.provider,
          model: r.model,
          startedMs: r.startedMs,
          result: r,
          reused: Boolean(e.reused),
          emittedAt: e.emittedAt ?? null,
        },
      },
    };
  }
  if (e.type === 'task.attempt') {
    const c = e.call;
    // A hedged call's two attempts share their number: the hedge role tells them apart.
    if (
      v.calls.some(
        (x) => x.task === c.task && x.attempt === c.attempt && x.modelSpec === c.modelSpec && (x.hedge ?? null) === (c.hedge ?? null),
      )
    )
      return v;
    return { ...v, calls: [...v.calls, c] };
  }
  if (e.type === 'ticket.done') {
    const unfinished = TASK_IDS.some((t) => v.tasks[t].result === null);
    return { ...v, state: unfinished ? 'interrupted' : 'done', totalMs: e.totalMs, cancelling: false };
  }
  return v;
}

function fromDetail(d: TicketDetail): TicketView {
  const tasks = freshTasks();
  for (const r of d.results) {
    tasks[r.task] = {
      ...tasks[r.task],
      status: r.status,
      provider: r.provider,
      model: r.model,
      startedMs: r.startedMs,
      result: r,
      reused: d.reused.includes(r.task),
    };
  }
  return {
    ticketId: d.ticket.id,
    load: 'ready',
    error: null,
    ticket: d.ticket,
    runId: d.runId,
    runKind: d.runKind,
    state: d.state,
    assignment: d.assignment,
    tasks,
    calls: d.calls,
    totalMs: d.totalMs,
    liveSince: null,
    history: d.history,
    actionError: null,
    cancelling: false,
    seenRuns: d.runId ? [d.runId] : [],
  };
}

function blankView(ticketId: string): TicketView {
  return {
    ticketId,
    load: 'loading',
    error: null,
    ticket: null,
    runId: null,
    runKind: null,
    state: 'new',
    assignment: null,
    tasks: freshTasks(),
    calls: [],
    totalMs: null,
    liveSince: null,
    history: [],
    actionError: null,
    cancelling: false,
    seenRuns: [],
  };
}

/** Runs whose events belong to a ticket's own triage (a comparison's never do). */
const isTriageRun = (runId: string | undefined): runId is string =>
  Boolean(runId && (runId.startsWith('triage-') || runId.startsWith('run-')));

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
        const v = replay(fromDetail(r.data));
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

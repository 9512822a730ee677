// Triage feature state: one ticket run at a time, its five tasks filling in as events arrive.
// Created by a factory so every test (and every future editor tab) gets its own store.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { TaskResult } from '../../../../shared/results.ts';
import { MAX_TICKET_BYTES, type AppEvent } from '../../../../shared/routes.ts';
import { TASK_IDS, TASKS, type TaskId } from '../../../../shared/tasks.ts';
import type { Transport } from '../../platform/transport.ts';

export type CardStatus = 'pending' | 'running' | 'ok' | 'error' | 'skipped';
export type Phase = 'idle' | 'starting' | 'running' | 'done' | 'failed';

export interface TaskCardState {
  status: CardStatus;
  provider: string | null;
  model: string | null;
  /** Offset from the ticket's start when the call began (task.started). */
  startedMs: number | null;
  /** Local clock (performance.now) when task.started arrived, for a live elapsed counter. */
  startedAt: number | null;
  result: TaskResult | null;
}

export interface TriageState {
  text: string;
  phase: Phase;
  cancelling: boolean;
  ticketId: string | null;
  /** Model spec per task: the host's default until a run starts, then that run's. */
  assignment: Record<TaskId, string> | null;
  demo: boolean;
  tasks: Record<TaskId, TaskCardState>;
  totalMs: number | null;
  /** Local clock (performance.now) when this run was started, for live timelines. */
  runStartedAt: number | null;
  /** Why the run could not start or was refused. */
  error: AppErrorShape | null;
  /** Latest arrival, worded for screen readers (aria-live). */
  announcement: string;
  actions: TriageActions;
}

export interface TriageActions {
  setTicketText(text: string): void;
  startTriage(): Promise<void>;
  cancelTriage(): Promise<void>;
  loadDefaults(): Promise<void>;
  /** Starts listening to host events; returns the stop function. */
  attach(): () => void;
}

export type TriageStore = StoreApi<TriageState>;

function freshTasks(): Record<TaskId, TaskCardState> {
  const out = {} as Record<TaskId, TaskCardState>;
  for (const id of TASK_IDS) out[id] = { status: 'pending', provider: null, model: null, startedMs: null, startedAt: null, result: null };
  return out;
}

function describe(r: TaskResult): string {
  const label = TASKS[r.task].label;
  if (r.status === 'ok') return `${label} arrived after ${Math.round(r.latencyMs)} ms.`;
  if (r.status === 'skipped') return `${label} skipped.`;
  return `${label} failed: ${r.error?.code ?? 'error'}.`;
}

export function createTriageStore(transport: Transport, now: () => number = () => performance.now()): TriageStore {
  // Events that arrive before triage.start has told us our ticket id.
  let early: AppEvent[] = [];

  const store = createStore<TriageState>()((set, get) => {
    function apply(e: AppEvent): void {
      const s = get();
      if (s.phase === 'starting' && s.ticketId === null) {
        early.push(e);
        return;
      }
      if (e.ticketId !== s.ticketId) return;
      if (e.type === 'task.started') {
        const prev = s.tasks[e.task];
        if (prev.result) return;
        set({
          tasks: {
            ...s.tasks,
            [e.task]: { ...prev, status: 'running', provider: e.provider, model: e.model, startedMs: e.startedMs, startedAt: now() },
          },
        });
      } else if (e.type === 'task.result') {
        const r = e.result;
        const prev = s.tasks[r.task];
        set({
          tasks: { ...s.tasks, [r.task]: { ...prev, status: r.status, provider: r.provider, model: r.model, result: r } },
          announcement: describe(r),
        });
      } else {
        set({ phase: 'done', cancelling: false, totalMs: e.totalMs, announcement: `Ticket done in ${Math.round(e.totalMs)} ms.` });
      }
    }

    const actions: TriageActions = {
      setTicketText(text) {
        set({ text });
      },

      async startTriage() {
        const s = get();
        if (s.phase === 'starting' || s.phase === 'running') return;
        const text = s.text;
        if (text.trim() === '') {
          set({ error: { code: 'EMPTY_TICKET', message: 'Paste a ticket first.' } });
          return;
        }
        const bytes = new TextEncoder().encode(text).length;
        if (bytes > MAX_TICKET_BYTES) {
          set({ error: { code: 'BAD_INPUT', message: `Ticket is ${bytes.toLocaleString('en')} bytes; the limit is ${MAX_TICKET_BYTES.toLocaleString('en')} bytes.` } });
          return;
        }
        early = [];
        set({
          phase: 'starting',
          cancelling: false,
          ticketId: null,
          tasks: freshTasks(),
          totalMs: null,
          runStartedAt: now(),
          error: null,
          announcement: 'Triage started.',
        });
        const r = await transport.request('triage.start', { text });
        if (!r.ok) {
          early = [];
          set({ phase: 'failed', error: r.error, announcement: `Triage refused: ${r.error.message}` });
          return;
        }
        set({ phase: 'running', ticketId: r.data.ticketId, assignment: r.data.assignment });
        const buffered = early;
        early = [];
        for (const e of buffered) apply(e);
      },

      async cancelTriage() {
        const s = get();
        if (s.phase !== 'running' || !s.ticketId || s.cancelling) return;
        set({ cancelling: true });
        const r = await transport.request('triage.cancel', { ticketId: s.ticketId });
        if (!r.ok) set({ cancelling: false, error: r.error });
        else if (!r.data.cancelled) set({ cancelling: false });
      },

      async loadDefaults() {
        const r = await transport.request('config.get', {});
        if (r.ok) {
          const s = get();
          // A run's own assignment wins over the default.
          set({ demo: r.data.demo, assignment: s.ticketId ? s.assignment : r.data.assignment });
        }
      },

      attach() {
        return transport.onEvent(apply);
      },
    };

    return {
      text: '',
      phase: 'idle',
      cancelling: false,
      ticketId: null,
      assignment: null,
      demo: false,
      tasks: freshTasks(),
      totalMs: null,
      runStartedAt: null,
      error: null,
      announcement: '',
      actions,
    };
  });
  return store;
}

/** Dependencies of `task` that have not produced a result yet (what a pending card waits for). */
export function waitingOn(tasks: Record<TaskId, TaskCardState>, task: TaskId): TaskId[] {
  return TASKS[task].dependsOn.filter((d) => tasks[d].result === null);
}

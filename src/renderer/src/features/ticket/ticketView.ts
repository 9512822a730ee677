// What an open ticket's view is (its text, latest triage, the five task cards and the calls) and
// the pure steps that make one: blank, from a loaded detail, and one host event applied to it.
import type { AppErrorShape } from '#shared/errors.ts';
import type { TaskResult } from '#shared/results.ts';
import type { AppEvent, CallView, TicketDetail, TicketSummary } from '#shared/routes.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';

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

/** The screen-reader announcement of one arrived result. */
export function describe(r: TaskResult): string {
  const label = TASKS[r.task].label;
  if (r.status === 'ok') return `${label} arrived after ${Math.round(r.latencyMs)} ms.`;
  if (r.status === 'skipped') return `${label} skipped.`;
  return `${label} failed: ${r.error?.code ?? 'error'}.`;
}

/** Dependencies of `task` that have not produced a result yet (what a pending card waits for). */
export function waitingOn(tasks: Record<TaskId, TaskCardState>, task: TaskId): TaskId[] {
  return TASKS[task].dependsOn.filter((d) => tasks[d].result === null);
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

/** A view of a loaded ticket; `now` (the local clock) dates the cards of calls still in flight (a window opened mid-triage). */
export function fromDetail(d: TicketDetail, now: number = performance.now()): TicketView {
  const tasks = freshTasks();
  for (const s of d.live ?? []) {
    tasks[s.task] = {
      ...tasks[s.task],
      status: 'running',
      provider: s.provider,
      model: s.model,
      startedMs: s.startedMs,
      startedAt: now - s.elapsedMs,
    };
  }
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

export function blankView(ticketId: string): TicketView {
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
export const isTriageRun = (runId: string | undefined): runId is string =>
  Boolean(runId && (runId.startsWith('triage-') || runId.startsWith('run-')));

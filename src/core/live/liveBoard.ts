// What is in flight right now, read off the event stream: per ticket of a run, the tasks started
// and not yet answered. A window that opens or reloads mid-triage reads it (tickets.get's `live`,
// tickets.live) so its cards say "Asking the model…" with the time so far and the list counts the
// ticket as in triage, instead of "Queued" until the next event arrives.
import type { AppEvent } from '#shared/routes.ts';
import type { LiveTaskStart } from '#shared/routes/ticketRoutes.ts';
import type { TaskId } from '#shared/tasks.ts';

export interface LiveBoard {
  /** Feed every event (the event bus's tap). */
  observe(e: AppEvent): void;
  /** The tasks of this ticket's run asked and not answered yet, with how long ago they started. */
  startedFor(runId: string, ticketId: string): LiveTaskStart[];
  /** Tickets with a call in flight. */
  tickets(): Array<{ runId: string; ticketId: string }>;
}

type Started = Omit<LiveTaskStart, 'elapsedMs'> & { at: number };

export function createLiveBoard(clock: () => number = () => performance.now()): LiveBoard {
  const byTicket = new Map<string, { runId: string; ticketId: string; tasks: Map<TaskId, Started> }>();
  const key = (runId: string, ticketId: string): string => `${runId}\u0000${ticketId}`;
  return {
    observe(e) {
      if (e.type === 'task.started' && e.runId) {
        const k = key(e.runId, e.ticketId);
        let t = byTicket.get(k);
        if (!t) byTicket.set(k, (t = { runId: e.runId, ticketId: e.ticketId, tasks: new Map() }));
        t.tasks.set(e.task, {
          task: e.task,
          spec: e.spec ?? `${e.provider}:${e.model}`,
          provider: e.provider,
          model: e.model,
          startedMs: e.startedMs,
          at: clock(),
        });
      } else if (e.type === 'task.result' && e.runId) {
        const k = key(e.runId, e.ticketId);
        const t = byTicket.get(k);
        if (!t) return;
        t.tasks.delete(e.result.task);
        // Nothing asked any more: the ticket is done, stopped or refused (not every end says ticket.done).
        if (t.tasks.size === 0) byTicket.delete(k);
      } else if (e.type === 'ticket.done' && e.runId) byTicket.delete(key(e.runId, e.ticketId));
    },
    startedFor(runId, ticketId) {
      const t = byTicket.get(key(runId, ticketId));
      const now = clock();
      return t ? [...t.tasks.values()].map(({ at, ...s }) => ({ ...s, elapsedMs: Math.max(0, now - at) })) : [];
    },
    tickets: () => [...byTicket.values()].map(({ runId, ticketId }) => ({ runId, ticketId })),
  };
}

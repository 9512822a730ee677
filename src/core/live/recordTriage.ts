// The use case every front end shares for recording one ticket's triage: the ticket and its run
// written before the first call, the ticket marked started, and the run closed from the result
// (done, or interrupted when it was cancelled or refused by the spend limit). The workbench's
// paste and re-run (core/handlers/triageHandlers.ts), its batches (live/intake.ts), comparisons
// (live/compareRun.ts) and `casebench triage` (cli/commands/triage.ts) all go through here, so a
// run recorded by one reads exactly like a run recorded by another.
import type { TicketResult } from '#shared/results.ts';
import type { Assignment } from '../graph/engine.ts';
import type { Store } from '../store/store.ts';
import { spendRefusal } from '../spend/refusal.ts';

export interface NewTriage {
  runId: string;
  /** The ticket to store first (a paste, the CLI's text); absent: it is stored already (a re-run). */
  ticket?: { id: string; text: string; title?: string };
  /** Where the stored ticket came from ('paste', 'cli'). */
  source?: string;
  assignment: Assignment;
  label?: string;
  config?: Record<string, unknown>;
}

/** Writes the ticket (when new) and its triage run, before any call is made. */
export function openTriage(store: Store, t: NewTriage): void {
  if (t.ticket) store.upsertTicket(t.ticket, t.source ?? 'paste');
  store.createRun({
    id: t.runId,
    kind: 'triage',
    assignment: t.assignment,
    ...(t.label !== undefined ? { label: t.label } : {}),
    ...(t.config !== undefined ? { config: t.config } : {}),
  });
}

/** Records when a ticket's triage really began (the origin of its calls' offsets). */
export function markTicketStarted(store: Store, runId: string, ticketId: string, t0Epoch: number): void {
  store.setRunTicket(runId, ticketId, 'pending');
  store.prepare('UPDATE run_tickets SET started_at = ? WHERE run_id = ? AND ticket_id = ?').run(t0Epoch, runId, ticketId);
}

/**
 * Closes a one-ticket triage run from its result: done, or cancelled/interrupted when it was
 * stopped or the spend limit refused its calls. Returns the spend limit's refusal, if any.
 */
export function closeTriage(store: Store, runId: string, ticketId: string, result: TicketResult, aborted: boolean): string | null {
  const refused = spendRefusal(result);
  const stopped = aborted || Boolean(refused);
  store.setRunTicket(runId, ticketId, stopped ? 'cancelled' : 'done', result.totalMs);
  store.setRunStatus(runId, stopped ? 'interrupted' : 'done');
  return refused;
}

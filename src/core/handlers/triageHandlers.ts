// Route handlers of triage in the workbench (see src/shared/routes/triageRoutes.ts): a pasted
// ticket, Cancel, a re-run (every task, or one task and what depends on it, keeping the others),
// and resuming what an earlier session left unfinished. Recording goes through the use cases of
// src/core/live/ (recordTriage.ts, liveTriage.ts) that the CLI and the batches share.
import { randomUUID } from 'node:crypto';
import { AppError } from '#shared/errors.ts';
import type { TaskResult } from '#shared/results.ts';
import type { TriageRouteOutputs } from '#shared/routes/triageRoutes.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { Assignment } from '../graph/engine.ts';
import { keptForRetry, triageLive } from '../live/liveTriage.ts';
import { closeTriage, markTicketStarted, openTriage } from '../live/recordTriage.ts';
import { singleTicketNeedsConfirm } from '../spend/ask.ts';
import { asStoreError } from '../store/storeErrors.ts';
import { interruptedTickets, latestTriageRun } from '../tickets/ticketQueries.ts';
import type { HandlersOf } from './context.ts';
import type { WorkbenchContext } from './workbenchContext.ts';

type Handlers = HandlersOf<keyof TriageRouteOutputs>;

export function triageHandlers(ctx: WorkbenchContext): { handlers: Handlers; inFlight(): number } {
  const { store, notice, emitSummary } = ctx;
  const inFlight = new Map<string, AbortController>();
  ctx.onClose(() => {
    for (const ac of inFlight.values()) ac.abort();
  });

  /** Triages one stored ticket now (paste, re-run), outside the import queue. */
  const startLive = (
    ticketId: string,
    text: string,
    runId: string,
    assignment: Assignment,
    given?: Partial<Record<TaskId, TaskResult>>,
    gated = false,
  ): void => {
    inFlight.get(ticketId)?.abort();
    const ac = new AbortController();
    inFlight.set(ticketId, ac);
    const t0Epoch = Date.now();
    markTicketStarted(store, runId, ticketId, t0Epoch);
    emitSummary(ticketId);
    void triageLive(ctx.live, {
      runId,
      ticket: { id: ticketId, text },
      assignment,
      signal: ac.signal,
      given,
      t0Epoch,
      gated,
      afterResult: () => emitSummary(ticketId),
    })
      .then((r) => {
        if (ctx.closed()) return;
        const refused = closeTriage(store, runId, ticketId, r, ac.signal.aborted);
        if (refused) notice('warn', `ticket ${ticketId}: ${refused}`);
        emit({ type: 'ticket.done', ticketId, runId, totalMs: r.totalMs });
        if (!ac.signal.aborted) ctx.afterProduction(runId, ticketId);
      })
      .catch((e: unknown) => {
        if (ctx.closed()) return;
        notice('error', `ticket ${ticketId}: ${(asStoreError(e, store.path) as Error).message}`);
      })
      .finally(() => {
        if (inFlight.get(ticketId) === ac) inFlight.delete(ticketId);
        try {
          if (!ctx.closed()) emitSummary(ticketId);
        } catch (e) {
          notice('error', `ticket ${ticketId}: ${(asStoreError(e, store.path) as Error).message}`);
        }
      });
  };
  const emit = ctx.emit;

  const handlers: Handlers = {
    'triage.start': async (input) => {
      const rt = ctx.runtime();
      // The ticket is gated once, here, before anything is stored or estimated.
      const gate = rt.gate(input.text);
      // A ticket the information gate holds goes only when the user said so ("Triage anyway").
      if (!gate.ok && !(gate.code === 'NEEDS_INFO' && input.skipInfoGate)) throw new AppError(gate.code, gate.message);
      const sentAnyway = !gate.ok;
      const assignment = ctx.settings.assignmentOf(input.assign);
      ctx.keys.require(assignment);
      if (!input.confirmed) {
        const est = ctx.estimate([{ id: 'paste', text: input.text }], 1, assignment);
        if (singleTicketNeedsConfirm(est, input.text.length)) {
          throw new AppError(
            'CONFIRM_SPEND',
            `this ticket would cost about $${est.usd.toFixed(4)} (${est.calls} calls on ${input.text.length.toLocaleString('en-US')} characters); confirm to triage it`,
          );
        }
      }
      const blocked = ctx.guard.blocked();
      if (blocked && TASK_IDS.some((t) => !assignment[t].startsWith('demo:'))) throw new AppError('SPEND_LIMIT', blocked);
      const ticketId = `t-${randomUUID().slice(0, 8)}`;
      const runId = `triage-${ticketId}`;
      openTriage(store, {
        runId,
        ticket: { id: ticketId, text: input.text, ...(input.title ? { title: input.title } : {}) },
        source: 'paste',
        assignment,
        ...(sentAnyway ? { config: { infoGate: 'sent anyway' } } : {}),
      });
      startLive(ticketId, input.text, runId, assignment, undefined, true);
      return { ticketId, assignment, runId };
    },
    'triage.cancel': async (input) => {
      const ac = inFlight.get(input.ticketId);
      ac?.abort();
      return { cancelled: Boolean(ac) };
    },
    'triage.rerun': async (input) => {
      const ticket = store.getTicket(input.ticketId);
      if (!ticket) throw new AppError('BAD_INPUT', `no ticket ${input.ticketId}`);
      const now = ctx.currentAssignment();
      const prevRun = latestTriageRun(store, ticket.id);
      const prevResults = prevRun ? store.resultsForTicket(prevRun, ticket.id) : [];
      const given = input.task ? keptForRetry(prevResults, input.task) : {};
      const prevAssignment = prevRun ? (store.getRun(prevRun)?.assignment as Assignment | undefined) : undefined;
      // A ticket the user sent past the information gate ("Triage anyway") is not held again on its re-run.
      const sentAnyway =
        input.skipInfoGate === true ||
        (prevRun ? (store.getRun(prevRun)?.config as { infoGate?: unknown } | null | undefined)?.infoGate === 'sent anyway' : false);
      // Kept tasks keep the model that answered them; re-run tasks use today's assignment.
      const assignment = Object.fromEntries(
        TASK_IDS.map((t) => [t, given[t] && prevAssignment ? prevAssignment[t] : now[t]]),
      ) as Assignment;
      ctx.keys.require(Object.fromEntries(TASK_IDS.map((t) => [t, given[t] ? 'demo:x' : assignment[t]])) as Assignment);
      const runId = `triage-${ticket.id}-${randomUUID().slice(0, 6)}`;
      openTriage(store, {
        runId,
        assignment,
        label: input.task ? `retry ${input.task}` : 're-run',
        config: {
          retryOf: prevRun,
          task: input.task ?? null,
          reused: Object.keys(given),
          ...(sentAnyway ? { infoGate: 'sent anyway' } : {}),
        },
      });
      startLive(ticket.id, ticket.text, runId, assignment, given, sentAnyway);
      return { ticketId: ticket.id, runId, assignment };
    },
    'triage.resumeInterrupted': async () => {
      const left = interruptedTickets(store);
      if (left.length === 0) return { queued: 0 };
      const reused: Record<string, string[]> = {};
      const jobs = [];
      for (const { ticketId, runId } of left) {
        const ticket = store.getTicket(ticketId);
        if (!ticket) continue;
        const given: Partial<Record<TaskId, TaskResult>> = {};
        for (const r of store.resultsForTicket(runId, ticketId)) if (r.status === 'ok') given[r.task] = r;
        reused[ticketId] = Object.keys(given);
        jobs.push({ ticket, given });
      }
      // A batch like any other: more than one ticket (or one big one) waits for the go-ahead on its estimate.
      const hold =
        jobs.length > 1 ||
        (jobs.length === 1 &&
          singleTicketNeedsConfirm(ctx.estimate([jobs[0]!.ticket], 1, ctx.currentAssignment()), jobs[0]!.ticket.text.length));
      const runId = ctx.intake.enqueue(
        `resumed ${jobs.length} interrupted`,
        jobs,
        { resumeOf: [...new Set(left.map((l) => l.runId))].slice(0, 100), reused },
        { hold },
      );
      return { queued: jobs.length, runId, confirm: hold };
    },
  };
  return { handlers, inFlight: () => inFlight.size };
}

// Batch triage over a ticket stream: bounded concurrency, every result committed as it lands,
// resumable (a re-run of the same run skips finished tickets and reuses finished tasks).
import { createHash } from 'node:crypto';
import type { TaskResult, TicketInput, TicketResult } from '#shared/results.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { triageTicket, type Assignment, type EngineDeps, type AttemptRecord } from '../graph/engine.ts';
import type { CallRecord, Store } from '../store/store.ts';
import { AppError } from '#shared/errors.ts';
import { asStoreError } from '../store/storeErrors.ts';
import type { TicketLine } from '../tickets/ticketFile.ts';
import { ticketHash } from '../store/migrations.ts';
import { gateResult } from './gate.ts';
import { isSpendRefusal, spendRefusal } from '../spend/refusal.ts';

export interface BatchProgress {
  done: number;
  skippedAsDone: number;
  /** Tickets done before whose text has changed since: triaged again (counted in `done`). */
  changed: number;
  badLines: number;
  /** Tasks that ended in an error (this session). */
  failedTasks: number;
  /** Tasks not called because a dependency failed (this session). */
  skippedTasks: number;
  /** Tickets refused before any call (empty or too short; their five tasks are skipped, not failed). */
  refused: number;
  /** Tickets held by the information gate before any call (the customer is to be asked for more). */
  held: number;
  /** Failed tasks of tickets already done before this session and not re-run (--retry-failed re-runs them). */
  failedBefore: number;
  retries: number;
  costUsd: number;
  costUnknown: number;
  inFlight: number;
  /** Set when a spend limit stopped the batch: its message (the tickets left are resumable). */
  spendLimited?: string;
}

export interface BatchOptions {
  store: Store;
  deps: EngineDeps;
  runId: string;
  assignment: Assignment;
  tickets: AsyncIterable<TicketLine>;
  source: string;
  concurrency: number;
  timeoutMs?: number;
  stream?: boolean;
  signal?: AbortSignal;
  /** Re-run tickets whose earlier results include failed tasks. */
  retryFailed?: boolean;
  gate?: (text: string) => { ok: true } | { ok: false; code: 'EMPTY_TICKET' | 'NEEDS_INFO' | 'BAD_INPUT'; message: string };
  onTicket?: (r: TicketResult, fromStore: boolean) => void;
  onBadLine?: (line: number, message: string) => void;
  onProgress?: (p: BatchProgress) => void;
  /** Speculative execution of each ticket's graph (engine/speculate.ts). */
  speculate?: boolean;
}

/**
 * A stable run id for the same job (kind, assignment, ticket source), so a re-run resumes it. What
 * is already done is decided per ticket on its content (id + text hash), not on this id: an edited
 * ticket is triaged again, an unchanged one is not.
 */
export function stableRunId(
  kind: string,
  assignment: Record<string, string>,
  source: string,
  promptVersions?: Record<string, string>,
): string {
  // The prompt each task's model gets is part of what a run asks: after a promotion the same
  // command starts a new run instead of resuming one whose answers came from the old version.
  const canon = JSON.stringify(TASK_IDS.map((t) => (promptVersions ? [t, assignment[t], promptVersions[t]] : [t, assignment[t]])));
  return `${kind}-${createHash('sha256').update(`${kind}\n${canon}\n${source}`).digest('hex').slice(0, 16)}`;
}

/** The calls-table row for one engine attempt. */
export function callRecordOf(runId: string, a: AttemptRecord): CallRecord {
  const r = a.response;
  return {
    runId,
    ticketId: a.ticketId,
    task: a.task,
    modelSpec: a.modelSpec,
    provider: a.provider,
    model: a.model,
    attempt: a.attempt,
    promptVersion: a.promptVersion,
    startedAt: a.startedAt,
    latencyMs: a.latencyMs,
    ttftMs: r?.ttftMs ?? null,
    queueTimeMs: r?.queueTimeMs ?? null,
    providerTotalMs: r?.providerTotalMs ?? null,
    status: a.error ? 'error' : 'ok',
    errorCode: a.error?.code ?? null,
    errorMessage: a.error?.message ?? null,
    httpStatus: a.error?.status ?? null,
    requestId: r?.requestId ?? null,
    inputTokens: r?.inputTokens ?? null,
    outputTokens: r?.outputTokens ?? null,
    cachedTokens: r?.cachedTokens ?? null,
    reasoningTokens: r?.reasoningTokens ?? null,
    costUsd: a.costUsd,
    raw: a.raw,
    slotWaitMs: a.slotWaitMs,
    cold: a.cold,
    hedge: a.hedge ?? null,
    hedgeLost: a.hedgeLost ?? null,
    speculation: a.speculation ?? null,
  };
}

/** A task stopped by the user (Stop, Ctrl-C, a closed window) or refused for spend: not an answer and not a failure. */
const isNoOutcome = (r: TaskResult): boolean => r.status === 'error' && (r.error?.code === 'CANCELLED' || isSpendRefusal(r));

/**
 * Records engine attempts and results in the store. A task's attempts are written together with
 * its result in one transaction when the task finishes: one commit per task instead of one per
 * row, and a kill loses only tasks still in flight.
 */
export function recorder(store: Store, runId: string) {
  const pending = new Map<string, CallRecord[]>();
  const finished = new Set<string>();
  // Per ticket, tasks that reached no outcome (stopped, refused for spend) and the tasks skipped
  // because of them: none is a result (nor a failure); they run when the ticket is resumed.
  const noOutcome = new Map<string, Set<TaskId>>();
  return {
    onAttempt(a: AttemptRecord): void {
      const key = `${a.ticketId}\u0000${a.task}`;
      const call = callRecordOf(runId, a);
      // An attempt reported after its task's result (an SDK noticing an abort late) is still kept
      // when it can be: it arrives outside the ticket's flow, so a failed write is not an error there.
      if (finished.has(key)) {
        try {
          store.insertCall(call);
        } catch {
          // the disk filled up meanwhile: the result it belongs to is recorded; this late attempt is lost
        }
        return;
      }
      let list = pending.get(key);
      if (!list) pending.set(key, (list = []));
      list.push(call);
    },
    onResult(r: TaskResult, spec: string, ticketId: string): void {
      const key = `${ticketId}\u0000${r.task}`;
      const calls = pending.get(key) ?? [];
      pending.delete(key);
      finished.add(key);
      let none = noOutcome.get(ticketId);
      const keep = !(isNoOutcome(r) || (r.status === 'skipped' && TASKS[r.task].dependsOn.some((d) => none?.has(d))));
      if (!keep) {
        if (!none) noOutcome.set(ticketId, (none = new Set()));
        none.add(r.task);
      }
      store.transaction(() => {
        for (const c of calls) store.insertCall(c);
        if (keep) store.saveResult(runId, ticketId, spec, r);
      });
    },
  };
}

/** Rebuilds a finished ticket's result from the store (for resumed runs' output). */
export function storedTicketResult(store: Store, runId: string, ticketId: string, hash?: string | null): TicketResult | null {
  const rows = store.resultsForTicket(runId, ticketId, hash);
  if (rows.length < TASK_IDS.length) return null;
  const tasks = Object.fromEntries(rows.map((r) => [r.task, r])) as Record<TaskId, TaskResult>;
  return { ticketId, totalMs: store.runTicketTotal(runId, ticketId) ?? 0, tasks };
}

/** Runs the batch; resolves with the final progress when every ticket is accounted for. */
export async function runBatch(o: BatchOptions): Promise<BatchProgress> {
  const { store, runId } = o;
  if (!store.getRun(runId)) {
    store.createRun({
      id: runId,
      kind: 'run',
      assignment: o.assignment,
      config: { source: o.source, concurrency: o.concurrency, speculate: o.speculate ?? false },
    });
  } else {
    store.setRunStatus(runId, 'running');
  }
  const doneBefore = store.runTicketVersions(runId, 'done');
  const rec = recorder(store, runId);
  const p: BatchProgress = {
    done: 0,
    skippedAsDone: 0,
    changed: 0,
    badLines: 0,
    failedTasks: 0,
    skippedTasks: 0,
    refused: 0,
    held: 0,
    failedBefore: 0,
    retries: 0,
    costUsd: 0,
    costUnknown: 0,
    inFlight: 0,
  };
  const it = o.tickets[Symbol.asyncIterator]();

  const account = (r: TicketResult): void => {
    // Discarded speculative calls were paid for too (never a fact, but spend).
    p.costUsd += r.speculation?.discardedCostUsd ?? 0;
    p.costUnknown += r.speculation?.discardedCostUnknown ?? 0;
    for (const id of TASK_IDS) {
      const t = r.tasks[id];
      if (t.status === 'error') p.failedTasks++;
      if (t.status === 'skipped') p.skippedTasks++;
      if (t.attempts > 1) p.retries += t.attempts - 1;
      if (t.status === 'ok') {
        if (t.costUsd === null) p.costUnknown++;
        else p.costUsd += t.costUsd;
      }
    }
  };

  const handle = async (ticket: TicketInput): Promise<void> => {
    const hash = ticketHash(ticket.text);
    if (doneBefore.has(ticket.id)) {
      const before = doneBefore.get(ticket.id);
      // Done for this very text (a row from before versions has the text it was answered for).
      if (before === hash || before === null) {
        const prev = storedTicketResult(store, runId, ticket.id, hash);
        const failed = prev ? TASK_IDS.filter((t) => prev.tasks[t].status === 'error').length : 0;
        const gated = prev
          ? TASK_IDS.every((t) => prev.tasks[t].error?.code === 'EMPTY_TICKET' || prev.tasks[t].error?.code === 'NEEDS_INFO')
          : false;
        if (prev && !(o.retryFailed && failed > 0 && !gated)) {
          p.skippedAsDone++;
          p.failedBefore += failed;
          o.onTicket?.(prev, true);
          return;
        }
      } else p.changed++;
    }
    store.transaction(() => {
      store.upsertTicket(ticket, o.source);
      store.setRunTicket(runId, ticket.id, 'pending', null, hash);
    });
    const gated = o.gate?.(ticket.text);
    let result: TicketResult;
    if (gated && !gated.ok) {
      result = gateResult(ticket.id, o.assignment, o.deps, gated);
      for (const t of TASK_IDS) rec.onResult(result.tasks[t], o.assignment[t], ticket.id);
      if (gated.code === 'NEEDS_INFO') p.held++;
      else p.refused++;
    } else {
      // Reuse tasks that finished before an interruption, so a resumed run repeats no finished call
      // (the run id pins the assignment, so a stored result is from the same model), but only
      // answers given for this text: an edited ticket is answered afresh.
      const given: Partial<Record<TaskId, TaskResult>> = {};
      for (const r of store.resultsForTicket(runId, ticket.id, hash)) if (r.status === 'ok') given[r.task] = r;
      result = await triageTicket(o.deps, ticket, o.assignment, {
        signal: o.signal,
        timeoutMs: o.timeoutMs,
        stream: o.stream,
        given,
        speculate: o.speculate ? {} : null,
        onAttempt: rec.onAttempt,
        onResult: (r, spec) => {
          if (!given[r.task]) rec.onResult(r, spec, ticket.id);
        },
      });
    }
    const refused = spendRefusal(result);
    if (refused) p.spendLimited ??= refused;
    if (o.signal?.aborted || refused) {
      store.setRunTicket(runId, ticket.id, 'cancelled', result.totalMs, hash);
      return;
    }
    store.setRunTicket(runId, ticket.id, 'done', result.totalMs, hash);
    p.done++;
    if (!(gated && !gated.ok)) account(result);
    o.onTicket?.(result, false);
  };

  // A fault that stops the whole run (the disk is full, the ticket source broke): no new ticket
  // starts, the tickets in flight finish, then it is reported with what was saved.
  let fatal: { error: unknown; ticketId: string | null } | null = null;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (o.signal?.aborted || fatal || p.spendLimited) return;
      let next: IteratorResult<TicketLine>;
      try {
        next = await it.next();
      } catch (e) {
        fatal ??= { error: e, ticketId: null };
        return;
      }
      if (fatal) return;
      if (next.done) return;
      const line = next.value;
      if (!line.ok) {
        p.badLines++;
        o.onBadLine?.(line.line, line.message);
        continue;
      }
      p.inFlight++;
      try {
        await handle(line.ticket);
      } catch (e) {
        fatal ??= { error: asStoreError(e, store.path), ticketId: line.ticket.id };
      } finally {
        p.inFlight--;
        o.onProgress?.(p);
      }
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  if (fatal) throw runFault(store, runId, fatal);
  store.setRunStatus(runId, o.signal?.aborted || p.spendLimited ? 'interrupted' : 'done');
  return p;
}

/** The error that stopped a run, saying what of the failing ticket and of the run is on disk. */
function runFault(store: Store, runId: string, f: { error: unknown; ticketId: string | null }): unknown {
  try {
    store.setRunStatus(runId, 'interrupted');
  } catch {
    // a full disk may refuse this too; the next run resumes either way
  }
  if (!(f.error instanceof AppError) || f.error.code !== 'STORAGE') return f.error;
  let saved = 0;
  let partial = 0;
  try {
    saved = store.runTicketIds(runId, 'done').size;
    if (f.ticketId !== null) partial = store.resultsForTicket(runId, f.ticketId).length;
  } catch {
    // reading failed as well: the message keeps the cause
  }
  const ticket =
    f.ticketId === null
      ? ''
      : partial === 0
        ? `; nothing of ticket ${f.ticketId} was written`
        : `; ticket ${f.ticketId} is saved in part (${partial} of ${TASK_IDS.length} tasks)`;
  return new AppError(
    'STORAGE',
    `${f.error.message}${ticket}; ${saved} ticket${saved === 1 ? '' : 's'} of this run saved (run the same command again to resume)`,
  );
}

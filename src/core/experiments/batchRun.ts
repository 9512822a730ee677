// Batch triage over a ticket stream: bounded concurrency, every result committed as it lands,
// resumable (a re-run of the same run skips finished tickets and reuses finished tasks).
import { createHash } from 'node:crypto';
import type { TaskResult, TicketInput, TicketResult } from '../../shared/results.ts';
import { TASK_IDS, type TaskId } from '../../shared/tasks.ts';
import { triageTicket, type Assignment, type EngineDeps, type AttemptRecord } from '../graph/engine.ts';
import type { CallRecord, Store } from '../store/store.ts';
import type { TicketLine } from '../tickets/ticketFile.ts';
import { gateResult } from './gate.ts';
import { isSpendRefusal, spendRefusal } from '../spend/refusal.ts';

export interface BatchProgress {
  done: number;
  skippedAsDone: number;
  badLines: number;
  failedTasks: number;
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
  gate?: (text: string) => { ok: true } | { ok: false; code: 'EMPTY_TICKET' | 'BAD_INPUT'; message: string };
  onTicket?: (r: TicketResult, fromStore: boolean) => void;
  onBadLine?: (line: number, message: string) => void;
  onProgress?: (p: BatchProgress) => void;
}

/** A stable run id for the same job (kind, assignment, ticket source), so a re-run resumes it. */
export function stableRunId(kind: string, assignment: Record<string, string>, source: string): string {
  const canon = JSON.stringify(TASK_IDS.map((t) => [t, assignment[t]]));
  return `${kind}-${createHash('sha256').update(`${kind}\n${canon}\n${source}`).digest('hex').slice(0, 16)}`;
}

/** The calls-table row for one engine attempt. */
export function callRecordOf(runId: string, a: AttemptRecord): CallRecord {
  const r = a.response;
  return {
    runId, ticketId: a.ticketId, task: a.task, modelSpec: a.modelSpec, provider: a.provider, model: a.model,
    attempt: a.attempt, promptVersion: a.promptVersion, startedAt: a.startedAt, latencyMs: a.latencyMs,
    ttftMs: r?.ttftMs ?? null, queueTimeMs: r?.queueTimeMs ?? null, providerTotalMs: r?.providerTotalMs ?? null,
    status: a.error ? 'error' : 'ok', errorCode: a.error?.code ?? null, errorMessage: a.error?.message ?? null,
    httpStatus: a.error?.status ?? null, requestId: r?.requestId ?? null, inputTokens: r?.inputTokens ?? null,
    outputTokens: r?.outputTokens ?? null, cachedTokens: r?.cachedTokens ?? null, reasoningTokens: r?.reasoningTokens ?? null,
    costUsd: a.costUsd, raw: a.raw,
  };
}

/**
 * Records engine attempts and results in the store. A task's attempts are written together with
 * its result in one transaction when the task finishes: one commit per task instead of one per
 * row, and a kill loses only tasks still in flight.
 */
export function recorder(store: Store, runId: string) {
  const pending = new Map<string, CallRecord[]>();
  const finished = new Set<string>();
  return {
    onAttempt(a: AttemptRecord): void {
      const key = `${a.ticketId}\u0000${a.task}`;
      const call = callRecordOf(runId, a);
      // An attempt reported after its task's result (an SDK noticing an abort late) is still kept.
      if (finished.has(key)) return store.insertCall(call);
      let list = pending.get(key);
      if (!list) pending.set(key, (list = []));
      list.push(call);
    },
    onResult(r: TaskResult, spec: string, ticketId: string): void {
      const key = `${ticketId}\u0000${r.task}`;
      const calls = pending.get(key) ?? [];
      pending.delete(key);
      finished.add(key);
      store.transaction(() => {
        for (const c of calls) store.insertCall(c);
        // A task refused for spend has no outcome to keep: it runs when the batch resumes.
        if (!isSpendRefusal(r)) store.saveResult(runId, ticketId, spec, r);
      });
    },
  };
}

/** Rebuilds a finished ticket's result from the store (for resumed runs' output). */
export function storedTicketResult(store: Store, runId: string, ticketId: string): TicketResult | null {
  const rows = store.resultsForTicket(runId, ticketId);
  if (rows.length < TASK_IDS.length) return null;
  const tasks = Object.fromEntries(rows.map((r) => [r.task, r])) as Record<TaskId, TaskResult>;
  return { ticketId, totalMs: store.runTicketTotal(runId, ticketId) ?? 0, tasks };
}

/** Runs the batch; resolves with the final progress when every ticket is accounted for. */
export async function runBatch(o: BatchOptions): Promise<BatchProgress> {
  const { store, runId } = o;
  if (!store.getRun(runId)) {
    store.createRun({ id: runId, kind: 'run', assignment: o.assignment, config: { source: o.source, concurrency: o.concurrency } });
  } else {
    store.setRunStatus(runId, 'running');
  }
  const doneBefore = store.runTicketIds(runId, 'done');
  const rec = recorder(store, runId);
  const p: BatchProgress = { done: 0, skippedAsDone: 0, badLines: 0, failedTasks: 0, retries: 0, costUsd: 0, costUnknown: 0, inFlight: 0 };
  const it = o.tickets[Symbol.asyncIterator]();

  const account = (r: TicketResult): void => {
    for (const id of TASK_IDS) {
      const t = r.tasks[id];
      if (t.status !== 'ok') p.failedTasks++;
      if (t.attempts > 1) p.retries += t.attempts - 1;
      if (t.status === 'ok') {
        if (t.costUsd === null) p.costUnknown++;
        else p.costUsd += t.costUsd;
      }
    }
  };

  const handle = async (ticket: TicketInput): Promise<void> => {
    if (doneBefore.has(ticket.id)) {
      const prev = storedTicketResult(store, runId, ticket.id);
      const failed = prev ? TASK_IDS.some((t) => prev.tasks[t].status !== 'ok') : true;
      if (prev && !(o.retryFailed && failed)) {
        p.skippedAsDone++;
        o.onTicket?.(prev, true);
        return;
      }
    }
    store.transaction(() => {
      store.upsertTicket(ticket, o.source);
      store.setRunTicket(runId, ticket.id, 'pending');
    });
    const gated = o.gate?.(ticket.text);
    let result: TicketResult;
    if (gated && !gated.ok) {
      result = gateResult(ticket.id, o.assignment, o.deps, gated);
      for (const t of TASK_IDS) rec.onResult(result.tasks[t], o.assignment[t], ticket.id);
    } else {
      // Reuse tasks that finished before an interruption, so a resumed run repeats no finished call
      // (the run id pins the assignment, so a stored result is from the same model).
      const given: Partial<Record<TaskId, TaskResult>> = {};
      for (const r of store.resultsForTicket(runId, ticket.id)) if (r.status === 'ok') given[r.task] = r;
      result = await triageTicket(o.deps, ticket, o.assignment, {
        signal: o.signal, timeoutMs: o.timeoutMs, stream: o.stream, given,
        onAttempt: rec.onAttempt,
        onResult: (r, spec) => {
          if (!given[r.task]) rec.onResult(r, spec, ticket.id);
        },
      });
    }
    const refused = spendRefusal(result);
    if (refused) p.spendLimited ??= refused;
    if (o.signal?.aborted || refused) {
      store.setRunTicket(runId, ticket.id, 'cancelled', result.totalMs);
      return;
    }
    store.setRunTicket(runId, ticket.id, 'done', result.totalMs);
    p.done++;
    account(result);
    o.onTicket?.(result, false);
  };

  const worker = async (): Promise<void> => {
    for (;;) {
      if (o.signal?.aborted || p.spendLimited) return;
      const next = await it.next();
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
      } finally {
        p.inFlight--;
        o.onProgress?.(p);
      }
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  store.setRunStatus(runId, o.signal?.aborted || p.spendLimited ? 'interrupted' : 'done');
  return p;
}

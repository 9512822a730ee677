// One ticket through the graph for the workbench: every attempt and result recorded as it lands
// (the batch recorder: a task's calls and result in one transaction) and pushed to the UI as an
// event the moment it exists, tagged with its run so several runs of a ticket never mix.
import type { TaskResult, TicketResult } from '#shared/results.ts';
import type { AppEvent, CallView } from '#shared/routes.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { recorder } from '../experiments/batchRun.ts';
import { gateResult } from '../experiments/gate.ts';
import { triageTicket, type Assignment } from '../graph/engine.ts';
import type { Runtime } from '../runtime.ts';
import type { Store } from '../store/store.ts';
import { asStoreError } from '../store/storeErrors.ts';
import { loadSettings } from '../settings/settingsStore.ts';

export interface LiveDeps {
  store: Store;
  rt: Runtime;
  emit: (e: AppEvent) => void;
}

export interface LiveTicket {
  runId: string;
  ticket: { id: string; text: string };
  assignment: Assignment;
  signal?: AbortSignal;
  /** Results carried over (not asked again), e.g. the tasks a retry does not touch. */
  given?: Partial<Record<TaskId, TaskResult>>;
  /** Wall clock of the ticket's start (run_tickets.started_at), the origin of attempt offsets. */
  t0Epoch: number;
  /** Speculative execution; absent: the workspace setting (Settings → speculate). */
  speculate?: boolean;
  /** The caller already passed the ticket through the minimum-information gate (a paste): it is not gated again. */
  gated?: boolean;
  /** Called after each result is recorded (e.g. to refresh the ticket's list row). */
  afterResult?: (r: TaskResult) => void;
  /** The user chose to send a ticket the information gate holds (the length gate still applies). */
  skipInfoGate?: boolean;
}

/** High-resolution wall clock, comparable across processes on one machine. */
export const wallClock = (): number => performance.timeOrigin + performance.now();

/** Triages one ticket, recording and publishing as it goes; resolves with every task accounted for. */
export async function triageLive(d: LiveDeps, job: LiveTicket): Promise<TicketResult> {
  const { store, rt, emit } = d;
  const { runId, ticket, assignment } = job;
  const rec = recorder(store, runId);
  const given = job.given ?? {};
  let told = false;
  const publish = (r: TaskResult, spec: string, reused: boolean): void => {
    // To the screen first, then to disk: the UI never waits for the write.
    emit({ type: 'task.result', ticketId: ticket.id, runId, spec, result: r, ...(reused ? { reused: true } : {}), emittedAt: wallClock() });
    try {
      if (!reused) rec.onResult(r, spec, ticket.id);
      else store.saveResult(runId, ticket.id, spec, r);
    } catch (e) {
      // The store is closing (app quit mid-run): the result still reached the screen; the run is
      // marked interrupted at the next start and its unfinished tickets can be resumed.
      // Any other failure (the disk is full) is told once per ticket: the screen shows a result
      // that is not saved.
      if (store.isOpen() && !told) {
        told = true;
        const why = (asStoreError(e, store.path) as Error)?.message ?? String(e);
        emit({ type: 'notice', level: 'error', message: rt.deps.scrub(`ticket ${ticket.id}: results not saved: ${why}`), at: Date.now() });
      }
    }
    try {
      job.afterResult?.(r);
    } catch {
      // refreshing the list row is best effort (it reads the store, which may be failing too)
    }
  };

  const gate = job.gated ? ({ ok: true } as const) : rt.gate(ticket.text);
  if (!gate.ok && !(job.skipInfoGate && gate.code === 'NEEDS_INFO')) {
    const result = gateResult(ticket.id, assignment, rt.deps, gate);
    for (const t of TASK_IDS) publish(result.tasks[t], assignment[t], false);
    return result;
  }

  const speculate = job.speculate ?? loadSettings(store).speculate;
  return triageTicket(rt.deps, ticket, assignment, {
    signal: job.signal,
    stream: true,
    given,
    speculate: speculate ? {} : null,
    onStarted: (task, spec, startedMs) => {
      const i = spec.indexOf(':');
      emit({
        type: 'task.started',
        ticketId: ticket.id,
        runId,
        spec,
        task,
        provider: spec.slice(0, i),
        model: spec.slice(i + 1),
        startedMs,
      });
    },
    onAttempt: (a) => {
      rec.onAttempt(a);
      const call: CallView = {
        task: a.task,
        modelSpec: a.modelSpec,
        attempt: a.attempt,
        startedMs: Math.max(0, a.startedAt - job.t0Epoch),
        latencyMs: a.latencyMs,
        slotWaitMs: a.slotWaitMs,
        cold: a.cold,
        queueTimeMs: a.response?.queueTimeMs ?? null,
        providerTotalMs: a.response?.providerTotalMs ?? null,
        status: a.error ? 'error' : 'ok',
        errorCode: a.error?.code ?? null,
        hedge: a.hedge ?? null,
        hedgeLost: a.hedge ? Boolean(a.hedgeLost) : null,
        ...(a.speculation ? { speculation: a.speculation } : {}),
      };
      emit({ type: 'task.attempt', ticketId: ticket.id, runId, call });
    },
    onResult: (r, spec) => publish(r, spec, given[r.task] === r),
  });
}

/** Tasks that (transitively) depend on `task`, itself included. */
export function downstreamOf(task: TaskId): Set<TaskId> {
  const out = new Set<TaskId>([task]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of TASK_IDS) {
      if (!out.has(t) && TASKS[t].dependsOn.some((dep) => out.has(dep))) {
        out.add(t);
        grew = true;
      }
    }
  }
  return out;
}

/** The results a retry of `task` keeps: every finished task outside what the retry re-runs. */
export function keptForRetry(previous: TaskResult[], task: TaskId): Partial<Record<TaskId, TaskResult>> {
  const redo = downstreamOf(task);
  const out: Partial<Record<TaskId, TaskResult>> = {};
  for (const r of previous) if (r.status === 'ok' && !redo.has(r.task)) out[r.task] = r;
  return out;
}

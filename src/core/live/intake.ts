// Incoming tickets (an opened file, a browser upload, the watched folder, resumed leftovers):
// stored at once, shown in the list at once, then triaged in arrival order by a bounded pool.
// A use case (src/core/live/): it reads ticket files (tickets/) and triages through liveTriage.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { AppError } from '#shared/errors.ts';
import type { TaskResult, TicketInput } from '#shared/results.ts';
import type { ImportReport } from '#shared/routes.ts';
import type { TaskId } from '#shared/tasks.ts';
import type { Assignment } from '../graph/engine.ts';
import { asStoreError } from '../store/storeErrors.ts';
import { triageLive, type LiveDeps } from './liveTriage.ts';
import { markTicketStarted } from './recordTriage.ts';
import { storeTicketFile } from './storeTicketFile.ts';
import type { SpendEstimate } from '#shared/spend.ts';
import type { BatchView } from '#shared/routes/spendRoutes.ts';
import { spendRefusal } from '../spend/refusal.ts';
import { BatchBook } from '../tickets/batches.ts';

import { isTicketFileName, TICKET_FILE_EXTENSIONS } from '../tickets/ticketFile.ts';
export { isTicketFileName, TICKET_FILE_EXTENSIONS };

export interface IntakeJob {
  runId: string;
  ticket: TicketInput;
  given?: Partial<Record<TaskId, TaskResult>>;
}

export interface IntakeDeps extends LiveDeps {
  assignment(): Assignment;
  concurrency(): number;
  /** After a ticket's triage finishes (to refresh its list row). */
  onTicketDone(ticketId: string, runId: string): void;
  /** When a run of queued tickets has no ticket left to triage. */
  onRunDone(runId: string): void;
  /** The cost estimate of triaging these tickets (a sample of them) with the assignment. */
  estimate?(tickets: readonly TicketInput[], count: number, assignment: Assignment): SpendEstimate;
  /** Whether a batch of tickets waits for the user's go-ahead (default: every batch does). */
  holdBatch?(jobs: number, estimate: SpendEstimate | null, intake: 'file' | 'watch' | 'resume'): boolean;
  /** After any batch changed state or moved on (throttled by the caller if needed). */
  onBatches?(batches: BatchView[]): void;
  /** Throws when a batch with this assignment must not start (a retired model: MODEL_RETIRED, replacement named). */
  checkAssignment?(assignment: Assignment): void;
}

export interface Intake {
  /** Imports a ticket file from disk (streamed) under a new run, and queues its tickets. */
  importFile(path: string, label?: string): Promise<ImportReport>;
  /** Imports a file's content (a browser upload) the same way. */
  importContent(name: string, content: string): Promise<ImportReport>;
  /** Queues already stored tickets under a new run (e.g. resuming an interrupted session). */
  enqueue(label: string, jobs: Array<Omit<IntakeJob, 'runId'>>, config?: Record<string, unknown>, opts?: { hold?: boolean }): string;
  /** Batches of this session, newest first. */
  batches(): BatchView[];
  /** The go-ahead for a batch waiting for confirmation. */
  start(runId: string): void;
  /** Stops a batch (or every running one): queued tickets wait, calls in flight finish and are kept. */
  stop(runId?: string): void;
  /** Resumes a stopped batch (or every stopped one) from the store: unfinished tickets, finished tasks reused. */
  resume(runId?: string): number;
  /** Tickets waiting or in flight. */
  pending(): number;
  /** Stops the pool: queued tickets stay pending in their run (marked interrupted at the next start). */
  close(): void;
}

export function createIntake(d: IntakeDeps): Intake {
  const { store } = d;
  let queue: IntakeJob[] = [];
  const outstanding = new Map<string, number>();
  const abort = new AbortController();
  // Each batch has its own Stop; closing the pool stops them all.
  const aborts = new Map<string, AbortController>();
  const signalOf = (runId: string): AbortSignal => {
    let ac = aborts.get(runId);
    if (!ac || ac.signal.aborted) aborts.set(runId, (ac = new AbortController()));
    return AbortSignal.any([abort.signal, ac.signal]);
  };
  const book = new BatchBook(store, (b) => d.onBatches?.(b));
  let active = 0;
  let closed = false;
  // Tickets being triaged now (run + ticket), so a Resume does not queue them twice.
  const running = new Map<string, AbortSignal>();
  const key = (runId: string, ticketId: string): string => `${runId}\u0000${ticketId}`;

  const newRun = (label: string, config: Record<string, unknown>): string => {
    const runId = `run-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
    store.createRun({ id: runId, kind: 'run', label, assignment: d.assignment(), config });
    return runId;
  };

  // A write that fails here (the disk is full) is told to the UI; it must never become an
  // unhandled rejection, which would end the whole host process.
  const fault = (what: string, e: unknown): void => {
    d.emit({
      type: 'notice',
      level: 'error',
      message: `${what}: ${d.rt.deps.scrub((asStoreError(e, store.path) as Error)?.message ?? String(e))}`,
      at: Date.now(),
    });
  };

  const finishOne = (runId: string): void => {
    const left = (outstanding.get(runId) ?? 1) - 1;
    if (left <= 0) {
      outstanding.delete(runId);
      const state = book.state(runId);
      // A stopped or limited batch keeps its unfinished tickets for Resume.
      if (!closed && (state === undefined || state === 'running')) {
        try {
          const unfinished = book.unfinished(runId);
          store.setRunStatus(runId, unfinished === 0 ? 'done' : 'held');
          book.set(runId, unfinished === 0 ? 'done' : 'stopped');
        } catch (e) {
          fault(`run ${runId}`, e);
        }
      }
      d.onRunDone(runId);
    } else outstanding.set(runId, left);
    book.progress(runId);
  };

  /** Takes a batch's waiting tickets off the queue (they stay pending in the store). */
  const unqueue = (runId: string): void => {
    const kept: IntakeJob[] = [];
    let dropped = 0;
    for (const j of queue)
      if (j.runId === runId) dropped++;
      else kept.push(j);
    queue = kept;
    const left = (outstanding.get(runId) ?? 0) - dropped;
    if (left <= 0) outstanding.delete(runId);
    else outstanding.set(runId, left);
  };

  /** A spend limit was reached: every running batch stops with its message (resumable). */
  const limitReached = (message: string): void => {
    for (const b of book.list()) {
      if (b.state !== 'running') continue;
      unqueue(b.runId);
      book.set(b.runId, 'limited', message);
      store.setRunStatus(b.runId, 'held');
    }
    d.emit({ type: 'tickets.changed', reason: 'triage' });
  };

  const pump = (): void => {
    while (!closed && active < Math.max(1, d.concurrency()) && queue.length > 0) {
      const job = queue.shift()!;
      active++;
      void runJob(job).finally(() => {
        active--;
        finishOne(job.runId);
        pump();
      });
    }
  };

  async function runJob(job: IntakeJob): Promise<void> {
    const run = store.getRun(job.runId);
    const assignment = (run?.assignment as Assignment | undefined) ?? d.assignment();
    const t0Epoch = Date.now();
    const signal = signalOf(job.runId);
    running.set(key(job.runId, job.ticket.id), signal);
    try {
      markTicketStarted(store, job.runId, job.ticket.id, t0Epoch);
      const r = await triageLive(d, { runId: job.runId, ticket: job.ticket, assignment, signal, given: job.given, t0Epoch });
      if (signal.aborted) return;
      const refused = spendRefusal(r);
      if (refused) {
        // Not triaged: the ticket stays pending in its run, for Resume.
        limitReached(refused);
        return;
      }
      store.setRunTicket(job.runId, job.ticket.id, 'done', r.totalMs);
      d.emit({ type: 'ticket.done', ticketId: job.ticket.id, runId: job.runId, totalMs: r.totalMs });
    } catch (e) {
      fault(`ticket ${job.ticket.id}`, e);
    } finally {
      if (running.get(key(job.runId, job.ticket.id)) === signal) running.delete(key(job.runId, job.ticket.id));
      try {
        d.onTicketDone(job.ticket.id, job.runId);
      } catch (e) {
        fault(`ticket ${job.ticket.id}`, e);
      }
    }
  }

  const queueJobs = (runId: string, jobs: IntakeJob[]): void => {
    if (jobs.length === 0) {
      store.setRunStatus(runId, 'done');
      if (book.state(runId) !== undefined) book.set(runId, 'done');
      d.onRunDone(runId);
      return;
    }
    outstanding.set(runId, (outstanding.get(runId) ?? 0) + jobs.length);
    queue.push(...jobs);
    pump();
  };

  /** Registers a new batch; held ones wait (run interrupted, tickets pending) for start(). */
  const openBatch = (
    runId: string,
    label: string,
    tickets: readonly TicketInput[],
    jobs: IntakeJob[],
    intake: 'file' | 'watch' | 'resume',
  ): BatchView => {
    const assignment = d.assignment();
    const estimate = d.estimate ? d.estimate(tickets, tickets.length, assignment) : null;
    const hold = jobs.length > 0 && (d.holdBatch ? d.holdBatch(jobs.length, estimate, intake) : true);
    book.add(runId, label, jobs.length, estimate, hold ? 'confirm' : 'running');
    if (hold) store.setRunStatus(runId, 'held');
    else queueJobs(runId, jobs);
    return book.view(runId)!;
  };

  /** The unfinished tickets of a run as jobs, with the tasks they finished reused. */
  const leftovers = (runId: string): IntakeJob[] => {
    const jobs: IntakeJob[] = [];
    for (const id of book.unfinishedIds(runId)) {
      if (running.get(key(runId, id))?.aborted === false) continue;
      const ticket = store.getTicket(id);
      if (!ticket) continue;
      const given: Partial<Record<TaskId, TaskResult>> = {};
      for (const r of store.resultsForTicket(runId, id)) if (r.status === 'ok') given[r.task] = r;
      jobs.push({ runId, ticket, given });
    }
    return jobs;
  };

  /** Refuses to start a batch whose run would call a retired model (its tickets stay, waiting). */
  const checkRun = (runId: string): void => {
    const a = store.getRun(runId)?.assignment as Assignment | undefined;
    if (a) d.checkAssignment?.(a);
  };

  const go = (runId: string): number => {
    if (outstanding.has(runId)) unqueue(runId);
    const jobs = leftovers(runId);
    store.setRunStatus(runId, 'running');
    book.set(runId, 'running');
    queueJobs(runId, jobs);
    d.emit({ type: 'runs.changed' });
    d.emit({ type: 'tickets.changed', reason: 'triage' });
    return jobs.length;
  };

  async function importFile(path: string, label?: string): Promise<ImportReport> {
    if (!isTicketFileName(path)) {
      throw new AppError('BAD_INPUT', `${basename(path)}: not a ticket file (expected ${TICKET_FILE_EXTENSIONS.join(', ')})`);
    }
    const source = label ?? basename(path);
    const { runId, tickets, badLines } = await storeTicketFile(store, path, source, {
      newRun: () => newRun(source, { source, intake: 'file' }),
      onAdded: () => d.emit({ type: 'tickets.changed', reason: 'added' }),
    });
    const jobs: IntakeJob[] = tickets.map((ticket) => ({ runId, ticket }));
    const batch = openBatch(
      runId,
      source,
      jobs.map((j) => j.ticket),
      jobs,
      label?.startsWith('watch:') ? 'watch' : 'file',
    );
    d.emit({ type: 'runs.changed' });
    return { runId, source, added: jobs.length, badLines, batch };
  }

  return {
    importFile,
    async importContent(name, content) {
      const ext = extname(name).toLowerCase();
      if (!isTicketFileName(name))
        throw new AppError('BAD_INPUT', `${name}: not a ticket file (expected ${TICKET_FILE_EXTENSIONS.join(', ')})`);
      // The same streaming reader as files on disk, so uploads and files parse alike.
      const dir = mkdtempSync(join(tmpdir(), 'casebench-import-'));
      try {
        const p = join(dir, `upload${ext}`);
        writeFileSync(p, content, 'utf8');
        return await importFile(p, basename(name));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    enqueue(label, jobs, config = {}, opts = {}) {
      if (!opts.hold) d.checkAssignment?.(d.assignment());
      const runId = newRun(label, config);
      store.transaction(() => {
        for (const j of jobs) store.setRunTicket(runId, j.ticket.id, 'pending');
      });
      const withRun = jobs.map((j) => ({ ...j, runId }));
      if (opts.hold === undefined) {
        book.add(runId, label, withRun.length, null, 'running');
        queueJobs(runId, withRun);
      } else if (opts.hold)
        openBatch(
          runId,
          label,
          withRun.map((j) => j.ticket),
          withRun,
          config.intake === 'watch' ? 'watch' : 'resume',
        );
      else {
        book.add(
          runId,
          label,
          withRun.length,
          d.estimate
            ? d.estimate(
                withRun.map((j) => j.ticket),
                withRun.length,
                d.assignment(),
              )
            : null,
          'running',
        );
        queueJobs(runId, withRun);
      }
      d.emit({ type: 'runs.changed' });
      d.emit({ type: 'tickets.changed', reason: 'triage' });
      return runId;
    },
    pending: () => queue.length + active,
    batches: () => book.list(),
    start(runId) {
      const state = book.state(runId);
      if (state === undefined) throw new AppError('BAD_INPUT', `no batch ${runId} in this session`);
      if (state !== 'confirm') throw new AppError('BAD_INPUT', `batch ${runId} is not waiting for confirmation (it is ${state})`);
      checkRun(runId);
      go(runId);
    },
    stop(runId) {
      const targets = runId
        ? [runId]
        : book
            .list()
            .filter((b) => b.state === 'running' || b.state === 'confirm')
            .map((b) => b.runId);
      if (runId && book.state(runId) === undefined) throw new AppError('BAD_INPUT', `no batch ${runId} in this session`);
      for (const id of targets) {
        unqueue(id);
        aborts.get(id)?.abort();
        book.set(id, 'stopped');
        store.setRunStatus(id, 'held');
      }
      if (targets.length) d.emit({ type: 'tickets.changed', reason: 'triage' });
    },
    resume(runId) {
      if (runId) {
        const run = store.getRun(runId);
        if (run?.kind !== 'run') throw new AppError('BAD_INPUT', `no batch ${runId}`);
        checkRun(runId);
        if (book.state(runId) === undefined)
          book.add(runId, run.label ?? runId, book.unfinished(runId) + store.runTicketIds(runId, 'done').size, null, 'stopped');
        return go(runId);
      }
      const held = book.list().filter((b) => b.state === 'stopped' || b.state === 'limited');
      for (const b of held) checkRun(b.runId);
      let n = 0;
      for (const b of held) n += go(b.runId);
      return n;
    },
    close() {
      closed = true;
      queue.length = 0;
      abort.abort();
      book.close();
    },
  };
}

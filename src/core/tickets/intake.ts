// Incoming tickets (an opened file, a browser upload, the watched folder, resumed leftovers):
// stored at once, shown in the list at once, then triaged in arrival order by a bounded pool.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import type { TaskResult, TicketInput } from '../../shared/results.ts';
import type { ImportReport } from '../../shared/routes.ts';
import type { TaskId } from '../../shared/tasks.ts';
import type { Assignment } from '../graph/engine.ts';
import type { Store } from '../store/store.ts';
import { asStoreError } from '../store/storeErrors.ts';
import { triageLive, type LiveDeps } from '../live/liveTriage.ts';
import { readTicketFile } from './ticketFile.ts';

/** File kinds the workbench imports. */
export const TICKET_FILE_EXTENSIONS = ['.jsonl', '.ndjson', '.json', '.csv'] as const;
/** Bad lines reported back in full; the rest are counted. */
const MAX_REPORTED_BAD_LINES = 50;
/** Tickets written per transaction while importing. */
const CHUNK = 500;

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
}

export interface Intake {
  /** Imports a ticket file from disk (streamed) under a new run, and queues its tickets. */
  importFile(path: string, label?: string): Promise<ImportReport>;
  /** Imports a file's content (a browser upload) the same way. */
  importContent(name: string, content: string): Promise<ImportReport>;
  /** Queues already stored tickets under a new run (e.g. resuming an interrupted session). */
  enqueue(label: string, jobs: Array<Omit<IntakeJob, 'runId'>>, config?: Record<string, unknown>): string;
  /** Tickets waiting or in flight. */
  pending(): number;
  /** Stops the pool: queued tickets stay pending in their run (marked interrupted at the next start). */
  close(): void;
}

/** Records when a queued ticket's triage really began (the origin of its calls' offsets). */
export function markTicketStarted(store: Store, runId: string, ticketId: string, t0Epoch: number): void {
  store.setRunTicket(runId, ticketId, 'pending');
  store.prepare('UPDATE run_tickets SET started_at = ? WHERE run_id = ? AND ticket_id = ?').run(t0Epoch, runId, ticketId);
}

export function isTicketFileName(name: string): boolean {
  return (TICKET_FILE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

export function createIntake(d: IntakeDeps): Intake {
  const { store } = d;
  const queue: IntakeJob[] = [];
  const outstanding = new Map<string, number>();
  const abort = new AbortController();
  let active = 0;
  let closed = false;

  const newRun = (label: string, config: Record<string, unknown>): string => {
    const runId = `run-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
    store.createRun({ id: runId, kind: 'run', label, assignment: d.assignment(), config });
    return runId;
  };

  // A write that fails here (the disk is full) is told to the UI; it must never become an
  // unhandled rejection, which would end the whole host process.
  const fault = (what: string, e: unknown): void => {
    d.emit({ type: 'notice', level: 'error', message: `${what}: ${d.rt.deps.scrub((asStoreError(e, store.path) as Error)?.message ?? String(e))}`, at: Date.now() });
  };

  const finishOne = (runId: string): void => {
    const left = (outstanding.get(runId) ?? 1) - 1;
    if (left <= 0) {
      outstanding.delete(runId);
      try {
        if (!closed) store.setRunStatus(runId, 'done');
      } catch (e) {
        fault(`run ${runId}`, e);
      }
      d.onRunDone(runId);
    } else outstanding.set(runId, left);
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
    try {
      markTicketStarted(store, job.runId, job.ticket.id, t0Epoch);
      const r = await triageLive(d, { runId: job.runId, ticket: job.ticket, assignment, signal: abort.signal, given: job.given, t0Epoch });
      if (abort.signal.aborted) return;
      store.setRunTicket(job.runId, job.ticket.id, 'done', r.totalMs);
      d.emit({ type: 'ticket.done', ticketId: job.ticket.id, runId: job.runId, totalMs: r.totalMs });
    } catch (e) {
      fault(`ticket ${job.ticket.id}`, e);
    } finally {
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
      d.onRunDone(runId);
      return;
    }
    outstanding.set(runId, (outstanding.get(runId) ?? 0) + jobs.length);
    queue.push(...jobs);
    pump();
  };

  async function importFile(path: string, label?: string): Promise<ImportReport> {
    if (!isTicketFileName(path)) {
      throw new AppError('BAD_INPUT', `${basename(path)}: not a ticket file (expected ${TICKET_FILE_EXTENSIONS.join(', ')})`);
    }
    const source = label ?? basename(path);
    const lines = readTicketFile(path);
    // Reading the first line surfaces a missing or unusable file before a run is created.
    const first = await lines.next();
    const runId = newRun(source, { source, intake: 'file' });
    const badLines: ImportReport['badLines'] = [];
    let bad = 0;
    const jobs: IntakeJob[] = [];
    let chunk: TicketInput[] = [];
    const flush = (): void => {
      if (chunk.length === 0) return;
      const batch = chunk;
      chunk = [];
      store.transaction(() => {
        for (const t of batch) {
          store.upsertTicket(t, source);
          store.setRunTicket(runId, t.id, 'pending');
        }
      });
      d.emit({ type: 'tickets.changed', reason: 'added' });
    };
    const take = (line: Awaited<ReturnType<typeof lines.next>>['value']): void => {
      if (!line) return;
      if (!line.ok) {
        bad++;
        if (badLines.length < MAX_REPORTED_BAD_LINES) badLines.push({ line: line.line, message: line.message });
        return;
      }
      chunk.push(line.ticket);
      jobs.push({ runId, ticket: line.ticket });
      if (chunk.length >= CHUNK) flush();
    };
    if (!first.done) take(first.value);
    for await (const line of lines) take(line);
    flush();
    if (bad > badLines.length) badLines.push({ line: 0, message: `… and ${bad - badLines.length} more bad lines` });
    queueJobs(runId, jobs);
    d.emit({ type: 'runs.changed' });
    return { runId, source, added: jobs.length, badLines };
  }

  return {
    importFile,
    async importContent(name, content) {
      const ext = extname(name).toLowerCase();
      if (!isTicketFileName(name)) throw new AppError('BAD_INPUT', `${name}: not a ticket file (expected ${TICKET_FILE_EXTENSIONS.join(', ')})`);
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
    enqueue(label, jobs, config = {}) {
      const runId = newRun(label, config);
      store.transaction(() => {
        for (const j of jobs) store.setRunTicket(runId, j.ticket.id, 'pending');
      });
      queueJobs(runId, jobs.map((j) => ({ ...j, runId })));
      d.emit({ type: 'runs.changed' });
      d.emit({ type: 'tickets.changed', reason: 'triage' });
      return runId;
    },
    pending: () => queue.length + active,
    close() {
      closed = true;
      queue.length = 0;
      abort.abort();
    },
  };
}

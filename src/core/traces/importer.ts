// Imports one trace file into the workspace in ONE transaction: every readable call of the file
// commits together, or nothing does (a crash, or the user aborting, rolls the whole file back).
// Calls land in the ordinary tables so tickets, comparison, review and reports see them like
// recorded ones; call_origins keeps the file, the position in it and the source tool's ids.
//
// Two halves: reading + mapping (reader.ts, importMap.ts) and writing (importWrite.ts). A big
// file is read and mapped on a worker thread (importWorker.ts) while this thread writes, so the
// two cores share the work; a small one is done inline, where a thread would cost more than it
// saves. Either way the same mapper and writer run, so the result is the same row for row.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, ERROR_CODES, type ErrorCode } from '../../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { ImportMapper, shortHash, type WriteOp } from './importMap.ts';
import { ImportWriter, type ImportReport } from './importWrite.ts';
import { openTraceFile, sha256Of, type TraceFileInfo } from './reader.ts';
import { importRunForSha, type Row } from './traceQueries.ts';
import type { ImportIssue } from './types.ts';

export type { ImportReport } from './importWrite.ts';

export interface ImportOptions {
  signal?: AbortSignal;
  /** Each skipped record as soon as it is met (the CLI prints them). */
  onIssue?: (issue: ImportIssue) => void;
  /** After each batch written (about every MB of the file): calls so far and how far into the file. */
  onProgress?: (p: ImportProgress) => void;
  /** Import a file whose content was imported before (default: report it and do nothing). */
  again?: boolean;
  now?: () => number;
  /** Where to read the file: 'auto' (default) uses a worker thread for files of WORKER_MIN_BYTES or more. */
  reader?: 'auto' | 'worker' | 'inline';
  /**
   * A worker import checkpoints the WAL after its commit on the worker's own connection, in the
   * background (the import is complete and visible at the commit); this says when that is done.
   */
  onCheckpoint?: (c: { ms: number; error: string | null }) => void;
}

export interface ImportProgress {
  calls: number;
  skipped: number;
  bytesRead: number;
  bytes: number;
}

/** From this size on, reading on a worker thread pays for the thread's start (~0.1 s). */
export const WORKER_MIN_BYTES = 4 * 1024 * 1024;

/** What the reading thread sends. */
export type ImportWorkerMessage =
  | { t: 'info'; info: TraceFileInfo }
  | { t: 'ops'; ops: WriteOp[]; bytesRead: number }
  | { t: 'end' }
  | { t: 'error'; code: ErrorCode | null; message: string }
  | { t: 'checkpointed'; ms: number; error: string | null };

/** What the importing thread sends back. */
export type ImportHostMessage =
  | { t: 'open'; sha256: string }
  | { t: 'go'; base: string; at: number }
  | { t: 'ack' }
  | { t: 'stop' }
  | { t: 'checkpoint'; db: string };

// From the sources the worker is the .ts beside this file; a bundle (the Electron main build)
// emits it as importWorker.js beside its entry and says so with setImportWorkerUrl.
let workerUrl = new URL(import.meta.url.endsWith('.ts') ? './importWorker.ts' : './importWorker.js', import.meta.url);

/** Where the import worker's module is (for bundles that place it elsewhere). */
export function setImportWorkerUrl(url: URL): void {
  workerUrl = url;
}

const cancelled = (): AppError => new AppError('CANCELLED', 'import cancelled');

function emptyReport(info: TraceFileInfo, reader: ImportReport['reader']): ImportReport {
  return { file: info, runIds: [], calls: 0, tickets: 0, results: 0, skipped: 0, issues: [], alreadyImported: null, notes: [], reader };
}

const progressOf = (w: ImportWriter, bytesRead: number): ImportProgress => ({
  calls: w.report.calls, skipped: w.report.skipped, bytesRead, bytes: w.report.file.bytes,
});

const baseFor = (info: TraceFileInfo, prior: string | null, now: () => number): string =>
  `import-${info.sha256.slice(0, 16)}${prior ? `-${shortHash(String(now()))}` : ''}`;

/** Imports a trace file (format detected from content); throws AppError only when the file as a whole is unusable. */
export async function importTraceFile(store: Store, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const mode = opts.reader ?? 'auto';
  let useWorker = mode === 'worker';
  if (mode === 'auto') {
    const st = await stat(path).catch(() => null);
    useWorker = st !== null && st.isFile() && st.size >= WORKER_MIN_BYTES;
  }
  if (useWorker) {
    const r = await importOnWorker(store, path, opts);
    if (r.ok) return r.report;
    // The thread could not even start (a broken install): the same import, on this thread.
    const report = await importInline(store, path, opts);
    report.notes.push(`read on the importing thread: the import worker did not start (${r.why})`);
    return report;
  }
  return importInline(store, path, opts);
}

async function importInline(store: Store, path: string, opts: ImportOptions): Promise<ImportReport> {
  const now = opts.now ?? Date.now;
  const opened = await openTraceFile(path, { signal: opts.signal });
  const { info } = opened;
  const prior = importRunForSha(store, info.sha256);
  if (prior && !opts.again) {
    await opened.items.return(undefined);
    return { ...emptyReport(info, 'inline'), alreadyImported: prior };
  }
  const at = now();
  const mapper = new ImportMapper({ info, base: baseFor(info, prior, now), at });
  const writer = new ImportWriter(store, info, 'inline', { onIssue: opts.onIssue, now, at });
  writer.begin();
  try {
    const ops: WriteOp[] = [];
    for await (const batch of opened.items) {
      ops.length = 0;
      for (const item of batch) mapper.map(item, ops);
      writer.apply(ops);
      opts.onProgress?.(progressOf(writer, opened.bytesRead()));
    }
    if (opts.signal?.aborted) throw cancelled();
    return writer.finish();
  } catch (e) {
    writer.rollback();
    await opened.items.return(undefined);
    throw e;
  }
}

type Inbound = ImportWorkerMessage | { t: 'crash'; message: string } | { t: 'aborted' };

/** The worker's messages as an async queue, with its crash, exit and the caller's abort in it. */
function inbox(worker: Worker, signal: AbortSignal | undefined): { next: () => Promise<Inbound>; close: () => void } {
  const queue: Inbound[] = [];
  let waiting: ((m: Inbound) => void) | null = null;
  const push = (m: Inbound): void => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(m);
    } else queue.push(m);
  };
  const onAbort = (): void => push({ t: 'aborted' });
  worker.on('message', (m: ImportWorkerMessage) => push(m));
  worker.on('error', (e: Error) => push({ t: 'crash', message: e.message }));
  worker.on('exit', (code) => push({ t: 'crash', message: `the import worker stopped (exit code ${code})` }));
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  return {
    next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise<Inbound>((r) => (waiting = r))),
    close: () => signal?.removeEventListener('abort', onAbort),
  };
}

function workerError(m: { code: ErrorCode | null; message: string }): AppError {
  const code = m.code && (ERROR_CODES as readonly string[]).includes(m.code) ? m.code : 'INTERNAL';
  return new AppError(code, m.message);
}

async function importOnWorker(store: Store, path: string, opts: ImportOptions): Promise<{ ok: true; report: ImportReport } | { ok: false; why: string }> {
  const now = opts.now ?? Date.now;
  if (!existsSync(fileURLToPath(workerUrl))) return { ok: false, why: `${fileURLToPath(workerUrl)} is missing` };
  const worker = new Worker(workerUrl, { workerData: { path } });
  const box = inbox(worker, opts.signal);
  let writer: ImportWriter | null = null;
  let autocheckpoint: number | null = null;
  let keepWorker = false;
  try {
    // The thread takes ~0.1 s to start: the file is hashed meanwhile.
    worker.postMessage({ t: 'open', sha256: await sha256Of(path) } satisfies ImportHostMessage);
    const first = await box.next();
    if (first.t === 'crash') return { ok: false, why: first.message };
    if (first.t === 'aborted') throw cancelled();
    if (first.t === 'error') throw workerError(first);
    if (first.t !== 'info') throw new AppError('INTERNAL', `import worker: unexpected ${first.t} before the file's description`);
    const { info } = first;
    const prior = importRunForSha(store, info.sha256);
    if (prior && !opts.again) return { ok: true, report: { ...emptyReport(info, 'worker'), alreadyImported: prior } };
    const at = now();
    worker.postMessage({ t: 'go', base: baseFor(info, prior, now), at } satisfies ImportHostMessage);
    // The commit of a big import leaves a big WAL: it is checkpointed on the worker's connection
    // afterwards, not by this connection's automatic checkpoint inside COMMIT (which would hold
    // this thread for as long as copying the whole import takes).
    autocheckpoint = Number((store.prepare('PRAGMA wal_autocheckpoint').get() as Row).wal_autocheckpoint);
    store.prepare('PRAGMA wal_autocheckpoint = 0').get();
    writer = new ImportWriter(store, info, 'worker', { onIssue: opts.onIssue, now, at });
    writer.begin();
    for (;;) {
      const m = await box.next();
      if (m.t === 'ops') {
        writer.apply(m.ops);
        worker.postMessage({ t: 'ack' } satisfies ImportHostMessage);
        opts.onProgress?.(progressOf(writer, m.bytesRead));
        if (opts.signal?.aborted) throw cancelled();
      } else if (m.t === 'end') break;
      else if (m.t === 'aborted') throw cancelled();
      else if (m.t === 'error') throw workerError(m);
      else if (m.t === 'crash') throw new AppError('INTERNAL', `reading ${info.name} failed: ${m.message}`);
    }
    const report = writer.finish();
    writer = null;
    if (store.path !== ':memory:') {
      keepWorker = true;
      void checkpointThenStop(worker, box, store.path, opts.onCheckpoint);
    }
    return { ok: true, report };
  } catch (e) {
    writer?.rollback();
    throw e;
  } finally {
    if (autocheckpoint !== null) store.prepare(`PRAGMA wal_autocheckpoint = ${Number.isFinite(autocheckpoint) ? autocheckpoint : 1000}`).get();
    if (!keepWorker) {
      box.close();
      await worker.terminate();
    }
  }
}

/** Checkpoints the WAL on the worker's own connection, then ends the worker (a process waits for it before exiting). */
async function checkpointThenStop(worker: Worker, box: ReturnType<typeof inbox>, db: string, done?: ImportOptions['onCheckpoint']): Promise<void> {
  box.close();
  worker.postMessage({ t: 'checkpoint', db } satisfies ImportHostMessage);
  let m = await box.next();
  while (m.t !== 'checkpointed' && m.t !== 'crash') m = await box.next();
  await worker.terminate();
  done?.(m.t === 'checkpointed' ? { ms: m.ms, error: m.error } : { ms: 0, error: m.message });
}

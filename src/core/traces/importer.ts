// Imports one trace file into the workspace in ONE transaction: every readable call of the file
// commits together, or nothing does (a crash, or the user aborting, rolls the whole file back).
// Calls land in the ordinary tables so tickets, comparison, review and reports see them like
// recorded ones; call_origins keeps the file, the position in it and the source tool's ids.
//
// Two halves: reading + mapping (reader.ts, importMap.ts) and writing (importWrite.ts). A big
// file is read and mapped on a worker thread (importWorker.ts) while this thread writes, so the
// two cores share the work; a small one is done inline, where a thread would cost more than it
// saves. Either way the same mapper and writer run, so the result is the same row for row.
import { existsSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, ERROR_CODES, type ErrorCode } from '#shared/errors.ts';
import { openStore, type Store } from '../store/store.ts';
import { ImportMapper, shortHash } from './importMap.ts';
import { defaultPriceEntries, type PriceEntry } from './importPricing.ts';
import { ImportWriter, ticketConflictNote, type ImportReport } from './importWrite.ts';
import { fingerprintOf, openTraceFile, sha256Of, type TraceFileInfo } from './reader.ts';
import { importRunForFingerprint, importRunForSha, importRunNamed, type Row } from './traceQueries.ts';
import type { ImportIssue } from './types.ts';
import type { WriteOp } from './writeOps.ts';

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
  /**
   * A file path for a staging database (its folder must exist; the file is removed afterwards).
   * When the import runs on the worker, its rows are written there and copied into the workspace
   * in one short transaction at the end, so the workspace stays free for other writes meanwhile
   * (the workbench, where triage and UI state write while a big file imports). Costs the copy.
   */
  staging?: string;
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
  | { t: 'checkpointed'; ms: number; error: string | null }
  | { t: 'merged'; ticketConflicts: number; error: string | null };

/** What the importing thread sends back. */
export type ImportHostMessage =
  | { t: 'open'; fingerprint: string }
  | { t: 'go'; base: string; at: number; prices: PriceEntry[] }
  | { t: 'ack' }
  | { t: 'checkpoint'; db: string }
  | { t: 'merge'; db: string; staging: string };

// From the sources the worker is the .ts beside this file; a bundle (the Electron main build)
// emits it as importWorker.js beside its entry and says so with setImportWorkerUrl.
let workerUrl = new URL(import.meta.url.endsWith('.ts') ? './importWorker.ts' : './importWorker.js', import.meta.url);

/** Where the import worker's module is (for bundles that place it elsewhere). */
export function setImportWorkerUrl(url: URL): void {
  workerUrl = url;
}

const cancelled = (path: string): AppError => new AppError('CANCELLED', `import of ${basename(path)} cancelled; nothing of it was written`);

function emptyReport(info: TraceFileInfo, reader: ImportReport['reader']): ImportReport {
  return { file: info, runIds: [], calls: 0, tickets: 0, results: 0, skipped: 0, issues: [], alreadyImported: null, notes: [], reader };
}

const progressOf = (w: ImportWriter, bytesRead: number): ImportProgress => ({
  calls: w.report.calls,
  skipped: w.report.skipped,
  bytesRead,
  bytes: w.report.file.bytes,
});

interface Identity {
  /** Prefix of the import's run ids. */
  base: string;
  /** The content's sha256: being computed while the file is imported (or already known). */
  sha256: Promise<string>;
  /** The import run that already holds this content, when that is known before reading. */
  already: string | null;
}

/**
 * Names the import without reading the whole file first: a file whose fingerprint (size, first
 * and last MiB) no import has is new content, so its runs are named after the fingerprint and the
 * full hash is computed while it imports (and checked once more at the end). Only when an import
 * with the same fingerprint exists does the full hash come first, to tell the same content from a
 * file that merely starts and ends alike.
 */
async function identify(store: Store, path: string, fingerprint: string, opts: ImportOptions, now: () => number): Promise<Identity> {
  const fp16 = fingerprint.slice(0, 16);
  if (importRunForFingerprint(store, fingerprint) === null) {
    const sha256 = sha256Of(path, opts.signal);
    sha256.catch(() => undefined); // awaited later; a failure there is the import's failure
    // a run of that name without a fingerprint on record (hand-edited, or of an older casebench) is not reused
    const taken = importRunNamed(store, `import-${fp16}`);
    return { base: taken ? `import-${fp16}-${shortHash(String(now()))}` : `import-${fp16}`, sha256, already: null };
  }
  const sha = await sha256Of(path, opts.signal);
  const prior = importRunForSha(store, sha);
  if (prior && !opts.again) return { base: '', sha256: Promise.resolve(sha), already: prior };
  return { base: `import-${fp16}-${shortHash(String(now()))}`, sha256: Promise.resolve(sha), already: null };
}

/** The full hash, once the file is read; or the import that already holds the same content (checked when it was not known up front). */
async function contentCheck(store: Store, id: Identity, opts: ImportOptions): Promise<{ sha256: string; already: string | null }> {
  const sha256 = await id.sha256;
  const prior = importRunForSha(store, sha256);
  return { sha256, already: prior && !opts.again ? prior : null };
}

/** Imports a trace file (format detected from content); throws AppError only when the file as a whole is unusable. */
export async function importTraceFile(store: Store, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const mode = opts.reader ?? 'auto';
  // A path that is no file goes inline, where openTraceFile says what is wrong with it.
  const st = mode === 'inline' ? null : await stat(path).catch(() => null);
  const useWorker = st?.isFile() && (mode === 'worker' || st.size >= WORKER_MIN_BYTES);
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
  const id = await identify(store, path, info.fingerprint, opts, now);
  if (id.already) {
    await opened.items.return(undefined);
    return { ...emptyReport({ ...info, sha256: await id.sha256 }, 'inline'), alreadyImported: id.already };
  }
  const at = now();
  const mapper = new ImportMapper({ info, base: id.base, at, prices: defaultPriceEntries() });
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
    if (opts.signal?.aborted) throw cancelled(path);
    const c = await contentCheck(store, id, opts);
    if (c.already) {
      writer.rollback();
      return { ...emptyReport({ ...info, sha256: c.sha256 }, 'inline'), alreadyImported: c.already };
    }
    return writer.finish(c.sha256);
  } catch (e) {
    writer.rollback();
    await opened.items.return(undefined);
    throw e;
  }
}

type Inbound = ImportWorkerMessage | { t: 'crash'; message: string } | { t: 'aborted' };

/** The worker's messages as an async queue, with its crash, exit and the caller's abort in it. */
interface Inbox {
  next(): Promise<Inbound>;
  /** The next message of type t, or the worker's crash; everything between (an abort too) is passed over. */
  until<T extends 'merged' | 'checkpointed'>(t: T): Promise<Extract<Inbound, { t: T | 'crash' }>>;
  close(): void;
}

function inbox(worker: Worker, signal: AbortSignal | undefined): Inbox {
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
  const next = (): Promise<Inbound> => (queue.length ? Promise.resolve(queue.shift()!) : new Promise<Inbound>((r) => (waiting = r)));
  return {
    next,
    async until(t) {
      for (let m = await next(); ; m = await next()) if (m.t === t || m.t === 'crash') return m as never;
    },
    close: () => signal?.removeEventListener('abort', onAbort),
  };
}

function workerError(m: { code: ErrorCode | null; message: string }): AppError {
  const code = m.code && (ERROR_CODES as readonly string[]).includes(m.code) ? m.code : 'INTERNAL';
  return new AppError(code, m.message);
}

async function importOnWorker(
  store: Store,
  path: string,
  opts: ImportOptions,
): Promise<{ ok: true; report: ImportReport } | { ok: false; why: string }> {
  const now = opts.now ?? Date.now;
  if (!existsSync(fileURLToPath(workerUrl))) return { ok: false, why: `${fileURLToPath(workerUrl)} is missing` };
  const worker = new Worker(workerUrl, { workerData: { path } });
  const box = inbox(worker, opts.signal);
  let writer: ImportWriter | null = null;
  let autocheckpoint: number | null = null;
  let keepWorker = false;
  const staged = opts.staging && store.path !== ':memory:' ? opts.staging : null;
  let staging: Store | null = null;
  try {
    // The thread takes ~0.1 s to start: the file is fingerprinted meanwhile.
    const fingerprint = await fingerprintOf(path);
    worker.postMessage({ t: 'open', fingerprint } satisfies ImportHostMessage);
    const id = await identify(store, path, fingerprint, opts, now);
    const first = await box.next();
    if (first.t === 'crash') return { ok: false, why: first.message };
    if (first.t === 'aborted') throw cancelled(path);
    if (first.t === 'error') throw workerError(first);
    if (first.t !== 'info') throw new AppError('INTERNAL', `import worker: unexpected ${first.t} before the file's description`);
    const { info } = first;
    if (id.already)
      return { ok: true, report: { ...emptyReport({ ...info, sha256: await id.sha256 }, 'worker'), alreadyImported: id.already } };
    const at = now();
    worker.postMessage({ t: 'go', base: id.base, at, prices: defaultPriceEntries() } satisfies ImportHostMessage);
    let target = store;
    if (staged) {
      // a database of its own, never read by anyone else: no WAL, no syncing, a journal in memory for rollback
      staging = openStore(staged, { scrubber: store.secretScrubber }); // its rows are copied into the workspace as they are
      staging.prepare('PRAGMA journal_mode = MEMORY').get();
      staging.prepare('PRAGMA synchronous = OFF').get();
      target = staging;
    } else {
      // The commit of a big import leaves a big WAL: it is checkpointed on the worker's connection
      // afterwards, not by this connection's automatic checkpoint inside COMMIT (which would hold
      // this thread for as long as copying the whole import takes).
      autocheckpoint = Number((store.prepare('PRAGMA wal_autocheckpoint').get() as Row).wal_autocheckpoint);
      store.prepare('PRAGMA wal_autocheckpoint = 0').get();
    }
    writer = new ImportWriter(target, info, 'worker', { onIssue: opts.onIssue, now, at });
    writer.begin();
    for (;;) {
      const m = await box.next();
      if (m.t === 'ops') {
        writer.apply(m.ops);
        worker.postMessage({ t: 'ack' } satisfies ImportHostMessage);
        opts.onProgress?.(progressOf(writer, m.bytesRead));
        if (opts.signal?.aborted) throw cancelled(path);
      } else if (m.t === 'end') break;
      else if (m.t === 'aborted') throw cancelled(path);
      else if (m.t === 'error') throw workerError(m);
      else if (m.t === 'crash') throw new AppError('INTERNAL', `reading ${info.name} failed: ${m.message}`);
    }
    const c = await contentCheck(store, id, opts);
    if (c.already) {
      writer.rollback();
      writer = null;
      return { ok: true, report: { ...emptyReport({ ...info, sha256: c.sha256 }, 'worker'), alreadyImported: c.already } };
    }
    const report = writer.finish(c.sha256);
    writer = null;
    if (staging) {
      staging.close();
      staging = null;
      // The copy into the workspace cannot be stopped halfway: a Cancel now waits for it.
      worker.postMessage({ t: 'merge', db: store.path, staging: staged! } satisfies ImportHostMessage);
      const m = await box.until('merged');
      if (m.t === 'crash') throw new AppError('INTERNAL', `copying ${info.name} into the workspace failed: ${m.message}`);
      if (m.error) throw new AppError('INTERNAL', `copying ${info.name} into the workspace failed: ${m.error}`);
      const note = ticketConflictNote(m.ticketConflicts);
      if (note) report.notes.push(note);
    }
    if (store.path !== ':memory:') {
      keepWorker = true;
      void checkpointThenStop(worker, box, store.path, opts.onCheckpoint);
    }
    return { ok: true, report };
  } catch (e) {
    writer?.rollback();
    throw e;
  } finally {
    if (autocheckpoint !== null)
      store.prepare(`PRAGMA wal_autocheckpoint = ${Number.isFinite(autocheckpoint) ? autocheckpoint : 1000}`).get();
    staging?.close();
    if (staged) for (const sfx of ['', '-journal', '-wal', '-shm']) rmSync(`${staged}${sfx}`, { force: true });
    if (!keepWorker) {
      box.close();
      await worker.terminate();
    }
  }
}

/** Checkpoints the WAL on the worker's own connection, then ends the worker (a process waits for it before exiting). */
async function checkpointThenStop(worker: Worker, box: Inbox, db: string, done?: ImportOptions['onCheckpoint']): Promise<void> {
  box.close();
  worker.postMessage({ t: 'checkpoint', db } satisfies ImportHostMessage);
  const m = await box.until('checkpointed');
  await worker.terminate();
  done?.(m.t === 'checkpointed' ? { ms: m.ms, error: m.error } : { ms: 0, error: m.message });
}

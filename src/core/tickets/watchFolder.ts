// The watched folder: ticket files (JSONL/CSV) and single tickets (.txt, one ticket per file)
// dropped into it are imported once each, when their size has stopped changing. fs.watch makes
// it prompt; a slow rescan makes it dependable where fs.watch is not (network shares, some VMs).
import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { AppError } from '#shared/errors.ts';
import type { Store } from '../store/store.ts';
import { isTicketFileName } from './ticketFile.ts';

export interface WatchedFile {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
}

export interface FolderWatchOptions {
  /** Imports one stable file; throwing reports the error and marks the file as seen. */
  onFile(file: WatchedFile): Promise<string | null>;
  onError(message: string): void;
  isSeen(file: WatchedFile): boolean;
  /**
   * Takes the file for this process, atomically: false when it is seen already or another process
   * watching the same workspace took it first (two windows on one workspace import it once).
   */
  claim(file: WatchedFile): boolean;
  markSeen(file: WatchedFile, runId: string | null): void;
  /** Rescan period, ms (default 2000). */
  pollMs?: number;
}

export interface FolderWatch {
  readonly dir: string;
  /** Scans now (tests; also after fs.watch fires). */
  scan(): Promise<void>;
  close(): void;
}

/** Largest single-ticket .txt file read (bytes). */
export const MAX_TXT_TICKET_BYTES = 1024 * 1024;

const isCandidate = (name: string): boolean =>
  !name.startsWith('.') &&
  !/(~|\.part|\.tmp|\.crdownload)$/i.test(name) &&
  (isTicketFileName(name) || extname(name).toLowerCase() === '.txt');

/** Checks that `dir` is an existing folder; throws BAD_INPUT saying why not. */
export async function checkFolder(dir: string): Promise<void> {
  let s;
  try {
    s = await stat(dir);
  } catch {
    throw new AppError('BAD_INPUT', `watched folder ${dir} does not exist`);
  }
  if (!s.isDirectory()) throw new AppError('BAD_INPUT', `watched folder ${dir} is not a folder`);
}

/** Starts watching `dir` (which must exist). */
export function watchFolder(dir: string, o: FolderWatchOptions): FolderWatch {
  // A file is imported once it has looked the same on two scans in a row (a copy has finished).
  const lastSeen = new Map<string, string>();
  const importing = new Set<string>();
  let closed = false;
  let scanning: Promise<void> | null = null;
  let again = false;
  let fsw: FSWatcher | null = null;

  async function scanOnce(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (e) {
      o.onError(`cannot read the watched folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    for (const name of names.sort()) {
      if (closed || !isCandidate(name)) continue;
      const path = join(dir, name);
      let s;
      try {
        s = await stat(path);
      } catch {
        continue;
      }
      if (!s.isFile()) continue;
      const file: WatchedFile = { path, name, size: s.size, mtimeMs: s.mtimeMs };
      const sig = `${s.size}:${s.mtimeMs}`;
      if (o.isSeen(file) || importing.has(path)) continue;
      if (lastSeen.get(path) !== sig) {
        lastSeen.set(path, sig);
        continue;
      }
      if (!o.claim(file)) continue;
      importing.add(path);
      let runId: string | null = null;
      try {
        runId = await o.onFile(file);
      } catch (e) {
        o.onError(`${name}: ${(e as Error).message}`);
      } finally {
        importing.delete(path);
        o.markSeen(file, runId);
      }
    }
  }

  const scan = async (): Promise<void> => {
    if (scanning) {
      again = true;
      return scanning;
    }
    scanning = (async () => {
      do {
        again = false;
        await scanOnce();
      } while (again && !closed);
    })().finally(() => {
      scanning = null;
    });
    return scanning;
  };

  let debounce: ReturnType<typeof setTimeout> | null = null;
  try {
    fsw = watch(dir, () => {
      if (debounce) clearTimeout(debounce);
      // Two scans a short while apart: the first notes the size, the second imports if unchanged.
      debounce = setTimeout(() => void scan().then(() => setTimeout(() => void scan(), 300).unref()), 150);
      debounce.unref();
    });
    fsw.on('error', () => {
      fsw?.close();
      fsw = null;
    });
  } catch {
    fsw = null; // polling alone still works
  }
  const timer = setInterval(() => void scan(), o.pollMs ?? 2000);
  timer.unref();
  void scan();

  return {
    dir,
    scan,
    close() {
      closed = true;
      clearInterval(timer);
      if (debounce) clearTimeout(debounce);
      fsw?.close();
    },
  };
}

/** A .txt file as one ticket: its name (without extension) is the id and the title. */
export async function readTxtTicket(file: WatchedFile): Promise<{ id: string; title: string; text: string }> {
  if (file.size > MAX_TXT_TICKET_BYTES)
    throw new AppError('BAD_INPUT', `ticket file is ${file.size} bytes; the limit is ${MAX_TXT_TICKET_BYTES}`);
  const text = await readFile(file.path, 'utf8');
  const id = basename(file.name, extname(file.name));
  return { id, title: id, text };
}

/** Whether a watched file was imported before (same path, size and modification time). */
export function watchedFileSeen(store: Store, f: WatchedFile): boolean {
  const r = store.prepare('SELECT size, mtime_ms FROM watched_files WHERE path = ?').get(f.path) as
    | { size?: number; mtime_ms?: number }
    | undefined;
  return r !== undefined && Number(r.size) === f.size && Number(r.mtime_ms) === f.mtimeMs;
}

/** Claims the file in the workspace unless this size and time are recorded already: one writer wins. */
export function claimWatchedFile(store: Store, f: WatchedFile): boolean {
  const r = store
    .prepare(
      `INSERT INTO watched_files (path, size, mtime_ms, run_id, imported_at) VALUES (?, ?, ?, NULL, ?)
       ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, run_id = NULL, imported_at = excluded.imported_at
       WHERE watched_files.size IS NOT excluded.size OR watched_files.mtime_ms IS NOT excluded.mtime_ms`,
    )
    .run(f.path, f.size, f.mtimeMs, Date.now());
  return Number(r.changes) === 1;
}

export function markWatchedFile(store: Store, f: WatchedFile, runId: string | null): void {
  store
    .prepare(
      `INSERT INTO watched_files (path, size, mtime_ms, run_id, imported_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, run_id = excluded.run_id, imported_at = excluded.imported_at`,
    )
    .run(f.path, f.size, f.mtimeMs, runId, Date.now());
}

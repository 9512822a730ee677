// SQLite faults as one clear sentence naming the workspace file and what to do: a full disk, a
// damaged file, a read-only file or folder, a lock held elsewhere. node:sqlite throws these as
// plain Errors ("database or disk is full") carrying SQLite's result code in `errcode`; every
// host turns them into an AppError with code STORAGE here, so no user sees a bare SQLite string.
import { AppError } from '#shared/errors.ts';

/** The path of the workspace file opened last in this process (the CLI names it in messages). */
let lastOpened: string | null = null;
export function noteStoreOpened(path: string): void {
  lastOpened = path;
}
export function lastOpenedStorePath(): string | null {
  return lastOpened;
}

/** SQLite primary result codes (https://sqlite.org/rescode.html) that casebench explains. */
export const SQLITE = { BUSY: 5, LOCKED: 6, NOMEM: 7, READONLY: 8, IOERR: 10, CORRUPT: 11, FULL: 13, CANTOPEN: 14, NOTADB: 26 } as const;

/** The primary SQLite result code of an error thrown by node:sqlite, or null for any other error. */
export function sqliteCode(e: unknown): number | null {
  if (typeof e !== 'object' || e === null) return null;
  const x = e as { code?: unknown; errcode?: unknown };
  if (x.code !== 'ERR_SQLITE_ERROR' || typeof x.errcode !== 'number') return null;
  return x.errcode & 0xff;
}

/** True when the error is SQLite's "database or disk is full" (a real full disk or max_page_count). */
export function isDiskFull(e: unknown): boolean {
  if (e instanceof AppError) return e.code === 'STORAGE' && e.message.startsWith('disk full');
  return sqliteCode(e) === SQLITE.FULL;
}

/** How to check a damaged workspace file, for messages. */
export function integrityHint(path: string): string {
  return `check it with \`sqlite3 ${path} "PRAGMA integrity_check"\` (or restore a copy)`;
}

/**
 * The SQLite error as an AppError naming the file, or null when it is not a SQLite fault this
 * module explains (the caller rethrows the original). An AppError is returned unchanged.
 */
export function storeFault(e: unknown, path: string): AppError | null {
  if (e instanceof AppError) return e;
  const code = sqliteCode(e);
  if (code === null) return null;
  const raw = (e as { errstr?: unknown; message?: unknown }).errstr ?? (e as Error).message;
  const why = `SQLite: ${String(raw)}`;
  switch (code) {
    case SQLITE.FULL:
      return new AppError('STORAGE', `disk full: cannot write ${path} (${why})`);
    case SQLITE.CORRUPT:
    case SQLITE.NOTADB:
      return new AppError('STORAGE', `${path} is damaged (${why}); ${integrityHint(path)}`);
    case SQLITE.READONLY:
      return new AppError(
        'STORAGE',
        `${path} is read-only (${why}); this command writes to the workspace: make the file and its folder writable, or give another --db`,
      );
    case SQLITE.IOERR:
      return new AppError('STORAGE', `cannot read or write ${path}: disk I/O error (${why})`);
    case SQLITE.CANTOPEN:
      return new AppError('STORAGE', `cannot open ${path} (${why}); check that the folder exists and is readable`);
    case SQLITE.BUSY:
    case SQLITE.LOCKED:
      return new AppError('STORAGE', `${path} is locked by another process (${why}); try again when it has finished`);
    case SQLITE.NOMEM:
      return new AppError('STORAGE', `out of memory while using ${path} (${why})`);
    default:
      return null;
  }
}

/** storeFault, or the error itself when SQLite has nothing to say about it. */
export function asStoreError(e: unknown, path: string): unknown {
  return storeFault(e, path) ?? e;
}

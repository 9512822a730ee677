// Opening a workspace file for the Store: the writable or read-only open, its pragmas, then the
// schema check (read-only: an older file is upgraded through a writable open first) or the migrations.
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '#shared/errors.ts';
import { SQLITE, noteStoreOpened, sqliteCode, storeFault } from './storeErrors.ts';
import { LATEST_VERSION, MIGRATIONS } from './migrations.ts';
import { num, type Row } from './storeRows.ts';

/** Thrown by a read-only open that first upgraded an older file: open it again (openStore does). */
export class RetryReadOnly extends Error {}

/**
 * Opens the database at path (writable: created, its folder too, and migrated; read-only: see
 * openReadOnly) with the store's pragmas, or throws an AppError saying why it is not a workspace.
 */
export function openDatabase(path: string, readOnly: boolean): DatabaseSync {
  noteStoreOpened(path);
  let db: DatabaseSync;
  if (readOnly) {
    db = openReadOnly(path);
  } else {
    let isDir = false;
    try {
      isDir = path !== ':memory:' && statSync(path).isDirectory();
    } catch {
      // not there yet: created below
    }
    if (isDir) throw new AppError('BAD_INPUT', `${path} is a folder, not a workspace database (give --db FILE)`);
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseSync(path);
    } catch (e) {
      throw storeFault(e, path) ?? new AppError('BAD_INPUT', `cannot open the database ${path}: ${(e as Error).message}`);
    }
  }
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    if (!readOnly) {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
    }
    db.exec('PRAGMA cache_size = -65536');
    db.exec('PRAGMA temp_store = MEMORY');
    db.exec('PRAGMA foreign_keys = ON');
    if (readOnly) checkSchemaReadOnly(db, path);
    else migrate(db, path);
  } catch (e) {
    db.close();
    if (e instanceof AppError || e instanceof RetryReadOnly) throw e;
    const code = sqliteCode(e);
    if (code === SQLITE.NOTADB) throw new AppError('BAD_INPUT', `${path} is not a casebench database (${(e as Error).message})`);
    const fault = storeFault(e, path);
    if (fault) throw fault;
    throw new AppError('BAD_INPUT', `${path} is not a casebench database: ${(e as Error).message}`);
  }
  return db;
}

/** A read-only open cannot migrate: an older file is upgraded through a writable open first. */
function checkSchemaReadOnly(db: DatabaseSync, path: string): void {
  const current = num((db.prepare('PRAGMA user_version').get() as Row).user_version) ?? 0;
  if (current > LATEST_VERSION) {
    throw new AppError(
      'BAD_INPUT',
      `${path} was written by a newer casebench (schema ${current}, this version knows ${LATEST_VERSION}); upgrade casebench to open it`,
    );
  }
  if (current === LATEST_VERSION) return;
  if (current === 0 && db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() === undefined) {
    throw new AppError('BAD_INPUT', `${path} is an empty database, not a casebench workspace`);
  }
  try {
    openDatabase(path, false).close();
  } catch (e) {
    throw new AppError(
      'STORAGE',
      `${path} was written by an older casebench (schema ${current}, now ${LATEST_VERSION}) and must be upgraded once, which needs write access: ${(e as Error).message}`,
    );
  }
  throw new RetryReadOnly();
}

function migrate(db: DatabaseSync, path: string): void {
  const current = num((db.prepare('PRAGMA user_version').get() as Row).user_version) ?? 0;
  if (current > LATEST_VERSION) {
    throw new AppError(
      'BAD_INPUT',
      `${path} was written by a newer casebench (schema ${current}, this version knows ${LATEST_VERSION}); upgrade casebench to open it`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process opening the same file may have applied it while this one waited for the lock.
      const now = num((db.prepare('PRAGMA user_version').get() as Row).user_version) ?? 0;
      if (now >= m.version) {
        db.exec('COMMIT');
        continue;
      }
      db.exec(m.sql);
      m.up?.(db);
      db.exec(`PRAGMA user_version = ${m.version}`);
      db.exec('COMMIT');
    } catch (e) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw e;
    }
  }
}

/**
 * Opens the file for reading. A WAL database normally needs its -shm file, which a read-only
 * folder cannot hold: when nothing is pending in a -wal file the file is opened as immutable
 * instead (SQLite then reads it without any lock or side file).
 */
function openReadOnly(path: string): DatabaseSync {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new AppError('BAD_INPUT', `no workspace database at ${path} (give --db, or run tickets first)`);
  }
  if (st.isDirectory()) throw new AppError('BAD_INPUT', `${path} is a folder, not a workspace database (give --db FILE)`);
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    // SQLite opens lazily: the first read is where a missing -shm in a read-only folder shows
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (e) {
    if (db?.isOpen) db.close();
    const code = sqliteCode(e);
    if (code !== SQLITE.READONLY && code !== SQLITE.CANTOPEN) throw storeFault(e, path) ?? e;
    let walBytes = 0;
    try {
      walBytes = statSync(`${path}-wal`).size;
    } catch {
      // no -wal file: nothing pending
    }
    if (walBytes > 0) {
      throw new AppError(
        'STORAGE',
        `cannot read ${path}: its last session left changes in ${path}-wal that can only be applied with write access to the folder (${(e as Error).message})`,
      );
    }
    try {
      return new DatabaseSync(`${pathToFileURL(resolve(path)).href}?immutable=1`, { readOnly: true });
    } catch (e2) {
      throw storeFault(e2, path) ?? new AppError('BAD_INPUT', `cannot open the database ${path}: ${(e2 as Error).message}`);
    }
  }
}

// Every error that reaches the top of a command as one sentence and an exit status: AppErrors by
// their code, SQLite faults naming the workspace file, and system errors on files (missing file,
// folder given, permission, full disk) naming the path. Only what none of these explains is an
// "internal error".
import { AppError } from '#shared/errors.ts';
import { EXIT_SPEND_LIMIT } from './exitCodes.ts';
// storeErrors.ts, not store.ts: main loads this for every command, and must stay light.
import { lastOpenedStorePath, storeFault } from '#core/store/storeErrors.ts';

export interface Fault {
  message: string;
  exit: number;
}

/** Exit status of an AppError by its code. */
export function exitFor(e: AppError): number {
  if (e.code === 'STORAGE' || e.code === 'INTERNAL') return 1;
  if (e.code === 'CANCELLED') return 130;
  if (e.code === 'SPEND_LIMIT') return EXIT_SPEND_LIMIT;
  return 2;
}

// System errors about a path the user gave: a usage error (2), with what to do.
const USAGE_ERRNO: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EROFS: 'the file system is read-only',
  ENXIO: 'no such device (is standard input a terminal or a socket? use - to read it)',
};
// System errors of the machine: a failure (1).
const FAULT_ERRNO: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EIO: 'I/O error',
  EMFILE: 'too many open files',
  ENOMEM: 'out of memory',
};

/** The sentence and exit status for an error, or null when it is an unexplained (internal) one. */
export function describeFault(e: unknown): Fault | null {
  if (e instanceof AppError) return { message: e.message, exit: exitFor(e) };
  const sql = storeFault(e, lastOpenedStorePath() ?? 'the workspace database');
  if (sql) return { message: sql.message, exit: exitFor(sql) };
  const x = e as NodeJS.ErrnoException | null;
  const code = typeof x?.code === 'string' ? x.code : null;
  if (code === null) return null;
  const where = typeof x!.path === 'string' ? x!.path : null;
  if (code in USAGE_ERRNO) {
    const verb = x!.syscall === 'open' && /w/.test(String((x as { flags?: unknown }).flags ?? '')) ? 'cannot write' : 'cannot use';
    return { message: where ? `${verb} ${where}: ${USAGE_ERRNO[code]}` : `${USAGE_ERRNO[code]} (${code})`, exit: 2 };
  }
  if (code in FAULT_ERRNO) {
    return { message: where ? `${FAULT_ERRNO[code]}: cannot write ${where}` : `${FAULT_ERRNO[code]} (${x!.message})`, exit: 1 };
  }
  return null;
}

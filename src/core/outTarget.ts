// Where a command writes what a user asked for (`export --out`, `report --out`, review exports):
//   "-"                     standard output
//   a device, pipe, socket  written in place (/dev/stdout, /dev/null, a FIFO): never replaced
//   any other path          written to a temporary file beside it and renamed over it on success,
//                           so a full disk, a kill or an error never leaves half a file where a
//                           complete one was
// Every failure is an AppError naming the file and the cause: a full disk or an I/O error is
// STORAGE (the machine), a path that cannot be written is BAD_INPUT (the user's to fix). A reader
// that went away (EPIPE on standard output) is rethrown unchanged: the CLI stops quietly on it.
import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '#shared/errors.ts';

const MACHINE: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EIO: 'an I/O error',
  EFBIG: 'the file is too large for its file system',
};
const USER: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long',
  ENXIO: 'no reader on that pipe or device',
};

const pause = new Int32Array(new SharedArrayBuffer(4));

/** How messages name an --out target: the path, or "standard output" for "-". */
export const outName = (path: string): string => (path === '-' ? 'standard output' : path);

/** A file (or standard output) written in order and committed once; see the header. */
export class OutTarget {
  /** How messages name the target: the path, or "standard output". */
  readonly name: string;
  private fd: number;
  private readonly tmp: string | null;
  private readonly path: string;
  private parts: string[] = [];
  private size = 0;
  private closed = false;

  constructor(path: string) {
    this.path = path;
    this.name = outName(path);
    if (path === '-') {
      this.fd = 1;
      this.tmp = null;
      return;
    }
    let inPlace = false;
    try {
      const st = statSync(path);
      if (st.isDirectory()) throw new AppError('BAD_INPUT', `cannot write ${path}: a folder, not a file`);
      inPlace = !st.isFile();
    } catch (e) {
      if (e instanceof AppError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw this.failure(e);
      const folder = dirname(resolve(path));
      try {
        if (!statSync(folder).isDirectory()) throw new AppError('BAD_INPUT', `cannot write ${path}: ${folder} is not a folder`);
      } catch (e2) {
        if (e2 instanceof AppError) throw e2;
        throw new AppError('BAD_INPUT', `cannot write ${path}: the folder ${folder} does not exist`);
      }
    }
    this.tmp = inPlace ? null : `${path}.partial-${process.pid}`;
    try {
      this.fd = openSync(this.tmp ?? path, 'w');
    } catch (e) {
      throw this.failure(e);
    }
  }

  /** Buffers s; written out every megabyte and on commit. */
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }

  /** Writes the rest, closes, and (for a regular file) puts the file in place. */
  commit(): void {
    try {
      this.flush();
    } catch (e) {
      this.abort();
      throw e;
    }
    this.close();
    if (this.tmp) {
      try {
        renameSync(this.tmp, this.path);
      } catch (e) {
        rmSync(this.tmp, { force: true });
        throw this.failure(e);
      }
    }
  }

  /** Closes and removes what was written to the temporary file; the target is left as it was. */
  abort(): void {
    try {
      this.close();
    } catch {
      // closing after a failed write may fail too; the temporary file goes either way
    }
    if (this.tmp) rmSync(this.tmp, { force: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd !== 1) closeSync(this.fd);
  }

  private flush(): void {
    if (!this.parts.length) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off, buf.length - off);
      } catch (e) {
        // standard output may be a non-blocking pipe whose reader is behind: wait, do not spin
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(pause, 0, 0, 5);
          continue;
        }
        throw this.failure(e);
      }
    }
  }

  private failure(e: unknown): Error {
    if (e instanceof AppError) return e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'EPIPE') return e as Error;
    if (code in MACHINE)
      return new AppError('STORAGE', `cannot write ${this.name}: ${MACHINE[code]}${this.tmp ? `; ${this.path} was left as it was` : ''}`);
    const why = USER[code] ?? (e as Error).message;
    return new AppError('BAD_INPUT', `cannot write ${this.name}: ${why}`);
  }
}

/** Writes text whole to path ("-": standard output), as OutTarget does. */
export function writeWhole(path: string, text: string): void {
  const t = new OutTarget(path);
  t.write(text);
  t.commit();
}

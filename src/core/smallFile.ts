// Small text files a user names on the command line (a prompt, a rubric, an assignment): read in
// one bounded gulp, so a device such as /dev/zero or a mistaken multi-GB path is refused with the
// limit instead of filling memory. Ticket and trace files stream instead (tickets/, traces/).
import { closeSync, openSync, readSync } from 'node:fs';
import { AppError } from '#shared/errors.ts';

const pause = new Int32Array(new SharedArrayBuffer(4));
const kb = (n: number): string => `${Math.round(n / 1024).toLocaleString('en-US')} KB`;

/** Reads `path` (or standard input for fd 0) as UTF-8; more than `limit` bytes is a usage error naming `what`. */
export function readSmallText(path: string | 0, what: string, limit: number): string {
  const name = path === 0 ? 'standard input' : path;
  let fd: number;
  try {
    fd = path === 0 ? 0 : openSync(path, 'r');
  } catch (e) {
    throw new AppError('BAD_INPUT', `${what} ${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const buf = Buffer.alloc(limit + 1);
  let total = 0;
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, total, buf.length - total, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(pause, 0, 0, 5); // a non-blocking pipe with nothing yet: wait, do not spin
          continue;
        }
        if (code === 'EOF') break;
        throw new AppError(
          'BAD_INPUT',
          `${what} ${name}: cannot read (${code === 'EISDIR' ? 'a folder, not a file' : (code ?? (e as Error).message)})`,
        );
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw new AppError('BAD_INPUT', `${what} ${name}: more than ${kb(limit)}, the limit; nothing was done`);
    }
  } finally {
    if (path !== 0) closeSync(fd);
  }
  return buf.subarray(0, total).toString('utf8');
}

// Standard input for the commands that take `-` as a file name (run --tickets -, import -,
// reviews import -) and for `triage` without --text/--file: read once, never more than a stated
// limit, and never from a terminal by surprise.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { AppError } from '#shared/errors.ts';
import { MAX_STREAM_BYTES, formatLimit, limitBytes } from '#core/tickets/boundedLines.ts';

/** process.stdin as a byte stream; a terminal is refused (the user would wait on a silent prompt). */
export function stdinStream(what: string): AsyncIterable<Buffer> {
  if (process.stdin.isTTY)
    throw new AppError(
      'BAD_INPUT',
      `${what} reads standard input: pipe or redirect the data into casebench (e.g. \`cat file | casebench …\`)`,
    );
  return process.stdin as AsyncIterable<Buffer>;
}

/** All of standard input as text, refused beyond `limit` bytes (read in bounded memory until then). */
export async function readStdinText(what: string, limit: number, limitOf = what): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stdinStream(what)) {
    chunks.push(c);
    total += c.length;
    if (total > limit) {
      // stop reading at once: `casebench triage < /dev/zero` must not grow without end
      process.stdin.destroy();
      throw new AppError('BAD_INPUT', `standard input: more than ${formatLimit(limit)} (the limit for ${limitOf}); nothing was done`);
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A text file read in bounded memory: over `limit` bytes it is refused (a device such as /dev/zero never ends). */
export async function readFileText(path: string, what: string, limit: number): Promise<string> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new AppError('BAD_INPUT', `cannot read ${path}: no such file`);
  }
  if (st.isDirectory()) throw new AppError('BAD_INPUT', `${path} is a folder, not a file`);
  if (st.isFile() && st.size > limit)
    throw new AppError(
      'BAD_INPUT',
      `${path}: ${formatLimit(st.size)}, more than ${formatLimit(limit)} (the limit for ${what}); nothing was done`,
    );
  const chunks: Buffer[] = [];
  let total = 0;
  const s = createReadStream(path);
  try {
    for await (const c of s) {
      total += (c as Buffer).length;
      if (total > limit)
        throw new AppError('BAD_INPUT', `${path}: more than ${formatLimit(limit)} (the limit for ${what}); nothing was done`);
      chunks.push(c as Buffer);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('BAD_INPUT', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    s.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Copies standard input to a temporary file (for readers that take paths, such as the trace
 * importer), at most MAX_STREAM_BYTES. Returns the file's path and a cleanup to call when done.
 */
export async function stdinToTempFile(what: string, name = 'stdin'): Promise<{ path: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'casebench-stdin-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, name);
  try {
    await pipeline(
      Readable.from(limitBytes(stdinStream(what), { name: 'standard input', limit: MAX_STREAM_BYTES })),
      createWriteStream(path),
    );
  } catch (e) {
    cleanup();
    throw e;
  }
  return { path, cleanup };
}

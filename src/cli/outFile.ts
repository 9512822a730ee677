// The --out JSONL of `run`: on a resumed run, keep the complete lines already written (a kill can
// leave a torn last line), so the file ends with one line per ticket and none twice. A ticket
// answered again (its text was edited, or --retry-failed) replaces its earlier line on close.
import { existsSync, readFileSync, renameSync, statSync, truncateSync, createWriteStream, writeFileSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '#shared/errors.ts';
import { describeFault } from './faults.ts';

export interface OutFile {
  has(ticketId: string): boolean;
  write(line: object & { ticket_id: string }): void;
  close(): Promise<void>;
}

/** Opens path for appending (resume) or truncates it (fresh run). */
export function openOutFile(path: string, resume: boolean): OutFile {
  if (existsSync(path) && statSync(path).isDirectory()) throw new AppError('BAD_INPUT', `--out ${path} is a folder, not a file`);
  if (!existsSync(dirname(resolve(path))))
    throw new AppError('BAD_INPUT', `--out ${path}: the folder ${dirname(resolve(path))} does not exist`);
  // A device or pipe (/dev/stdout, a FIFO) is written as it comes: never read back, truncated or replaced.
  const regular = !existsSync(path) || statSync(path).isFile();
  const written = new Set<string>();
  if (regular && resume && existsSync(path)) {
    const text = readFileSync(path, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
    for (const line of text.slice(0, end).split('\n')) {
      if (!line.trim()) continue;
      try {
        const id = (JSON.parse(line) as { ticket_id?: unknown }).ticket_id;
        if (typeof id === 'string') written.add(id);
      } catch {
        // A corrupt line in the middle is left for the reader; the ticket is written again below it.
      }
    }
  }
  const stream: WriteStream = createWriteStream(path, { flags: resume && regular ? 'a' : 'w' });
  // A write that fails later (the disk fills, the folder is not writable) is kept and reported
  // when the file is closed, instead of an unhandled 'error' event ending the process.
  let failure: Error | null = null;
  stream.on('error', (e) => (failure ??= e));
  const failed = (): AppError => {
    const f = describeFault(failure);
    return new AppError(
      f && f.exit === 1 ? 'STORAGE' : 'BAD_INPUT',
      `--out ${path}: ${f ? f.message : failure!.message} (the results are in the workspace database; run the same command again to write them)`,
    );
  };
  let replaced = false;
  return {
    has: (id) => written.has(id),
    write(line) {
      if (failure) return;
      if (written.has(line.ticket_id)) replaced = true;
      written.add(line.ticket_id);
      stream.write(`${JSON.stringify(line)}\n`);
    },
    close: async () => {
      if (failure) throw failed();
      await new Promise<void>((res, rej) =>
        stream.end((e?: Error | null) => {
          if (e) failure ??= e;
          if (failure) rej(failed());
          else res();
        }),
      );
      if (replaced && regular) keepLatestLines(path);
    },
  };
}

/** Rewrites the file keeping, per ticket id, only its last line (in the order the kept lines were written). */
function keepLatestLines(path: string): void {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const last = new Map<string, number>();
  lines.forEach((l, i) => {
    try {
      const id = (JSON.parse(l) as { ticket_id?: unknown }).ticket_id;
      if (typeof id === 'string') last.set(id, i);
    } catch {
      // kept as it is
    }
  });
  const keep = lines.filter((l, i) => {
    try {
      const id = (JSON.parse(l) as { ticket_id?: unknown }).ticket_id;
      return typeof id !== 'string' || last.get(id) === i;
    } catch {
      return true;
    }
  });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, keep.map((l) => `${l}\n`).join(''));
  renameSync(tmp, path);
}

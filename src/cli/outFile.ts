// The --out JSONL of `run`: on a resumed run, keep the complete lines already written (a kill can
// leave a torn last line), so the file ends with one line per ticket and none twice. A ticket
// answered again (its text was edited, or --retry-failed) replaces its earlier line on close.
import { existsSync, readFileSync, renameSync, truncateSync, createWriteStream, writeFileSync, type WriteStream } from 'node:fs';

export interface OutFile {
  has(ticketId: string): boolean;
  write(line: object & { ticket_id: string }): void;
  close(): Promise<void>;
}

/** Opens path for appending (resume) or truncates it (fresh run). */
export function openOutFile(path: string, resume: boolean): OutFile {
  const written = new Set<string>();
  if (resume && existsSync(path)) {
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
  const stream: WriteStream = createWriteStream(path, { flags: resume ? 'a' : 'w' });
  let replaced = false;
  return {
    has: (id) => written.has(id),
    write(line) {
      if (written.has(line.ticket_id)) replaced = true;
      written.add(line.ticket_id);
      stream.write(`${JSON.stringify(line)}\n`);
    },
    close: async () => {
      await new Promise<void>((res, rej) => stream.end((e?: Error | null) => (e ? rej(e) : res())));
      if (replaced) keepLatestLines(path);
    },
  };
}

/** Rewrites the file keeping, per ticket id, only its last line (in the order the kept lines were written). */
function keepLatestLines(path: string): void {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim());
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

// Reading input that may be anything — a file, a pipe, `/dev/zero` — with memory bounded: lines
// are split from the byte stream as it arrives (a pipe can be read only once, so nothing is read
// ahead), a line longer than the per-line limit is reported by number and skipped without being
// held, and input that is not a regular file stops at a total limit with the limit stated.
import { AppError } from '#shared/errors.ts';

/** A ticket line longer than this is refused (the ticket gate's own 1 MB limit leaves room for JSON escapes and CSV quoting). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** Standard input, pipes and devices stop after this much (a regular file's size is known; these may never end). */
export const MAX_STREAM_BYTES = 1024 * 1024 * 1024;

export type RawLine = { n: number; text: string } | { n: number; tooLong: true; bytes: number };

export function formatLimit(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${+(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/**
 * Counts the bytes of a stream and stops it with an AppError naming `name` and the limit once more
 * than `limit` bytes arrived. `onBytes` sees the running total (progress from bytes as they stream).
 */
export async function* limitBytes(
  chunks: AsyncIterable<Buffer>,
  o: { name: string; limit: number | null; onBytes?: (total: number) => void },
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const c of chunks) {
    total += c.length;
    if (o.limit !== null && total > o.limit) {
      throw new AppError(
        'BAD_INPUT',
        `${o.name}: more than ${formatLimit(o.limit)} of input (the limit for standard input, pipes and devices); stopped reading. Save it to a file to read more`,
      );
    }
    o.onBytes?.(total);
    yield c;
  }
}

/** Splits a byte stream into UTF-8 lines (\n or \r\n), numbering every line from 1; over-long lines come out as `tooLong`. */
export async function* boundedLines(chunks: AsyncIterable<Buffer>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<RawLine> {
  let parts: Buffer[] = [];
  let held = 0;
  let skipping = false; // inside an over-long line: counting, not keeping
  let skipped = 0;
  let n = 0;
  const finish = (tail: Buffer): RawLine => {
    n++;
    if (skipping) {
      const line: RawLine = { n, tooLong: true, bytes: skipped + tail.length };
      skipping = false;
      skipped = 0;
      return line;
    }
    const buf = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    parts = [];
    held = 0;
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 13) end--;
    return { n, text: buf.toString('utf8', 0, end) };
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      if (!skipping && held + piece.length > maxLineBytes) {
        skipping = true;
        skipped = held;
        parts = [];
        held = 0;
      }
      yield finish(piece);
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length === 0) continue;
    if (skipping) skipped += rest.length;
    else if (held + rest.length > maxLineBytes) {
      skipping = true;
      skipped = held + rest.length;
      parts = [];
      held = 0;
    } else {
      // copy: the reader may reuse its buffer
      parts.push(Buffer.from(rest));
      held += rest.length;
    }
  }
  if (skipping || held > 0) yield finish(Buffer.alloc(0));
}

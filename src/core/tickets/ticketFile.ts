// Reads ticket files (contracts §3) as a stream: JSONL one ticket a line, or CSV with a header.
// A malformed line is reported with its line number and why; the rest is read.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import type { TicketInput } from '#shared/results.ts';
import { MAX_LINE_BYTES, MAX_STREAM_BYTES, boundedLines, formatLimit, limitBytes } from './boundedLines.ts';
import { archiveRefusal } from '../archiveKind.ts';

export type TicketLine = { ok: true; line: number; ticket: TicketInput } | { ok: false; line: number; message: string };

const labelsSchema = z
  .object({
    platform: z.string().nullable().optional(),
    product: z.string().nullable().optional(),
    severity: z.string().optional(),
    asset_ids: z.array(z.string()).optional(),
    has_technical_details: z.boolean().optional(),
  })
  .loose();

const ticketSchema = z
  .object({
    id: z.union([z.string().min(1, 'empty: every ticket needs an id'), z.number().transform(String)], {
      error: 'must be text or a number',
    }),
    text: z.string({ error: 'must be text' }),
    title: z.string().optional(),
    created_at: z.string().optional(),
    labels: labelsSchema.optional(),
  })
  .loose();

/** Validates one parsed object as a ticket; returns a message naming the problem otherwise. */
export function toTicket(obj: unknown): { ok: true; ticket: TicketInput } | { ok: false; message: string } {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return { ok: false, message: 'not a JSON object' };
  for (const field of ['id', 'text'] as const) {
    if ((obj as Record<string, unknown>)[field] === undefined) return { ok: false, message: `missing \`${field}\`` };
  }
  const r = ticketSchema.safeParse(obj);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? `\`${issue.path.join('.')}\`` : 'ticket';
    return { ok: false, message: `${where}: ${issue.message}` };
  }
  const { id, text, title, created_at, labels } = r.data;
  if (text.includes('\u0000')) return { ok: false, message: '`text` contains a NUL byte' };
  const ticket: TicketInput = { id, text };
  if (title !== undefined) ticket.title = title;
  if (created_at !== undefined) ticket.created_at = created_at;
  if (labels !== undefined) ticket.labels = labels as TicketInput['labels'];
  return { ok: true, ticket };
}

function isCsv(path: string, firstChar: string): boolean {
  if (/\.csv$/i.test(path)) return true;
  if (/\.jsonl?$/i.test(path)) return false;
  // binary input (a NUL first: /dev/zero, an image) is read as lines, each refused by number, in bounded memory
  return firstChar !== '{' && firstChar !== '\u0000';
}

export interface TicketReadOptions {
  /**
   * Read this stream (standard input) instead of opening `path`; `path` then only names it in
   * messages and picks the format by its extension (else by the first character).
   */
  stream?: AsyncIterable<Buffer>;
  /** Bytes read so far, as they stream (progress without reading the input twice). */
  onBytes?: (total: number) => void;
  /** Per-line limit (default MAX_LINE_BYTES). */
  maxLineBytes?: number;
  /** Total limit for a stream or a non-regular file (default MAX_STREAM_BYTES). */
  maxStreamBytes?: number;
}

/** A file's bytes as a stream; opening errors (permission, a folder) become a clear AppError. */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const s = createReadStream(path, { highWaterMark: 1024 * 1024 });
  try {
    for await (const c of s) yield c as Buffer;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new AppError('BAD_INPUT', `cannot read tickets file ${path}: permission denied`);
    if (code === 'EISDIR') throw new AppError('BAD_INPUT', `${path} is a folder, not a tickets file`);
    throw e;
  } finally {
    s.destroy();
  }
}

/**
 * Streams the tickets of a JSONL or CSV file (or of `o.stream`), reading the input exactly once;
 * throws AppError only when the input as a whole is unusable.
 */
export async function* readTicketFile(path: string, o: TicketReadOptions = {}): AsyncGenerator<TicketLine> {
  let source: AsyncIterable<Buffer>;
  let limit: number | null = null;
  if (o.stream) {
    source = o.stream;
    limit = o.maxStreamBytes ?? MAX_STREAM_BYTES;
  } else {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new AppError('BAD_INPUT', `cannot read tickets file ${path}: no such file`);
    }
    if (info.isDirectory()) throw new AppError('BAD_INPUT', `${path} is a folder, not a tickets file`);
    // a pipe, /dev/stdin or a device may never end: it gets the total limit a regular file does not need
    if (!info.isFile()) limit = o.maxStreamBytes ?? MAX_STREAM_BYTES;
    source = fileChunks(path);
  }
  const it = limitBytes(source, { name: path, limit, onBytes: o.onBytes })[Symbol.asyncIterator]();
  // Peek at the first bytes that are not blank to tell JSONL from CSV; they are replayed below.
  const peeked: Buffer[] = [];
  let firstChar = '';
  while (firstChar === '') {
    const r = await it.next();
    if (r.done) break;
    peeked.push(r.value);
    const text = r.value.toString('utf8', 0, Math.min(r.value.length, 4096)).replace(/^\uFEFF/, '');
    const m = /\S/.exec(text);
    if (m) firstChar = m[0];
    else if (peeked.reduce((a, b) => a + b.length, 0) > 64 * 1024) break;
  }
  const archive = peeked.length ? archiveRefusal(peeked[0]!, path, 'tickets file (JSONL or CSV)') : null;
  if (archive) throw new AppError('BAD_INPUT', archive);
  async function* replay(): AsyncGenerator<Buffer> {
    for (const b of peeked) yield b;
    peeked.length = 0;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  // The line each id was first seen on; callers add "; skipped" to a refused line's message.
  const seen = new Map<string, number>();
  const dedupe = (t: TicketLine): TicketLine => {
    if (!t.ok) return t;
    const first = seen.get(t.ticket.id);
    if (first !== undefined) return { ok: false, line: t.line, message: `duplicate ticket id \`${t.ticket.id}\` (first on line ${first})` };
    seen.set(t.ticket.id, t.line);
    return t;
  };
  const maxLine = o.maxLineBytes ?? MAX_LINE_BYTES;
  if (isCsv(path, firstChar)) {
    yield* readCsv(path, Readable.from(replay()), maxLine, dedupe);
    return;
  }
  for await (const raw of boundedLines(replay(), maxLine)) {
    const n = raw.n;
    if ('tooLong' in raw) {
      yield {
        ok: false,
        line: n,
        message: `line longer than ${formatLimit(maxLine)} (${formatLimit(raw.bytes)}; the limit per ticket line)`,
      };
      continue;
    }
    const line = n === 1 ? raw.text.replace(/^\uFEFF/, '') : raw.text;
    if (!line.trim()) continue;
    if (line.includes('\uFFFD')) {
      yield { ok: false, line: n, message: 'not valid UTF-8' };
      continue;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      yield { ok: false, line: n, message: `not valid JSON (${(e as Error).message.slice(0, 120)})` };
      continue;
    }
    const t = toTicket(obj);
    yield dedupe(t.ok ? { ok: true, line: n, ticket: t.ticket } : { ok: false, line: n, message: t.message });
  }
}

async function* readCsv(
  path: string,
  input: Readable,
  maxRecord: number,
  dedupe: (t: TicketLine) => TicketLine,
): AsyncGenerator<TicketLine> {
  const parser = input.pipe(
    parseCsv({
      columns: true,
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: false,
      max_record_size: maxRecord,
    }),
  );
  input.on('error', (e) => parser.destroy(e));
  let header = false;
  try {
    for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (!header) {
        header = true;
        const cols = Object.keys(rec.record);
        if (!cols.includes('id') || !cols.includes('text')) {
          throw new AppError('BAD_INPUT', `${path}: the CSV header must have \`id\` and \`text\` columns (found: ${cols.join(', ')})`);
        }
      }
      const r = rec.record;
      const labels: Record<string, unknown> = {};
      if (r.platform) labels.platform = r.platform;
      if (r.product) labels.product = r.product;
      if (r.severity) labels.severity = r.severity;
      if (r.asset_ids)
        labels.asset_ids = r.asset_ids
          .split(/[;|]/)
          .map((s) => s.trim())
          .filter(Boolean);
      if (r.has_technical_details) labels.has_technical_details = /^(1|true|yes)$/i.test(r.has_technical_details);
      const obj: Record<string, unknown> = { id: r.id, text: r.text };
      if (r.title) obj.title = r.title;
      if (r.created_at) obj.created_at = r.created_at;
      if (Object.keys(labels).length) obj.labels = labels;
      const t = toTicket(obj);
      yield dedupe(t.ok ? { ok: true, line: rec.info.lines, ticket: t.ticket } : { ok: false, line: rec.info.lines, message: t.message });
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    // csv-parse stops at a structural error (e.g. an unclosed quote): report where, keep what was read.
    const err = e as Error & { lines?: number; code?: string };
    const why = err.code === 'CSV_MAX_RECORD_SIZE' ? `a record longer than ${formatLimit(maxRecord)} (the limit per ticket)` : err.message;
    yield { ok: false, line: err.lines ?? 0, message: `CSV error: ${why}; the rest of the file was not read` };
  }
}

/** File kinds the workbench imports. */
export const TICKET_FILE_EXTENSIONS = ['.jsonl', '.ndjson', '.json', '.csv'] as const;

export function isTicketFileName(name: string): boolean {
  return (TICKET_FILE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

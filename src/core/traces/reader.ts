// Reads any supported trace file as a stream of calls and issues: detects the container and the
// format from the content, then hands the file to its container's streaming reader
// (containerReaders.ts: JSONL, JSON document, CSV; their shared bookkeeping is readerShared.ts).
// Nothing is held whole. Also the file's identities: its sha256 and a cheap fingerprint.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { archiveRefusal } from '../archiveKind.ts';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '#shared/errors.ts';
import { readCsv, readDocument, readJsonl } from './containerReaders.ts';
import { classifyLine, detectContainer, detectJsonDocument, labelOf, type Container, type Family } from './detect.ts';
import type { CasebenchItem, FileContext } from './plan.ts';
import { CHUNK, textChunks, type ReadProgress } from './readerShared.ts';
import type { ImportIssue, ImportedCall, SpanDraft } from './types.ts';
import { parseJson } from './values.ts';

export { MAX_NESTING, nestingDepth } from './recordGuards.ts';

export type TraceItem =
  | { kind: 'call'; call: ImportedCall }
  | { kind: 'issue'; issue: ImportIssue }
  | { kind: 'item'; item: CasebenchItem }
  /** Something worth knowing about the file as a whole (not a skipped record). */
  | { kind: 'note'; note: string }
  | { kind: 'span'; span: SpanDraft };

export interface TraceFileInfo {
  path: string;
  name: string;
  bytes: number;
  /** The content's sha256 (hex): its identity for "already imported". The import fills it in once it has read the file ('' until then). */
  sha256: string;
  /** sha256 of the size and the first and last MiB: known before reading, names the import run and seeds synthetic ids. */
  fingerprint: string;
  family: Family;
  container: Container;
  /** What was found, e.g. "a Langfuse single-trace download (JSON)". */
  label: string;
}

export interface OpenedTraceFile {
  info: TraceFileInfo;
  /** Batches of items in file order (a batch per chunk read, so nothing waits on a promise per record). */
  items: AsyncGenerator<TraceItem[]>;
  /** Bytes of the file read so far (for progress). */
  bytesRead: () => number;
}

/** The file's sha256 (hex): its identity for "already imported". */
export async function sha256Of(path: string, signal?: AbortSignal): Promise<string> {
  const h = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK, signal })) h.update(chunk as Buffer);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw new AppError('CANCELLED', 'import cancelled');
    throw e;
  }
  return h.digest('hex');
}

const FINGERPRINT_SPAN = 1 << 20;

/**
 * A cheap identity known before the file is read: sha256 of its size and its first and last MiB.
 * Equal content always gives an equal fingerprint; an equal fingerprint calls for the full hash.
 */
export async function fingerprintOf(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const h = createHash('sha256').update(`casebench-fingerprint-1 ${size}\n`);
    const read = async (n: number, at: number): Promise<void> => {
      const buf = Buffer.alloc(n);
      const { bytesRead } = await fh.read(buf, 0, n, at);
      h.update(buf.subarray(0, bytesRead));
    };
    await read(Math.min(size, FINGERPRINT_SPAN), 0);
    if (size > FINGERPRINT_SPAN) {
      const n = Math.min(FINGERPRINT_SPAN, size - FINGERPRINT_SPAN);
      await read(n, size - n);
    }
    return h.digest('hex');
  } finally {
    await fh.close();
  }
}

async function headOf(path: string, bytes = 64 * 1024): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Opens a trace file: detects its format from content and returns a stream of its calls and issues. */
export async function openTraceFile(
  path: string,
  opts: { signal?: AbortSignal /** already computed (fingerprintOf) */; fingerprint?: string } = {},
): Promise<OpenedTraceFile> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new AppError('BAD_INPUT', `cannot read ${path}: no such file`);
  }
  if (st.isDirectory()) throw new AppError('BAD_INPUT', `${path} is a folder, not a trace file`);
  const name = basename(path);
  const bytes = await headOf(path);
  const archive = archiveRefusal(bytes, name, 'trace file');
  if (archive) throw new AppError('BAD_INPUT', archive);
  // a cut multi-byte character at the end only costs a replacement char in the head
  const head = bytes.toString('utf8');
  const container = detectContainer(head);
  if (typeof container !== 'string') throw new AppError('BAD_INPUT', `${name}: cannot tell the trace format: ${container.error}`);
  const fingerprint = opts.fingerprint ?? (await fingerprintOf(path));
  const ctx: FileContext = { name, fileId: fingerprint.slice(0, 16), mtimeNs: BigInt(Math.round(st.mtimeMs)) * 1_000_000n };
  let family: Family;
  let shape: string;
  if (container === 'jsonl') {
    const firstLine = head
      .replace(/^\uFEFF/, '')
      .trimStart()
      .split('\n', 1)[0]!;
    const c = classifyLine(parseJson(firstLine));
    if (!c)
      throw new AppError(
        'BAD_INPUT',
        `${name}: cannot tell the trace format: the first line is no known trace record (LangSmith run, Langfuse observation, OTLP TracesData, promptfoo result or casebench line)`,
      );
    ({ family, shape } = c);
  } else if (container === 'csv') {
    family = 'langfuse';
    shape = 'rows';
  } else {
    const d = await detectJsonDocument(textChunks(path, opts.signal));
    if ('error' in d) throw new AppError('BAD_INPUT', `${name}: cannot tell the trace format: ${d.error}`);
    ({ family, shape } = d);
  }
  const info: TraceFileInfo = {
    path,
    name,
    bytes: st.size,
    sha256: '',
    fingerprint,
    family,
    container,
    label: `${labelOf(family, shape)} (${container === 'jsonl' ? 'JSONL' : container === 'csv' ? 'CSV' : 'JSON'})`,
  };
  const progress: ReadProgress = { bytes: 0 };
  const items =
    container === 'jsonl'
      ? readJsonl(path, ctx, progress, opts.signal)
      : container === 'csv'
        ? readCsv(path, ctx, progress, opts.signal)
        : readDocument(path, ctx, family, shape, progress, opts.signal);
  return { info, items, bytesRead: () => progress.bytes };
}

// Reads any supported trace file as a stream of calls and issues: JSONL line by line, a JSON
// document element by element (jsonStream.ts), a CSV row by row. Nothing is held whole; a bad
// line, element or row becomes an issue naming file:line or the JSON path, and reading goes on.
// Over 400 lines: one streaming reader per container (JSONL, JSON document, CSV) sharing the
// issue bookkeeping; the formats' mappings are in their own files.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import { AppError } from '#shared/errors.ts';
import { casebenchPlan } from './casebenchJsonl.ts';
import { classifyLine, detectContainer, detectJsonDocument, labelOf, type Container, type Family } from './detect.ts';
import { formatPath, JsonScanner } from './jsonStream.ts';
import { langfusePlan } from './langfuse.ts';
import { langsmithPlan } from './langsmith.ts';
import { attributeMapPlan, otlpPlan, type OtlpShape } from './otlp.ts';
import { walkPlan, type CasebenchItem, type FileContext, type Plan, type Unit } from './plan.ts';
import { promptfooPlan } from './promptfoo.ts';
import { NestedCalls } from './nested.ts';
import { AncestorResolver } from './resolve.ts';
import type { ImportedCall, ImportIssue, SpanDraft } from './types.ts';
import { MAX_TIME_NS, parseJson } from './values.ts';

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

/** Bytes read so far by the stream that feeds the items. */
interface ReadProgress {
  bytes: number;
}

const CHUNK = 1 << 20;

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

async function headOf(path: string, bytes = 64 * 1024): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    // a cut multi-byte character at the end only costs a replacement char in the head
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

async function* textChunks(path: string, signal?: AbortSignal, progress?: ReadProgress): AsyncGenerator<string> {
  const s = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK });
  try {
    for await (const c of s) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'import cancelled');
      if (progress) progress.bytes = s.bytesRead;
      yield c as string;
    }
  } finally {
    s.destroy();
  }
}

/** One plan and one ancestor resolver per family met in the file (a JSONL file may mix layouts). */
class Plans {
  private readonly byKey = new Map<string, { plan: Plan; resolver: AncestorResolver | null; nested: NestedCalls | null }>();
  private readonly ctx: FileContext;
  /** Calls resolved (and issues met) since the last drain, in order. */
  readonly ready: TraceItem[] = [];

  constructor(ctx: FileContext) {
    this.ctx = ctx;
  }

  get(family: Family, shape: string, line: boolean): { plan: Plan; resolver: AncestorResolver | null } | null {
    const k = line ? family : `${family}/${shape}`;
    let p = this.byKey.get(k);
    if (!p) {
      const plan = makePlan(this.ctx, family, shape, line);
      if (!plan) return null;
      const emit = (c: ImportedCall): void => void this.ready.push({ kind: 'call', call: c });
      // formats with call trees: a call wrapping a call of the same model is counted once (nested.ts)
      const nested = TREE_FAMILIES.has(family) ? new NestedCalls(emit, (i) => void this.ready.push({ kind: 'issue', issue: i })) : null;
      // casebench lines name their ticket and task themselves: no ancestors to wait for
      p = {
        plan,
        resolver: family === 'casebench' ? null : new AncestorResolver(plan.fallback, nested ? (c) => nested.add(c) : emit),
        nested,
      };
      this.byKey.set(k, p);
    }
    return p;
  }

  /** Sends units to the batch: nodes through the resolver (or straight out for flat formats), issues and items as they are. */
  route(units: Unit[], resolver: AncestorResolver | null, out: TraceItem[]): void {
    for (const u of units) {
      if ('node' in u) {
        const bad = u.node.call ? badTimes(u.node.call) : null;
        if (bad) {
          // refused here, for every format: a time no calendar can show breaks every later export
          out.push({ kind: 'issue', issue: { where: u.node.call!.where, message: bad } });
          if (resolver) resolver.add({ ...u.node, call: null });
          continue;
        }
        if (resolver) resolver.add(u.node);
        else if (u.node.call) out.push({ kind: 'call', call: u.node.call });
        if (u.node.span && !u.node.call) out.push({ kind: 'span', span: u.node.span });
      } else if ('issue' in u) out.push({ kind: 'issue', issue: u.issue });
      else out.push({ kind: 'item', item: u.item });
      this.drain(out);
    }
  }

  drain(out: TraceItem[]): void {
    if (this.ready.length === 0) return;
    for (const it of this.ready) out.push(it);
    this.ready.length = 0;
  }

  finish(out: TraceItem[]): void {
    for (const { plan, resolver, nested } of this.byKey.values()) {
      const issue = guardRecord(null, this.ctx.name, () => {
        this.route(plan.finish(), resolver, out);
        resolver?.finish();
        nested?.finish();
      });
      if (issue)
        out.push({ kind: 'issue', issue: { where: issue.where, message: `${issue.message} (records held to the end of the file)` } });
      this.drain(out);
    }
  }

  /** Frees what the resolvers hold (their spill files), also when reading stops early. */
  close(): void {
    for (const { resolver } of this.byKey.values()) resolver?.close();
  }
}

function makePlan(ctx: FileContext, family: Family, shape: string, line: boolean): Plan | null {
  switch (family) {
    case 'otlp':
      return otlpPlan(ctx, line ? 'line' : (shape as OtlpShape));
    case 'attributes':
      return attributeMapPlan(ctx);
    case 'casebench':
      return casebenchPlan(ctx);
    case 'langsmith':
      return langsmithPlan(ctx, line ? 'run' : (shape as 'array' | 'runs' | 'ingest' | 'run'));
    case 'langfuse':
      return langfusePlan(ctx, line ? 'rows' : (shape as 'trace' | 'array' | 'rows'));
    case 'promptfoo':
      return promptfooPlan(ctx, line ? 'rows' : (shape as 'output' | 'rows'));
    default:
      return null;
  }
}

const TREE_FAMILIES = new Set<Family>(['langsmith', 'langfuse', 'otlp']);

const FEEDBACK_NOTE =
  'LangSmith feedback is a score, not a model call; it is not imported (casebench reviews travel as casebench JSONL or `casebench reviews import`)';

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
  const head = await headOf(path);
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

async function* readJsonl(path: string, ctx: FileContext, progress: ReadProgress, signal?: AbortSignal): AsyncGenerator<TraceItem[]> {
  const plans = new Plans(ctx);
  try {
    let n = 0;
    let rest = '';
    // A bad line is reported when the next line arrives, so the last one can say the file looks cut off.
    let pendingBad: ImportIssue | null = null;
    const doLine = (raw: string, out: TraceItem[]): void => {
      n++;
      let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (n === 1) line = line.replace(/^\uFEFF/, '');
      if (line.trim() === '') return;
      if (pendingBad) {
        out.push({ kind: 'issue', issue: pendingBad });
        pendingBad = null;
      }
      const where = `${ctx.name}:${n}`;
      let v: unknown;
      try {
        v = parseJson(line);
      } catch (e) {
        pendingBad = { where, message: `not valid JSON (${(e as Error).message.slice(0, 100)})` };
        return;
      }
      const c = classifyLine(v);
      if (!c) return void out.push({ kind: 'issue', issue: { where, message: 'not a known trace record' } });
      if (c.family === 'feedback') return void out.push({ kind: 'issue', issue: { where, message: FEEDBACK_NOTE } });
      const p = plans.get(c.family, c.shape, true)!;
      p.plan.startDocument?.();
      const issue = tooDeep(line, v, where) ?? guardRecord(v, where, () => plans.route(walkPlan(v, p.plan, where), p.resolver, out));
      if (issue) out.push({ kind: 'issue', issue });
    };
    for await (const chunk of textChunks(path, signal, progress)) {
      const out: TraceItem[] = [];
      let start = 0;
      const text = rest === '' ? chunk : rest + chunk;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        doLine(text.slice(start, nl), out);
        start = nl + 1;
      }
      rest = text.slice(start);
      if (out.length) yield out;
    }
    const out: TraceItem[] = [];
    if (rest !== '') doLine(rest, out);
    if (pendingBad) {
      const bad: ImportIssue = pendingBad;
      out.push({ kind: 'issue', issue: { where: bad.where, message: `${bad.message}; it is the last line, so the file looks truncated` } });
    }
    plans.finish(out);
    yield out;
  } finally {
    plans.close();
  }
}

async function* readDocument(
  path: string,
  ctx: FileContext,
  family: Family,
  shape: string,
  progress: ReadProgress,
  signal?: AbortSignal,
): AsyncGenerator<TraceItem[]> {
  if (family === 'feedback') {
    yield [{ kind: 'issue', issue: { where: ctx.name, message: FEEDBACK_NOTE } }];
    return;
  }
  const plans = new Plans(ctx);
  try {
    const p = plans.get(family, shape, false);
    if (!p) return;
    // JSON values one after another (pretty-printed documents appended to one file) are read in turn.
    const scanner = new JsonScanner((path) => p.plan.select(path), { multi: true });
    let doc = -1;
    const at = (d: number): string => (d === 0 ? ctx.name : `${ctx.name} (document ${d + 1})`);
    const handle = (events: ReturnType<JsonScanner['push']>): TraceItem[] => {
      const out: TraceItem[] = [];
      for (const e of events) {
        if (e.kind === 'error') {
          out.push({
            kind: 'issue',
            issue: {
              where: `${at(e.doc)} ${formatPath(e.path)} (character ${e.offset})`,
              message: `${e.message}; nothing after this point could be read`,
            },
          });
          continue;
        }
        if (e.doc !== doc) {
          doc = e.doc;
          p.plan.startDocument?.();
        }
        let v: unknown;
        try {
          v = parseJson(e.text);
        } catch (err) {
          out.push({
            kind: 'issue',
            issue: { where: `${at(e.doc)} ${formatPath(e.path)}`, message: `not valid JSON (${(err as Error).message.slice(0, 100)})` },
          });
          continue;
        }
        const where = `${at(e.doc)} ${formatPath(e.path)}`;
        const issue =
          tooDeep(e.text, v, where) ?? guardRecord(v, where, () => plans.route(p.plan.onValue(e.path, v, at(e.doc)), p.resolver, out));
        if (issue) out.push({ kind: 'issue', issue });
      }
      return out;
    };
    for await (const chunk of textChunks(path, signal, progress)) {
      const out = handle(scanner.push(chunk));
      if (out.length) yield out;
    }
    const out = handle(scanner.end());
    plans.finish(out);
    if (scanner.documents > 1)
      out.push({ kind: 'note', note: `read ${scanner.documents.toLocaleString('en-US')} JSON documents one after another` });
    yield out;
  } finally {
    plans.close();
  }
}

async function* readCsv(path: string, ctx: FileContext, progress: ReadProgress, signal?: AbortSignal): AsyncGenerator<TraceItem[]> {
  const plans = new Plans(ctx);
  try {
    const p = plans.get('langfuse', 'rows', true)!;
    const skipped: ImportIssue[] = [];
    const file = createReadStream(path);
    const parser = file.pipe(
      parseCsv({ columns: true, bom: true, info: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true }),
    );
    parser.on('skip', (err: Error & { lines?: number }) =>
      skipped.push({ where: `${ctx.name}:${err.lines ?? '?'}`, message: `bad CSV row (${err.message})` }),
    );
    const flushSkipped = (out: TraceItem[]): void => {
      for (const i of skipped) out.push({ kind: 'issue', issue: i });
      skipped.length = 0;
    };
    try {
      for await (const rec of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        if (signal?.aborted) throw new AppError('CANCELLED', 'import cancelled');
        progress.bytes = file.bytesRead;
        const out: TraceItem[] = [];
        flushSkipped(out);
        const row: Record<string, unknown> = {};
        // CSV cells are text; empty cells are absent values
        for (const [k, v] of Object.entries(rec.record)) if (v !== '') row[k] = v;
        const where = `${ctx.name}:${rec.info.lines}`;
        const issue = guardRecord(row, where, () => plans.route(p.plan.onValue([], row, where), p.resolver, out));
        if (issue) out.push({ kind: 'issue', issue });
        yield out;
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      yield [{ kind: 'issue', issue: { where: ctx.name, message: `the CSV cannot be read past this point (${(e as Error).message})` } }];
    }
    const out: TraceItem[] = [];
    flushSkipped(out);
    plans.finish(out);
    yield out;
  } finally {
    plans.close();
  }
}

// ---------------------------------------------------------------- per-record guards (generic)

/** Records nested deeper than this are refused (JSON.parse reads them; mapping them would recurse that deep). */
export const MAX_NESTING = 1000;

/** How deep a parsed JSON value nests, counted without recursion (stops counting past `stop`). */
export function nestingDepth(v: unknown, stop = Infinity): number {
  let max = 0;
  const stack: Array<{ v: unknown; d: number }> = [{ v, d: 0 }];
  while (stack.length > 0) {
    const { v: x, d } = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stop) return max;
    for (const k in x) if (Object.hasOwn(x, k)) stack.push({ v: (x as Record<string, unknown>)[k], d: depth });
  }
  return max;
}

/**
 * The issue for a record nested deeper than MAX_NESTING, else null. Cheap for every record: the
 * depth can only pass the limit when the text has more `{` and `[` than that (counted by indexOf,
 * stopping at the limit); only then is the parsed value measured.
 */
function tooDeep(text: string, value: unknown, where: string): ImportIssue | null {
  let opens = 0;
  for (let i = text.indexOf('{'); i >= 0 && opens <= MAX_NESTING; i = text.indexOf('{', i + 1)) opens++;
  for (let i = text.indexOf('['); i >= 0 && opens <= MAX_NESTING; i = text.indexOf('[', i + 1)) opens++;
  if (opens <= MAX_NESTING) return null;
  return nestingDepth(value, MAX_NESTING) > MAX_NESTING
    ? { where, message: `nested deeper than ${MAX_NESTING.toLocaleString('en-US')} levels` }
    : null;
}

/**
 * Maps one record; a record too deep to map (the adapters walk values recursively) becomes that
 * record's issue instead of ending the import — this file's other records and the next files go on.
 */
function guardRecord(value: unknown, where: string, fn: () => void): ImportIssue | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) throw e;
    const depth = value === null ? 0 : nestingDepth(value);
    const message =
      depth > MAX_NESTING
        ? `nested deeper than ${MAX_NESTING.toLocaleString('en-US')} levels (${depth.toLocaleString('en-US')})`
        : depth > 0
          ? `nested too deeply to read (${depth.toLocaleString('en-US')} levels)`
          : 'nested too deeply to read';
    return { where, message };
  }
}

/** A reason to refuse a call's times (out of any calendar's range, or negative), or null when they are fine. */
function badTimes(c: ImportedCall): string | null {
  const check = (ns: bigint | null, what: string): string | null => {
    if (ns === null) return null;
    if (ns < 0n) return `${what} ${ns} ns is before 1970-01-01`;
    if (ns > MAX_TIME_NS) return `${what} ${ns} ns is after 9999-12-31 (not a real time: the field is probably in the wrong unit)`;
    return null;
  };
  return check(c.x.startNs, 'start time') ?? check(c.x.endNs, 'end time');
}

// The streaming readers, one per container: JSONL line by line, a JSON document element by element
// (jsonStream.ts), a CSV row by row. Each yields batches of items; a bad line, element or row becomes
// an issue naming file:line or the JSON path, and reading goes on.
import { createReadStream } from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import { AppError } from '#shared/errors.ts';
import { classifyLine, type Family } from './detect.ts';
import { formatPath, JsonScanner } from './jsonStream.ts';
import { walkPlan, type FileContext } from './plan.ts';
import type { TraceItem } from './reader.ts';
import { FEEDBACK_NOTE, Plans, textChunks, type ReadProgress } from './readerShared.ts';
import { guardRecord, tooDeep } from './recordGuards.ts';
import type { ImportIssue } from './types.ts';
import { parseJson } from './values.ts';

export async function* readJsonl(
  path: string,
  ctx: FileContext,
  progress: ReadProgress,
  signal?: AbortSignal,
): AsyncGenerator<TraceItem[]> {
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

export async function* readDocument(
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

export async function* readCsv(path: string, ctx: FileContext, progress: ReadProgress, signal?: AbortSignal): AsyncGenerator<TraceItem[]> {
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

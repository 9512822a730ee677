// Imports one trace file into the workspace in ONE transaction: every readable call of the file
// commits together, or nothing does (a crash, or the user aborting, rolls the whole file back).
// Calls land in the ordinary tables so tickets, comparison, review and reports see them like
// recorded ones; call_origins keeps the file, the position in it and the source tool's ids.
import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import { isTaskId } from '../../shared/tasks.ts';
import { parseAnswer } from '../graph/normalise.ts';
import type { Store } from '../store/store.ts';
import { openTraceFile, type TraceFileInfo } from './reader.ts';
import type { CasebenchItem } from './plan.ts';
import { hasTable, importRunForSha, SQL, tableColumns, UNKNOWN_TASK, type Row } from './traceQueries.ts';
import type { ImportedCall, ImportIssue } from './types.ts';
import { nsToMs, num, obj, str } from './values.ts';

export interface ImportOptions {
  signal?: AbortSignal;
  /** Each skipped record as soon as it is met (the CLI prints them). */
  onIssue?: (issue: ImportIssue) => void;
  /** Calls written so far, every few thousand. */
  onProgress?: (calls: number) => void;
  /** Import a file whose content was imported before (default: report it and do nothing). */
  again?: boolean;
  now?: () => number;
}

export interface ImportReport {
  file: TraceFileInfo;
  /** The import runs written (one per file; casebench JSONL keeps one per original run). */
  runIds: string[];
  calls: number;
  tickets: number;
  results: number;
  skipped: number;
  /** The first 1,000 skipped records with the reason (all of them went to onIssue). */
  issues: ImportIssue[];
  /** Set when the same content was imported before and nothing was done. */
  alreadyImported: string | null;
  /** Things worth knowing that are not skipped records (e.g. tickets kept as they were). */
  notes: string[];
}

const MAX_ISSUES = 1000;
const MODEL_CALL_RULE = 'LangSmith run_type "llm", Langfuse GENERATION, OTel gen_ai.operation.name chat/text_completion/generate_content, OpenInference LLM';

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/** Imports a trace file (format detected from content); throws AppError only when the file as a whole is unusable. */
export async function importTraceFile(store: Store, path: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const now = opts.now ?? Date.now;
  const opened = await openTraceFile(path, { signal: opts.signal });
  const { info } = opened;
  const report: ImportReport = { file: info, runIds: [], calls: 0, tickets: 0, results: 0, skipped: 0, issues: [], alreadyImported: null, notes: [] };
  const prior = importRunForSha(store, info.sha256);
  if (prior && !opts.again) {
    report.alreadyImported = prior;
    await opened.items.return(undefined);
    return report;
  }
  const issue = (i: ImportIssue): void => {
    report.skipped++;
    if (report.issues.length < MAX_ISSUES) report.issues.push(i);
    opts.onIssue?.(i);
  };
  const base = `import-${info.sha256.slice(0, 16)}${prior ? `-${shortHash(String(now()))}` : ''}`;
  const runs = new Map<string, string>();
  const runConfigs = new Map<string, Record<string, unknown>>();
  const ticketsSeen = new Map<string, boolean>(); // id → has text
  let ticketConflicts = 0;
  const reviews = hasTable(store, 'reviews') ? new Set(tableColumns(store, 'reviews')) : null;
  let reviewsSkipped = 0;
  let reviewsImported = 0;
  let unnumbered = false;

  const stInsertRun = store.prepare(SQL.insertRun);
  const stTicket = store.prepare(SQL.upsertTicket);
  const stTicketText = store.prepare(SQL.ticketText);
  const stCall = store.prepare(SQL.insertCall);
  const stOrigin = store.prepare(SQL.insertOrigin);
  const stResult = store.prepare(SQL.insertResult);
  const stUpsertResult = store.prepare(SQL.upsertResult);
  const derivedResults = new Set<string>();

  const withResultLines = new Set<string>();
  const withRunTicketLines = new Set<string>();
  const runFor = (orig: { id: string; kind: string; label: string | null } | null): string => {
    const key = orig ? orig.id : '';
    let id = runs.get(key);
    if (id) return id;
    id = orig ? `${base}-${shortHash(orig.id)}` : base;
    const label = orig ? `${info.name} · ${orig.label ?? orig.id}` : info.name;
    const config: Record<string, unknown> = {
      format: info.family, detected: info.label, file: info.name, path: info.path, sha256: info.sha256, bytes: info.bytes,
      ...(orig ? { source_run: orig } : {}),
    };
    stInsertRun.run(id, label, JSON.stringify(config), now());
    runs.set(key, id);
    runConfigs.set(id, config);
    report.runIds.push(id);
    return id;
  };

  const ensureTicket = (id: string, text: string | null, fields?: { title: string | null; created_at: string | null; labels: string | null; source: string | null }): void => {
    const had = ticketsSeen.get(id);
    if (had === true || (had === false && !text)) return;
    const r = stTicket.run(id, text ?? '', fields?.title ?? null, fields?.created_at ?? null, fields?.labels ?? null, fields?.source ?? `import:${info.name}`, now());
    if (Number(r.changes) === 0 && text) {
      const existing = stTicketText.get(id) as Row | undefined;
      if (existing && existing.text !== text) ticketConflicts++;
    }
    let hasText = Boolean(text);
    if (!hasText && Number(r.changes) === 0) hasText = ((stTicketText.get(id) as Row | undefined)?.text ?? '') !== '';
    ticketsSeen.set(id, hasText);
  };

  const writeCall = (c: ImportedCall): void => {
    const r = c.record;
    if (r.status === 'pending') {
      issue({ where: c.where, message: 'the call was still running when the file was written (no end time)' });
      return;
    }
    const runId = runFor(c.x.run);
    const format = info.family === 'casebench' ? 'casebench' : r.metadata.source.format;
    const ticketId = r.ticket_id ?? `${r.metadata.source.format}:${r.trace_id}`;
    // Without a ticket text in the trace, the user's message is the closest thing to one.
    ensureTicket(ticketId, c.x.ticketText ?? (info.family === 'casebench' ? null : (r.input_messages.find((m) => m.role === 'user')?.content ?? null)));
    const task = r.task ?? UNKNOWN_TASK;
    let status: 'ok' | 'error' = r.status === 'success' ? 'ok' : 'error';
    let errorCode = status === 'error' ? (c.x.errorCode ?? 'PROVIDER_ERROR') : c.x.errorCode;
    let errorMessage = r.error;
    let value: string | null = null;
    const { source, ...meta } = r.metadata;
    if (info.family !== 'casebench' && status === 'ok' && isTaskId(task) && r.output_text !== null) {
      // An answer to a casebench task is judged as casebench judges its own calls (contracts §2).
      const parsed = parseAnswer(task, r.output_text);
      if (parsed.ok) value = JSON.stringify(parsed.value);
      else {
        status = 'error';
        errorCode = parsed.code;
        errorMessage = parsed.message;
        meta.source_status = 'success';
      }
    }
    const { startNs, endNs } = c.x;
    if (c.x.attempt === null) unnumbered = true;
    const provider = r.provider ?? 'unknown';
    const model = r.model ?? 'unknown';
    const res = stCall.run(
      runId, ticketId, task, c.x.modelSpec ?? `${provider}:${model}`, provider, model, c.x.attempt ?? 0, c.x.promptVersion,
      c.x.startedAtMs ?? nsToMs(startNs), r.latency_ms, r.ttft_ms, c.x.queueTimeMs, c.x.providerTotalMs, status, errorCode,
      errorMessage, c.x.httpStatus, c.x.requestId, r.input_tokens, r.output_tokens, c.x.cachedTokens, c.x.reasoningTokens,
      r.cost_usd, r.output_text,
    );
    if (info.family !== 'casebench') {
      const startMs = c.x.startedAtMs ?? nsToMs(startNs);
      stUpsertResult.run(
        runId, ticketId, task, c.x.modelSpec ?? `${provider}:${model}`, status, value, r.output_text, provider, model, c.x.promptVersion,
        startMs, startMs + (r.latency_ms ?? 0), r.latency_ms, r.ttft_ms, c.x.queueTimeMs, c.x.providerTotalMs, r.input_tokens, r.output_tokens,
        c.x.cachedTokens, c.x.reasoningTokens, r.cost_usd, errorCode, errorMessage, now(),
      );
      derivedResults.add(runId);
    }
    const at = c.where.startsWith(info.name) ? c.where.slice(info.name.length).replace(/^[: ]/, '') : c.where;
    stOrigin.run(
      Number(res.lastInsertRowid), runId, format, info.name, at || null, r.trace_id, c.x.spanId ?? source.id, c.x.parentSpanId ?? source.parent_id,
      JSON.stringify(source), startNs.toString(), endNs === null ? null : endNs.toString(), JSON.stringify(r.input_messages),
      json(r.parsed_output), JSON.stringify(meta), value,
    );
    report.calls++;
    if (opts.onProgress && report.calls % 5000 === 0) opts.onProgress(report.calls);
  };

  const writeItem = (it: CasebenchItem): void => {
    const o = it.line;
    if (it.type === 'ticket') {
      const id = String(o.id);
      ticketsSeen.delete(id);
      ensureTicket(id, String(o.text), {
        title: str(o.title), created_at: str(o.created_at), labels: o.labels === null || o.labels === undefined ? null : JSON.stringify(o.labels), source: str(o.source),
      });
      return;
    }
    if (it.type === 'run') {
      // the full run as recorded: kept so the export gives it back as it was
      const { casebench: _tag, ...full } = o;
      const runId = runFor({ id: String(o.id), kind: String(o.kind), label: str(o.label) });
      runConfigs.get(runId)!.source_run = full;
      return;
    }
    if (it.type === 'run_ticket') {
      const run = obj(o.run)!;
      const runId = runFor({ id: String(run.id), kind: str(run.kind) ?? 'run', label: str(run.label) });
      const ticketId = String(o.ticket_id);
      ensureTicket(ticketId, null);
      store.prepare(SQL.upsertRunTicket).run(runId, ticketId, String(o.status), num(o.total_ms), num(o.started_at), num(o.finished_at));
      withRunTicketLines.add(runId);
      return;
    }
    if (it.type === 'result') {
      const run = obj(o.run)!;
      const runId = runFor({ id: String(run.id), kind: str(run.kind) ?? 'run', label: str(run.label) });
      withResultLines.add(runId);
      const ticketId = String(o.ticket_id);
      ensureTicket(ticketId, null);
      stResult.run(
        runId, ticketId, String(o.task), String(o.model_spec), String(o.status), json(o.value), str(o.raw) ?? (typeof o.raw === 'string' ? o.raw : null),
        str(o.provider) ?? 'unknown', str(o.model) ?? 'unknown', str(o.prompt_version), num(o.started_ms), num(o.ended_ms), num(o.latency_ms),
        num(o.ttft_ms), num(o.queue_time_ms), num(o.provider_total_ms), num(o.input_tokens), num(o.output_tokens), num(o.cached_tokens),
        num(o.reasoning_tokens), num(o.cost_usd), num(o.attempts) ?? 0, str(o.error_code), typeof o.error_message === 'string' ? o.error_message : null,
        num(o.recorded_at) ?? now(),
      );
      return;
    }
    if (!reviews) {
      reviewsSkipped++;
      issue({ where: it.where, message: 'a review, but this database has no reviews table yet; skipped' });
      return;
    }
    // Row ids are this database's own (and superseded_by points at one): the rest travels as is,
    // with the run mapped to the import run that now holds its calls.
    const cols = Object.keys(o).filter((k) => k !== 'casebench' && k !== 'id' && k !== 'superseded_by' && reviews.has(k));
    if (cols.length === 0) return issue({ where: it.where, message: 'a review with no column this database knows' });
    const value = (c: string): string | number | null => {
      const v = o[c];
      if (c === 'run_id' && typeof v === 'string') return runs.get(v) ?? v;
      return v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'boolean' ? Number(v) : (v as string | number);
    };
    try {
      store.prepare(`INSERT INTO reviews (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map(value));
      reviewsImported++;
    } catch (e) {
      issue({ where: it.where, message: `review not stored: ${(e as Error).message}` });
    }
  };

  store.prepare(SQL.begin).run();
  try {
    for await (const batch of opened.items) {
      for (const item of batch) {
        if (item.kind === 'call') writeCall(item.call);
        else if (item.kind === 'issue') issue(item.issue);
        else writeItem(item.item);
      }
    }
    if (opts.signal?.aborted) throw new AppError('CANCELLED', 'import cancelled');
    const finishedAt = now();
    for (const runId of report.runIds) {
      if (unnumbered) store.prepare(SQL.numberAttempts).run(runId);
      // A casebench export carries every result and run ticket as lines; other formats get them derived.
      if (derivedResults.has(runId)) store.prepare(SQL.relativeResultTimes).run(runId, runId);
      else if (!withResultLines.has(runId)) store.prepare(SQL.resultsFromCalls).run(finishedAt, runId, runId);
      if (!withRunTicketLines.has(runId)) {
        store.prepare(SQL.runTickets).run(runId, runId);
        store.prepare(SQL.runTicketsFromResults).run(runId);
      }
      const sourceRun = obj(runConfigs.get(runId)?.source_run);
      let assignment: Record<string, string> = {};
      if (sourceRun && obj(sourceRun.assignment)) assignment = sourceRun.assignment as Record<string, string>;
      else for (const r of store.prepare(SQL.modelsPerTask).all(runId) as Row[]) assignment[String(r.task)] ??= String(r.model_spec);
      const counts = store.prepare(SQL.runCounts).get(runId, runId, runId) as Row;
      report.results += Number(counts.results);
      const config = {
        ...runConfigs.get(runId), imported_at: finishedAt, calls: Number(counts.calls), tickets: Number(counts.tickets),
        skipped: report.skipped, issues: report.issues.slice(0, 20),
      };
      store.prepare(SQL.finishRun).run(finishedAt, JSON.stringify(assignment), JSON.stringify(config), runId);
    }
    store.prepare(SQL.commit).run();
  } catch (e) {
    store.prepare(SQL.rollback).run();
    await opened.items.return(undefined);
    throw e;
  }
  report.tickets = ticketsSeen.size;
  if (report.calls === 0 && report.skipped === 0 && report.results === 0) report.notes.push(`no model calls in ${info.name} (nothing in it is an LLM call: ${MODEL_CALL_RULE})`);
  if (ticketConflicts) report.notes.push(`${ticketConflicts} ticket${ticketConflicts === 1 ? '' : 's'} already in the workspace with a different text kept as they were`);
  if (reviewsImported) report.notes.push(`${reviewsImported} review${reviewsImported === 1 ? '' : 's'} imported`);
  if (reviewsSkipped) report.notes.push(`${reviewsSkipped} review${reviewsSkipped === 1 ? '' : 's'} not imported: this database has no reviews table yet`);
  return report;
}

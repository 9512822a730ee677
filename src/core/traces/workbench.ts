// The workbench's side of trace import: an uploaded file's content is written to a temp file (the
// importer reads paths) and imported on its own Store connection (the import is one write
// transaction that awaits the file between batches; sharing the app's connection would let other
// writes slip into it), then the temp file goes. Plus the read side the Traces view and the
// ticket view's origin line need. No key, no runtime, no network: only the importer and SQLite.
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { AppError } from '#shared/errors.ts';
import type {
  CallOriginView,
  ImportCallsPage,
  ImportedCallView,
  TraceImportSummary,
  TraceImportView,
  TraceIssueView,
} from '#shared/traces.ts';
import { openStore, type Store } from '../store/store.ts';
import type { Scrubber } from '../secrets/scrub.ts';
import { titleOf } from '#shared/ticketTitle.ts';
import { importTraceFile, type ImportProgress, type ImportReport } from './importer.ts';
import { listImports, originOfCall, type Row } from './traceQueries.ts';

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern finds
const UNSAFE_NAME_CHARS = /[\u0000-\u001f<>:"|?*]/g;

/** A file name safe to create in our own temp folder (the name the import reports and records). */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(UNSAFE_NAME_CHARS, '_').replace(/^\.+/, '').trim().slice(0, 200);
  return clean || 'trace.json';
}

/** The importer's report as the workbench shows it (the temp path is not the user's business). */
export function importView(r: ImportReport): TraceImportView {
  const { file } = r;
  return {
    file: { name: file.name, bytes: file.bytes, sha256: file.sha256, family: file.family, container: file.container, label: file.label },
    runIds: r.runIds,
    calls: r.calls,
    tickets: r.tickets,
    results: r.results,
    skipped: r.skipped,
    issues: r.issues.map((i) => ({ where: i.where, message: i.message })),
    alreadyImported: r.alreadyImported,
    notes: r.notes,
  };
}

export interface TraceImportOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  again?: boolean;
  /** What to record as the file's path in the import run (an upload has none of its own). */
  recordedPath?: string;
  /** The host's scrubber: no key the product holds is written, whatever the file holds. */
  scrubber?: Scrubber | null;
}

/**
 * Imports a trace file by path on a connection of its own, closed afterwards. A big file is staged
 * in a database beside the workspace and copied in at the end, so triage, reviews and UI state can
 * keep writing while it imports (they would otherwise wait for the import's one transaction).
 */
export async function importTraceAt(dbPath: string, path: string, opts: TraceImportOptions = {}): Promise<TraceImportView> {
  const store = openStore(dbPath, { scrubber: opts.scrubber });
  const prefix = `.${basename(dbPath)}.import-`;
  await removeStaleStaging(dirname(dbPath), prefix);
  const staging = join(dirname(dbPath), `${prefix}${randomUUID().slice(0, 8)}.tmp`);
  try {
    const report = await importTraceFile(store, path, { signal: opts.signal, again: opts.again, onProgress: opts.onProgress, staging });
    if (opts.recordedPath !== undefined) {
      for (const runId of report.runIds) {
        store
          .prepare(`UPDATE runs SET config = json_set(config, '$.path', ?) WHERE id = ? AND json_valid(config)`)
          .run(opts.recordedPath, runId);
      }
    }
    return importView(report);
  } finally {
    store.close();
  }
}

/** Staging files a killed process left behind (an hour old: no import in progress writes to them). */
async function removeStaleStaging(dir: string, prefix: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const n of names) {
    if (!n.startsWith(prefix) || !/\.tmp(-journal)?$/.test(n)) continue;
    const st = await stat(join(dir, n)).catch(() => null);
    if (st && Date.now() - st.mtimeMs > 3_600_000) await rm(join(dir, n), { force: true });
  }
}

/** Imports uploaded content: a temp file under its own name (so the import names it), removed afterwards. */
export async function importTraceUpload(
  dbPath: string,
  upload: { name: string; content: string; lastModified?: number; again?: boolean },
  opts: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void; scrubber?: Scrubber | null } = {},
): Promise<TraceImportView> {
  if (upload.content.trim() === '') throw new AppError('BAD_INPUT', `${upload.name} is empty: nothing to import`);
  const dir = await mkdtemp(join(tmpdir(), 'casebench-trace-'));
  const name = safeFileName(upload.name);
  const path = join(dir, name);
  try {
    await writeFile(path, upload.content, 'utf8');
    if (upload.lastModified !== undefined) {
      const t = new Date(upload.lastModified);
      await utimes(path, t, t);
    }
    return await importTraceAt(dbPath, path, {
      signal: opts.signal,
      onProgress: opts.onProgress,
      again: upload.again,
      recordedPath: `browser upload: ${name}`,
      scrubber: opts.scrubber,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const issuesOf = (v: unknown): TraceIssueView[] =>
  Array.isArray(v)
    ? v.flatMap((i) =>
        i && typeof i === 'object' && typeof (i as TraceIssueView).where === 'string'
          ? [{ where: (i as TraceIssueView).where, message: String((i as TraceIssueView).message ?? '') }]
          : [],
      )
    : [];

/** Every import, newest first, with what its run config recorded. */
export function traceImports(store: Store): TraceImportSummary[] {
  return listImports(store).map((s) => {
    const c = s.config ?? {};
    return {
      runId: s.runId,
      label: s.label,
      createdAt: s.createdAt,
      calls: s.calls,
      format: str(c.format),
      detected: str(c.detected),
      file: str(c.file),
      tickets: num(c.tickets),
      skipped: num(c.skipped),
      issues: issuesOf(c.issues),
    };
  });
}

const originView = (o: NonNullable<ReturnType<typeof originOfCall>>): CallOriginView => ({
  callId: o.callId,
  runId: o.runId,
  format: o.format,
  file: o.file,
  locator: o.locator,
  traceId: o.traceId,
  spanId: o.spanId,
  parentSpanId: o.parentSpanId,
  source: o.source,
  generic: o.generic,
});

function callRow(store: Store, r: Row): ImportedCallView {
  const callId = num(r.id) ?? 0;
  const o = originOfCall(store, callId);
  return {
    callId,
    ticketId: String(r.ticket_id),
    ticketTitle: titleOf(str(r.title), String(r.head ?? '')),
    task: String(r.task),
    modelSpec: String(r.model_spec),
    attempt: num(r.attempt) ?? 0,
    status: r.status === 'ok' ? 'ok' : 'error',
    errorCode: str(r.error_code),
    latencyMs: num(r.latency_ms),
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    costUsd: num(r.cost_usd),
    startedAt: num(r.started_at),
    origin: o ? originView(o) : null,
  };
}

const CALL_COLUMNS = `c.id, c.ticket_id, c.task, c.model_spec, c.attempt, c.status, c.error_code, c.latency_ms, c.input_tokens, c.output_tokens,
  c.cost_usd, c.started_at, t.title, substr(t.text, 1, 300) AS head`;

/** The calls of one import, in file order (the first `limit`). */
export function importCalls(store: Store, runId: string, limit = 500): ImportCallsPage {
  if (!store.prepare(`SELECT 1 FROM runs WHERE id = ? AND kind = 'import'`).get(runId))
    throw new AppError('BAD_INPUT', `no import ${runId} in this workspace`);
  const total = num((store.prepare('SELECT count(*) AS n FROM calls WHERE run_id = ?').get(runId) as Row).n) ?? 0;
  const rows = store
    .prepare(`SELECT ${CALL_COLUMNS} FROM calls c LEFT JOIN tickets t ON t.id = c.ticket_id WHERE c.run_id = ? ORDER BY c.id LIMIT ?`)
    .all(runId, limit) as Row[];
  return { runId, total, rows: rows.map((r) => callRow(store, r)) };
}

/** A ticket's calls in one run with their origins (empty for calls casebench recorded itself). */
export function ticketCallOrigins(store: Store, runId: string, ticketId: string): ImportedCallView[] {
  const rows = store
    .prepare(
      `SELECT ${CALL_COLUMNS} FROM calls c LEFT JOIN tickets t ON t.id = c.ticket_id WHERE c.run_id = ? AND c.ticket_id = ? ORDER BY c.id LIMIT 200`,
    )
    .all(runId, ticketId) as Row[];
  return rows.map((r) => callRow(store, r)).filter((c) => c.origin !== null);
}

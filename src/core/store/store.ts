// The workspace store: one SQLite file per workspace through node:sqlite, in WAL mode so a
// killed process loses at most the calls in flight (each result is its own committed write).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../shared/errors.ts';
import type { TaskResult, TicketInput } from '../../shared/results.ts';
import { isTaskId, type TaskId } from '../../shared/tasks.ts';
import { LATEST_VERSION, MIGRATIONS } from './migrations.ts';
import { detectInjection, type InjectionFinding } from '../graph/injection.ts';

export type RunKind = 'triage' | 'run' | 'experiment' | 'compare' | 'import';
/** held: a workbench batch waiting for its go-ahead or stopped (Stop, spend limit) in this session; interrupted at the next start. */
export type RunStatus = 'running' | 'done' | 'interrupted' | 'held';
export type RunTicketStatus = 'pending' | 'done' | 'cancelled';

export interface RunRow {
  id: string;
  kind: RunKind;
  label: string | null;
  assignment: Record<string, string>;
  config: Record<string, unknown> | null;
  status: RunStatus;
  createdAt: number;
  finishedAt: number | null;
}

/** One attempt sent to a provider (or refused before sending, e.g. KEY_MISSING). */
export interface CallRecord {
  runId: string;
  ticketId: string;
  task: TaskId;
  modelSpec: string;
  provider: string;
  model: string;
  attempt: number;
  promptVersion: string | null;
  startedAt: number;
  latencyMs: number | null;
  ttftMs: number | null;
  queueTimeMs: number | null;
  providerTotalMs: number | null;
  status: 'ok' | 'error';
  errorCode: string | null;
  errorMessage: string | null;
  httpStatus: number | null;
  requestId: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  raw: string | null;
}

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export class Store {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly stmts = new Map<string, StatementSync>();

  constructor(path: string) {
    this.path = path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new DatabaseSync(path);
    } catch (e) {
      throw new AppError('BAD_INPUT', `cannot open the database ${path}: ${(e as Error).message}`);
    }
    try {
      this.db.exec('PRAGMA busy_timeout = 5000');
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = NORMAL');
      this.db.exec('PRAGMA cache_size = -65536');
      this.db.exec('PRAGMA temp_store = MEMORY');
      this.db.exec('PRAGMA foreign_keys = ON');
      this.migrate();
    } catch (e) {
      this.db.close();
      if (e instanceof AppError) throw e;
      throw new AppError('BAD_INPUT', `${path} is not a casebench database: ${(e as Error).message}`);
    }
  }

  private migrate(): void {
    const current = num((this.db.prepare('PRAGMA user_version').get() as Row).user_version) ?? 0;
    if (current > LATEST_VERSION) {
      throw new AppError(
        'BAD_INPUT',
        `${this.path} was written by a newer casebench (schema ${current}, this version knows ${LATEST_VERSION}); upgrade casebench to open it`,
      );
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      this.db.exec('BEGIN IMMEDIATE');
      try {
        this.db.exec(m.sql);
        this.db.exec(`PRAGMA user_version = ${m.version}`);
        this.db.exec('COMMIT');
      } catch (e) {
        this.db.exec('ROLLBACK');
        throw e;
      }
    }
  }

  /** A cached prepared statement, for repository modules that keep their queries in their own files. */
  prepare(sql: string): StatementSync {
    return this.stmt(sql);
  }

  private stmt(sql: string): StatementSync {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Schema version of the open file. */
  schemaVersion(): number {
    return num((this.db.prepare('PRAGMA user_version').get() as Row).user_version) ?? 0;
  }

  /** SQLite's own integrity check; "ok" when the file is sound. */
  integrityCheck(): string {
    const rows = this.db.prepare('PRAGMA integrity_check').all() as Row[];
    return rows.map((r) => String(r.integrity_check)).join('; ');
  }

  /** Runs fn in one transaction (all or nothing). */
  transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Adds or replaces a ticket; every ticket entering the workspace is checked for prompt injection here. */
  upsertTicket(t: TicketInput, source: string | null): void {
    const findings = detectInjection(t.text);
    this.stmt(
      `INSERT INTO tickets (id, text, title, created_at, labels, source, added_at, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET text = excluded.text, title = excluded.title, created_at = excluded.created_at,
         labels = excluded.labels, source = excluded.source, flags = excluded.flags`,
    ).run(
      t.id, t.text, t.title ?? null, t.created_at ?? null, t.labels ? JSON.stringify(t.labels) : null, source, Date.now(),
      findings.length ? JSON.stringify(findings) : null,
    );
  }

  /** What was flagged in a ticket (prompt-injection findings); empty when nothing. */
  ticketFlags(id: string): InjectionFinding[] {
    const r = this.stmt('SELECT flags FROM tickets WHERE id = ?').get(id) as Row | undefined;
    return r?.flags ? (JSON.parse(String(r.flags)) as InjectionFinding[]) : [];
  }

  getTicket(id: string): TicketInput | null {
    const r = this.stmt('SELECT * FROM tickets WHERE id = ?').get(id) as Row | undefined;
    if (!r) return null;
    const t: TicketInput = { id: String(r.id), text: String(r.text) };
    if (r.title != null) t.title = String(r.title);
    if (r.created_at != null) t.created_at = String(r.created_at);
    if (r.labels != null) t.labels = JSON.parse(String(r.labels)) as TicketInput['labels'];
    return t;
  }

  createRun(run: { id: string; kind: RunKind; label?: string | null; assignment: Record<string, string>; config?: Record<string, unknown> }): void {
    this.stmt(
      `INSERT INTO runs (id, kind, label, assignment, config, status, created_at) VALUES (?, ?, ?, ?, ?, 'running', ?)`,
    ).run(run.id, run.kind, run.label ?? null, JSON.stringify(run.assignment), run.config ? JSON.stringify(run.config) : null, Date.now());
  }

  getRun(id: string): RunRow | null {
    const r = this.stmt('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    return r ? toRun(r) : null;
  }

  listRuns(): RunRow[] {
    return (this.stmt('SELECT * FROM runs ORDER BY created_at DESC').all() as Row[]).map(toRun);
  }

  setRunStatus(id: string, status: RunStatus): void {
    this.stmt('UPDATE runs SET status = ?, finished_at = ? WHERE id = ?').run(status, status === 'running' ? null : Date.now(), id);
  }

  /** Marks runs left 'running' by a crashed or killed process as interrupted; returns how many. */
  markInterruptedRuns(): number {
    const r = this.stmt(`UPDATE runs SET status = 'interrupted' WHERE status IN ('running', 'held')`).run();
    return Number(r.changes);
  }

  setRunTicket(runId: string, ticketId: string, status: RunTicketStatus, totalMs: number | null = null): void {
    this.stmt(
      `INSERT INTO run_tickets (run_id, ticket_id, status, total_ms, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(run_id, ticket_id) DO UPDATE SET status = excluded.status, total_ms = excluded.total_ms,
         finished_at = excluded.finished_at`,
    ).run(runId, ticketId, status, totalMs, Date.now(), status === 'pending' ? null : Date.now());
  }

  /** Ticket ids of a run by status. */
  runTicketIds(runId: string, status: RunTicketStatus): Set<string> {
    const rows = this.stmt('SELECT ticket_id FROM run_tickets WHERE run_id = ? AND status = ?').all(runId, status) as Row[];
    return new Set(rows.map((r) => String(r.ticket_id)));
  }

  runTicketTotal(runId: string, ticketId: string): number | null {
    const r = this.stmt('SELECT total_ms FROM run_tickets WHERE run_id = ? AND ticket_id = ?').get(runId, ticketId) as Row | undefined;
    return r ? num(r.total_ms) : null;
  }

  saveResult(runId: string, ticketId: string, modelSpec: string, r: TaskResult): void {
    this.stmt(
      `INSERT OR REPLACE INTO results (run_id, ticket_id, task, model_spec, status, value, raw, provider, model, prompt_version,
        started_ms, ended_ms, latency_ms, ttft_ms, queue_time_ms, provider_total_ms, input_tokens, output_tokens, cached_tokens,
        reasoning_tokens, cost_usd, attempts, error_code, error_message, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      runId, ticketId, r.task, modelSpec, r.status, r.value === undefined ? null : JSON.stringify(r.value), r.raw,
      r.provider, r.model, r.promptVersion, r.startedMs, r.endedMs, r.latencyMs, r.ttftMs, r.queueTimeMs, r.providerTotalMs,
      r.inputTokens, r.outputTokens, r.cachedTokens, r.reasoningTokens, r.costUsd, r.attempts,
      r.error?.code ?? null, r.error?.message ?? null, Date.now(),
    );
  }

  /** Final task results of one ticket in one run (one model per task unless modelSpec is given). */
  resultsForTicket(runId: string, ticketId: string): TaskResult[] {
    const rows = this.stmt('SELECT * FROM results WHERE run_id = ? AND ticket_id = ?').all(runId, ticketId) as Row[];
    return rows.map(resultFromRow).filter((x): x is TaskResult => x !== null);
  }

  insertCall(c: CallRecord): void {
    this.stmt(
      `INSERT INTO calls (run_id, ticket_id, task, model_spec, provider, model, attempt, prompt_version, started_at, latency_ms,
        ttft_ms, queue_time_ms, provider_total_ms, status, error_code, error_message, http_status, request_id, input_tokens,
        output_tokens, cached_tokens, reasoning_tokens, cost_usd, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      c.runId, c.ticketId, c.task, c.modelSpec, c.provider, c.model, c.attempt, c.promptVersion, c.startedAt, c.latencyMs,
      c.ttftMs, c.queueTimeMs, c.providerTotalMs, c.status, c.errorCode, c.errorMessage, c.httpStatus, c.requestId,
      c.inputTokens, c.outputTokens, c.cachedTokens, c.reasoningTokens, c.costUsd, c.raw,
    );
  }

  /** Every recorded attempt of a run (for reports and tests). */
  callsForRun(runId: string): CallRecord[] {
    return (this.stmt('SELECT * FROM calls WHERE run_id = ? ORDER BY id').all(runId) as Row[]).map(toCall);
  }

  countCalls(runId?: string): number {
    const r = (runId
      ? this.stmt('SELECT count(*) AS n FROM calls WHERE run_id = ?').get(runId)
      : this.stmt('SELECT count(*) AS n FROM calls').get()) as Row;
    return num(r.n) ?? 0;
  }

  close(): void {
    this.stmts.clear();
    if (this.db.isOpen) this.db.close();
  }
}

function toRun(r: Row): RunRow {
  return {
    id: String(r.id),
    kind: String(r.kind) as RunKind,
    label: str(r.label),
    assignment: JSON.parse(String(r.assignment)) as Record<string, string>,
    config: r.config == null ? null : (JSON.parse(String(r.config)) as Record<string, unknown>),
    status: String(r.status) as RunStatus,
    createdAt: num(r.created_at) ?? 0,
    finishedAt: num(r.finished_at),
  };
}

function parseValue(v: unknown): unknown {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return null; // a damaged cell reads as no value rather than failing the whole view
  }
}

/** A results-table row as the engine's TaskResult (null for a task this version does not know). */
export function resultFromRow(r: Record<string, unknown>): TaskResult | null {
  const task = String(r.task);
  if (!isTaskId(task)) return null;
  const code = str(r.error_code);
  return {
    task,
    status: String(r.status) as TaskResult['status'],
    value: parseValue(r.value),
    raw: str(r.raw),
    provider: String(r.provider),
    model: String(r.model),
    promptVersion: String(r.prompt_version ?? ''),
    startedMs: num(r.started_ms) ?? 0,
    endedMs: num(r.ended_ms) ?? 0,
    latencyMs: num(r.latency_ms) ?? 0,
    ttftMs: num(r.ttft_ms),
    queueTimeMs: num(r.queue_time_ms),
    providerTotalMs: num(r.provider_total_ms),
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    cachedTokens: num(r.cached_tokens),
    reasoningTokens: num(r.reasoning_tokens),
    costUsd: num(r.cost_usd),
    attempts: num(r.attempts) ?? 0,
    error: code ? { code: code as NonNullable<TaskResult['error']>['code'], message: String(r.error_message ?? '') } : null,
  };
}

function toCall(r: Row): CallRecord {
  return {
    runId: String(r.run_id),
    ticketId: String(r.ticket_id),
    task: String(r.task) as TaskId,
    modelSpec: String(r.model_spec),
    provider: String(r.provider),
    model: String(r.model),
    attempt: num(r.attempt) ?? 0,
    promptVersion: str(r.prompt_version),
    startedAt: num(r.started_at) ?? 0,
    latencyMs: num(r.latency_ms),
    ttftMs: num(r.ttft_ms),
    queueTimeMs: num(r.queue_time_ms),
    providerTotalMs: num(r.provider_total_ms),
    status: String(r.status) as 'ok' | 'error',
    errorCode: str(r.error_code),
    errorMessage: str(r.error_message),
    httpStatus: num(r.http_status),
    requestId: str(r.request_id),
    inputTokens: num(r.input_tokens),
    outputTokens: num(r.output_tokens),
    cachedTokens: num(r.cached_tokens),
    reasoningTokens: num(r.reasoning_tokens),
    costUsd: num(r.cost_usd),
    raw: str(r.raw),
  };
}

/** Opens (creating and migrating if needed) the workspace database at path. */
export function openStore(path: string): Store {
  return new Store(path);
}

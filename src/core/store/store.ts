// The workspace store: one SQLite file per workspace through node:sqlite, in WAL mode so a
// killed process loses at most the calls in flight (each result is its own committed write).
// Over 400 lines: the Store class is the one write path (scrubbing, versions, transactions) every
// repository method goes through; read-side queries of features live in their own files.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '#shared/errors.ts';
import { SQLITE, noteStoreOpened, sqliteCode, storeFault } from './storeErrors.ts';
import type { TaskResult, TicketInput } from '#shared/results.ts';
import { isTaskId, type TaskId } from '#shared/tasks.ts';
import { LATEST_VERSION, MIGRATIONS, ticketHash } from './migrations.ts';
import { detectInjection, type InjectionFinding } from '../graph/injection.ts';
import { liveLeasedRuns } from './leases.ts';
import type { Scrubber } from '../secrets/scrub.ts';

export type RunKind = 'triage' | 'run' | 'experiment' | 'compare' | 'import' | 'shadow' | 'judge' | 'prompt-check';
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
  /** Time the attempt waited for a free slot before it was sent, ms (migration 8; null when unknown). */
  slotWaitMs?: number | null;
  /** The request was the first on a new connection (migration 8; null when unknown, e.g. imported). */
  cold?: boolean | null;
  /** Part of a hedged call (migration 12): 'primary' (overtaken by time, a duplicate sent) or 'hedge' (the duplicate). */
  hedge?: 'primary' | 'hedge' | null;
  /** Cancelled because the other attempt of its hedged call answered first. */
  hedgeLost?: boolean | null;
  /** Started on a guessed upstream value (migration 13): kept or discarded; null/absent when not speculative. */
  speculation?: 'kept' | 'discarded' | null;
}

type Row = Record<string, unknown>;

/** SQL for the ticket version a result or call is answered for: the run ticket's, else the ticket's latest (params: run, ticket, ticket). */
const VERSION_OF =
  'coalesce((SELECT ticket_hash FROM run_tickets WHERE run_id = ? AND ticket_id = ?), (SELECT hash FROM tickets WHERE id = ?))';
export interface StoreOptions {
  /**
   * Applied to every string written through this store (known keys only, in every form): no key
   * the product holds reaches the file, whichever table or column a write goes to.
   */
  scrubber?: Scrubber | null;
  /**
   * Open for reading only (report, export, review results): works on a read-only file or folder,
   * writes nothing, creates no file. A file of an older schema is upgraded first when it can be.
   */
  readOnly?: boolean;
}

// Statements that write (INSERT, UPDATE, REPLACE, UPSERT): their parameters pass the scrubber.
const WRITES = /\b(?:INSERT|UPDATE|REPLACE)\b/i;

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export class Store {
  readonly path: string;
  readonly readOnly: boolean;
  private readonly db: DatabaseSync;
  private readonly stmts = new Map<string, StatementSync>();
  private scrubber: Scrubber | null;

  constructor(path: string, opts: StoreOptions = {}) {
    this.path = path;
    this.scrubber = opts.scrubber ?? null;
    this.readOnly = opts.readOnly === true;
    noteStoreOpened(path);
    if (this.readOnly) {
      this.db = openReadOnly(path);
    } else {
      let isDir = false;
      try {
        isDir = path !== ':memory:' && statSync(path).isDirectory();
      } catch {
        // not there yet: created below
      }
      if (isDir) throw new AppError('BAD_INPUT', `${path} is a folder, not a workspace database (give --db FILE)`);
      try {
        if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
        this.db = new DatabaseSync(path);
      } catch (e) {
        throw storeFault(e, path) ?? new AppError('BAD_INPUT', `cannot open the database ${path}: ${(e as Error).message}`);
      }
    }
    try {
      this.db.exec('PRAGMA busy_timeout = 5000');
      if (!this.readOnly) {
        this.db.exec('PRAGMA journal_mode = WAL');
        this.db.exec('PRAGMA synchronous = NORMAL');
      }
      this.db.exec('PRAGMA cache_size = -65536');
      this.db.exec('PRAGMA temp_store = MEMORY');
      this.db.exec('PRAGMA foreign_keys = ON');
      if (this.readOnly) this.checkSchemaReadOnly();
      else this.migrate();
    } catch (e) {
      this.db.close();
      if (e instanceof AppError || e instanceof RetryReadOnly) throw e;
      const code = sqliteCode(e);
      if (code === SQLITE.NOTADB) throw new AppError('BAD_INPUT', `${path} is not a casebench database (${(e as Error).message})`);
      const fault = storeFault(e, path);
      if (fault) throw fault;
      throw new AppError('BAD_INPUT', `${path} is not a casebench database: ${(e as Error).message}`);
    }
  }

  /** A read-only open cannot migrate: an older file is upgraded through a writable open first. */
  private checkSchemaReadOnly(): void {
    const current = num((this.db.prepare('PRAGMA user_version').get() as Row).user_version) ?? 0;
    if (current > LATEST_VERSION) {
      throw new AppError(
        'BAD_INPUT',
        `${this.path} was written by a newer casebench (schema ${current}, this version knows ${LATEST_VERSION}); upgrade casebench to open it`,
      );
    }
    if (current === LATEST_VERSION) return;
    if (current === 0 && this.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() === undefined) {
      throw new AppError('BAD_INPUT', `${this.path} is an empty database, not a casebench workspace`);
    }
    try {
      new Store(this.path).close();
    } catch (e) {
      throw new AppError(
        'STORAGE',
        `${this.path} was written by an older casebench (schema ${current}, now ${LATEST_VERSION}) and must be upgraded once, which needs write access: ${(e as Error).message}`,
      );
    }
    throw new RetryReadOnly();
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
        // Another process opening the same file may have applied it while this one waited for the lock.
        const now = num((this.db.prepare('PRAGMA user_version').get() as Row).user_version) ?? 0;
        if (now >= m.version) {
          this.db.exec('COMMIT');
          continue;
        }
        this.db.exec(m.sql);
        m.up?.(this.db);
        this.db.exec(`PRAGMA user_version = ${m.version}`);
        this.db.exec('COMMIT');
      } catch (e) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
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
      if (WRITES.test(sql)) s = scrubbingStatement(s, () => this.scrubber);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** The scrubber every write passes (null: none). */
  get secretScrubber(): Scrubber | null {
    return this.scrubber;
  }

  /** Sets the scrubber every later write passes (the host's, once its runtime knows the keys). */
  useScrubber(scrubber: Scrubber | null): void {
    this.scrubber = scrubber;
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

  /**
   * Runs fn in one transaction (all or nothing). It takes the write lock first (BEGIN IMMEDIATE):
   * a deferred transaction that reads and then writes, while another process (a CLI run beside the
   * workbench) has written in between, fails at once with "database is locked" — SQLite cannot wait
   * for that one — where taking the lock first waits for the other writer (busy_timeout).
   */
  transaction<T>(fn: () => T): T {
    try {
      this.db.exec('BEGIN IMMEDIATE');
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      // SQLite rolls back by itself on some errors (a full disk); a second ROLLBACK would then
      // fail with "no transaction is active" and hide the cause.
      if (this.db.isTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // the original error is the one worth reporting
        }
      }
      throw storeFault(e, this.path) ?? e;
    }
  }

  /** Runs fn; a SQLite fault it throws comes out as an AppError naming this file (see storeErrors.ts). */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw storeFault(e, this.path) ?? e;
    }
  }

  /** Runs fn in one BEGIN IMMEDIATE transaction: the write lock is taken first, so a read-then-write is atomic across processes. */
  immediate<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /**
   * Adds a ticket version and makes it the ticket's latest; returns its version hash. Every ticket
   * entering the workspace is checked for prompt injection here. The same id with another text is
   * a new version (the earlier text, its labels and every answer given for it are kept); the same
   * text again updates that version: its labels when the line carries labels (a line without
   * labels keeps the labels the version has), title, created_at and source.
   */
  upsertTicket(t: TicketInput, source: string | null): string {
    const findings = detectInjection(t.text);
    const flags = findings.length ? JSON.stringify(findings) : null;
    const hash = ticketHash(t.text);
    const now = Date.now();
    const labels = t.labels ? JSON.stringify(t.labels) : null;
    const run = (): void => {
      const cur = this.stmt('SELECT hash, text, title, created_at, labels, source, flags, added_at FROM tickets WHERE id = ?').get(t.id) as
        | Row
        | undefined;
      // A ticket written without a version (a trace import, or before versions) gets one now, so
      // the runs that answered it keep pointing at its text.
      if (cur && cur.hash == null) {
        const h = ticketHash(String(cur.text ?? ''));
        this.stmt(
          `INSERT OR IGNORE INTO ticket_versions (ticket_id, hash, text, title, created_at, labels, source, flags, added_at, seen_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          t.id,
          h,
          String(cur.text ?? ''),
          str(cur.title),
          str(cur.created_at),
          str(cur.labels),
          str(cur.source),
          str(cur.flags),
          num(cur.added_at) ?? now,
          num(cur.added_at) ?? now,
        );
        this.stmt('UPDATE run_tickets SET ticket_hash = ? WHERE ticket_id = ? AND ticket_hash IS NULL').run(h, t.id);
      }
      this.stmt(
        `INSERT INTO ticket_versions (ticket_id, hash, text, title, created_at, labels, source, flags, added_at, seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(ticket_id, hash) DO UPDATE SET title = excluded.title, created_at = excluded.created_at,
           labels = coalesce(excluded.labels, ticket_versions.labels), source = excluded.source, flags = excluded.flags,
           seen_at = excluded.seen_at`,
      ).run(t.id, hash, t.text, t.title ?? null, t.created_at ?? null, labels, source, flags, now, now);
      this.stmt(
        `INSERT INTO tickets (id, text, title, created_at, labels, source, added_at, flags, hash)
         SELECT ticket_id, text, title, created_at, labels, source, ?, flags, hash FROM ticket_versions WHERE ticket_id = ? AND hash = ?
         ON CONFLICT(id) DO UPDATE SET text = excluded.text, title = excluded.title, created_at = excluded.created_at,
           labels = excluded.labels, source = excluded.source, flags = excluded.flags, hash = excluded.hash`,
      ).run(now, t.id, hash);
    };
    if (this.db.isTransaction) run();
    else this.transaction(run);
    return hash;
  }

  /** Every version of a ticket, newest first (the first is the ticket's latest text). */
  ticketVersions(id: string): Array<{
    hash: string;
    text: string;
    title: string | null;
    labels: TicketInput['labels'] | null;
    source: string | null;
    addedAt: number;
    seenAt: number;
    latest: boolean;
  }> {
    const latest = str((this.stmt('SELECT hash FROM tickets WHERE id = ?').get(id) as Row | undefined)?.hash);
    const rows = this.stmt('SELECT * FROM ticket_versions WHERE ticket_id = ? ORDER BY seen_at DESC, added_at DESC').all(id) as Row[];
    return rows
      .map((r) => ({
        hash: String(r.hash),
        text: String(r.text),
        title: str(r.title),
        labels: r.labels == null ? null : (JSON.parse(String(r.labels)) as TicketInput['labels']),
        source: str(r.source),
        addedAt: num(r.added_at) ?? 0,
        seenAt: num(r.seen_at) ?? 0,
        latest: String(r.hash) === latest,
      }))
      .sort((a, b) => Number(b.latest) - Number(a.latest));
  }

  /** The ticket exactly as a run saw it (the version it ran on); the latest version when the run never held it. */
  ticketForRun(runId: string, id: string): (TicketInput & { hash: string | null }) | null {
    const r = this.stmt('SELECT * FROM run_ticket_versions WHERE run_id = ? AND ticket_id = ?').get(runId, id) as Row | undefined;
    if (!r || r.text == null) {
      const t = this.getTicket(id);
      return t ? { ...t, hash: str((this.stmt('SELECT hash FROM tickets WHERE id = ?').get(id) as Row | undefined)?.hash) } : null;
    }
    const t: TicketInput & { hash: string | null } = { id, text: String(r.text), hash: str(r.hash) };
    if (r.title != null) t.title = String(r.title);
    if (r.created_at != null) t.created_at = String(r.created_at);
    if (r.labels != null) t.labels = JSON.parse(String(r.labels)) as TicketInput['labels'];
    return t;
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

  /**
   * What every run created from now on records in its config beside its own fields (the process's
   * privacy setting: a run's figures depend on what was masked before its calls).
   */
  stampRuns(stamp: (() => Record<string, unknown>) | null): void {
    this.runStamp = stamp;
  }

  private runStamp: (() => Record<string, unknown>) | null = null;

  createRun(run: {
    id: string;
    kind: RunKind;
    label?: string | null;
    assignment: Record<string, string>;
    config?: Record<string, unknown>;
  }): void {
    if (this.runStamp) run = { ...run, config: { ...this.runStamp(), ...run.config } };
    this.stmt(`INSERT INTO runs (id, kind, label, assignment, config, status, created_at) VALUES (?, ?, ?, ?, ?, 'running', ?)`).run(
      run.id,
      run.kind,
      run.label ?? null,
      JSON.stringify(run.assignment),
      run.config ? JSON.stringify(run.config) : null,
      Date.now(),
    );
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

  /**
   * Marks runs left 'running' (or 'held': a workbench batch waiting or stopped) by a crashed or killed process as interrupted; returns how many. A run
   * another live process holds the lease of (a `casebench run` beside the workbench) is left alone.
   */
  markInterruptedRuns(): number {
    const live = liveLeasedRuns(this);
    const open = (this.stmt(`SELECT id FROM runs WHERE status IN ('running', 'held')`).all() as Row[]).map((r) => String(r.id));
    let n = 0;
    const mark = this.stmt(`UPDATE runs SET status = 'interrupted' WHERE id = ? AND status IN ('running', 'held')`);
    this.transaction(() => {
      for (const id of open) if (!live.has(id)) n += Number(mark.run(id).changes);
    });
    return n;
  }

  /**
   * Records a ticket's state in a run; `hash` is the version it runs on (kept when not given). A run
   * moving to another version of a ticket first stamps the calls of the earlier one with it.
   */
  setRunTicket(runId: string, ticketId: string, status: RunTicketStatus, totalMs: number | null = null, hash: string | null = null): void {
    if (hash !== null) {
      const prev = str(
        (this.stmt('SELECT ticket_hash FROM run_tickets WHERE run_id = ? AND ticket_id = ?').get(runId, ticketId) as Row | undefined)
          ?.ticket_hash,
      );
      if (prev !== null && prev !== hash) {
        this.stmt('UPDATE calls SET ticket_hash = ? WHERE ticket_id = ? AND run_id = ? AND ticket_hash IS NULL').run(prev, ticketId, runId);
      }
    }
    this.stmt(
      `INSERT INTO run_tickets (run_id, ticket_id, status, total_ms, started_at, finished_at, ticket_hash)
       VALUES (?, ?, ?, ?, ?, ?, coalesce(?, (SELECT hash FROM tickets WHERE id = ?)))
       ON CONFLICT(run_id, ticket_id) DO UPDATE SET status = excluded.status, total_ms = excluded.total_ms,
         finished_at = excluded.finished_at, ticket_hash = coalesce(?, run_tickets.ticket_hash)`,
    ).run(runId, ticketId, status, totalMs, Date.now(), status === 'pending' ? null : Date.now(), hash, ticketId, hash);
  }

  /** The version each ticket of a run ran on, for tickets in the given state. */
  runTicketVersions(runId: string, status: RunTicketStatus): Map<string, string | null> {
    const rows = this.stmt('SELECT ticket_id, ticket_hash FROM run_tickets WHERE run_id = ? AND status = ?').all(runId, status) as Row[];
    return new Map(rows.map((r) => [String(r.ticket_id), str(r.ticket_hash)]));
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
        reasoning_tokens, cost_usd, attempts, error_code, error_message, recorded_at, slot_wait_ms, speculative, ticket_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${VERSION_OF})`,
    ).run(
      runId,
      ticketId,
      r.task,
      modelSpec,
      r.status,
      r.value === undefined ? null : JSON.stringify(r.value),
      r.raw,
      r.provider,
      r.model,
      r.promptVersion,
      r.startedMs,
      r.endedMs,
      r.latencyMs,
      r.ttftMs,
      r.queueTimeMs,
      r.providerTotalMs,
      r.inputTokens,
      r.outputTokens,
      r.cachedTokens,
      r.reasoningTokens,
      r.costUsd,
      r.attempts,
      r.error?.code ?? null,
      r.error?.message ?? null,
      Date.now(),
      r.slotWaitMs ?? null,
      r.speculative ? 1 : null,
      runId,
      ticketId,
      ticketId,
    );
  }

  /** Final task results of one ticket in one run (one model per task unless modelSpec is given). */
  resultsForTicket(runId: string, ticketId: string, hash?: string | null): TaskResult[] {
    // With a version hash: only results answered for that text (rows from before versions match any).
    const rows = (
      hash
        ? this.stmt('SELECT * FROM results WHERE run_id = ?1 AND ticket_id = ?2 AND coalesce(ticket_hash, ?3) = ?3').all(
            runId,
            ticketId,
            hash,
          )
        : this.stmt('SELECT * FROM results WHERE run_id = ? AND ticket_id = ?').all(runId, ticketId)
    ) as Row[];
    return rows.map(resultFromRow).filter((x): x is TaskResult => x !== null);
  }

  insertCall(c: CallRecord): void {
    this.stmt(
      `INSERT INTO calls (run_id, ticket_id, task, model_spec, provider, model, attempt, prompt_version, started_at, latency_ms,
        ttft_ms, queue_time_ms, provider_total_ms, status, error_code, error_message, http_status, request_id, input_tokens,
        output_tokens, cached_tokens, reasoning_tokens, cost_usd, raw, slot_wait_ms, cold, hedge, hedge_lost, speculation, ticket_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${VERSION_OF})`,
    ).run(
      c.runId,
      c.ticketId,
      c.task,
      c.modelSpec,
      c.provider,
      c.model,
      c.attempt,
      c.promptVersion,
      c.startedAt,
      c.latencyMs,
      c.ttftMs,
      c.queueTimeMs,
      c.providerTotalMs,
      c.status,
      c.errorCode,
      c.errorMessage,
      c.httpStatus,
      c.requestId,
      c.inputTokens,
      c.outputTokens,
      c.cachedTokens,
      c.reasoningTokens,
      c.costUsd,
      c.raw,
      c.slotWaitMs ?? null,
      c.cold === undefined || c.cold === null ? null : c.cold ? 1 : 0,
      c.hedge ?? null,
      c.hedge ? (c.hedgeLost ? 1 : 0) : null,
      c.speculation ?? null,
      c.runId,
      c.ticketId,
      c.ticketId,
    );
  }

  /** Every recorded attempt of a run (for reports and tests). */
  callsForRun(runId: string): CallRecord[] {
    return (this.stmt('SELECT * FROM calls WHERE run_id = ? ORDER BY id').all(runId) as Row[]).map(toCall);
  }

  countCalls(runId?: string): number {
    const r = (
      runId ? this.stmt('SELECT count(*) AS n FROM calls WHERE run_id = ?').get(runId) : this.stmt('SELECT count(*) AS n FROM calls').get()
    ) as Row;
    return num(r.n) ?? 0;
  }

  /** False once closed (an app quitting mid-run). */
  isOpen(): boolean {
    return this.db.isOpen;
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
    slotWaitMs: num(r.slot_wait_ms),
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
    ...(num(r.speculative) === 1 ? { speculative: true } : {}),
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
    slotWaitMs: num(r.slot_wait_ms),
    cold: r.cold === null || r.cold === undefined ? null : num(r.cold) === 1,
    hedge: r.hedge === 'primary' || r.hedge === 'hedge' ? r.hedge : null,
    hedgeLost: r.hedge_lost === null || r.hedge_lost === undefined ? null : num(r.hedge_lost) === 1,
    speculation: r.speculation === 'kept' || r.speculation === 'discarded' ? r.speculation : null,
  };
}

/** Opens (creating and migrating if needed) the workspace database at path. */
export function openStore(path: string, opts: StoreOptions = {}): Store {
  if (!opts.readOnly) return new Store(path, opts);
  try {
    return new Store(path, opts);
  } catch (e) {
    // an older schema was upgraded through a writable open: read the upgraded file
    if (e instanceof RetryReadOnly) return new Store(path, opts);
    throw e;
  }
}

class RetryReadOnly extends Error {}

/**
 * Opens the file for reading. A WAL database normally needs its -shm file, which a read-only
 * folder cannot hold: when nothing is pending in a -wal file the file is opened as immutable
 * instead (SQLite then reads it without any lock or side file).
 */
function openReadOnly(path: string): DatabaseSync {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new AppError('BAD_INPUT', `no workspace database at ${path} (give --db, or run tickets first)`);
  }
  if (st.isDirectory()) throw new AppError('BAD_INPUT', `${path} is a folder, not a workspace database (give --db FILE)`);
  let db: DatabaseSync | null = null;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    // SQLite opens lazily: the first read is where a missing -shm in a read-only folder shows
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (e) {
    if (db?.isOpen) db.close();
    const code = sqliteCode(e);
    if (code !== SQLITE.READONLY && code !== SQLITE.CANTOPEN) throw storeFault(e, path) ?? e;
    let walBytes = 0;
    try {
      walBytes = statSync(`${path}-wal`).size;
    } catch {
      // no -wal file: nothing pending
    }
    if (walBytes > 0) {
      throw new AppError(
        'STORAGE',
        `cannot read ${path}: its last session left changes in ${path}-wal that can only be applied with write access to the folder (${(e as Error).message})`,
      );
    }
    try {
      return new DatabaseSync(`${pathToFileURL(resolve(path)).href}?immutable=1`, { readOnly: true });
    } catch (e2) {
      throw storeFault(e2, path) ?? new AppError('BAD_INPUT', `cannot open the database ${path}: ${(e2 as Error).message}`);
    }
  }
}

/**
 * The statement with every string parameter (positional, or a named-parameter object's values)
 * passed through the scrubber first; nothing is done while the scrubber knows no key.
 */
function scrubbingStatement(s: StatementSync, current: () => Scrubber | null): StatementSync {
  const clean = (args: unknown[]): unknown[] => {
    const sc = current();
    if (!sc || sc.size === 0) return args;
    return args.map((a) => {
      if (typeof a === 'string') return sc.scrubKnown(a);
      if (a && typeof a === 'object' && !ArrayBuffer.isView(a)) {
        const o: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(a)) o[k] = typeof v === 'string' ? sc.scrubKnown(v) : v;
        return o;
      }
      return a;
    });
  };
  const w = Object.create(null) as Record<string, unknown>;
  const proto = Object.getPrototypeOf(s) as object;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor') continue;
    const d = Object.getOwnPropertyDescriptor(proto, name)!;
    if (typeof d.value === 'function') {
      const f = d.value as (...a: unknown[]) => unknown;
      w[name] = ['run', 'get', 'all', 'iterate'].includes(name)
        ? (...a: unknown[]) => f.apply(s, clean(a))
        : (...a: unknown[]) => f.apply(s, a);
    } else if (d.get) {
      const g = d.get;
      Object.defineProperty(w, name, { get: () => g.call(s), enumerable: true });
    }
  }
  return w as unknown as StatementSync;
}

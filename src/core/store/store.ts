// The workspace store: one SQLite file per workspace through node:sqlite, in WAL mode so a
// killed process loses at most the calls in flight (each result is its own committed write).
// The Store class is the one write path (scrubbing, versions, transactions); opening and migrating
// the file (storeOpen.ts), row types and decoders (storeRows.ts) and read-side queries live beside it.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { TaskResult, TicketInput } from '#shared/results.ts';
import { ticketHash } from './migrations.ts';
import { detectInjection, type InjectionFinding } from '../graph/injection.ts';
import { liveLeasedRuns } from './leases.ts';
import type { Scrubber } from '../secrets/scrub.ts';
import { storeFault } from './storeErrors.ts';
import { openDatabase, RetryReadOnly } from './storeOpen.ts';
import { scrubbingStatement } from './scrubbingStatement.ts';
import { getTicket, ticketFlags, ticketForRun, ticketVersions, type TicketVersion } from './ticketReads.ts';
import {
  callParams,
  INSERT_CALL,
  INSERT_RESULT,
  num,
  resultFromRow,
  resultParams,
  str,
  toCall,
  toRun,
  type CallRecord,
  type RunKind,
  type RunRow,
  type RunStatus,
  type RunTicketStatus,
} from './storeRows.ts';

export { resultFromRow } from './storeRows.ts';
export type { CallRecord, RunKind, RunRow, RunStatus, RunTicketStatus } from './storeRows.ts';
export type { TicketVersion } from './ticketReads.ts';

type Row = Record<string, unknown>;

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
    this.db = openDatabase(path, this.readOnly);
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
  ticketVersions(id: string): TicketVersion[] {
    return ticketVersions(this, id);
  }

  /** The ticket exactly as a run saw it (the version it ran on); the latest version when the run never held it. */
  ticketForRun(runId: string, id: string): (TicketInput & { hash: string | null }) | null {
    return ticketForRun(this, runId, id);
  }

  /** What was flagged in a ticket (prompt-injection findings); empty when nothing. */
  ticketFlags(id: string): InjectionFinding[] {
    return ticketFlags(this, id);
  }

  getTicket(id: string): TicketInput | null {
    return getTicket(this, id);
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
    this.stmt(INSERT_RESULT).run(...resultParams(runId, ticketId, modelSpec, r));
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
    this.stmt(INSERT_CALL).run(...callParams(c));
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

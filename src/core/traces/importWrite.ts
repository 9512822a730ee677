// The second half of an import: write operations (importMap.ts) applied to the workspace in ONE
// transaction. Only what needs the database happens here: tickets already present, call ids,
// attempt numbers, reviews against this schema's columns, and the per-run summary at the end.
import type { StatementSync } from 'node:sqlite';
import type { Store } from '../store/store.ts';
import { C, O, OP, type SqlValue, type WriteOp } from './writeOps.ts';
import type { SourceScore } from './sourceScores.ts';
import type { TraceFileInfo } from './reader.ts';
import { hasTable, SQL, tableColumns, type Row } from './traceQueries.ts';
import type { ImportIssue } from './types.ts';
import { obj } from './values.ts';

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
  /** Where the file was read and mapped: a worker thread (big files) or the importing thread. */
  reader: 'worker' | 'inline';
}

export interface WriterOptions {
  onIssue?: (issue: ImportIssue) => void;
  now: () => number;
  /** The import's clock reading: recorded_at of the results derived from calls. */
  at: number;
}

const MAX_ISSUES = 1000;
const MODEL_CALL_RULE =
  'LangSmith run_type "llm", Langfuse GENERATION, OTel gen_ai.operation.name chat/text_completion/generate_content, OpenInference LLM';

/** The note for tickets the workspace already had with another text (kept as they were). */
export function ticketConflictNote(n: number): string | null {
  return n ? `${n} ticket${n === 1 ? '' : 's'} already in the workspace with a different text kept as they were` : null;
}

export class ImportWriter {
  readonly report: ImportReport;
  private readonly store: Store;
  private readonly opts: WriterOptions;
  private readonly runs = new Map<string, string>(); // source run key → import run id
  private readonly runConfigs = new Map<string, Record<string, unknown>>();
  private readonly ticketsSeen = new Map<string, boolean>(); // id → has text
  private ticketConflicts = 0;
  private readonly reviews: Set<string> | null;
  private reviewsSkipped = 0;
  private reviewsImported = 0;
  /** Runs with calls the source did not number (casebench lines without one): numbered at the end. */
  private readonly unnumbered = new Set<string>();
  /** Runs whose auto-numbered calls arrived out of start order: renumbered at the end. */
  private readonly outOfOrder = new Set<string>();
  private readonly derivedResults = new Set<string>();
  private readonly withResultLines = new Set<string>();
  private readonly withRunTicketLines = new Set<string>();
  /** Calls that are generic traces (no ticket, not a casebench task), and the source scores imported as trace reviews. */
  private genericCalls = 0;
  private sourceScores = 0;
  private spans = 0;
  private readonly st: Record<
    'run' | 'ticket' | 'ticketText' | 'call' | 'origin' | 'result' | 'firstResult' | 'resultGroup' | 'nextResult' | 'runTicket',
    StatementSync
  >;

  constructor(store: Store, file: TraceFileInfo, reader: ImportReport['reader'], opts: WriterOptions) {
    this.store = store;
    this.opts = opts;
    this.report = { file, runIds: [], calls: 0, tickets: 0, results: 0, skipped: 0, issues: [], alreadyImported: null, notes: [], reader };
    this.reviews = hasTable(store, 'reviews') ? new Set(tableColumns(store, 'reviews')) : null;
    this.st = {
      run: store.prepare(SQL.insertRun),
      ticket: store.prepare(SQL.upsertTicket),
      ticketText: store.prepare(SQL.ticketText),
      call: store.prepare(SQL.insertCall),
      origin: store.prepare(SQL.insertOrigin),
      result: store.prepare(SQL.insertResult),
      firstResult: store.prepare(SQL.firstResult),
      resultGroup: store.prepare(SQL.resultGroup),
      nextResult: store.prepare(SQL.nextResult),
      runTicket: store.prepare(SQL.upsertRunTicket),
    };
  }

  begin(): void {
    this.store.prepare(SQL.begin).run();
  }

  rollback(): void {
    this.store.prepare(SQL.rollback).run();
  }

  issue(i: ImportIssue): void {
    this.report.skipped++;
    if (this.report.issues.length < MAX_ISSUES) this.report.issues.push(i);
    this.opts.onIssue?.(i);
  }

  apply(ops: readonly WriteOp[]): void {
    for (const op of ops) {
      switch (op[0]) {
        case OP.call:
          this.call(op[1], op[2], op[3], op[4], op[5], op[6]);
          break;
        case OP.span:
          this.store.prepare(SQL.insertSpan).run(op[1], ...op[2]);
          this.spans++;
          break;
        case OP.issue:
          this.issue({ where: op[1], message: op[2] });
          break;
        case OP.run: {
          const [, key, runId, label, config] = op;
          this.st.run.run(runId, label, JSON.stringify(config), this.opts.now());
          this.runs.set(key, runId);
          this.runConfigs.set(runId, config);
          this.report.runIds.push(runId);
          break;
        }
        case OP.runSource:
          this.runConfigs.get(op[1])!.source_run = op[2];
          break;
        case OP.ticket: {
          const [, id, text, title, createdAt, labels, source] = op;
          this.ticketsSeen.delete(id);
          this.ensureTicket(id, text, title, createdAt, labels, source);
          break;
        }
        case OP.runTicket: {
          const p = op[1];
          this.ensureTicket(p[1] as string, null);
          this.st.runTicket.run(...p);
          this.withRunTicketLines.add(p[0] as string);
          break;
        }
        case OP.result: {
          const p = op[1];
          this.withResultLines.add(p[0] as string);
          this.ensureTicket(p[1] as string, null);
          this.st.result.run(...p);
          break;
        }
        case OP.review:
          this.review(op[1], op[2]);
          break;
        case OP.note:
          this.report.notes.push(op[1]);
          break;
      }
    }
  }

  private ensureTicket(
    id: string,
    text: string | null,
    title: string | null = null,
    createdAt: string | null = null,
    labels: string | null = null,
    source: string | null = null,
  ): void {
    const had = this.ticketsSeen.get(id);
    if (had === true || (had === false && !text)) return;
    const r = this.st.ticket.run(id, text ?? '', title, createdAt, labels, source ?? `import:${this.report.file.name}`, this.opts.now());
    if (Number(r.changes) === 0 && text) {
      const existing = this.st.ticketText.get(id) as Row | undefined;
      if (existing && existing.text !== text) this.ticketConflicts++;
    }
    let hasText = Boolean(text);
    if (!hasText && Number(r.changes) === 0) hasText = ((this.st.ticketText.get(id) as Row | undefined)?.text ?? '') !== '';
    this.ticketsSeen.set(id, hasText);
  }

  private call(
    ticketText: string | null,
    c: SqlValue[],
    o: SqlValue[],
    derived: boolean,
    numbered: boolean,
    scores: SourceScore[] | null,
  ): void {
    const runId = c[C.run] as string;
    const generic = o[O.generic] === 1;
    if (generic) this.genericCalls++;
    else this.ensureTicket(c[C.ticket] as string, ticketText);
    if (derived) {
      // A foreign call is its group's result as written: the latest call by start wins and every
      // call counts as an attempt, so the group's count is this call's attempt number (when the
      // source numbers none) as long as the group's calls arrive in start order.
      this.derivedResults.add(runId);
      const startMs = c[C.startedAt] as number;
      const result = [
        runId,
        c[C.ticket],
        c[C.task],
        c[C.spec],
        c[C.status],
        o[O.value],
        c[C.raw],
        c[C.provider],
        c[C.model],
        c[C.promptVersion],
        startMs,
        startMs + ((c[C.latency] as number | null) ?? 0),
        c[C.latency],
        c[C.ttft],
        c[C.queue],
        c[C.providerTotal],
        c[C.inputTokens],
        c[C.outputTokens],
        c[C.cachedTokens],
        c[C.reasoningTokens],
        c[C.cost],
        c[C.errorCode],
        c[C.errorMessage],
        this.opts.at,
      ] as SqlValue[];
      let attempt = 1;
      if (Number(this.st.firstResult.run(...result).changes) === 0) {
        const prev = this.st.resultGroup.get(runId, c[C.ticket]!, c[C.task]!, c[C.spec]!) as Row | undefined;
        this.st.nextResult.run(...result);
        attempt = Number(prev?.attempts ?? 0) + 1;
        if (Number(prev?.started_ms) > startMs) this.outOfOrder.add(runId);
      }
      if (!numbered) c[C.attempt] = attempt;
    } else if (!numbered) this.unnumbered.add(runId);
    const res = this.st.call.run(...c);
    this.st.origin.run(
      Number(res.lastInsertRowid),
      runId,
      o[O.format]!,
      this.report.file.name,
      o[O.locator]!,
      o[O.traceId]!,
      o[O.spanId]!,
      o[O.parentSpanId]!,
      o[O.source]!,
      o[O.startNs]!,
      o[O.endNs]!,
      o[O.inputMessages]!,
      o[O.parsedOutput]!,
      o[O.metadata]!,
      o[O.value]!,
      o[O.generic] ?? 0,
    );
    if (scores) this.writeScores(Number(res.lastInsertRowid), scores, c[C.startedAt] as number);
    this.report.calls++;
  }

  /** The source's own scores of a call (Langfuse scores, LangSmith feedback, promptfoo verdicts) as trace reviews by the source. */
  private writeScores(callId: number, scores: SourceScore[], callStartMs: number): void {
    // A score the source dates by nothing is dated by its call: the same file imported into two
    // workspaces gives the same rows, so trace review lines exchanged between them are duplicates.
    const at = new Date(Number.isFinite(callStartMs) ? callStartMs : this.opts.at).toISOString();
    for (const s of scores) {
      const ms = s.scoredAt
        ? Date.parse(s.scoredAt.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(s.scoredAt) ? s.scoredAt : `${s.scoredAt}Z`)
        : NaN;
      this.store
        .prepare(SQL.insertSourceScore)
        .run(
          callId,
          s.criterion,
          s.kind,
          s.value === null ? null : JSON.stringify(s.value),
          s.note,
          s.reviewer,
          s.scoredAt ?? at,
          Number.isFinite(ms) ? ms : Date.parse(at),
          this.report.file.name,
        );
      this.sourceScores++;
    }
  }

  private review(where: string, o: Record<string, unknown>): void {
    const { reviews } = this;
    if (!reviews) {
      this.reviewsSkipped++;
      return this.issue({ where, message: 'a review, but this database has no reviews table yet; skipped' });
    }
    // Row ids are this database's own (and superseded_by points at one): the rest travels as is,
    // with the run mapped to the import run that now holds its calls.
    const cols = Object.keys(o).filter((k) => k !== 'casebench' && k !== 'id' && k !== 'superseded_by' && reviews.has(k));
    if (cols.length === 0) return this.issue({ where, message: 'a review with no column this database knows' });
    const value = (c: string): string | number | null => {
      const v = o[c];
      if (c === 'run_id' && typeof v === 'string') return this.runs.get(v) ?? v;
      return v === null || v === undefined
        ? null
        : typeof v === 'object'
          ? JSON.stringify(v)
          : typeof v === 'boolean'
            ? Number(v)
            : (v as string | number);
    };
    try {
      this.store
        .prepare(`INSERT INTO reviews (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
        .run(...cols.map(value));
      this.reviewsImported++;
    } catch (e) {
      this.issue({ where, message: `review not stored: ${(e as Error).message}` });
    }
  }

  /** Derives what the file did not carry (attempt numbers, results, run tickets), closes each run with the content's hash, and commits. */
  finish(sha256: string): ImportReport {
    const { store, report } = this;
    report.file = { ...report.file, sha256 };
    const finishedAt = this.opts.now();
    if (this.spans && report.calls === 0) {
      // Spans of traces with no model call in them (a server span, an agent that never called a
      // model) draw no trace view: the file imports as nothing, as before spans were kept.
      for (const runId of report.runIds) {
        if (store.prepare('SELECT 1 FROM results WHERE run_id = ? LIMIT 1').get(runId)) continue;
        store.prepare('DELETE FROM trace_spans WHERE run_id = ?').run(runId);
        store.prepare('DELETE FROM runs WHERE id = ?').run(runId);
        report.runIds = report.runIds.filter((x) => x !== runId);
      }
    }
    for (const runId of report.runIds) {
      if (this.unnumbered.has(runId)) store.prepare(SQL.numberAttempts).run(runId);
      if (this.outOfOrder.has(runId)) store.prepare(SQL.renumberAttempts).run(runId);
      // A casebench export carries every result and run ticket as lines; other formats get them derived.
      if (this.derivedResults.has(runId)) store.prepare(SQL.relativeResultTimes).run(runId, runId);
      else if (!this.withResultLines.has(runId)) store.prepare(SQL.resultsFromCalls).run(finishedAt, runId, runId);
      if (!this.withRunTicketLines.has(runId)) {
        store.prepare(SQL.runTickets).run(runId, runId);
        store.prepare(SQL.runTicketsFromResults).run(runId);
      }
      const sourceRun = obj(this.runConfigs.get(runId)?.source_run);
      let assignment: Record<string, string> = {};
      if (sourceRun && obj(sourceRun.assignment)) assignment = sourceRun.assignment as Record<string, string>;
      else for (const r of store.prepare(SQL.modelsPerTask).all(runId) as Row[]) assignment[String(r.task)] ??= String(r.model_spec);
      const counts = store.prepare(SQL.runCounts).get(runId, runId, runId) as Row;
      report.results += Number(counts.results);
      const config = {
        ...this.runConfigs.get(runId),
        sha256,
        imported_at: finishedAt,
        calls: Number(counts.calls),
        tickets: Number(counts.tickets),
        skipped: report.skipped,
        issues: report.issues.slice(0, 20),
      };
      store.prepare(SQL.finishRun).run(finishedAt, JSON.stringify(assignment), JSON.stringify(config), runId);
    }
    store.prepare(SQL.commit).run();
    report.tickets = this.ticketsSeen.size;
    if (report.calls === 0 && report.skipped === 0 && report.results === 0)
      report.notes.push(`no model calls in ${report.file.name} (nothing in it is an LLM call: ${MODEL_CALL_RULE})`);
    const conflicts = ticketConflictNote(this.ticketConflicts);
    if (conflicts) report.notes.push(conflicts);
    // (a casebench file's generic calls were generic when exported: nothing new to say)
    if (this.genericCalls && report.file.family !== 'casebench') {
      report.notes.push(
        `${this.genericCalls} call${this.genericCalls === 1 ? ' is a generic trace' : 's are generic traces'} (not a casebench task, no ticket named): listed under Traces, not as tickets`,
      );
    }
    if (this.sourceScores)
      report.notes.push(`${this.sourceScores} score${this.sourceScores === 1 ? '' : 's'} from the source imported as trace reviews`);
    if (this.reviewsImported) report.notes.push(`${this.reviewsImported} review${this.reviewsImported === 1 ? '' : 's'} imported`);
    if (this.reviewsSkipped)
      report.notes.push(
        `${this.reviewsSkipped} review${this.reviewsSkipped === 1 ? '' : 's'} not imported: this database has no reviews table yet`,
      );
    return report;
  }
}

// Fills a model call's ticket and task from its ancestors (trace-formats note §0.1), streaming:
// a call whose ancestors have not been read yet waits for them, and is released the moment its
// chain is complete (or at the end of the file, with what is known). Only a small summary of
// each node is kept, never the records themselves; the most recent summaries stay in memory and
// older ones move to a private temporary SQLite file, so memory stays flat however many spans
// the file has (a million spans would otherwise hold a few hundred MB of summaries).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { ImportedCall, SpanDraft } from './types.ts';

export interface TraceNode {
  /** Unique in the file: `${traceId}/${id}`. */
  key: string;
  parentKey: string | null;
  name: string | null;
  /** Explicit task on this node (metadata.task, task.name, a Langfuse trace name). */
  task: string | null;
  ticketId: string | null;
  ticketText: string | null;
  /** gen_ai.agent.name: the OTel fallback for the task. */
  agentName: string | null;
  /** The source names no trace id (hand-made LangSmith dumps): the root ancestor's id stands in. */
  traceFromRoot?: boolean;
  call: ImportedCall | null;
  /** A node that is not a model call, as a span of the trace view's tree (calls are spans of their own). */
  span?: SpanDraft;
}

/** How the task falls back when no node names one: LangSmith uses the root run's name, OTel/Langfuse the parent's. */
export type TaskFallback = 'root' | 'parent';

interface Summary {
  parentKey: string | null;
  name: string | null;
  task: string | null;
  ticketId: string | null;
  ticketText: string | null;
}

/** Node summaries: the newest in a Map, the rest on disk (read back only when a late child asks). */
export class SummaryStore {
  private readonly mem = new Map<string, Summary>();
  private readonly cap: number;
  private db: DatabaseSync | null = null;
  private put: StatementSync | null = null;
  private find: StatementSync | null = null;
  /** Summaries moved to disk so far. */
  spilled = 0;

  constructor(cap = 50_000) {
    this.cap = cap;
  }

  set(key: string, s: Summary): void {
    this.mem.set(key, s);
    if (this.mem.size > this.cap) this.spill();
  }

  get(key: string): Summary | undefined {
    const m = this.mem.get(key);
    if (m !== undefined || this.find === null) return m;
    const r = this.find.get(key) as Record<string, string | null> | undefined;
    return r ? { parentKey: r.p ?? null, name: r.n ?? null, task: r.t ?? null, ticketId: r.i ?? null, ticketText: r.x ?? null } : undefined;
  }

  /** Moves the older half of the in-memory summaries to disk, in one transaction. */
  private spill(): void {
    if (!this.db) {
      // '' = a private temporary database on disk, deleted when closed
      this.db = new DatabaseSync('');
      this.db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192');
      this.db.exec('CREATE TABLE s (k TEXT PRIMARY KEY, p TEXT, n TEXT, t TEXT, i TEXT, x TEXT) WITHOUT ROWID');
      this.put = this.db.prepare('INSERT OR REPLACE INTO s VALUES (?, ?, ?, ?, ?, ?)');
      this.find = this.db.prepare('SELECT p, n, t, i, x FROM s WHERE k = ?');
    }
    const put = this.put!;
    let n = this.mem.size - this.cap / 2;
    this.db.exec('BEGIN');
    for (const [k, s] of this.mem) {
      if (n-- <= 0) break;
      put.run(k, s.parentKey, s.name, s.task, s.ticketId, s.ticketText);
      this.mem.delete(k);
      this.spilled++;
    }
    this.db.exec('COMMIT');
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.put = this.find = null;
  }
}

export class AncestorResolver {
  private readonly nodes: SummaryStore;
  private readonly waiting = new Map<string, TraceNode[]>();
  private readonly fallback: TaskFallback;
  private readonly emit: (call: ImportedCall) => void;

  constructor(fallback: TaskFallback, emit: (call: ImportedCall) => void, memoryCap?: number) {
    this.fallback = fallback;
    this.emit = emit;
    this.nodes = new SummaryStore(memoryCap);
  }

  /** Adds a node; releases every call that was waiting for it and can now be resolved. */
  add(node: TraceNode): void {
    // Every node's summary is kept, since a child may refer to it later in the file. A model call's
    // summary leaves out the ticket text (calls are rarely parents; the text can be kilobytes), so
    // 100,000s of calls cost a few tens of MB, not their content.
    this.nodes.set(node.key, {
      parentKey: node.parentKey,
      name: node.name,
      task: node.task,
      ticketId: node.ticketId,
      ticketText: node.call ? null : node.ticketText,
    });
    if (node.call) this.tryResolve(node, false);
    const waiters = this.waiting.get(node.key);
    if (waiters) {
      this.waiting.delete(node.key);
      for (const w of waiters) this.tryResolve(w, false);
    }
  }

  /** Releases every call still waiting, with what is known (their missing ancestors are noted). */
  finish(): void {
    const rest = [...this.waiting.values()].flat();
    this.waiting.clear();
    for (const w of rest) this.tryResolve(w, true);
    this.close();
  }

  close(): void {
    this.nodes.close();
  }

  private tryResolve(node: TraceNode, final: boolean): void {
    const call = node.call!;
    const rec = call.record;
    let ticketId = rec.ticket_id ?? node.ticketId;
    let ticketText = call.x.ticketText ?? node.ticketText;
    let task = rec.task ?? node.task;
    let parentName: string | null = null;
    let rootName: string | null = null;
    let key = node.parentKey;
    let missing: string | null = null;
    let rootKey: string | null = node.parentKey === null ? node.key : null;
    let hops = 0;
    const needChain = (): boolean =>
      ticketId === null || task === null || ticketText === null || (node.traceFromRoot === true && rootKey === null);
    while (key !== null && needChain() && hops++ < 10_000) {
      const s = this.nodes.get(key);
      if (!s) {
        missing = key;
        break;
      }
      if (hops === 1) parentName = s.name;
      ticketId ??= s.ticketId;
      ticketText ??= s.ticketText;
      task ??= s.task;
      if (s.parentKey === null) {
        rootName = s.name;
        rootKey = key;
      }
      key = s.parentKey;
    }
    if (missing !== null && !final && (ticketId === null || task === null || node.traceFromRoot === true)) {
      const list = this.waiting.get(missing);
      if (list) list.push(node);
      else this.waiting.set(missing, [node]);
      return;
    }
    if (task === null) {
      task = this.fallback === 'root' ? (rootName ?? parentName) : (parentName ?? node.agentName);
    }
    if (node.traceFromRoot) {
      rec.trace_id = rootKey ?? missing ?? node.key;
      rec.metadata.source.trace_id = rec.trace_id;
    }
    rec.ticket_id = ticketId;
    rec.task = task;
    call.x.ticketText = ticketText;
    if (missing !== null) rec.metadata.missing_ancestor = missing.slice(missing.indexOf('/') + 1);
    this.emit(call);
  }
}

// Fills a model call's ticket and task from its ancestors (trace-formats note §0.1), streaming:
// a call whose ancestors have not been read yet waits for them, and is released the moment its
// chain is complete (or at the end of the file, with what is known). Only a small summary of
// each node is kept, never the records themselves, so memory stays bounded by the number of
// nodes, not their size.
import type { ImportedCall } from './types.ts';

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

export class AncestorResolver {
  private readonly nodes = new Map<string, Summary>();
  private readonly waiting = new Map<string, TraceNode[]>();
  private readonly fallback: TaskFallback;
  private readonly emit: (call: ImportedCall) => void;

  constructor(fallback: TaskFallback, emit: (call: ImportedCall) => void) {
    this.fallback = fallback;
    this.emit = emit;
  }

  /** Adds a node; releases every call that was waiting for it and can now be resolved. */
  add(node: TraceNode): void {
    // Every node's summary is kept, since a child may refer to it later in the file. A model call's
    // summary leaves out the ticket text (calls are rarely parents; the text can be kilobytes), so
    // 100,000s of calls cost a few tens of MB, not their content.
    this.nodes.set(node.key, { parentKey: node.parentKey, name: node.name, task: node.task, ticketId: node.ticketId, ticketText: node.call ? null : node.ticketText });
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
    const needChain = (): boolean => ticketId === null || task === null || ticketText === null || (node.traceFromRoot === true && rootKey === null);
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

// A format adapter reads a file as "units" (a span, a run, an observation, a promptfoo result…)
// found at JSON paths. The same plan drives a streamed big document (jsonStream.ts) and an
// in-memory one (a JSONL line, a small file), so both paths behave the same.
import type { Decision, PathSeg } from './jsonStream.ts';
import type { TaskFallback, TraceNode } from './resolve.ts';
import type { ImportIssue } from './types.ts';

/** Non-call lines of a casebench JSONL file (runs, tickets, final results, run tickets, reviews). */
export type CasebenchItem = { type: 'run' | 'ticket' | 'result' | 'run_ticket' | 'review'; line: Record<string, unknown>; where: string };

export type Unit = { node: TraceNode } | { issue: ImportIssue } | { item: CasebenchItem };

/** What every adapter gets to know about the file it reads. */
export interface FileContext {
  /** The file's name, for messages. */
  name: string;
  /** First 16 hex digits of the file's fingerprint (reader.ts): seeds synthetic ids for records that carry none. */
  fileId: string;
  /** The file's modification time (ns), the only clock for records that carry no time at all. */
  mtimeNs: bigint;
}

export interface Plan {
  /** How a call's task falls back when no node names one. */
  readonly fallback: TaskFallback;
  select(path: readonly PathSeg[]): Decision;
  /** One selected value; where = "file:line" or "file" (the path is appended by the adapter). */
  onValue(path: readonly PathSeg[], value: unknown, where: string): Unit[];
  /** A new JSONL line starts (per-document state such as the current OTLP resource resets). */
  startDocument?(): void;
  /** End of file: anything held back (LangSmith posts without a patch). */
  finish(): Unit[];
}

/**
 * Walks an in-memory value with a plan's selection, as the streaming scanner would. The path is
 * one array pushed and popped on the way (plans read it during the call, never keep it), and the
 * units go into one output array: a JSONL line of spans allocates nothing per level.
 */
export function walkPlan(value: unknown, plan: Plan, where: string, path: PathSeg[] = [], out: Unit[] = []): Unit[] {
  const d = plan.select(path);
  if (d === 'skip') return out;
  if (d === 'descend' && typeof value === 'object' && value !== null) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walkPlan(value[i], plan, where, path, out);
        path.pop();
      }
    } else {
      const o = value as Record<string, unknown>;
      for (const k in o) {
        if (!Object.hasOwn(o, k)) continue;
        path.push(k);
        walkPlan(o[k], plan, where, path, out);
        path.pop();
      }
    }
    return out;
  }
  for (const u of plan.onValue(path, value, where)) out.push(u);
  return out;
}

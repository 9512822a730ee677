// Routes of the ticket list and a ticket's view: the list with its filters, one ticket with its
// calls and history, importing ticket files, the recorded runs. Merged into the route contract by
// src/shared/routes.ts; handlers in src/core/handlers/ticketHandlers.ts.
import { z } from 'zod';
import type { TaskResult } from '../results.ts';
import { SEVERITIES, type TaskId } from '../tasks.ts';
import type { BatchView } from './spendRoutes.ts';

// The limits live in limits.ts (zod-free, for the renderer); re-exported for existing importers.
export { MAX_IMPORT_BYTES, MAX_TICKET_BYTES } from '../limits.ts';

const id = z.string().min(1).max(200);
const empty = z.object({}).optional();

/** Filters of the ticket list; every one optional, combined with AND. */
export const ticketFilterSchema = z.object({
  search: z.string().max(500).optional(),
  /** 'aws' | 'gcp' | 'azure' | 'other' (any other:<vendor>) | 'none' (not identified). */
  platform: z.string().max(100).optional(),
  product: z.string().max(200).optional(),
  severity: z.enum(SEVERITIES).optional(),
  hasDetails: z.boolean().optional(),
  failed: z.boolean().optional(),
  /** Held by the information gate (NEEDS_INFO) in its latest triage. */
  held: z.boolean().optional(),
  state: z.enum(['new', 'running', 'waiting', 'done', 'interrupted']).optional(),
});
export type TicketFilter = z.infer<typeof ticketFilterSchema>;

export const ticketRouteInputs = {
  'tickets.list': ticketFilterSchema,
  'tickets.get': z.object({ ticketId: id, runId: id.optional() }),
  /** A JSONL or CSV file's content, picked in the browser. */
  'tickets.import': z.object({ name: z.string().min(1).max(300), content: z.string() }),
  /** A JSONL/CSV file on this machine, by path (the desktop app's Open dialog, or typed in browser mode). */
  'tickets.importPath': z.object({ path: z.string().min(1).max(1000) }),
  /** The demo's labelled sample tickets (resources/demo/tickets.jsonl), imported like a file. */
  'tickets.importSamples': empty,
  'runs.list': empty,
  'runs.tickets': z.object({ runId: id }),
  /** Tickets with a call in flight now (a window that opens mid-triage counts them as in triage). */
  'tickets.live': empty,
  /** Desktop only: the native Open dialog, then imports the chosen file. */
  'host.openTicketFile': empty,
} satisfies Record<string, z.ZodType>;

/** The list's view of a ticket: its latest triage (not comparisons or experiments). */
export interface TicketSummary {
  id: string;
  title: string;
  /** 'paste', a file name, or a watched folder's file. */
  source: string | null;
  addedAt: number;
  /**
   * new: never triaged; running; waiting: in a batch of this session that waits for its go-ahead or
   * was stopped (Stop, the spend limit) — Resume continues it; done; interrupted: left unfinished
   * by a closed session (or cancelled).
   */
  state: 'new' | 'running' | 'waiting' | 'done' | 'interrupted';
  runId: string | null;
  platform: string | null;
  product: string | null;
  severity: string | null;
  hasDetails: boolean | null;
  /** Tasks that failed or were skipped in the latest triage. */
  failed: number;
  /** The information gate held it (NEEDS_INFO) in its latest triage. */
  held?: boolean;
  /** Tasks with a result so far. */
  doneTasks: number;
  totalMs: number | null;
  /** Texts this ticket id has had (1 = never edited; the list shows the latest). */
  versions?: number;
}

export interface TicketsPage {
  /** Every ticket in the workspace. */
  total: number;
  rows: TicketSummary[];
  /** Products seen so far, for the filter. */
  products: string[];
}

/** One attempt sent to a provider, placed on the ticket's time axis. */
export interface CallView {
  task: TaskId;
  modelSpec: string;
  attempt: number;
  /** ms from the ticket's start to the request being sent. */
  startedMs: number;
  /** The call itself: request sent → answer received. */
  latencyMs: number | null;
  /** How long the attempt waited for a free slot before it was sent (it ends at startedMs); null when unknown. */
  slotWaitMs?: number | null;
  /** The first request on a newly opened connection. */
  cold?: boolean | null;
  /** Groq's own usage.queue_time: waiting inside the provider, part of the call. */
  queueTimeMs: number | null;
  providerTotalMs: number | null;
  status: 'ok' | 'error';
  errorCode: string | null;
  /** Part of a hedged call: 'primary' (ran past its p95, a duplicate was sent) or 'hedge' (the duplicate, same attempt number). */
  hedge?: 'primary' | 'hedge' | null;
  /** Cancelled because the other attempt of its hedged call answered first. */
  hedgeLost?: boolean | null;
  /** Made on a guessed platform/product: kept (the guess was right) or discarded (it was not; never a fact). */
  speculation?: 'kept' | 'discarded';
}

export interface TicketVersionInfo {
  /** The text's hash (the version's key). */
  hash: string;
  /** The ticket's current text (what the list shows). */
  latest: boolean;
  addedAt: number;
  seenAt: number;
  source: string | null;
  /** The first 160 characters of that text. */
  head: string;
}

/** A task asked and not answered yet, as a window opening mid-triage sees it. */
export interface LiveTaskStart {
  task: TaskId;
  spec: string;
  provider: string;
  model: string;
  /** Offset from the ticket's start when the call began. */
  startedMs: number;
  /** How long ago it started, when the snapshot was taken. */
  elapsedMs: number;
}

export interface TicketDetail {
  /** The ticket as the shown run saw it (its version); the latest text when no run is shown. */
  ticket: {
    id: string;
    text: string;
    title: string | null;
    source: string | null;
    addedAt: number;
    /** Texts this id has had, and whether the shown one is the latest (absent: never edited). */
    versions?: number;
    latest?: boolean;
  };
  /** Hash of the shown text; every text this id has had, the latest first (one entry: never edited). */
  version?: string | null;
  versions?: TicketVersionInfo[];
  runId: string | null;
  runKind: string | null;
  state: TicketSummary['state'];
  assignment: Record<TaskId, string> | null;
  results: TaskResult[];
  calls: CallView[];
  /** Tasks whose result was carried over from an earlier run (a retry of another task). */
  reused: TaskId[];
  totalMs: number | null;
  /** Tasks of the shown run asked and not answered yet (in flight now); absent or empty otherwise. */
  live?: LiveTaskStart[];
  /** Other recorded runs of this ticket, newest first. */
  history: Array<{ runId: string; kind: string; label: string | null; createdAt: number; status: string }>;
}

export interface RunInfo {
  id: string;
  kind: string;
  label: string | null;
  status: string;
  createdAt: number;
  finishedAt: number | null;
  tickets: number;
  done: number;
  pending: number;
  /** Distinct models with results. */
  models: string[];
  baseline: string | null;
}

export interface ImportReport {
  runId: string;
  source: string;
  added: number;
  badLines: Array<{ line: number; message: string }>;
  /** The batch its tickets form: waiting for the go-ahead, with its estimate. */
  batch?: BatchView;
}

export interface TicketRouteOutputs {
  'tickets.list': TicketsPage;
  'tickets.get': TicketDetail;
  'tickets.import': ImportReport;
  'tickets.importPath': ImportReport;
  'tickets.importSamples': ImportReport;
  'runs.list': RunInfo[];
  'runs.tickets': Array<{ ticketId: string; title: string; status: string }>;
  'tickets.live': Array<{ runId: string; ticketId: string }>;
  'host.openTicketFile': ImportReport | { cancelled: true };
}

export type TicketEvent =
  | {
      type: 'task.started';
      ticketId: string;
      runId?: string;
      spec?: string;
      task: TaskId;
      provider: string;
      model: string;
      startedMs: number;
    }
  | {
      type: 'task.result';
      ticketId: string;
      runId?: string;
      spec?: string;
      result: TaskResult;
      /** The result was carried over from an earlier run, not asked again. */
      reused?: boolean;
      /** performance.timeOrigin + performance.now() in the host when published (for latency benchmarks). */
      emittedAt?: number;
    }
  | { type: 'task.attempt'; ticketId: string; runId: string; call: CallView }
  | { type: 'ticket.done'; ticketId: string; runId?: string; totalMs: number }
  /** The ticket list changed (tickets added, a triage started or finished): refresh it. */
  | { type: 'tickets.changed'; ticketIds?: string[]; reason: 'added' | 'triage' | 'done' }
  | { type: 'ticket.summary'; summary: TicketSummary }
  | { type: 'runs.changed' };

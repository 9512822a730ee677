// The contract between hosts (Electron main, HTTP server) and the renderer: one zod schema per
// route input, typed outputs, and the events pushed to the UI. Types and pure data only.
import { z } from 'zod';
import type { Result } from './errors.ts';
import type { TaskResult } from './results.ts';
import { SEVERITIES, TASK_IDS, type TaskId } from './tasks.ts';
import { experimentRouteInputs, type ExperimentRouteOutputs } from './routes/experimentRoutes.ts';
import { reviewRouteInputs, type ReviewRouteOutputs } from './routes/reviewRoutes.ts';
import { traceViewRouteInputs, type TraceViewRouteOutputs } from './routes/traceViewRoutes.ts';
import { spendRouteInputs, type SpendRouteOutputs } from './routes/spendRoutes.ts';
import { shadowRouteInputs, type ShadowRouteOutputs } from './routes/shadowRoutes.ts';
import { judgeRouteInputs, type JudgeRouteOutputs } from './routes/judgeRoutes.ts';
import { promptRouteInputs, type PromptRouteOutputs } from './routes/promptRoutes.ts';

/** Largest ticket the UI accepts (bytes of UTF-8); larger pastes are refused with this limit. */
export const MAX_TICKET_BYTES = 1_000_000;
/** Largest ticket file the browser may upload in one request (bytes); bigger files go through a path. */
export const MAX_IMPORT_BYTES = 1_900_000;
/** Models in one side-by-side comparison. */
export const COMPARE_MIN_MODELS = 2;
export const COMPARE_MAX_MODELS = 6;

export const KEY_PROVIDER_IDS = ['groq', 'openai'] as const;
export type KeyProviderId = (typeof KEY_PROVIDER_IDS)[number];

const id = z.string().min(1).max(200);
const modelSpec = z.string().min(3).max(200);
const taskId = z.enum(TASK_IDS);
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
  state: z.enum(['new', 'running', 'waiting', 'done', 'interrupted']).optional(),
});
export type TicketFilter = z.infer<typeof ticketFilterSchema>;

const endpoint = z
  .string()
  .max(500)
  .refine((s) => s === '' || /^https?:\/\/[^\s]+$/i.test(s), 'an endpoint is an http(s):// URL')
  .nullable();

/** What the renderer may change in Settings (keys go through keys.set / keys.remove). */
export const settingsPatchSchema = z.object({
  assignment: z.record(z.string(), modelSpec).nullable().optional(),
  endpoints: z.object({ groq: endpoint.optional(), openai: endpoint.optional(), openaiCompatible: endpoint.optional() }).optional(),
  ticketConcurrency: z.number().int().min(1).max(64).optional(),
  callConcurrency: z.number().int().min(1).max(128).optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  retryAfterCapMs: z.number().int().min(0).max(600_000).optional(),
  hedge: z.object({ enabled: z.boolean().optional(), budgetPct: z.number().min(0).max(50).optional() }).optional(),
  watchFolder: z.string().max(1000).nullable().optional(),
  speculate: z.boolean().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const routeInputs = {
  // confirmed: the user saw the estimate of a paste over the ask-first threshold and said go.
  'triage.start': z.object({ text: z.string(), title: z.string().optional(), assign: z.string().optional(), confirmed: z.boolean().optional() }),
  'triage.cancel': z.object({ ticketId: z.string() }),
  /** Runs a ticket again: every task, or one task and whatever depends on it. */
  'triage.rerun': z.object({ ticketId: id, task: taskId.optional() }),
  /** Triages again every ticket an earlier session left unfinished. */
  'triage.resumeInterrupted': empty,
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
  'compare.start': z.object({
    ticketId: id,
    models: z.array(modelSpec).min(COMPARE_MIN_MODELS).max(COMPARE_MAX_MODELS),
    baseline: modelSpec,
  }),
  'compare.get': z.object({ runId: id, ticketId: id }),
  'keys.status': empty,
  'keys.set': z.object({ provider: z.enum(KEY_PROVIDER_IDS), key: z.string().min(8).max(400) }),
  'keys.remove': z.object({ provider: z.enum(KEY_PROVIDER_IDS) }),
  'models.list': empty,
  /** Median latency per model and task: recorded calls, else the seed article's measurements. */
  'models.latency': empty,
  'config.get': empty,
  'settings.get': empty,
  'settings.set': settingsPatchSchema,
  /** Workbench layout and view state (small JSON), remembered between launches. */
  'ui.save': z.object({ key: z.enum(['layout', 'editor', 'theme']), value: z.unknown() }),
  /** Desktop only: the native Open dialog, then imports the chosen file. */
  'host.openTicketFile': empty,
  /** Desktop only: the native folder picker; returns the folder (the caller saves it as watchFolder). */
  'host.pickFolder': empty,
  ...experimentRouteInputs,
  ...reviewRouteInputs,
  ...traceViewRouteInputs,
  ...spendRouteInputs,
  ...shadowRouteInputs,
  ...judgeRouteInputs,
  ...promptRouteInputs,
} as const;

export type RouteName = keyof typeof routeInputs;
export type RouteInput<R extends RouteName> = z.input<(typeof routeInputs)[R]>;

export interface KeyStatus {
  provider: KeyProviderId;
  set: boolean;
  /** Last 4 characters only; never the key. */
  last4: string | null;
  /** 'session': kept in memory for this process only (no OS keychain available). */
  source: 'env' | 'keychain' | 'session' | null;
}

export interface ModelInfo {
  spec: string;
  provider: string;
  name: string;
  status: string;
  priceKnown: boolean;
  retiredOn: string | null;
  replacement: string | null;
  /** Lifecycle as of today: "… was shut down on …; use … instead" or "… shuts down on … (N days)"; null when current. */
  lifecycle?: string | null;
}

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

export interface TicketDetail {
  /** The ticket as the shown run saw it (its version); the latest text when no run is shown. */
  ticket: {
    id: string; text: string; title: string | null; source: string | null; addedAt: number;
    /** Texts this id has had, and whether the shown one is the latest (absent: never edited). */
    versions?: number; latest?: boolean;
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

export interface CompareData {
  runId: string;
  kind: string;
  label: string | null;
  ticketId: string;
  ticketTitle: string;
  models: string[];
  baseline: string;
  /** One result per model and task present so far. */
  cells: Array<{ modelSpec: string; result: TaskResult }>;
  live: boolean;
}

export interface LatencyEntry {
  medianMs: number;
  n: number;
  source: 'recorded' | 'article';
}

export interface Settings {
  /** The per-task assignment new triages use. */
  assignment: Record<TaskId, string>;
  /** True when the user saved an assignment; false: the built-in default (demo without keys). */
  assignmentSaved: boolean;
  demo: boolean;
  endpoints: { groq: string | null; openai: string | null; openaiCompatible: string | null };
  /** Environment variables that override a setting (the setting is then not used). */
  envOverrides: Array<'GROQ_BASE_URL' | 'OPENAI_BASE_URL' | 'OPENAI_COMPATIBLE_BASE_URL' | 'GROQ_API_KEY' | 'OPENAI_API_KEY'>;
  ticketConcurrency: number;
  callConcurrency: number;
  maxRetries: number;
  retryAfterCapMs: number;
  /** Hedged calls: a duplicate of a call past its model's recorded p95, at most budgetPct % more calls. */
  hedge: { enabled: boolean; budgetPct: number };
  watchFolder: string | null;
  /** Speculative execution of the triage graph (dependents start on a guessed platform/product). */
  speculate: boolean;
  /** Why the watched folder cannot be watched, when it cannot. */
  watchError: string | null;
  /** Saved workbench layout/view state. */
  ui: Record<string, unknown>;
  host: { kind: 'desktop' | 'browser'; fileDialog: boolean };
}

export interface RouteOutputs extends ExperimentRouteOutputs, ReviewRouteOutputs, TraceViewRouteOutputs, SpendRouteOutputs, ShadowRouteOutputs, JudgeRouteOutputs, PromptRouteOutputs {
  'triage.start': { ticketId: string; assignment: Record<TaskId, string>; runId: string };
  'triage.cancel': { cancelled: boolean };
  'triage.rerun': { ticketId: string; runId: string; assignment: Record<TaskId, string> };
  /** confirm: the batch waits for the go-ahead on its estimate (batches.start), as an import does. */
  'triage.resumeInterrupted': { queued: number; runId?: string; confirm?: boolean };
  'tickets.list': TicketsPage;
  'tickets.get': TicketDetail;
  'tickets.import': ImportReport;
  'tickets.importPath': ImportReport;
  'tickets.importSamples': ImportReport;
  'runs.list': RunInfo[];
  'runs.tickets': Array<{ ticketId: string; title: string; status: string }>;
  'compare.start': { runId: string; models: string[]; baseline: string };
  'compare.get': CompareData;
  'keys.status': KeyStatus[];
  'keys.set': KeyStatus[];
  'keys.remove': KeyStatus[];
  'models.list': ModelInfo[];
  'models.latency': Record<string, Partial<Record<TaskId, LatencyEntry>>>;
  'config.get': { assignment: Record<TaskId, string>; demo: boolean };
  'settings.get': Settings;
  'settings.set': Settings;
  'ui.save': { saved: boolean };
  'host.openTicketFile': ImportReport | { cancelled: true };
  'host.pickFolder': { path: string | null };
}

export interface ImportReport {
  runId: string;
  source: string;
  added: number;
  badLines: Array<{ line: number; message: string }>;
  /** The batch its tickets form: waiting for the go-ahead, with its estimate. */
  batch?: import('./routes/spendRoutes.ts').BatchView;
}

export type AppEvent =
  | { type: 'task.started'; ticketId: string; runId?: string; spec?: string; task: TaskId; provider: string; model: string; startedMs: number }
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
  | { type: 'runs.changed' }
  | { type: 'notice'; level: 'info' | 'warn' | 'error'; message: string; at: number }
  /** A trace import in progress (a few times a second): how far into the file, and what it wrote. */
  | { type: 'traces.progress'; name: string; calls: number; skipped: number; bytesRead: number; bytes: number }
  /** An experiment running in the workbench (src/shared/routes/experimentRoutes.ts). */
  | import('./routes/experimentRoutes.ts').ExperimentEvent
  /** Spend and batches (src/shared/routes/spendRoutes.ts). */
  | import('./routes/spendRoutes.ts').SpendEvent
  /** Shadow answers landed or the shadow set changed (src/shared/routes/shadowRoutes.ts). */
  | import('./routes/shadowRoutes.ts').ShadowEvent
  | import('./routes/judgeRoutes.ts').JudgeEvent
  | import('./routes/promptRoutes.ts').PromptEvent;

/** What every host exposes; the renderer's transport calls exactly this. */
export interface RouteHandlers {
  request<R extends RouteName>(route: R, input: unknown): Promise<Result<RouteOutputs[R]>>;
  subscribe(listener: (e: AppEvent) => void): () => void;
}

export function isRouteName(s: string): s is RouteName {
  return Object.hasOwn(routeInputs, s);
}

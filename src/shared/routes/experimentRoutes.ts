// Routes of the Experiments view (set up, watch and read experiments; the plan; plots).
// Merged into the route contract by src/shared/routes.ts. The report types mirror
// src/core/metrics/report.ts and its plan's, reportPlan.ts (the core's handler returns that type, so
// a drift fails to compile).
import type { KeyProviderId } from '../providers.ts';
import { z } from 'zod';
import type { JudgeHumanTask, JudgeScoreCell } from './judgeRoutes.ts';
import type { AppErrorShape } from '../errors.ts';
import type { LatencyPoint } from '../plots/common.ts';
import { TASK_IDS, type TaskId } from '../tasks.ts';

export const EXPERIMENT_UPSTREAM_MODES = ['own', 'baseline'] as const;
export type ExperimentUpstream = (typeof EXPERIMENT_UPSTREAM_MODES)[number];
import { EXPERIMENT_MAX_MODELS } from '../limits.ts';
export { EXPERIMENT_MAX_MODELS };
/** Tickets an experiment set up from the workbench may hold. */
export const EXPERIMENT_MAX_TICKETS = 100_000;

const id = z.string().min(1).max(200);
const modelSpec = z.string().min(3).max(200);
const taskId = z.enum(TASK_IDS);
const unit = z.number().min(0).max(1);

/** Where an experiment's tickets come from: tickets already in the workspace, or a staged file. */
export const experimentTicketsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('workspace'),
    /** Only tickets imported from this source (a file name, 'paste', …); null or absent: every ticket. */
    source: z.string().max(1000).nullable().optional(),
    /** The first N tickets (in the order they were added). */
    limit: z.number().int().min(1).max(EXPERIMENT_MAX_TICKETS).optional(),
  }),
  z.object({ kind: z.literal('staged'), fileId: id }),
]);
export type ExperimentTickets = z.infer<typeof experimentTicketsSchema>;

export const experimentSetupSchema = z.object({
  tickets: experimentTicketsSchema,
  models: z.array(modelSpec).min(1).max(EXPERIMENT_MAX_MODELS),
  baseline: modelSpec,
  upstream: z.enum(EXPERIMENT_UPSTREAM_MODES).optional(),
  /** Requests per minute, as `casebench experiment --rpm` reads it (`groq:*=30`, `groq:openai/gpt-oss-20b=30,openai=500`). */
  rpm: z.string().max(2000).optional(),
  /** Tickets in flight per model (default 4). */
  concurrency: z.number().int().min(1).max(64).optional(),
});
export type ExperimentSetup = z.infer<typeof experimentSetupSchema>;

const reportOptionsSchema = z.object({
  runId: id,
  /** Default: the experiment's own baseline. */
  baseline: modelSpec.optional(),
  /** One quality floor for every task (default 0.8) … */
  floor: unit.optional(),
  /** … and per-task floors over it. */
  floors: z.partialRecord(taskId, unit).optional(),
  /** An assignment to evaluate (the plan's "your pick"). */
  assignment: z.record(taskId, modelSpec).optional(),
  minSuccessRate: unit.optional(),
});
export type ExperimentReportOptions = z.infer<typeof reportOptionsSchema>;

/** Which tickets behind a report cell: e.g. the disagreements of a model with the baseline on a task. */
export const CELL_TICKET_FILTERS = ['all', 'disagree', 'agree', 'wrong', 'failed', 'notFirstTry', 'skipped', 'slow'] as const;
export type CellTicketFilter = (typeof CELL_TICKET_FILTERS)[number];

export const cellTicketsSchema = z.object({
  runId: id,
  task: taskId,
  model: modelSpec,
  baseline: modelSpec.optional(),
  filter: z.enum(CELL_TICKET_FILTERS),
  /** Only these tickets (a plot's selection). */
  ticketIds: z.array(id).max(50_000).optional(),
  /** 'slow' and plot selections: successful calls in this latency range, ms (inclusive). */
  minLatencyMs: z.number().min(0).optional(),
  maxLatencyMs: z.number().min(0).optional(),
});
export type CellTicketsQuery = z.infer<typeof cellTicketsSchema>;

export const experimentRouteInputs = {
  /** The workspace's tickets grouped by where they came from, for the setup's ticket picker. */
  'experiments.ticketSources': z.object({}).optional(),
  /** Reads a ticket file (a browser upload's content, or a path on this machine) and keeps it for `staged` setups. */
  'experiments.stageFile': z
    .object({ name: z.string().min(1).max(300), content: z.string().optional(), path: z.string().min(1).max(1000).optional() })
    .refine((x) => x.content !== undefined || x.path !== undefined, 'give the file content or its path'),
  /** Everything checked, nothing called: counts, cost estimate, least duration at the rpm limits. */
  'experiments.estimate': experimentSetupSchema,
  'experiments.start': experimentSetupSchema,
  'experiments.stop': z.object({ runId: id }),
  /** Runs an interrupted or incomplete experiment again; finished calls are not repeated. */
  'experiments.resume': z.object({ runId: id }),
  /** Progress of an experiment: live when it runs in this workbench, else as recorded. */
  'experiments.status': z.object({ runId: id }),
  'experiments.report': reportOptionsSchema,
  /** Only the plan part of the report (cheaper to send while a floor or a pick moves). */
  'experiments.plan': reportOptionsSchema,
  'experiments.cellTickets': cellTicketsSchema,
  /** Every successful call of a run, for the latency plots. */
  'experiments.latencyPoints': z.object({ runId: id }),
} satisfies Record<string, z.ZodType>;

// ---- outputs ----------------------------------------------------------------------------------

export interface TicketSourceInfo {
  /** null: tickets with no recorded source. */
  source: string | null;
  count: number;
  /** Tickets carrying gold labels. */
  labelled: number;
}

export interface StagedTicketFile {
  fileId: string;
  name: string;
  tickets: number;
  labelled: number;
  /** The first bad lines (line number and why), and how many there were. */
  badLines: Array<{ line: number; message: string }>;
  badCount: number;
}

export interface ExperimentEstimate {
  /** The run this setup records into (the same setup resumes it). */
  runId: string;
  resuming: boolean;
  label: string;
  tickets: number;
  models: string[];
  baseline: string;
  upstream: ExperimentUpstream;
  totalTasks: number;
  /** Tasks already recorded by earlier sessions of the same run. */
  doneBefore: number;
  /** Calls left to make (before retries). */
  callsToGo: number;
  inputTokensPerCall: number;
  /** Estimated spend of the calls left, over models with a known price. */
  costUsd: number;
  perModel: Array<{ model: string; calls: number; costUsd: number | null }>;
  /** Models without a price (their cost is not in the estimate). */
  unknownPrice: string[];
  /** Least time at the rpm limits (the slowest bucket); null without limits. */
  minDuration: { ms: number; bucket: string; calls: number; rpm: number } | null;
  /** Every model is the keyless demo: nothing is spent. */
  simulated: boolean;
  /** Models without a key (start is refused until it is set), and other warnings (deprecations). */
  keyProblems: Array<{ provider: KeyProviderId; message: string }>;
  warnings: string[];
}

export type ExperimentState = 'running' | 'stopping' | 'done' | 'interrupted' | 'incomplete' | 'failed';

export interface ExperimentModelLive {
  model: string;
  total: number;
  done: number;
  doneBefore: number;
  /** Failed tasks recorded for this model (all sessions). */
  failed: number;
  /** Epoch ms until which the model is paused after repeated failures. */
  pausedUntil: number | null;
  /** Why the model was stopped (it cannot be called). */
  stopped: string | null;
}

export interface ExperimentLive {
  runId: string;
  label: string | null;
  models: string[];
  baseline: string;
  upstream: string;
  tickets: number;
  rpm: string | null;
  concurrency: number | null;
  state: ExperimentState;
  /** Running in this workbench now (stop works); false for recorded runs. */
  active: boolean;
  /** This session's start, epoch ms (null for a run not started here). */
  startedAt: number | null;
  finishedAt: number | null;
  elapsedMs: number;
  etaMs: number | null;
  totalTasks: number;
  doneTasks: number;
  doneBefore: number;
  /** Recorded failed / not-called tasks (all sessions). */
  failedTasks: number;
  skippedTasks: number;
  /** Calls sent and retries among them (this session when active, else all recorded). */
  calls: number;
  retries: number;
  costUsd: number;
  unpricedCalls: number;
  estimateUsd: number | null;
  perModel: ExperimentModelLive[];
  failuresByCode: Array<{ code: string; count: number }>;
  recentFailures: Array<{ ticketId: string; task: TaskId; model: string; code: string; message: string; at: number }>;
  notices: Array<{ at: number; message: string }>;
  error: AppErrorShape | null;
}

/** Per task and model, as `report --format json` holds it (core/metrics/report.ts builds it). */
export interface ExperimentModelTaskStats {
  /** Tasks attempted: final outcomes ok or failed (skipped ones were never called). */
  n: number;
  agreement_rate: number | null;
  agreement_ci95: [number, number] | null;
  /** Tickets where both this model's and the baseline's calls succeeded. */
  n_compared: number;
  kappa: number | null;
  accuracy: number | null;
  n_labelled: number;
  first_try_success_rate: number | null;
  success_rate: number | null;
  n_failed: number;
  /** Failed tasks by error code. */
  failures: Record<string, number>;
  /** Not called because a dependency failed or the ticket was refused. */
  n_skipped: number;
  /** Every attempt sent, retries included. */
  calls: number;
  median_ms: number | null;
  median_ms_ci95: [number, number] | null;
  p95_ms: number | null;
  p99_ms: number | null;
  speedup: number | null;
  cost_per_1k_usd: number | null;
  cost_ratio: number | null;
  /** Some successful call has no cost: the model's price (or its token counts) is unknown. */
  price_unknown: boolean;
}

export type ExperimentAssignment = Record<TaskId, string>;

export interface ExperimentPlanEntry {
  assignment: ExperimentAssignment;
  critical_path_median_ms: number | null;
  critical_path_p95_ms: number | null;
  n_tickets_p95: number;
  speedup: number | null;
  cost_per_1k_tickets_usd: number | null;
  below_floor: TaskId[];
  /** The lowest final success rate among its five (task, model) cells. */
  success_rate: number | null;
  /** Failed tasks of its (task, model) cells in the run. */
  n_failed: number;
  /** Its cost per 1K tickets over the baseline's (null: either unknown). */
  cost_vs_baseline: number | null;
}

export interface ExperimentPlanReport {
  floors: Record<TaskId, number>;
  min_success_rate: number;
  quality_source: Record<TaskId, 'agreement' | 'review' | 'judge' | 'mixed'>;
  assignment: ExperimentPlanEntry | null;
  baseline: ExperimentPlanEntry;
  recommended: ExperimentPlanEntry | null;
  recommended_reason: string | null;
  /** Why the recommendation costs more than the baseline (null when it does not). */
  recommended_cost_note: string | null;
  /** Then: the fastest assignment meeting the floors within the baseline's cost. */
  within_baseline_cost: ExperimentPlanEntry | null;
  floor_sweep: Array<{
    floor: number;
    critical_path_median_ms: number | null;
    speedup: number | null;
    cost_per_1k_tickets_usd: number | null;
    assignment: ExperimentAssignment | null;
    reason: string | null;
  }>;
}

/** The run a report is about (core/metrics/report.ts builds it). */
export interface ExperimentReportRunInfo {
  id: string;
  kind: string;
  status: string;
  created_at: string;
  models: string[];
  baseline: string | null;
  upstream: string | null;
  tickets: number;
  /** A shadow run: production's model per task, each task's baseline. */
  baseline_by_task?: Record<TaskId, string> | null;
}

export interface ExperimentReport {
  run: ExperimentReportRunInfo;
  baseline: string;
  /** Present when each task has its own baseline (a shadow run: production's model per task). */
  baseline_by_task?: Record<TaskId, string>;
  bootstrap: { resamples: number; seed: number; confidence: number };
  has_labels: boolean;
  /** What latency measures: each successful call, request sent → answer received; cold calls left out (how many). */
  latency_basis: { span: 'request sent → answer received'; cold_calls_excluded: number };
  tasks: Record<TaskId, Record<string, ExperimentModelTaskStats>>;
  reviews: Partial<Record<TaskId, Record<string, { score: number; n: number }>>>;
  plan: ExperimentPlanReport;
  /** An LLM judge's scores beside the reviews, and its agreement with them (core/judge); null when none. */
  judge?: {
    model: string;
    prompt_version: string;
    verdicts: number;
    scores: Record<TaskId, Record<string, JudgeScoreCell>>;
    vs_humans: JudgeHumanTask[];
  } | null;
}

/** One ticket behind a report cell: the model's answer beside the baseline's and the gold label. */
export interface CellTicketRow {
  ticketId: string;
  title: string;
  status: 'ok' | 'error' | 'skipped' | 'missing';
  value: unknown;
  baselineStatus: 'ok' | 'error' | 'skipped' | 'missing';
  baselineValue: unknown;
  /** The ticket's gold label for the task, when it has one. */
  gold: unknown;
  hasGold: boolean;
  /** Same answer as the baseline (both succeeded), else null. */
  agrees: boolean | null;
  /** Same answer as the gold label, else null. */
  correct: boolean | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  latencyMs: number | null;
  costUsd: number | null;
}

export interface ExperimentRouteOutputs {
  'experiments.ticketSources': { total: number; sources: TicketSourceInfo[] };
  'experiments.stageFile': StagedTicketFile;
  'experiments.estimate': ExperimentEstimate;
  'experiments.start': { runId: string; live: ExperimentLive };
  'experiments.stop': { stopping: boolean };
  'experiments.resume': { runId: string; live: ExperimentLive };
  'experiments.status': ExperimentLive;
  'experiments.report': ExperimentReport;
  'experiments.plan': ExperimentPlanReport;
  'experiments.cellTickets': { rows: CellTicketRow[]; total: number; truncated: boolean };
  'experiments.latencyPoints': { points: LatencyPoint[] };
}

/** Pushed while an experiment runs in the workbench (a full snapshot each time, at most a few a second). */
export type ExperimentEvent = { type: 'experiment.progress'; runId: string; live: ExperimentLive };

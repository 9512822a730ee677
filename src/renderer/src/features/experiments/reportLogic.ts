// How the report reads as tables: the columns per task, which cell of each column is the best
// (highest agreement, lowest latency, …), and which tickets a click on a cell leads to. The
// numbers themselves come from the core's buildReport; nothing here computes a metric.
import type { CellTicketFilter, ExperimentModelTaskStats, ExperimentReport } from '#shared/routes/experimentRoutes.ts';
import { TASKS, type TaskId } from '#shared/tasks.ts';

export type ColumnId =
  | 'agreement'
  | 'kappa'
  | 'accuracy'
  | 'review'
  | 'judge'
  | 'firstTry'
  | 'success'
  | 'median'
  | 'p95'
  | 'p99'
  | 'speedup'
  | 'cost'
  | 'costRatio';

export interface Column {
  id: ColumnId;
  label: string;
  /** What the column means (header tooltip). */
  help: string;
  better: 'high' | 'low';
}

export const COLUMNS: readonly Column[] = [
  {
    id: 'agreement',
    label: 'Agreement',
    help: 'Share of tickets where the answer equals the baseline’s (both calls succeeded), with a bootstrap 95 % CI',
    better: 'high',
  },
  { id: 'kappa', label: 'κ', help: 'Cohen’s κ against the baseline (chance-corrected agreement)', better: 'high' },
  { id: 'accuracy', label: 'Accuracy', help: 'Share of labelled tickets where the answer equals the gold label', better: 'high' },
  { id: 'review', label: 'Review', help: 'Mean manual review score (0–1)', better: 'high' },
  { id: 'judge', label: 'Judge', help: 'Mean score the LLM judge gave with the review rubric, blind to the model (0–1)', better: 'high' },
  { id: 'firstTry', label: '1st try', help: 'Schema-valid answer at the first attempt / tasks attempted', better: 'high' },
  {
    id: 'success',
    label: 'Success',
    help: 'Schema-valid answer after retries / tasks attempted (failed tasks stay in the denominator)',
    better: 'high',
  },
  { id: 'median', label: 'Median', help: 'Median latency of successful calls, with a bootstrap 95 % CI', better: 'low' },
  { id: 'p95', label: 'p95', help: '95th percentile latency of successful calls', better: 'low' },
  { id: 'p99', label: 'p99', help: '99th percentile latency of successful calls', better: 'low' },
  { id: 'speedup', label: 'Speed-up', help: 'Baseline median / this model’s median', better: 'high' },
  { id: 'cost', label: '$ / 1K', help: 'Mean cost per successful call × 1000 (price unknown when the model has no price)', better: 'low' },
  { id: 'costRatio', label: 'Cost ratio', help: 'Baseline’s cost per 1K / this model’s (higher is cheaper)', better: 'high' },
];

/** The columns a task's table shows: accuracy only with gold labels, review only where reviews exist. */
export function columnsFor(report: ExperimentReport, task: TaskId): Column[] {
  const reviewed = Object.keys(report.reviews[task] ?? {}).length > 0;
  const judged = Object.keys(report.judge?.scores[task] ?? {}).length > 0;
  return COLUMNS.filter((c) => (c.id === 'accuracy' ? report.has_labels : c.id === 'review' ? reviewed : c.id === 'judge' ? judged : true));
}

/** The number a column compares (null: not applicable or unknown). */
export function columnValue(report: ExperimentReport, task: TaskId, model: string, col: ColumnId): number | null {
  const s = report.tasks[task][model];
  if (!s) return null;
  switch (col) {
    case 'agreement':
      return s.agreement_rate;
    case 'kappa':
      return s.kappa;
    case 'accuracy':
      return s.n_labelled > 0 ? s.accuracy : null;
    case 'review':
      return report.reviews[task]?.[model]?.score ?? null;
    case 'judge':
      return report.judge?.scores[task]?.[model]?.score ?? null;
    case 'firstTry':
      return s.first_try_success_rate;
    case 'success':
      return s.success_rate;
    case 'median':
      return s.median_ms;
    case 'p95':
      return s.p95_ms;
    case 'p99':
      return s.p99_ms;
    case 'speedup':
      return s.speedup;
    case 'cost':
      return s.cost_per_1k_usd;
    case 'costRatio':
      return s.cost_ratio;
  }
}

/** The model a task is compared against: production's for that task in a shadow run, else the baseline. */
export const baselineFor = (report: ExperimentReport, task: TaskId): string => report.baseline_by_task?.[task] ?? report.baseline;

/**
 * Models in report order: the baseline first, then the others as the run lists them. With a task,
 * a shadow run's table leaves out models that never answered it (production's models of other tasks).
 */
export function reportModels(report: ExperimentReport, task?: TaskId): string[] {
  const base = task ? baselineFor(report, task) : report.baseline;
  const all = [base, ...report.run.models.filter((m) => m !== base)];
  if (!task || !report.baseline_by_task) return all;
  return all.filter((m) => m === base || (report.tasks[task][m] && (report.tasks[task][m]!.n > 0 || report.tasks[task][m]!.n_skipped > 0)));
}

/**
 * The best models of each column of a task's table: the highest (or lowest) value, ties all
 * marked. No mark when fewer than two models have a value, or when they all have the same one
 * (a "best" that everyone shares says nothing).
 */
export function bestCells(report: ExperimentReport, task: TaskId): Partial<Record<ColumnId, string[]>> {
  const models = reportModels(report, task);
  const out: Partial<Record<ColumnId, string[]>> = {};
  for (const c of COLUMNS) {
    const vals = models
      .map((m) => ({ m, v: columnValue(report, task, m, c.id) }))
      .filter((x): x is { m: string; v: number } => x.v !== null && Number.isFinite(x.v));
    if (vals.length < 2) continue;
    const best = c.better === 'high' ? Math.max(...vals.map((x) => x.v)) : Math.min(...vals.map((x) => x.v));
    const eps = 1e-9 * Math.max(1, Math.abs(best));
    const winners = vals.filter((x) => Math.abs(x.v - best) <= eps).map((x) => x.m);
    if (winners.length === vals.length) continue;
    out[c.id] = winners;
  }
  return out;
}

/** What a click on a cell opens: which tickets, and how the list is titled. */
export interface CellDrill {
  filter: CellTicketFilter;
  minLatencyMs?: number;
  label: string;
}

export function cellDrill(report: ExperimentReport, task: TaskId, model: string, col: ColumnId | 'model'): CellDrill {
  const s: ExperimentModelTaskStats | undefined = report.tasks[task][model];
  const where = `${model} · ${TASKS[task].label}`;
  const isBase = model === baselineFor(report, task);
  switch (col) {
    case 'agreement':
    case 'kappa':
      return isBase
        ? { filter: 'all', label: `All answers of the baseline ${where}` }
        : { filter: 'disagree', label: `Disagreements with the baseline · ${where}` };
    case 'accuracy':
      return { filter: 'wrong', label: `Answers that differ from the gold label · ${where}` };
    case 'firstTry':
      return { filter: 'notFirstTry', label: `Not answered at the first try · ${where}` };
    case 'success':
      return { filter: 'failed', label: `Failed tasks · ${where}` };
    case 'p95':
    case 'p99':
      return s?.[col === 'p95' ? 'p95_ms' : 'p99_ms'] != null
        ? { filter: 'slow', minLatencyMs: s[col === 'p95' ? 'p95_ms' : 'p99_ms']!, label: `Calls at or above the ${col} · ${where}` }
        : { filter: 'slow', label: `Calls by latency · ${where}` };
    case 'median':
    case 'speedup':
      return { filter: 'slow', label: `Calls by latency, slowest first · ${where}` };
    default:
      return { filter: 'all', label: `All answers · ${where}` };
  }
}

// ---- formats ----------------------------------------------------------------------------------

export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)} %`;
export const ratio = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x.toFixed(2)}×`;
export const dec = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
export function ms(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${Math.abs(x) < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US')} ms`;
}
/** Dollars with enough digits to tell small costs apart; null is "price unknown", never $0. */
export function usd(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'price unknown';
  if (x === 0) return '$0';
  if (x >= 100) return `$${x.toFixed(0)}`;
  if (x >= 1) return `$${x.toFixed(2)}`;
  return `$${x.toPrecision(2)}`;
}
export function duration(msValue: number | null | undefined): string {
  if (msValue === null || msValue === undefined || !Number.isFinite(msValue)) return '—';
  if (msValue < 1000) return msValue <= 0 ? '0 s' : '< 1 s';
  const s = Math.round(msValue / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

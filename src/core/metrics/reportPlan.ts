// The report's plan (contracts §6): a per-task table of latency, quality, cost and success, with
// the quality floor (review, trusted judge or agreement) it is held to, and the floor sweep.
// report.ts builds the per-model statistics and hands them here.
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import {
  belowFloor,
  floorSweep,
  planCostPer1kTickets,
  planMedianMs,
  planTicketQuantile,
  recommend,
  type Floors,
  type PlanAssignment,
  type PlanCell,
  type PlanTable,
  type TicketLatencies,
} from './planner.ts';
import type { ModelTaskStats, ReportData, ReportOptions } from './report.ts';
import { r1, r2, r6, ratio } from './rounding.ts';

/** A model of the run that is retired or deprecated as of the report's day. */
export interface PlanLifecycle {
  status: 'retired' | 'deprecated';
  shutdown_on: string | null;
  replacement: string | null;
  message: string;
}

export type QualitySource = 'agreement' | 'review' | 'judge' | 'mixed';

export interface PlanEntry {
  assignment: PlanAssignment;
  critical_path_median_ms: number | null;
  critical_path_p95_ms: number | null;
  /** Tickets the p95 is over (all five assigned calls succeeded). */
  n_tickets_p95: number;
  speedup: number | null;
  cost_per_1k_tickets_usd: number | null;
  below_floor: TaskId[];
  /** Lifecycle warnings for the assignment's models (retired / deprecated, with the date). */
  warnings: string[];
  /** The lowest final success rate among the five assigned (task, model) cells; null when one has no calls. */
  success_rate: number | null;
  /** Failed tasks of the assigned (task, model) cells in this run, summed. */
  n_failed: number;
  /** Cost per 1K tickets over the baseline's; null when either is unknown. */
  cost_vs_baseline: number | null;
}

export interface PlanReport {
  floors: Floors;
  min_success_rate: number;
  /**
   * Where each task's quality came from: agreement with the baseline, human review scores, or a
   * trusted judge's scores (models no human reviewed); 'mixed' when models of a task differ.
   */
  quality_source: Record<TaskId, QualitySource>;
  assignment: PlanEntry | null;
  baseline: PlanEntry;
  recommended: PlanEntry | null;
  recommended_reason: string | null;
  /**
   * Set when the recommendation costs more than the baseline (or its cost is unknown): why, in words,
   * and what the fastest assignment within the baseline's cost gives instead.
   */
  recommended_cost_note: string | null;
  /** When the recommendation is dearer than the baseline: the fastest assignment meeting the floors at no more than the baseline's cost. */
  within_baseline_cost: PlanEntry | null;
  /** The run's models that are retired (never recommended) or deprecated (flagged), as of the report's day. */
  model_lifecycle: Record<string, PlanLifecycle>;
  floor_sweep: Array<{
    floor: number;
    critical_path_median_ms: number | null;
    speedup: number | null;
    cost_per_1k_tickets_usd: number | null;
    assignment: PlanAssignment | null;
    reason: string | null;
  }>;
}

export function buildPlan(
  tasks: Record<TaskId, Record<string, ModelTaskStats>>,
  data: ReportData,
  perTicket: Map<string, TicketLatencies>,
  o: ReportOptions,
  models: string[],
  baselinePlan: PlanAssignment,
): PlanReport {
  const table = {} as Record<TaskId, Record<string, PlanCell>>;
  const source = {} as Record<TaskId, QualitySource>;
  for (const t of TASK_IDS) {
    table[t] = {};
    const kinds = new Set<'agreement' | 'review' | 'judge'>();
    const trusted = data.judge?.vs_humans.find((h) => h.task === t)?.trusted === true;
    for (const m of models) {
      const s = tasks[t][m]!;
      const review = data.reviews[t]?.[m];
      const judged = trusted ? data.judge!.scores[t]?.[m] : undefined;
      const kind = review ? 'review' : judged ? 'judge' : 'agreement';
      kinds.add(kind);
      // A human review score wins; then a judge trusted on this task; else agreement with the
      // baseline (which agrees with itself by definition).
      const quality = review ? review.score : judged ? judged.score : m === baselinePlan[t] ? 1 : s.agreement_rate;
      table[t][m] = { medianMs: s.median_ms, quality, costPer1kUsd: s.cost_per_1k_usd, successRate: s.success_rate };
    }
    source[t] = kinds.size > 1 ? 'mixed' : ([...kinds][0] ?? 'agreement');
  }
  const planTable: PlanTable = table;
  const lifecycle = o.lifecycle ?? {};
  const retired = new Set(
    Object.entries(lifecycle)
      .filter(([, l]) => l.status === 'retired')
      .map(([m]) => m),
  );
  const opts = { minSuccessRate: o.minSuccessRate ?? 0, exclude: retired };
  const baseMedian = planMedianMs(baselinePlan, planTable);
  const entry = (a: PlanAssignment): PlanEntry => {
    const median = planMedianMs(a, planTable);
    const p95 = planTicketQuantile(a, perTicket.values(), 0.95);
    return {
      assignment: a,
      critical_path_median_ms: r1(median),
      critical_path_p95_ms: r1(p95.ms),
      n_tickets_p95: p95.n,
      speedup: r2(ratio(baseMedian, median)),
      cost_per_1k_tickets_usd: r6(planCostPer1kTickets(a, planTable)),
      below_floor: belowFloor(a, planTable, o.floors, opts),
      warnings: [...new Set(TASK_IDS.map((t) => a[t]))].flatMap((m) => (lifecycle[m] ? [lifecycle[m]!.message] : [])),
      success_rate: TASK_IDS.reduce<number | null>((lo, t) => {
        const sr = tasks[t][a[t]]?.success_rate ?? null;
        return lo === null || sr === null ? null : Math.min(lo, sr);
      }, 1),
      n_failed: TASK_IDS.reduce((n, t) => n + (tasks[t][a[t]]?.n_failed ?? 0), 0),
      cost_vs_baseline: r2(ratio(planCostPer1kTickets(a, planTable), baseCost)),
    };
  };
  const baseCost = planCostPer1kTickets(baselinePlan, planTable);
  const rec = recommend(planTable, o.floors, opts);
  // A recommendation dearer than the baseline says so, and what staying within the baseline's cost gives.
  let costNote: string | null = null;
  let within: PlanEntry | null = null;
  if (rec.ok && baseCost !== null) {
    const recCost = rec.plan.costPer1kTicketsUsd;
    if (recCost === null || recCost > baseCost * (1 + 1e-9)) {
      const cheap = recommend(planTable, o.floors, { ...opts, maxCostPer1kTickets: baseCost });
      const fast = ratio(baseMedian, rec.plan.medianMs);
      const dearer =
        recCost === null
          ? 'its cost is unknown (a model has no price)'
          : `it costs ${(recCost / baseCost).toFixed(1)}× the baseline ($${recCost.toFixed(2)} vs $${baseCost.toFixed(2)} per 1K tickets)`;
      const why = `${dearer} because it is the fastest assignment that meets the quality floors${fast !== null ? ` (${fast.toFixed(2)}× the baseline's speed)` : ''}`;
      if (cheap.ok && TASK_IDS.some((t) => cheap.plan.assignment[t] !== baselinePlan[t])) {
        within = entry(cheap.plan.assignment);
        const f2 = ratio(baseMedian, cheap.plan.medianMs);
        costNote = `${why}; the fastest within the baseline's cost is ${f2 !== null ? `${f2.toFixed(2)}×` : 'shown'} at $${(cheap.plan.costPer1kTicketsUsd ?? 0).toFixed(2)} per 1K tickets`;
      } else {
        costNote = `${why}; no faster assignment that meets the floors stays within the baseline's cost`;
      }
    }
  }
  return {
    floors: o.floors,
    min_success_rate: opts.minSuccessRate,
    quality_source: source,
    assignment: o.assignment ? entry(o.assignment) : null,
    baseline: entry(baselinePlan),
    recommended: rec.ok ? entry(rec.plan.assignment) : null,
    recommended_reason: rec.ok ? null : rec.reason,
    recommended_cost_note: costNote,
    within_baseline_cost: within,
    model_lifecycle: Object.fromEntries(models.filter((m) => lifecycle[m]).map((m) => [m, { ...lifecycle[m]! }])),
    floor_sweep: floorSweep(planTable, undefined, opts).map(({ floor, result }) => ({
      floor,
      critical_path_median_ms: result.ok ? r1(result.plan.medianMs) : null,
      speedup: result.ok ? r2(ratio(baseMedian, result.plan.medianMs)) : null,
      cost_per_1k_tickets_usd: result.ok ? r6(result.plan.costPer1kTicketsUsd) : null,
      assignment: result.ok ? result.plan.assignment : null,
      reason: result.ok ? null : result.reason,
    })),
  };
}

// The comparison report (contracts §5 `report`, §6 metrics): per task and model, agreement with
// the baseline (+ Cohen's κ, + accuracy against gold labels), success rates, latency quantiles,
// speed-up and cost; and the plan. Pure: the rows come in, a JSON-ready object goes out (snake_case
// keys, as `report --format json` prints it).
import type { TicketInput } from '#shared/results.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { KAPPA_TASKS, cohensKappa, comparisonKey, labelKey } from './agreement.ts';
import { BOOTSTRAP_DEFAULTS, bootstrapMedianCI, bootstrapProportionCI, seedFor, type BootstrapOptions } from './bootstrap.ts';
import { quantileSorted, sortedSample } from './quantiles.ts';
import type { ExperimentModelTaskStats, ExperimentReportRunInfo } from '#shared/routes/experimentRoutes.ts';
import type { JudgeHumanTask, JudgeScoreCell } from '#shared/routes/judgeRoutes.ts';
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

/** One final task outcome (a row of `results`). */
export interface ReportResultRow {
  ticketId: string;
  task: TaskId;
  model: string;
  status: 'ok' | 'error' | 'skipped';
  /** Normalised value (contracts §2); only read for ok rows. */
  value: unknown;
  /** Attempts the final outcome took (1 = first try). */
  attempts: number;
  errorCode: string | null;
}

/** One successful call (a row of `calls` with status ok). */
export interface ReportOkCall {
  ticketId: string;
  task: TaskId;
  model: string;
  /** The call itself: request sent → answer received. */
  latencyMs: number;
  costUsd: number | null;
  /** The first request on a newly opened connection; its time carries the server's set-up. */
  cold?: boolean;
}

/** Review scores per task and model (contracts §6 manual review), averaged over reviewed answers. */
export type ReviewScores = Partial<Record<TaskId, Record<string, { score: number; n: number }>>>;

/** The run a report is about (the type is shared with the workbench). */
export type ReportRunInfo = ExperimentReportRunInfo;

export interface ReportData {
  run: ReportRunInfo;
  results: ReportResultRow[];
  okCalls: ReportOkCall[];
  /** Attempts (every call, retries included) per task and model: key `${task}\u0000${model}`. */
  callCounts: Map<string, number>;
  /** Gold labels of the run's tickets that carry any. */
  labels: Map<string, NonNullable<TicketInput['labels']>>;
  reviews: ReviewScores;
  /** Calls of the run made on a guessed platform/product (speculative execution); absent when none. */
  speculation?: SpeculationCalls;
  /** An LLM judge's scores of the run's answers and its agreement with the reviewers; absent when none judged it. */
  judge?: ReportJudge;
}

/**
 * A judge model's scores of the run's answers (core/judge), beside the human review scores, and how
 * it agrees with the reviewers per task. Its score stands in for a review score in the plan's
 * quality floor only on tasks where it is trusted (measured against humans and agreeing enough),
 * and only for models no human reviewed.
 */
export interface ReportJudge {
  model: string;
  prompt_version: string;
  verdicts: number;
  scores: Record<TaskId, Record<string, JudgeScoreCell>>;
  vs_humans: JudgeHumanTask[];
}

/**
 * What speculative execution spent in a run. Kept calls are the sequential run's own calls and
 * count everywhere as usual; discarded calls are in none of the statistics (latency, success,
 * agreement, cost per call) — only here, as extra calls and extra spend.
 */
export interface SpeculationCalls {
  kept_calls: number;
  discarded_calls: number;
  /** Spend of the discarded calls over those with a known price (cancelled ones at their prompt's price). */
  discarded_cost_usd: number;
  discarded_unpriced: number;
}

/** A model of the run that is retired or deprecated as of the report's day. */
export interface PlanLifecycle {
  status: 'retired' | 'deprecated';
  shutdown_on: string | null;
  replacement: string | null;
  message: string;
}

export interface ReportOptions {
  /** Lifecycle of the run's models (modelLifecycle.planLifecycle): retired ones are never recommended, deprecated ones flagged. */
  lifecycle?: Readonly<Record<string, PlanLifecycle>>;
  baseline: string;
  /**
   * A baseline per task, overriding `baseline` where given: a shadow run is measured against
   * production, whose model may differ by task (its baseline plan is production's assignment).
   */
  baselineByTask?: Partial<Record<TaskId, string>> | null;
  /** The assignment to evaluate (`--assign`), or null. */
  assignment: PlanAssignment | null;
  floors: Floors;
  minSuccessRate?: number;
  bootstrap?: BootstrapOptions;
}

export type QualitySource = 'agreement' | 'review' | 'judge' | 'mixed';

/** Per task and model, as `report --format json` holds it (the type is shared with the workbench). */
export type ModelTaskStats = ExperimentModelTaskStats;

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

export interface Report {
  run: ReportRunInfo;
  baseline: string;
  /** Present when the baseline differs by task (a shadow run: production's model per task). */
  baseline_by_task?: Record<TaskId, string>;
  bootstrap: { resamples: number; seed: number; confidence: number };
  /** Whether any ticket of the run carries gold labels (accuracy is then shown). */
  has_labels: boolean;
  /**
   * What the latency columns measure: each successful call from its request being sent to its
   * answer received (no slot waits, retries or parsing), leaving out calls that were the first on
   * a newly opened connection wherever the same task and model have warm calls. (The plan's
   * per-ticket critical paths take every call of the ticket.)
   */
  latency_basis: { span: 'request sent → answer received'; cold_calls_excluded: number };
  tasks: Record<TaskId, Record<string, ModelTaskStats>>;
  /** Review scores per task and model; {} until reviews exist (the review feature fills this). */
  reviews: ReviewScores;
  plan: PlanReport;
  /** Speculative calls of the run (null when it had none): discarded ones are counted here only. */
  speculation: SpeculationCalls | null;
  /** The LLM judge's scores and its agreement with humans (null when no judge scored the run). */
  judge: ReportJudge | null;
}

const r1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
const r4 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e4) / 1e4);
const r6 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e6) / 1e6);
const r2 = (x: number | null): number | null => (x === null ? null : Math.round(x * 100) / 100);
const ci = (c: [number, number] | null, f: (x: number) => number | null): [number, number] | null =>
  c === null ? null : [f(c[0])!, f(c[1])!];
const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);
const cellKey = (task: TaskId, model: string): string => `${task}\u0000${model}`;

interface Acc {
  ok: number;
  firstTry: number;
  failed: number;
  skipped: number;
  failures: Record<string, number>;
  /** ticket → comparison key, for ok results. */
  keys: Map<string, string>;
  latencies: number[];
  cost: number;
  costed: number;
  unpriced: number;
}

/** Builds the report from a run's rows. Failed calls are counted in every rate they belong to, never dropped. */
export function buildReport(data: ReportData, o: ReportOptions): Report {
  const boot = {
    resamples: o.bootstrap?.resamples ?? BOOTSTRAP_DEFAULTS.resamples,
    seed: o.bootstrap?.seed ?? BOOTSTRAP_DEFAULTS.seed,
    confidence: o.bootstrap?.confidence ?? BOOTSTRAP_DEFAULTS.confidence,
  };
  const baseOf = (task: TaskId): string => o.baselineByTask?.[task] ?? o.baseline;
  const baselines = [...new Set([o.baseline, ...TASK_IDS.map(baseOf)])];
  const models = [...baselines, ...data.run.models.filter((m) => !baselines.includes(m))];
  const acc = new Map<string, Acc>();
  const get = (task: TaskId, model: string): Acc => {
    const k = cellKey(task, model);
    let a = acc.get(k);
    if (!a)
      acc.set(
        k,
        (a = { ok: 0, firstTry: 0, failed: 0, skipped: 0, failures: {}, keys: new Map(), latencies: [], cost: 0, costed: 0, unpriced: 0 }),
      );
    return a;
  };
  for (const m of models) for (const t of TASK_IDS) get(t, m);

  for (const r of data.results) {
    // A cancelled outcome is our own interruption, not the model's failure; experiments never keep
    // one (the task runs again on resume), and older `run` rows are left out the same way.
    if (r.status === 'error' && r.errorCode === 'CANCELLED') continue;
    const a = get(r.task, r.model);
    if (r.status === 'ok') {
      a.ok++;
      if (r.attempts <= 1) a.firstTry++;
      a.keys.set(r.ticketId, comparisonKey(r.task, r.value));
    } else if (r.status === 'error') {
      a.failed++;
      const code = r.errorCode ?? 'ERROR';
      a.failures[code] = (a.failures[code] ?? 0) + 1;
    } else a.skipped++;
  }

  const perTicket = new Map<string, TicketLatencies>();
  // Cold calls (first on a new connection) are left out of latency wherever the cell has warm ones.
  const warm = new Set<string>();
  for (const c of data.okCalls) if (!c.cold) warm.add(cellKey(c.task, c.model));
  let coldExcluded = 0;
  for (const c of data.okCalls) {
    const a = get(c.task, c.model);
    if (c.costUsd === null) a.unpriced++;
    else {
      a.cost += c.costUsd;
      a.costed++;
    }
    // A ticket's own critical path (the plan's p95) takes every call it made, cold or not.
    if (c.cold && warm.has(cellKey(c.task, c.model))) coldExcluded++;
    else a.latencies.push(c.latencyMs);
    let tk = perTicket.get(c.ticketId);
    if (!tk) perTicket.set(c.ticketId, (tk = {}));
    const byModel = (tk[c.task] ??= {}) as Record<string, number>;
    byModel[c.model] = c.latencyMs;
  }

  const tasks = {} as Record<TaskId, Record<string, ModelTaskStats>>;
  for (const task of TASK_IDS) {
    tasks[task] = {};
    const baseline = baseOf(task);
    const base = get(task, baseline);
    const baseSorted = sortedSample(base.latencies);
    const baseMedian = quantileSorted(baseSorted, 0.5);
    const baseCost = base.unpriced > 0 || base.costed === 0 ? null : (base.cost / base.costed) * 1000;
    for (const model of models) {
      const a = get(task, model);
      const sorted = model === baseline ? baseSorted : sortedSample(a.latencies);
      const median = quantileSorted(sorted, 0.5);
      const attempted = a.ok + a.failed;
      // Agreement: tickets where both calls succeeded; κ over the same pairs.
      let agreement: number | null = null;
      let agreementCi: [number, number] | null = null;
      let kappa: number | null = null;
      let compared = 0;
      if (model !== baseline) {
        const xs: string[] = [];
        const ys: string[] = [];
        for (const [ticket, key] of a.keys) {
          const b = base.keys.get(ticket);
          if (b === undefined) continue;
          xs.push(key);
          ys.push(b);
        }
        compared = xs.length;
        let agree = 0;
        for (let i = 0; i < xs.length; i++) if (xs[i] === ys[i]) agree++;
        agreement = compared ? agree / compared : null;
        agreementCi = bootstrapProportionCI(agree, compared, { ...boot, seed: seedFor(boot.seed, task, model, 'agreement') });
        if (KAPPA_TASKS.includes(task)) kappa = cohensKappa(xs, ys);
      }
      let labelled = 0;
      let correct = 0;
      if (data.labels.size > 0) {
        for (const [ticket, key] of a.keys) {
          const gold = labelKey(task, data.labels.get(ticket));
          if (gold === undefined) continue;
          labelled++;
          if (gold === key) correct++;
        }
      }
      const cost = a.unpriced > 0 || a.costed === 0 ? null : (a.cost / a.costed) * 1000;
      tasks[task][model] = {
        n: attempted,
        agreement_rate: r4(agreement),
        agreement_ci95: ci(agreementCi, r4),
        n_compared: compared,
        kappa: r4(kappa),
        accuracy: r4(labelled ? correct / labelled : null),
        n_labelled: labelled,
        first_try_success_rate: r4(attempted ? a.firstTry / attempted : null),
        success_rate: r4(attempted ? a.ok / attempted : null),
        n_failed: a.failed,
        failures: a.failures,
        n_skipped: a.skipped,
        calls: data.callCounts.get(cellKey(task, model)) ?? 0,
        median_ms: r1(median),
        median_ms_ci95: ci(bootstrapMedianCI(sorted, { ...boot, seed: seedFor(boot.seed, task, model, 'median') }), r1),
        p95_ms: r1(quantileSorted(sorted, 0.95)),
        p99_ms: r1(quantileSorted(sorted, 0.99)),
        speedup: r2(ratio(baseMedian, median)),
        cost_per_1k_usd: r6(cost),
        cost_ratio: r2(ratio(baseCost, cost)),
        price_unknown: a.unpriced > 0,
      };
    }
  }

  return {
    run: data.run,
    baseline: o.baseline,
    ...(o.baselineByTask ? { baseline_by_task: Object.fromEntries(TASK_IDS.map((t) => [t, baseOf(t)])) as Record<TaskId, string> } : {}),
    bootstrap: boot,
    has_labels: data.labels.size > 0,
    latency_basis: { span: 'request sent → answer received', cold_calls_excluded: coldExcluded },
    tasks,
    reviews: data.reviews,
    plan: buildPlan(tasks, data, perTicket, o, models, Object.fromEntries(TASK_IDS.map((t) => [t, baseOf(t)])) as PlanAssignment),
    speculation: data.speculation ?? null,
    judge: data.judge ?? null,
  };
}

function buildPlan(
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

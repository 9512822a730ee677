// The comparison report (contracts §5 `report`, §6 metrics): per task and model, agreement with
// the baseline (+ Cohen's κ, + accuracy against gold labels), success rates, latency quantiles,
// speed-up and cost; and the plan (built in reportPlan.ts). Pure: the rows come in, a JSON-ready
// object goes out (snake_case keys, as `report --format json` prints it).
import type { TicketInput } from '#shared/results.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { KAPPA_TASKS, cohensKappa, comparisonKey, labelKey } from './agreement.ts';
import { BOOTSTRAP_DEFAULTS, bootstrapMedianCI, bootstrapProportionCI, seedFor, type BootstrapOptions } from './bootstrap.ts';
import { quantileSorted, sortedSample } from './quantiles.ts';
import type { ExperimentModelTaskStats, ExperimentReportRunInfo } from '#shared/routes/experimentRoutes.ts';
import type { JudgeHumanTask, JudgeScoreCell } from '#shared/routes/judgeRoutes.ts';
import type { Floors, PlanAssignment, TicketLatencies } from './planner.ts';
import { buildPlan, type PlanLifecycle, type PlanReport } from './reportPlan.ts';
import { ci, r1, r2, r4, r6, ratio } from './rounding.ts';

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

/** Per task and model, as `report --format json` holds it (the type is shared with the workbench). */
export type ModelTaskStats = ExperimentModelTaskStats;

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

// One builder for what the Experiments view shows of a run (ExperimentLive), whether it runs in
// this process (its progress record, counts read from the store every second or so) or only
// exists in the store (a finished, interrupted or other process's run): both give the same parts.
import type { ExperimentLive } from '#shared/routes/experimentRoutes.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import type { DbFacts } from '../store/experimentQueries.ts';

/** A model's part of a run, as far as it is known. */
export interface ModelPart {
  total?: number;
  done?: number;
  doneBefore?: number;
  pausedUntil?: number | null;
  stopped?: string | null;
}

/** What both kinds of run give; the fields named as in ExperimentLive mean what they mean there. */
export interface SnapshotParts
  extends Pick<
    ExperimentLive,
    | 'runId'
    | 'label'
    | 'models'
    | 'baseline'
    | 'upstream'
    | 'tickets'
    | 'rpm'
    | 'concurrency'
    | 'state'
    | 'active'
    | 'startedAt'
    | 'finishedAt'
    | 'elapsedMs'
    | 'etaMs'
    | 'doneTasks'
    | 'doneBefore'
    | 'calls'
    | 'retries'
    | 'costUsd'
    | 'unpricedCalls'
    | 'estimateUsd'
    | 'notices'
    | 'error'
  > {
  /** Totals when known (a live run's progress); else derived from tickets × models × tasks. */
  totalTasks?: number;
  perModel(model: string): ModelPart | undefined;
  /** Failures and skips read from the store. */
  facts: DbFacts;
}

export function experimentSnapshot(p: SnapshotParts): ExperimentLive {
  const perTicket = TASK_IDS.length;
  return {
    runId: p.runId,
    label: p.label,
    models: p.models,
    baseline: p.baseline,
    upstream: p.upstream,
    tickets: p.tickets,
    rpm: p.rpm,
    concurrency: p.concurrency,
    state: p.state,
    active: p.active,
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    elapsedMs: p.elapsedMs,
    etaMs: p.etaMs,
    totalTasks: p.totalTasks ?? p.tickets * p.models.length * perTicket,
    doneTasks: p.doneTasks,
    doneBefore: p.doneBefore,
    failedTasks: p.facts.failedTasks,
    skippedTasks: p.facts.skippedTasks,
    calls: p.calls,
    retries: p.retries,
    costUsd: p.costUsd,
    unpricedCalls: p.unpricedCalls,
    estimateUsd: p.estimateUsd,
    perModel: p.models.map((m) => {
      const x = p.perModel(m);
      return {
        model: m,
        total: x?.total ?? p.tickets * perTicket,
        done: x?.done ?? 0,
        doneBefore: x?.doneBefore ?? 0,
        failed: p.facts.failedByModel.get(m) ?? 0,
        pausedUntil: x?.pausedUntil ?? null,
        stopped: x?.stopped ?? null,
      };
    }),
    failuresByCode: p.facts.failuresByCode,
    recentFailures: p.facts.recentFailures,
    notices: p.notices,
    error: p.error,
  };
}

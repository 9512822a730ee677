// What the Shadow view shows: which candidates shadow which task, production's model they are
// compared against, today's cost, agreement with production so far (the live experiment's report,
// the same numbers `casebench report --run <shadow run>` prints), and the limits.
import type { ShadowCandidateView, ShadowStatus } from '#shared/routes/shadowRoutes.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { ReportLiveService } from '../experiments/reportLive.ts';
import type { Assignment } from '../graph/engine.ts';
import type { Store } from '../store/store.ts';
import { localMidnight, shadowSpendBlocked, shadowSpentToday } from './shadowBudget.ts';
import type { ShadowRuntimeState } from './shadowRunner.ts';
import { shadowRunId } from './shadowRunner.ts';
import { loadShadowSet } from './shadowSet.ts';

type Row = Record<string, unknown>;

export function shadowStatus(
  store: Store,
  reports: ReportLiveService,
  production: Assignment,
  runtime: ShadowRuntimeState,
  now: Date = new Date(),
): ShadowStatus {
  const set = loadShadowSet(store);
  const id = shadowRunId(production);
  const run = store.getRun(id);
  const runId = run ? id : null;
  const report = runId ? reports.report({ runId }) : null;
  const costs = new Map<string, { usd: number; unpriced: number }>();
  if (runId) {
    const rows = store
      .prepare(
        `SELECT task, model_spec, COALESCE(SUM(cost_usd), 0) AS usd, SUM(CASE WHEN cost_usd IS NULL AND input_tokens IS NOT NULL THEN 1 ELSE 0 END) AS unpriced
           FROM calls WHERE run_id = ? AND started_at >= ? GROUP BY task, model_spec`,
      )
      .all(runId, localMidnight(now)) as Row[];
    for (const r of rows)
      costs.set(`${String(r.task)}\u0000${String(r.model_spec)}`, { usd: Number(r.usd) || 0, unpriced: Number(r.unpriced) || 0 });
  }
  const candidates: ShadowCandidateView[] = [];
  for (const task of TASK_IDS) {
    for (const spec of set.candidates[task]) {
      const s = report?.tasks[task]?.[spec];
      const base = report?.tasks[task]?.[production[task]];
      const c = costs.get(`${task}\u0000${spec}`);
      const same = spec === production[task];
      candidates.push({
        task: task as TaskId,
        spec,
        production: production[task],
        sameAsProduction: same,
        answered: same || !s ? 0 : s.n,
        failed: same || !s ? 0 : s.n_failed,
        agreement: same ? null : (s?.agreement_rate ?? null),
        agreementCi95: same ? null : (s?.agreement_ci95 ?? null),
        nCompared: same ? 0 : (s?.n_compared ?? 0),
        medianMs: same ? null : (s?.median_ms ?? null),
        productionMedianMs: base?.median_ms ?? null,
        costTodayUsd: same ? 0 : (c?.usd ?? 0),
        priceUnknown: Boolean(s?.price_unknown) || (c?.unpriced ?? 0) > 0,
      });
    }
  }
  const spent = shadowSpentToday(store, now);
  const earlier = (
    store
      .prepare(
        `SELECT r.id, r.created_at, (SELECT count(*) FROM run_tickets t WHERE t.run_id = r.id) AS n FROM runs r WHERE r.kind = 'shadow' AND r.id != ? ORDER BY r.created_at DESC LIMIT 20`,
      )
      .all(id) as Row[]
  ).map((r) => ({ runId: String(r.id), createdAt: Number(r.created_at), tickets: Number(r.n) || 0 }));
  return {
    runId,
    production: { ...production },
    candidates,
    tickets: report?.run.tickets ?? 0,
    rpm: set.rpm,
    concurrency: set.concurrency,
    spendLimitUsd: set.spendLimitUsd,
    spentTodayUsd: spent.usd,
    simulatedTodayUsd: spent.simulatedUsd,
    blocked: shadowSpendBlocked(store, set, now),
    queued: runtime.queued,
    inFlight: runtime.inFlight,
    dropped: runtime.dropped,
    unusable: runtime.unusable,
    earlierRuns: earlier,
  };
}

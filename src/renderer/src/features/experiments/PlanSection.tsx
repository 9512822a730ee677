// The plan as an interactive picker: choose a model per task and see the critical-path median,
// p95 and cost per 1K tickets of that assignment (computed by the core's planner); move the
// quality floor and see the recommended assignment change, with the floor sweep beside it; and
// "use this assignment" writes it to Settings for new triages.
import { useEffect, useState } from 'react';
import type { ExperimentAssignment, ExperimentReport } from '#shared/routes/experimentRoutes.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { ModelName } from '../plots/ModelSwatch.tsx';
import { DEFAULT_FLOOR, DEFAULT_MIN_SUCCESS } from './experimentsStore.ts';
import { EntryCard } from './PlanEntryCard.tsx';
import { PlanSweep } from './PlanSweep.tsx';
import { baselineFor, ms, pct, reportModels, usd } from './reportLogic.ts';

/** The quality the planner uses for a model on a task: the review score where reviewed, else agreement (the baseline agrees with itself). */
function quality(report: ExperimentReport, task: TaskId, model: string): number | null {
  const review = report.reviews[task]?.[model];
  if (review) return review.score;
  return model === baselineFor(report, task) ? 1 : (report.tasks[task][model]?.agreement_rate ?? null);
}

const sameAssignment = (a: ExperimentAssignment | null | undefined, b: ExperimentAssignment | null | undefined): boolean =>
  Boolean(a && b && TASK_IDS.every((t) => a[t] === b[t]));

export function PlanSection({ runId }: { runId: string }) {
  const { stores } = useApp();
  const reportView = useS('experiments', (s) => s.reports[runId] ?? null);
  const plan = useS('experiments', (s) => s.plans[runId] ?? null);
  const settingsAssignment = useS('settings', (s) => s.settings?.assignment ?? null);
  const saveState = useS('settings', (s) => (s.save.field === 'assignment' ? s.save : null));
  const [applied, setApplied] = useState<string | null>(null);
  const a = stores.experiments.getState().actions;
  useEffect(() => {
    const x = stores.experiments.getState().actions;
    void x.loadReport(runId).then(() => {
      const p = stores.experiments.getState().plans[runId];
      if (!p || p.load === 'idle') void x.loadPlan(runId);
    });
  }, [runId, stores]);

  const report = reportView?.data ?? null;
  if (!report) {
    if (reportView?.load === 'error') {
      return (
        <EmptyState icon="warning" title="The plan cannot be built">
          <p>{reportView.error?.message}</p>
        </EmptyState>
      );
    }
    return (
      <div className="editor-loading">
        <Spinner label="Building the plan" />
      </div>
    );
  }
  const floor = plan?.floor ?? DEFAULT_FLOOR;
  const minSuccess = plan?.minSuccess ?? DEFAULT_MIN_SUCCESS;
  const data = plan?.data ?? null;
  const within = data?.within_baseline_cost ?? null;
  const picks = plan?.picks ?? report.plan.recommended?.assignment ?? report.plan.baseline.assignment;
  const rec = data?.recommended ?? null;
  const models = reportModels(report);
  const use = async (assignment: ExperimentAssignment, which: string): Promise<void> => {
    const ok = await stores.settings.getState().actions.update({ assignment: { ...assignment } }, 'assignment');
    if (ok) {
      setApplied(which);
      stores.log.getState().actions.add('info', `Settings: new triages now use ${TASK_IDS.map((t) => `${t}=${assignment[t]}`).join(', ')}`);
    }
  };
  const lowQuality = (t: TaskId, m: string): boolean => {
    const q = quality(report, t, m);
    return q === null || q < floor - 1e-12;
  };
  const unreliable = (t: TaskId, m: string): boolean => {
    const sr = report.tasks[t][m]?.success_rate ?? null;
    return minSuccess > 0 && (sr === null || sr < minSuccess - 1e-12);
  };
  const why = { lowQuality, unreliable };
  const inSettings = (x: ExperimentAssignment | null | undefined): boolean =>
    sameAssignment(x, settingsAssignment as ExperimentAssignment | null);

  return (
    <div className="plan" data-testid="exp-plan">
      <div className="plan-cards">
        <EntryCard title="Your pick" entry={data?.assignment ?? null} testId="plan-mine" models={report.run.models} highlight {...why}>
          <button
            type="button"
            className="btn primary"
            onClick={() => void use(picks, 'mine')}
            disabled={inSettings(picks)}
            data-testid="plan-use-mine"
          >
            <Icon name="check" /> {inSettings(picks) ? 'In Settings' : 'Use this assignment'}
          </button>
          {applied === 'mine' && saveState?.state === 'saved' && (
            <span className="save-note ok" role="status" data-testid="plan-applied">
              <Icon name="check" /> saved to Settings
            </span>
          )}
        </EntryCard>
        <EntryCard
          title={`Recommended at floor ${floor.toFixed(2)}`}
          entry={rec}
          reason={data?.recommended_reason}
          testId="plan-rec"
          models={report.run.models}
          {...why}
        >
          <button
            type="button"
            className="btn"
            onClick={() => rec && a.pickAll(runId, rec.assignment)}
            disabled={!rec || sameAssignment(rec.assignment, picks)}
            data-testid="plan-pick-rec"
          >
            <Icon name="arrow-left" /> Pick it
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => rec && void use(rec.assignment, 'rec')}
            disabled={!rec || inSettings(rec?.assignment)}
            data-testid="plan-use-rec"
          >
            <Icon name="check" /> {rec && inSettings(rec.assignment) ? 'In Settings' : 'Use this assignment'}
          </button>
        </EntryCard>
        {within && (
          <EntryCard title="Within the baseline’s cost" entry={within} testId="plan-within" models={report.run.models} {...why}>
            <button
              type="button"
              className="btn"
              onClick={() => a.pickAll(runId, within.assignment)}
              disabled={sameAssignment(within.assignment, picks)}
              data-testid="plan-pick-within"
            >
              <Icon name="arrow-left" /> Pick it
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => void use(within.assignment, 'within')}
              disabled={inSettings(within.assignment)}
              data-testid="plan-use-within"
            >
              <Icon name="check" /> {inSettings(within.assignment) ? 'In Settings' : 'Use this assignment'}
            </button>
          </EntryCard>
        )}
        <EntryCard
          title={report.baseline_by_task ? 'Production (its model per task)' : 'Baseline on every task'}
          entry={data?.baseline ?? report.plan.baseline}
          testId="plan-base"
          models={report.run.models}
          {...why}
        />
      </div>

      {data?.recommended_cost_note && (
        <div className="banner warn" role="note" data-testid="plan-cost-note">
          <Icon name="warning" /> The recommendation costs more than the baseline: {data.recommended_cost_note}.
        </div>
      )}
      <div className="plan-floor">
        <label htmlFor={`floor-${runId}`} className="plan-floor-label">
          Quality floor{' '}
          <strong className="tabular" data-testid="plan-floor-value">
            {floor.toFixed(2)}
          </strong>
        </label>
        <input
          id={`floor-${runId}`}
          type="range"
          min={0.5}
          max={1}
          step={0.01}
          value={floor}
          onChange={(e) => a.setFloor(runId, Number(e.target.value))}
          data-testid="plan-floor"
          aria-valuetext={`floor ${floor.toFixed(2)}`}
        />
        <span className="small muted">
          every task’s model must reach it: agreement with the baseline, or the review score where answers were reviewed · the
          recommendation is the shortest critical path that does (ties: cheaper)
        </span>
        {plan?.load === 'loading' && <Spinner label="updating" />}
      </div>
      <div className="plan-floor">
        <label htmlFor={`minsuccess-${runId}`} className="plan-floor-label">
          Minimum success{' '}
          <strong className="tabular" data-testid="plan-min-success-value">
            {Math.round(minSuccess * 100)} %
          </strong>
        </label>
        <input
          id={`minsuccess-${runId}`}
          type="range"
          min={0}
          max={1}
          step={0.01}
          value={minSuccess}
          onChange={(e) => a.setMinSuccess(runId, Number(e.target.value))}
          data-testid="plan-min-success"
          aria-valuetext={`minimum success ${Math.round(minSuccess * 100)} percent`}
        />
        <span className="small muted">
          a model whose calls failed more often on a task is never recommended for it (final success, after retries; 0 % = off)
        </span>
      </div>
      {plan?.error && (
        <div className="banner error" role="alert">
          {plan.error.message}
        </div>
      )}

      <div className="plan-grid-wrap" data-testid="plan-grid-wrap">
        <table className="plan-grid" aria-label="Pick a model per task">
          <thead>
            <tr>
              <th scope="col">Task</th>
              {models.map((m) => (
                <th key={m} scope="col">
                  <ModelName spec={m} models={report.run.models} />
                  {!report.baseline_by_task && m === report.baseline && <span className="mark mark-baseline">baseline</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {TASK_IDS.map((t) => (
              <tr key={t}>
                <th scope="row">
                  {TASKS[t].label}
                  {TASKS[t].dependsOn.length > 0 && (
                    <span className="faint small plan-after"> after {TASKS[t].dependsOn.join(', ').replace('_', ' ')}</span>
                  )}
                </th>
                {models.map((m) => {
                  const s = report.tasks[t][m]!;
                  const q = quality(report, t, m);
                  const below = q === null || q < floor - 1e-12;
                  const picked = picks[t] === m;
                  const isRec = rec?.assignment[t] === m;
                  const unreliable = minSuccess > 0 && (s.success_rate === null || s.success_rate < minSuccess - 1e-12);
                  return (
                    <td
                      key={m}
                      className={`plan-cell${picked ? ' picked' : ''}${below || unreliable ? ' below' : ''}`}
                      data-testid="plan-cell"
                      data-task={t}
                      data-model={m}
                      data-picked={picked ? 'true' : undefined}
                    >
                      <label>
                        <input
                          type="radio"
                          name={`plan-${runId}-${t}`}
                          checked={picked}
                          onChange={() => a.pick(runId, t, m)}
                          aria-label={`${m} for ${TASKS[t].label}`}
                        />
                        <span className="plan-cell-figs tabular">
                          <span>{ms(s.median_ms)}</span>
                          <span className={below ? 'warn-text' : ''} title={below ? 'below the floor' : undefined}>
                            {pct(q, 0)}
                          </span>
                          <span className="muted">{s.cost_per_1k_usd === null ? 'price ?' : usd(s.cost_per_1k_usd)}</span>
                          <span
                            className={unreliable ? 'warn-text' : 'muted'}
                            title={`final success ${pct(s.success_rate, 1)}${unreliable ? ': below the minimum success rate' : ''}`}
                            data-testid="plan-cell-success"
                          >
                            {`${s.n_failed} failed`}
                          </span>
                        </span>
                        {isRec && (
                          <span className="plan-rec-mark" title="recommended at this floor">
                            <Icon name="star-full" />
                          </span>
                        )}
                      </label>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted">
        Per cell: median latency · quality · cost per 1K calls · failed tasks (or the success rate). <Icon name="star-full" /> recommended
        at this floor; greyed: below the floor or the minimum success. The critical path is max(platform + product + technical details,
        platform + asset ids, severity).
      </p>

      {data && (
        <PlanSweep runId={runId} sweep={data.floor_sweep} floor={floor} models={report.run.models} onFloor={(x) => a.setFloor(runId, x)} />
      )}
    </div>
  );
}

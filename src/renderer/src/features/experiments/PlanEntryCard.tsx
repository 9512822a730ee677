// One assignment of the plan as a card: its critical-path median and p95, cost per 1K tickets,
// speed-up, failed tasks and model per task, with the tasks below the floor or minimum success.
import type { ReactNode } from 'react';
import type { ExperimentPlanEntry } from '#shared/routes/experimentRoutes.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { Icon } from '#renderer/app/ui.tsx';
import { ModelName } from '../plots/ModelSwatch.tsx';
import { ms, pct, ratio, usd } from './reportLogic.ts';

export function EntryCard(props: {
  title: string;
  entry: ExperimentPlanEntry | null;
  reason?: string | null;
  testId: string;
  models: string[];
  highlight?: boolean;
  children?: ReactNode;
  /** Why a task is in below_floor: its quality under the floor, its success under the minimum (or both). */
  lowQuality?: (task: TaskId, model: string) => boolean;
  unreliable?: (task: TaskId, model: string) => boolean;
}) {
  const e = props.entry;
  const underFloor = e ? e.below_floor.filter((t) => !props.lowQuality || props.lowQuality(t, e.assignment[t])) : [];
  const underSuccess = e && props.unreliable ? e.below_floor.filter((t) => props.unreliable!(t, e.assignment[t])) : [];
  return (
    <section className={`plan-card${props.highlight ? ' mine' : ''}`} data-testid={props.testId} aria-label={props.title}>
      <h4 className="pred-label">
        {props.title} <span className="plan-card-sub">· critical path</span>
      </h4>
      {e ? (
        <>
          <div
            className="plan-figures tabular"
            title={`critical path over ${e.n_tickets_p95.toLocaleString('en-US')} tickets where all five calls succeeded (p95)`}
          >
            <div>
              <strong data-testid={`${props.testId}-median`}>{ms(e.critical_path_median_ms)}</strong>
              <span className="muted small">median</span>
            </div>
            <div>
              <strong data-testid={`${props.testId}-p95`}>{ms(e.critical_path_p95_ms)}</strong>
              <span className="muted small">p95</span>
            </div>
            <div>
              <strong data-testid={`${props.testId}-cost`}>{usd(e.cost_per_1k_tickets_usd)}</strong>
              <span className="muted small">per 1K tickets</span>
            </div>
            <div>
              <strong>{ratio(e.speedup)}</strong>
              <span className="muted small">speed-up</span>
            </div>
          </div>
          <p className="plan-sums small tabular">
            <span
              data-testid={`${props.testId}-success`}
              className={e.n_failed > 0 ? 'warn-text' : undefined}
              title="the lowest final success rate among its five tasks' models, and their failed tasks in this run"
            >
              {e.n_failed > 0
                ? `${e.n_failed.toLocaleString('en-US')} failed task${e.n_failed === 1 ? '' : 's'} · lowest success ${pct(e.success_rate, 0)}`
                : 'no failed tasks'}
            </span>
            {e.cost_vs_baseline !== null && props.testId !== 'plan-base' && (
              <span data-testid={`${props.testId}-vsbase`} className={e.cost_vs_baseline > 1.005 ? 'warn-text' : undefined}>
                {' · '}
                {e.cost_vs_baseline > 1.005
                  ? `${e.cost_vs_baseline.toFixed(1)}× the baseline’s cost`
                  : e.cost_vs_baseline < 0.995
                    ? `${e.cost_vs_baseline.toFixed(2)}× the baseline’s cost`
                    : 'same cost as the baseline'}
              </span>
            )}
          </p>
          <ul className="plan-assign">
            {TASK_IDS.map((t) => (
              <li
                key={t}
                className={e.below_floor.includes(t) ? 'below' : ''}
                title={e.below_floor.includes(t) ? 'below the quality floor' : undefined}
              >
                <span className="muted">{TASKS[t].label}</span> <ModelName spec={e.assignment[t]} models={props.models} short />
              </li>
            ))}
          </ul>
          {underFloor.length > 0 && (
            <p className="small warn-text" data-testid={`${props.testId}-below`}>
              <Icon name="warning" /> below the floor: {underFloor.map((t) => TASKS[t].label.toLowerCase()).join(', ')}
            </p>
          )}
          {underSuccess.length > 0 && (
            <p className="small warn-text" data-testid={`${props.testId}-unreliable`}>
              <Icon name="warning" /> under the minimum success: {underSuccess.map((t) => TASKS[t].label.toLowerCase()).join(', ')}
            </p>
          )}
        </>
      ) : (
        <p className="small warn-text">{props.reason ?? '—'}</p>
      )}
      {props.children && <div className="plan-actions">{props.children}</div>}
    </section>
  );
}

// The floor sweep of the plan: for each quality floor, the recommended assignment's median
// critical path, speed-up, cost and model per task; a floor's button moves the floor there.
import type { ExperimentPlanReport } from '#shared/routes/experimentRoutes.ts';
import { TASK_IDS, TASKS } from '#shared/tasks.ts';
import { ModelSwatch } from '../plots/ModelSwatch.tsx';
import { ms, ratio, usd } from './reportLogic.ts';

export function PlanSweep(props: {
  runId: string;
  sweep: ExperimentPlanReport['floor_sweep'];
  /** The current floor: the sweep's row at or just under it is marked. */
  floor: number;
  models: string[];
  onFloor: (floor: number) => void;
}) {
  const { runId, sweep, floor, models, onFloor } = props;
  const sweepRow = sweep.reduce<number | null>((best, r, i) => (r.floor <= floor + 1e-9 ? i : best), null);
  return (
    <section aria-labelledby={`sweep-${runId}`}>
      <h4 id={`sweep-${runId}`} className="exp-h4">
        How the recommendation moves with the floor
      </h4>
      <div className="plan-sweep-wrap">
        <table className="plan-sweep" data-testid="plan-sweep">
          <thead>
            <tr>
              <th scope="col" className="num">
                Floor
              </th>
              <th scope="col" className="num">
                Median
              </th>
              <th scope="col" className="num">
                Speed-up
              </th>
              <th scope="col" className="num">
                $ / 1K tickets
              </th>
              {TASK_IDS.map((t) => (
                <th key={t} scope="col">
                  {TASKS[t].label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sweep.map((r, i) => (
              <tr key={r.floor} className={i === sweepRow ? 'current' : ''}>
                <td className="num">
                  <button type="button" className="link-btn tabular" onClick={() => onFloor(r.floor)} title="Move the floor here">
                    {r.floor.toFixed(2)}
                  </button>
                </td>
                <td className="num tabular">{ms(r.critical_path_median_ms)}</td>
                <td className="num tabular">{ratio(r.speedup)}</td>
                <td className="num tabular">{r.assignment ? usd(r.cost_per_1k_tickets_usd) : '—'}</td>
                {r.assignment ? (
                  TASK_IDS.map((t) => (
                    <td key={t} className="sweep-model" title={r.assignment![t]}>
                      <ModelSwatch spec={r.assignment![t]} models={models} />{' '}
                      <span className="mono small">{r.assignment![t].slice(r.assignment![t].indexOf(':') + 1)}</span>
                    </td>
                  ))
                ) : (
                  <td colSpan={TASK_IDS.length} className="small warn-text">
                    {r.reason}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

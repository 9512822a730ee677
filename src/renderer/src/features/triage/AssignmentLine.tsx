// Which model answers which task (the host's default, or the running ticket's assignment).
import { useTriage } from '../../app/stores.tsx';
import { TASK_IDS, TASKS } from '../../../../shared/tasks.ts';
import { splitSpec } from './format.ts';

export function AssignmentLine() {
  const assignment = useTriage((s) => s.assignment);
  const demo = useTriage((s) => s.demo);
  return (
    <section className="assignment" aria-label="Model assignment" data-testid="assignment">
      <h2 className="section-title">
        Models {demo && <span className="chip demo" title="No provider keys: answers and latencies are simulated">demo</span>}
      </h2>
      {assignment ? (
        <dl className="assignment-list">
          {TASK_IDS.map((id) => {
            const spec = assignment[id] ?? '—';
            const { provider, model } = splitSpec(spec);
            return (
              <div key={id} className="assignment-row">
                <dt>{TASKS[id].label}</dt>
                <dd title={spec}>
                  {provider && <span className="provider">{provider}</span>}
                  <span className="model">{model}</span>
                </dd>
              </div>
            );
          })}
        </dl>
      ) : (
        <p className="muted">Loading assignment…</p>
      )}
    </section>
  );
}

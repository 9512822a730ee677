// Starting a judge on a run: the judge model and tasks, the estimate (cost, answers to judge,
// already judged) and the confirmation that starts it.
import { useEffect, useState } from 'react';
import type { ModelInfo } from '#shared/routes.ts';
import type { JudgeEstimate, JudgeJobView } from '#shared/routes/judgeRoutes.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { Icon, Spinner } from '#renderer/app/ui.tsx';
import { formatUsd } from '../spend/format.ts';

export function JudgeForm({ runId, busy, onStarted }: { runId: string; busy: boolean; onStarted: (job: JudgeJobView) => void }) {
  const { transport } = useApp();
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [model, setModel] = useState('');
  const [tasks, setTasks] = useState<TaskId[]>([...TASK_IDS]);
  const [estimate, setEstimate] = useState<JudgeEstimate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  useEffect(() => {
    void transport.request('models.list', {}).then((r) => {
      if (!r.ok) return;
      const usable = r.data.filter((m) => m.status !== 'retired');
      setModels(usable);
      setModel((cur) => cur || (usable.find((m) => !m.spec.startsWith('demo:'))?.spec ?? usable[0]?.spec ?? ''));
    });
  }, [transport]);
  const toggle = (t: TaskId) => {
    setEstimate(null);
    setTasks((cur) => (cur.includes(t) ? cur.filter((x) => x !== t) : TASK_IDS.filter((x) => x === t || cur.includes(x))));
  };
  const ask = async () => {
    setPending(true);
    setError(null);
    const r = await transport.request('judge.estimate', { runId, model, tasks });
    setPending(false);
    if (r.ok) setEstimate(r.data);
    else setError(r.error.message);
  };
  const start = async () => {
    setPending(true);
    const r = await transport.request('judge.start', { runId, model, tasks, confirmed: true });
    setPending(false);
    if (r.ok) {
      setEstimate(null);
      onStarted(r.data);
    } else setError(r.error.message);
  };
  return (
    <section className="jd-form" aria-label="Judge this run" data-testid="judge-form">
      <div className="jd-row">
        <label className="small">
          Judge model{' '}
          <select
            value={model}
            onChange={(e) => (setModel(e.target.value), setEstimate(null))}
            data-testid="judge-model"
            aria-label="Judge model"
          >
            {models.map((m) => (
              <option key={m.spec} value={m.spec}>
                {m.spec}
                {m.priceKnown ? '' : ' (price unknown)'}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="jd-tasks">
          <legend className="small">Tasks</legend>
          {TASK_IDS.map((t) => (
            <label key={t} className="small">
              <input type="checkbox" checked={tasks.includes(t)} onChange={() => toggle(t)} data-testid={`judge-task-${t}`} />{' '}
              {TASKS[t].label}
            </label>
          ))}
        </fieldset>
        <button
          type="button"
          className="btn"
          onClick={() => void ask()}
          disabled={busy || pending || !model || tasks.length === 0}
          data-testid="judge-estimate"
        >
          {pending && !estimate ? <Spinner /> : <Icon name="symbol-numeric" />} Estimate…
        </button>
      </div>
      <p className="muted small">
        The judge scores each answer with the review rubric, given the ticket and the answer only — never the model’s name. Calls go at low
        priority, within the daily spend limit; judging again skips answers this judge and prompt already scored.
      </p>
      {error && (
        <div className="banner error small" role="alert" data-testid="judge-error">
          {error}
        </div>
      )}
      {estimate && (
        <div className="jd-estimate" data-testid="judge-estimate-box">
          <div>
            <strong className="tabular" data-testid="judge-estimate-usd">
              {estimate.simulated
                ? '$0 (demo: simulated)'
                : estimate.usd === null
                  ? 'cost unknown (no price for this judge)'
                  : `≈ ${formatUsd(estimate.usd)}`}
            </strong>{' '}
            <span className="muted small" data-testid="judge-estimate-calls">
              {estimate.calls.toLocaleString('en-US')} answers to judge of {estimate.answers.toLocaleString('en-US')}
              {estimate.alreadyJudged ? ` (${estimate.alreadyJudged.toLocaleString('en-US')} already judged by this judge and prompt)` : ''}{' '}
              · prompt {estimate.promptVersion}
            </span>
          </div>
          {estimate.blocked && (
            <div className="banner warn small">
              <Icon name="warning" /> {estimate.blocked}
            </div>
          )}
          <div className="jd-row">
            <button
              type="button"
              className="btn primary"
              onClick={() => void start()}
              disabled={pending || estimate.calls === 0 || Boolean(estimate.blocked)}
              data-testid="judge-confirm"
              autoFocus
            >
              <Icon name="play" /> Start judging
            </button>
            <button type="button" className="btn" onClick={() => setEstimate(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

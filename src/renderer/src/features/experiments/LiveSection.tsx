// An experiment's progress: tasks done, ETA, spend so far against the estimate, failures (by code,
// per model, the latest ones with their tickets), paused or stopped models, and notices. Live
// from `experiment.progress` events while it runs in this workbench; as recorded otherwise.
import type { RunInfo } from '#shared/routes.ts';
import type { ExperimentLive, ExperimentState } from '#shared/routes/experimentRoutes.ts';
import { TASKS } from '#shared/tasks.ts';
import { useEffect, useState } from 'react';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { ModelName } from '../plots/ModelSwatch.tsx';
import { duration, usd } from './reportLogic.ts';
import { ErrorCode } from '#renderer/app/errorWords.tsx';

const int = (n: number): string => n.toLocaleString('en-US');
/** A run's state in words: the same word in the editor's header, the run list and the status bar. */
export const STATE_LABEL: Record<ExperimentState, string> = {
  running: 'running',
  stopping: 'stopping',
  done: 'done',
  interrupted: 'stopped',
  incomplete: 'incomplete',
  failed: 'failed',
};

export function StateTag({ state }: { state: ExperimentState }) {
  return (
    <span className={`exp-state st-${state}`} data-testid="exp-state" data-state={state}>
      {STATE_LABEL[state]}
    </span>
  );
}

function Bar({ done, total, before, label }: { done: number; total: number; before: number; label: string }) {
  const pct = total > 0 ? (100 * done) / total : 0;
  const prev = total > 0 ? (100 * Math.min(before, done)) / total : 0;
  return (
    <div className="exp-bar" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done}>
      <div className="exp-bar-before" style={{ width: `${prev}%` }} />
      <div className="exp-bar-now" style={{ left: `${prev}%`, width: `${Math.max(0, pct - prev)}%` }} />
    </div>
  );
}

function Figure({ label, value, sub, testId }: { label: string; value: string; sub?: string; testId?: string }) {
  return (
    <div className="est-figure">
      <span className="pred-label">{label}</span>
      <strong className="tabular" data-testid={testId}>
        {value}
      </strong>
      {sub && <span className="muted small">{sub}</span>}
    </div>
  );
}

export function LiveSection({ run }: { run: RunInfo }) {
  const { stores } = useApp();
  const live: ExperimentLive | null = useS('experiments', (s) => s.live[run.id] ?? null);
  // The clock runs between progress events (a slow model may report once a minute).
  const [now, setNow] = useState(() => Date.now());
  const ticking = live?.active ?? false;
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ticking]);
  if (!live) {
    return (
      <div className="editor-loading">
        <Spinner label="Loading progress" />
      </div>
    );
  }
  if (live.models.length === 0) return <EmptyState icon="beaker" title="This run records no experiment configuration" />;
  const pct = live.totalTasks ? Math.floor((100 * live.doneTasks) / live.totalTasks) : 0;
  const openTicket = (ticketId: string) =>
    stores.editor.getState().actions.openCompare(run.id, ticketId, `⇆ ${ticketId}`, { preview: true });
  const elapsed = live.active && live.startedAt ? Math.max(live.elapsedMs, now - live.startedAt) : live.elapsedMs;
  return (
    <div className="exp-live" data-testid="exp-live">
      <div className="exp-live-head">
        <div className="exp-live-count">
          <strong className="tabular" data-testid="exp-progress">
            {int(live.doneTasks)} / {int(live.totalTasks)}
          </strong>{' '}
          tasks · {pct} %
          {live.doneBefore > 0 && live.active ? <span className="muted"> ({int(live.doneBefore)} from earlier sessions)</span> : null}
        </div>
        <Bar done={live.doneTasks} total={live.totalTasks} before={live.active ? live.doneBefore : 0} label="Tasks done" />
      </div>
      <div className="est-figures">
        <Figure
          label={live.active ? 'Elapsed' : 'Took'}
          value={live.startedAt ? duration(elapsed) : '—'}
          sub={live.startedAt ? 'this session' : 'not run in this window'}
        />
        <Figure
          label="Time left"
          value={live.active ? (live.etaMs === null ? 'estimating…' : duration(live.etaMs)) : '—'}
          sub={live.active ? 'at the slowest model’s own pace' : undefined}
          testId="exp-eta"
        />
        <Figure
          label="Spent"
          value={usd(live.costUsd)}
          sub={`${live.estimateUsd !== null ? `of ≈ ${usd(live.estimateUsd)} estimated` : 'so far'}${live.unpricedCalls ? ` · ${int(live.unpricedCalls)} calls price unknown` : ''}`}
          testId="exp-spent"
        />
        <Figure
          label="Failed"
          value={int(live.failedTasks)}
          sub={`${int(live.skippedTasks)} not called (dependency failed) · ${int(live.calls)} calls, ${int(live.retries)} retries${live.active && live.doneBefore > 0 ? ' this session' : ''}`}
          testId="exp-failed"
        />
      </div>

      <table className="exp-permodel" aria-label="Progress per model">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Tasks</th>
            <th scope="col" className="num">
              Failed
            </th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {live.perModel.map((m) => {
            const paused = m.pausedUntil !== null && m.pausedUntil > now;
            return (
              <tr key={m.model} data-testid="exp-model-progress">
                <th scope="row">
                  <ModelName spec={m.model} models={live.models} />
                  {m.model === live.baseline && <span className="mark mark-baseline">baseline</span>}
                </th>
                <td>
                  <div className="exp-permodel-bar">
                    <Bar done={m.done} total={m.total} before={live.active ? m.doneBefore : 0} label={`${m.model} tasks done`} />
                    <span className="tabular small">
                      {int(m.done)} / {int(m.total)}
                    </span>
                  </div>
                </td>
                <td className={`num tabular${m.failed ? ' err-text' : ''}`}>{int(m.failed)}</td>
                <td className="small">
                  {m.stopped ? (
                    <span className="err-text" title={m.stopped}>
                      <Icon name="error" /> stopped: {m.stopped}
                    </span>
                  ) : paused ? (
                    <span className="warn-text">
                      <Icon name="debug-pause" /> paused until {new Date(m.pausedUntil!).toLocaleTimeString()}
                    </span>
                  ) : m.done >= m.total ? (
                    <span className="ok-text">
                      <Icon name="check" /> done
                    </span>
                  ) : live.active ? (
                    <span className="muted">running</span>
                  ) : (
                    <span className="muted">{int(m.total - m.done)} left</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>

      {live.error && (
        <div className="banner error" role="alert">
          <ErrorCode code={live.error.code} /> {live.error.message}
        </div>
      )}

      {live.failuresByCode.length > 0 && (
        <section className="exp-failures" aria-label="Failures">
          <h4 className="exp-h4">Failures</h4>
          <div className="exp-codes">
            {live.failuresByCode.map((f) => (
              <span key={f.code} className="exp-code">
                <ErrorCode code={f.code} />
                <span className="tabular">{int(f.count)}</span>
              </span>
            ))}
          </div>
          <ul className="exp-recent">
            {live.recentFailures.map((f) => (
              <li key={`${f.ticketId}:${f.task}:${f.model}`}>
                <button
                  type="button"
                  className="link-row"
                  onClick={() => openTicket(f.ticketId)}
                  title="Open this ticket’s answers side by side"
                >
                  <span className="mono">{f.ticketId}</span>
                  <span className="muted">{TASKS[f.task]?.label ?? f.task}</span>
                  <span className="mono faint">{f.model}</span>
                  <ErrorCode code={f.code} className="err-text" />
                  <span className="reason">{f.message}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      {live.notices.length > 0 && (
        <section aria-label="Notices">
          <h4 className="exp-h4">Notices</h4>
          <ul className="exp-notices">
            {live.notices.map((n) => (
              <li key={`${n.at}:${n.message}`} className="small">
                <span className="faint tabular">{new Date(n.at).toLocaleTimeString()}</span> {n.message}
              </li>
            ))}
          </ul>
        </section>
      )}

      {!live.active && live.state === 'done' && (
        <p className="exp-next">
          <button
            type="button"
            className="btn primary"
            onClick={() => stores.experiments.getState().actions.showSection(run.id, 'report')}
            data-testid="exp-open-report"
          >
            <Icon name="table" /> Read the report
          </button>
          <button type="button" className="btn" onClick={() => stores.experiments.getState().actions.showSection(run.id, 'plan')}>
            <Icon name="type-hierarchy" /> Plan: a model per task
          </button>
        </p>
      )}
    </div>
  );
}

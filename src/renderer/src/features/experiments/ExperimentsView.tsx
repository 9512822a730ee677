// The Experiments side bar: "New experiment", and the recorded runs of the workspace (batch runs,
// experiments, live comparisons) with their ticket counts and status; a running experiment shows
// its progress.
import { useEffect } from 'react';
import type { RunInfo } from '#shared/routes.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';
import { STATE_LABEL } from './LiveSection.tsx';
import './experiments.css';
import './report.css';
import './plan.css';

const KIND_LABEL: Record<string, string> = {
  run: 'batch run',
  experiment: 'experiment',
  compare: 'comparison',
  import: 'imported',
  shadow: 'shadow (live)',
};

export function runTitle(r: RunInfo): string {
  return r.label ?? r.id;
}

function LiveMini({ runId }: { runId: string }) {
  const live = useS('experiments', (s) => s.live[runId] ?? null);
  if (!live?.active) return null;
  const pct = live.totalTasks ? (100 * live.doneTasks) / live.totalTasks : 0;
  return (
    <div className="run-mini" data-testid="run-live">
      <div
        className="exp-bar"
        role="progressbar"
        aria-label="Tasks done"
        aria-valuemin={0}
        aria-valuemax={live.totalTasks}
        aria-valuenow={live.doneTasks}
      >
        <div className="exp-bar-now" style={{ left: 0, width: `${pct}%` }} />
      </div>
      <span className="tabular">{Math.floor(pct)} %</span>
    </div>
  );
}

/** The run's status; an experiment running in this window says so live (the list refreshes a little later). */
function RunStatus({ r }: { r: RunInfo }) {
  const live = useS('experiments', (s) => (r.kind === 'experiment' ? (s.live[r.id] ?? null) : null));
  const status = live ? (live.active ? 'running' : live.state) : r.status;
  // The same words as the experiment's own header (an interrupted run reads "stopped" in both).
  const label = (STATE_LABEL as Record<string, string>)[status] ?? status;
  return (
    <span className={`run-status-text st-${status}`} data-testid="run-status">
      {label}
    </span>
  );
}

/** What is left: while it runs here, tasks from the live progress (the list's ticket count is read once). */
function RunLeft({ r, doneHere }: { r: RunInfo; doneHere: boolean }) {
  const live = useS('experiments', (s) => (r.kind === 'experiment' ? (s.live[r.id] ?? null) : null));
  if (live?.active) {
    const left = Math.max(0, live.totalTasks - live.doneTasks);
    return <>{` · ${left.toLocaleString('en')} task${left === 1 ? '' : 's'} left`}</>;
  }
  if (r.pending > 0 && !doneHere) return <>{` · ${r.pending.toLocaleString('en')} ticket${r.pending === 1 ? '' : 's'} left`}</>;
  return null;
}

function RunRow({ r, active, onOpen }: { r: RunInfo; active: boolean; onOpen: (pin: boolean) => void }) {
  // An experiment that just finished here: the list's counts catch up a moment later.
  const doneHere = useS('experiments', (s) => r.kind === 'experiment' && s.live[r.id]?.state === 'done');
  return (
    <li
      role="option"
      aria-selected={active}
      tabIndex={0}
      className={`run-row${active ? ' selected' : ''}`}
      data-testid="run-row"
      data-run-id={r.id}
      data-kind={r.kind}
      onClick={() => onOpen(false)}
      onDoubleClick={() => onOpen(true)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(true);
      }}
    >
      <div className="tr-line1">
        {r.status === 'running' ? (
          <Spinner label="running" />
        ) : r.status === 'interrupted' ? (
          <Icon name="debug-pause" title="stopped" />
        ) : (
          <Icon name={r.kind === 'compare' ? 'split-horizontal' : 'beaker'} />
        )}
        <span className="tr-title" title={runTitle(r)}>
          {runTitle(r)}
        </span>
        <span className={`kind-tag kind-${r.kind}`}>{KIND_LABEL[r.kind] ?? r.kind}</span>
      </div>
      <div className="tr-line2">
        <span className="tabular">
          {r.tickets.toLocaleString('en')} ticket{r.tickets === 1 ? '' : 's'}
          <RunLeft r={r} doneHere={doneHere} />
        </span>
        <span>
          {r.models.length} model{r.models.length === 1 ? '' : 's'}
        </span>
        <RunStatus r={r} />
        <span className="faint">{new Date(r.createdAt).toLocaleDateString()}</span>
      </div>
      {r.kind === 'experiment' && <LiveMini runId={r.id} />}
    </li>
  );
}

export function ExperimentsView() {
  const { stores } = useApp();
  const runs = useS('runs', (s) => s.runs);
  const loadedOnce = useS('runs', (s) => s.loadedOnce);
  const error = useS('runs', (s) => s.error);
  const activeRun = useS('editor', (s) => {
    const t = s.tabs.find((x) => x.id === s.activeId);
    return t?.kind === 'run' || t?.kind === 'compare' ? t.runId : null;
  });
  useEffect(() => {
    void stores.runs.getState().actions.refresh();
  }, [stores]);
  return (
    <div className="experiments-view">
      <SideBarHeader title="Experiments">
        <button
          type="button"
          className="icon-btn"
          title="New experiment"
          aria-label="New experiment"
          onClick={() => stores.editor.getState().actions.openExperimentSetup()}
          data-testid="exp-new"
        >
          <Icon name="add" />
        </button>
        <button
          type="button"
          className="icon-btn"
          title="Refresh"
          aria-label="Refresh runs"
          onClick={() => void stores.runs.getState().actions.refresh()}
        >
          <Icon name="refresh" />
        </button>
      </SideBarHeader>
      <button
        type="button"
        className="btn primary sb-new-exp"
        onClick={() => stores.editor.getState().actions.openExperimentSetup()}
        data-testid="exp-new-button"
      >
        <Icon name="beaker" /> New experiment…
      </button>
      {error && <div className="notice error">{error.message}</div>}
      {loadedOnce && runs.length === 0 ? (
        <EmptyState icon="beaker" title="No recorded runs yet" testId="runs-empty">
          <p>
            Start an experiment above, open a ticket file, compare models on a ticket (<kbd>C</kbd>), or record one with{' '}
            <code>casebench experiment</code>.
          </p>
        </EmptyState>
      ) : (
        <ul className="run-list" role="listbox" aria-label="Recorded runs" data-testid="run-list">
          {runs.map((r) => (
            <RunRow
              key={r.id}
              r={r}
              active={r.id === activeRun}
              onOpen={(pin) => stores.editor.getState().actions.openRun(r.id, runTitle(r), { preview: !pin })}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

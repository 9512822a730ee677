// The Experiments side bar: recorded runs from the workspace (batch runs, experiments, live
// comparisons) with their ticket counts and status.
import { useEffect } from 'react';
import type { RunInfo } from '../../../../shared/routes.ts';
import { useApp, useS } from '../../app/stores.tsx';
import { EmptyState, Icon, Spinner } from '../../app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';

const KIND_LABEL: Record<string, string> = { run: 'batch run', experiment: 'experiment', compare: 'comparison', import: 'imported' };

export function runTitle(r: RunInfo): string {
  return r.label ?? r.id;
}

function RunRow({ r, active, onOpen }: { r: RunInfo; active: boolean; onOpen: (pin: boolean) => void }) {
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
        {r.status === 'running' ? <Spinner label="running" /> : r.status === 'interrupted' ? <Icon name="debug-pause" title="interrupted" /> : <Icon name={r.kind === 'compare' ? 'split-horizontal' : 'beaker'} />}
        <span className="tr-title" title={runTitle(r)}>
          {runTitle(r)}
        </span>
        <span className={`kind-tag kind-${r.kind}`}>{KIND_LABEL[r.kind] ?? r.kind}</span>
      </div>
      <div className="tr-line2">
        <span className="tabular">
          {r.tickets.toLocaleString('en')} ticket{r.tickets === 1 ? '' : 's'}
          {r.pending > 0 ? ` · ${r.pending.toLocaleString('en')} left` : ''}
        </span>
        <span>{r.models.length} model{r.models.length === 1 ? '' : 's'}</span>
        <span className={`run-status-text st-${r.status}`}>{r.status}</span>
        <span className="faint">{new Date(r.createdAt).toLocaleDateString()}</span>
      </div>
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
        <button type="button" className="icon-btn" title="Refresh" aria-label="Refresh runs" onClick={() => void stores.runs.getState().actions.refresh()}>
          <Icon name="refresh" />
        </button>
      </SideBarHeader>
      {error && <div className="notice error">{error.message}</div>}
      {loadedOnce && runs.length === 0 ? (
        <EmptyState icon="beaker" title="No recorded runs yet" testId="runs-empty">
          <p>
            Open a ticket file, compare models on a ticket (<kbd>C</kbd>), or record an experiment with <code>casebench experiment</code>.
          </p>
        </EmptyState>
      ) : (
        <ul className="run-list" role="listbox" aria-label="Recorded runs" data-testid="run-list">
          {runs.map((r) => (
            <RunRow key={r.id} r={r} active={r.id === activeRun} onOpen={(pin) => stores.editor.getState().actions.openRun(r.id, runTitle(r), { preview: !pin })} />
          ))}
        </ul>
      )}
    </div>
  );
}

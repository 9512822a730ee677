// A recorded run: what it was (kind, models, baseline, status) and its tickets, virtualised; a
// ticket opens in the comparison view (experiments, comparisons) or as a ticket (batch runs).
// An experiment opens in the experiment editor (progress, report, plan, latency, tickets).
import { useEffect } from 'react';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon, Spinner } from '#renderer/app/ui.tsx';
import { opensAsComparison } from './runsStore.ts';
import { RunTicketList } from './RunTicketList.tsx';
import { ExperimentEditor } from './ExperimentEditor.tsx';
import './runs.css';

export { RunTicketList };

export function RunEditor({ runId }: { runId: string }) {
  const { stores } = useApp();
  const run = useS('runs', (s) => s.runs.find((r) => r.id === runId) ?? null);
  useEffect(() => {
    const a = stores.runs.getState().actions;
    if (!a.run(runId)) void a.refresh();
  }, [runId, stores]);
  if (!run) {
    return (
      <div className="editor-loading">
        <Spinner label="Loading run" />
      </div>
    );
  }
  // A shadow run is a live experiment: the same report, plan, plots and tickets.
  if (run.kind === 'experiment' || run.kind === 'shadow') return <ExperimentEditor run={run} />;
  const asComparison = opensAsComparison(run) || run.models.length > 5;
  return (
    <div className="run-editor" data-testid="run-editor">
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title">{run.label ?? run.id}</h2>
          <p className="eh-sub">
            {run.kind} · <span className={`st-${run.status}`}>{run.status}</span> · {run.tickets.toLocaleString('en')} tickets (
            {run.done.toLocaleString('en')} done
            {run.pending ? `, ${run.pending.toLocaleString('en')} unfinished` : ''}) · started {new Date(run.createdAt).toLocaleString()}
          </p>
        </div>
      </header>
      <div className="run-models">
        {run.models.map((m) => (
          <span key={m} className={`chip mono${m === run.baseline && asComparison ? ' baseline' : ''}`}>
            {m}
            {m === run.baseline && asComparison ? ' · baseline' : ''}
          </span>
        ))}
      </div>
      <p className="muted small run-hint">
        <Icon name="info" />{' '}
        {asComparison
          ? 'A ticket opens side by side: one column per model, the baseline marked.'
          : 'A ticket opens with its latest triage.'}
      </p>
      <RunTicketList run={run} />
    </div>
  );
}

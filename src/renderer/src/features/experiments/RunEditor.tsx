// A recorded run: what it was (kind, models, baseline, status) and its tickets, virtualised; a
// ticket opens in the comparison view (experiments, comparisons) or as a ticket (batch runs).
// An experiment opens in the experiment editor (progress, report, plan, latency, tickets).
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RunInfo } from '../../../../shared/routes.ts';
import { useApp, useS } from '../../app/stores.tsx';
import { EmptyState, Icon, Spinner } from '../../app/ui.tsx';
import { openTicketAt } from '../../commands/registry.ts';
import { opensAsComparison } from './runsStore.ts';
import { ExperimentEditor } from './ExperimentEditor.tsx';

/** The tickets of a run, virtualised; each opens side by side or as a ticket. */
export function RunTicketList({ run }: { run: RunInfo }) {
  const { stores } = useApp();
  const view = useS('runs', (s) => s.tickets[run.id]);
  const parentRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    void stores.runs.getState().actions.loadTickets(run.id);
  }, [run.id, stores]);
  const rows = view?.rows ?? [];
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: () => 30, overscan: 10 });
  const asComparison = opensAsComparison(run) || run.models.length > 5;
  const open = (ticketId: string, title: string) => {
    if (asComparison) stores.editor.getState().actions.openCompare(run.id, ticketId, `⇆ ${title}`, { preview: true });
    else openTicketAt(stores, ticketId, title, false);
  };
  if (view?.load === 'error') return <div className="notice error">{view.error?.message}</div>;
  if (view?.load === 'ready' && rows.length === 0) return <EmptyState icon="inbox" title="No tickets in this run" />;
  return (
    <div ref={parentRef} className="run-tickets" role="list" aria-label="Tickets of this run">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((vi) => {
          const t = rows[vi.index]!;
          return (
            <div key={vi.key} role="listitem" className="run-ticket-slot" style={{ transform: `translateY(${vi.start}px)` }}>
              <button type="button" className="run-ticket" data-testid="run-ticket" onClick={() => open(t.ticketId, t.title)}>
                <span className="mono faint">{t.ticketId}</span>
                <span className="tr-title">{t.title}</span>
                <span className={`faint st-${t.status}`}>{t.status}</span>
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}

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
            {run.kind} · <span className={`st-${run.status}`}>{run.status}</span> · {run.tickets.toLocaleString('en')} tickets ({run.done.toLocaleString('en')} done
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
        <Icon name="info" /> {asComparison ? 'A ticket opens side by side: one column per model, the baseline marked.' : 'A ticket opens with its latest triage.'}
      </p>
      <RunTicketList run={run} />
    </div>
  );
}

// The tickets of a recorded run, virtualised; a ticket opens side by side (experiments,
// comparisons) or as a ticket (batch runs). Used by the run editor and the experiment's Tickets
// section (its own file, so neither imports the other).
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RunInfo } from '#shared/routes.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState } from '#renderer/app/ui.tsx';
import { openTicketAt } from '#renderer/commands/actions.ts';
import { opensAsComparison } from './runsStore.ts';
import './runs.css';

/** The tickets of a run, virtualised; each opens side by side or as a ticket. */
export function RunTicketList({ run }: { run: RunInfo }) {
  const { stores } = useApp();
  const view = useS('runs', (s) => s.tickets[run.id]);
  const parentRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    void stores.runs.getState().actions.loadTickets(run.id);
  }, [run.id, stores]);
  const rows = view?.rows ?? [];
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => 30,
    overscan: 10,
  });
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

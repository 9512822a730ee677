// The incoming tickets, virtualised (10,000 rows scroll as smoothly as 10): a listbox that j/k
// and the arrows move through, a click previews a ticket, Enter or a double click opens it.
import { memo, useCallback, useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TicketSummary } from '#shared/routes.ts';
import { openTicketAt } from '#renderer/commands/actions.ts';
import { markInteractive } from '#renderer/app/perfProbe.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Kbd, Spinner } from '#renderer/app/ui.tsx';
import { platformView } from '../ticket/format.ts';
import './tickets.css';

export const ROW_HEIGHT = 46;

function StateIcon({ row }: { row: TicketSummary }) {
  if (row.state === 'running') return <Spinner label="in triage" />;
  if (row.state === 'waiting')
    return (
      <Icon
        name="debug-pause"
        className="st-waiting"
        title="Waiting: its batch waits for the go-ahead or was stopped (Resume in the batch bar)"
      />
    );
  if (row.state === 'interrupted') return <Icon name="debug-pause" className="st-interrupted" title="Interrupted: left unfinished" />;
  if (row.state === 'new') return <Icon name="circle-outline" className="st-new" title="Not triaged" />;
  if (row.held) return <Icon name="question" className="st-held" title="Held for more information (the information gate)" />;
  if (row.failed > 0) return <Icon name="error" className="st-failed" title={`${row.failed} task${row.failed === 1 ? '' : 's'} failed`} />;
  return <Icon name="pass" className="st-done" title="Triaged" />;
}

const Row = memo(function Row({
  row,
  selected,
  onOpen,
}: {
  row: TicketSummary;
  selected: boolean;
  onOpen: (row: TicketSummary, pin: boolean) => void;
}) {
  const platform = row.platform ? platformView(row.platform).name : null;
  return (
    <div
      id={`ticket-row-${row.id}`}
      role="option"
      aria-selected={selected}
      data-testid="ticket-row"
      data-ticket-id={row.id}
      data-state={row.state}
      className={`ticket-row${selected ? ' selected' : ''}`}
      onClick={() => onOpen(row, false)}
      onDoubleClick={() => onOpen(row, true)}
    >
      <div className="tr-line1">
        <StateIcon row={row} />
        <span className="tr-title" title={row.title}>
          {row.title}
        </span>
        {row.severity && (
          <span
            className={`sev-dot sev-${row.severity}`}
            title={`Severity: ${row.severity}`}
            role="img"
            aria-label={`severity ${row.severity}`}
          />
        )}
      </div>
      <div className="tr-line2">
        <span className="tr-id mono">{row.id}</span>
        {platform && <span className="tr-facet">{platform}</span>}
        {row.product && <span className="tr-facet">{row.product}</span>}
        {row.versions !== undefined && row.versions > 1 && (
          <span
            className="tr-facet"
            data-testid="ticket-versions"
            title={`This ticket id has had ${row.versions} texts; the list shows the latest`}
          >
            {row.versions} texts
          </span>
        )}
        {row.held ? (
          <span className="tr-held" data-testid="row-held">
            held: needs information
          </span>
        ) : (
          row.failed > 0 && <span className="tr-failed">{row.failed} failed</span>
        )}
        {row.hasDetails === true && <Icon name="list-unordered" className="tr-details" title="Has technical details" />}
      </div>
    </div>
  );
});

export function TicketList() {
  const { stores } = useApp();
  const rows = useS('tickets', (s) => s.rows);
  const index = useS('tickets', (s) => s.index);
  const selectedId = useS('tickets', (s) => s.selectedId);
  const loadedOnce = useS('tickets', (s) => s.loadedOnce);
  const total = useS('tickets', (s) => s.total);
  const focus = useS('layout', (s) => s.focus);
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => rows[i]?.id ?? i,
  });

  const selectedIndex = selectedId !== null ? index.get(selectedId) : undefined;
  useEffect(() => {
    if (selectedIndex !== undefined) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  useEffect(() => {
    if (focus.target === 'list') parentRef.current?.focus();
  }, [focus]);
  useEffect(() => {
    if (loadedOnce) markInteractive();
  }, [loadedOnce]);

  const open = useCallback(
    (row: TicketSummary, pin: boolean): void => {
      stores.tickets.getState().actions.select(row.id);
      openTicketAt(stores, row.id, row.title, pin);
    },
    [stores],
  );

  if (loadedOnce && rows.length === 0) {
    return total === 0 ? (
      <EmptyState icon="inbox" title="No tickets yet" testId="tickets-empty">
        <p>
          Paste one (<Kbd chord="n" />
          ), open a JSONL or CSV file (<Kbd chord="o" />
          ), or watch a folder in Settings.
        </p>
      </EmptyState>
    ) : (
      <EmptyState icon="filter" title="No ticket matches" testId="tickets-empty">
        <p>Change the search or clear the filters.</p>
      </EmptyState>
    );
  }

  return (
    <div
      ref={parentRef}
      className="ticket-list"
      role="listbox"
      tabIndex={0}
      aria-label="Tickets"
      aria-activedescendant={selectedId ? `ticket-row-${selectedId}` : undefined}
      data-ticket-list
      data-testid="ticket-list"
      onFocus={() => {
        if (!selectedId && rows[0]) stores.tickets.getState().actions.select(rows[0].id);
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index]!;
          return (
            <div
              key={v.key}
              className="ticket-row-slot"
              data-index={v.index}
              style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
            >
              <Row row={row} selected={row.id === selectedId} onOpen={open} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

// The Tickets side bar: new / open / resume, search, filters, and the virtualised list.
import { useEffect, useRef } from 'react';
import { SEVERITIES } from '#shared/tasks.ts';
import type { TicketFilter } from '#shared/routes.ts';
import { useActions, useApp, useS } from '#renderer/app/stores.tsx';
import { Icon, Kbd } from '#renderer/app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';
import { activeFilterCount } from './ticketsStore.ts';
import { TicketList } from './TicketList.tsx';
import { ImportResult } from './ImportResult.tsx';
import './tickets.css';

const PLATFORMS: Array<[string, string]> = [
  ['aws', 'AWS'],
  ['gcp', 'Google Cloud'],
  ['azure', 'Azure'],
  ['other', 'Other vendor'],
  ['none', 'Not identified'],
];

function FilterSelect<K extends 'platform' | 'product' | 'severity' | 'state'>(props: {
  k: K;
  label: string;
  options: Array<[string, string]>;
}) {
  const value = useS('tickets', (s) => s.filter[props.k] ?? '');
  const { setFilter } = useActions('tickets');
  return (
    <label className={`filter-select${value ? ' set' : ''}`}>
      <span className="sr-only">{props.label}</span>
      <select
        value={value}
        data-testid={`filter-${props.k}`}
        aria-label={props.label}
        onChange={(e) => setFilter({ [props.k]: e.target.value || undefined } as Partial<TicketFilter>)}
      >
        <option value="">{props.label}: any</option>
        {props.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

function FilterToggle(props: { k: 'hasDetails' | 'failed' | 'held'; label: string; icon: string }) {
  const value = useS('tickets', (s) => s.filter[props.k]);
  const { setFilter } = useActions('tickets');
  const next = value === undefined ? true : value === true ? false : undefined;
  const text = value === undefined ? props.label : value ? props.label : `No ${props.label.toLowerCase()}`;
  return (
    <button
      type="button"
      className={`chip-toggle${value !== undefined ? ' on' : ''}${value === false ? ' negated' : ''}`}
      aria-pressed={value === undefined ? false : value ? true : 'mixed'}
      data-testid={`filter-${props.k}`}
      title={
        value === undefined
          ? `Only tickets with ${props.label.toLowerCase()}`
          : value
            ? `Only tickets without ${props.label.toLowerCase()}`
            : 'Any'
      }
      onClick={() => setFilter({ [props.k]: next } as Partial<TicketFilter>)}
    >
      <Icon name={props.icon} />
      {text}
    </button>
  );
}

export function TicketsView() {
  const { stores, transport } = useApp();
  const search = useS('tickets', (s) => s.filter.search ?? '');
  const filter = useS('tickets', (s) => s.filter);
  const shown = useS('tickets', (s) => s.rows.length);
  const total = useS('tickets', (s) => s.total);
  const products = useS('tickets', (s) => s.products);
  const error = useS('tickets', (s) => s.error);
  const interrupted = useS('tickets', (s) => s.rows.filter((r) => r.state === 'interrupted').length);
  const running = useS('tickets', (s) => s.rows.filter((r) => r.state === 'running').length);
  // "In triage" means calls in flight, the status bar's count; the rest of a running batch is queued.
  const inFlight = useS('status', (s) => s.inFlight);
  const queued = Math.max(0, running - inFlight);
  const focus = useS('layout', (s) => s.focus);
  const { setSearch, clearFilters } = useActions('tickets');
  const editor = useActions('editor');
  const searchRef = useRef<HTMLInputElement>(null);
  const nFilters = activeFilterCount(filter);

  useEffect(() => {
    if (focus.target === 'search') searchRef.current?.focus();
  }, [focus]);

  const openFile = () => stores.layout.getState().actions.requestOpenFile();
  const resume = async () => {
    const r = await transport.request('triage.resumeInterrupted', {});
    stores.log
      .getState()
      .actions.add(
        r.ok ? 'info' : 'error',
        r.ok
          ? r.data.confirm
            ? `${r.data.queued} interrupted tickets wait for your go-ahead (see the batch bar)`
            : `Resuming ${r.data.queued} interrupted tickets`
          : r.error.message,
      );
  };

  return (
    <div className="tickets-view">
      <SideBarHeader title="Tickets">
        <button
          type="button"
          className="icon-btn"
          title="New ticket (N)"
          aria-label="New ticket"
          data-testid="new-ticket"
          onClick={() => editor.openNewTicket()}
        >
          <Icon name="new-file" />
        </button>
        <button
          type="button"
          className="icon-btn"
          title="Open ticket file, JSONL or CSV (O)"
          aria-label="Open ticket file"
          data-testid="open-file"
          onClick={openFile}
        >
          <Icon name="folder-opened" />
        </button>
        <button
          type="button"
          className="icon-btn"
          title="Refresh"
          aria-label="Refresh list"
          onClick={() => void stores.tickets.getState().actions.refresh()}
        >
          <Icon name="refresh" />
        </button>
      </SideBarHeader>
      <div className="tickets-tools">
        <div className="search-box">
          <Icon name="search" />
          <input
            ref={searchRef}
            type="search"
            value={search}
            placeholder="Search id, title, text"
            aria-label="Search tickets"
            data-testid="ticket-search"
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setSearch('');
                stores.layout.getState().actions.requestFocus('list');
              } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
                e.preventDefault();
                stores.layout.getState().actions.requestFocus('list');
              }
            }}
          />
          <Kbd chord="/" />
        </div>
        <div className="filters" role="group" aria-label="Filters">
          <FilterSelect k="platform" label="Platform" options={PLATFORMS} />
          <FilterSelect k="severity" label="Severity" options={SEVERITIES.map((s) => [s, s])} />
          <FilterSelect k="product" label="Product" options={products.map((p) => [p, p])} />
          <FilterSelect
            k="state"
            label="State"
            options={[
              ['running', 'Running'],
              ['waiting', 'Waiting (batch stopped or not started)'],
              ['done', 'Done'],
              ['interrupted', 'Interrupted'],
              ['new', 'Not triaged'],
            ]}
          />
          <FilterToggle k="hasDetails" label="Has details" icon="list-unordered" />
          <FilterToggle k="failed" label="Failed tasks" icon="error" />
          <FilterToggle k="held" label="Held for information" icon="question" />
        </div>
        <div className="list-meta" aria-live="polite">
          <span data-testid="ticket-count">
            {nFilters || search || shown !== total
              ? `${shown.toLocaleString('en')} of ${total.toLocaleString('en')}`
              : `${total.toLocaleString('en')} ticket${total === 1 ? '' : 's'}`}
          </span>
          {running > 0 && (
            <span className="meta-running" data-testid="list-in-triage">
              <span className="dot running" aria-hidden="true" /> {Math.min(inFlight, running).toLocaleString('en')} in triage
              {queued > 0 ? ` · ${queued.toLocaleString('en')} queued` : ''}
            </span>
          )}
          {nFilters > 0 && (
            <button type="button" className="link-btn" onClick={clearFilters}>
              Clear filters
            </button>
          )}
        </div>
        <ImportResult />
        {interrupted > 0 && (
          <div className="notice warn" role="status" data-testid="interrupted-notice">
            <Icon name="debug-pause" />
            <span>
              {interrupted} ticket{interrupted === 1 ? '' : 's'} left unfinished when the app closed; finished facts are kept.
            </span>
            <button type="button" className="link-btn" onClick={() => void resume()} data-testid="resume-interrupted">
              Resume
            </button>
          </div>
        )}
        {error && (
          <div className="notice error" role="alert">
            {error.message}
          </div>
        )}
      </div>
      <TicketList />
    </div>
  );
}

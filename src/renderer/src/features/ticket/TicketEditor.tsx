// A ticket's editor: its text (facts marked in place) beside the five cards that fill in as
// results stream, with the run's status, total time, cost and critical path above them.
import { useEffect, useMemo, useRef } from 'react';
import { Group, Panel, Separator, type Layout } from 'react-resizable-panels';
import type { TaskResult } from '#shared/results.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { useNow } from '#renderer/app/useNow.ts';
import { EmptyState, Icon, Kbd, Spinner } from '#renderer/app/ui.tsx';
import { rerunTicket } from '#renderer/commands/actions.ts';
import { criticalPath } from './criticalPath.ts';
import { formatCost, formatMs } from './format.ts';
import { TaskCard } from './TaskCard.tsx';
import { TicketText } from './TicketText.tsx';
import { ErrorCode } from '#renderer/app/errorWords.tsx';
import './ticket.css';

export function useTicketCriticalPath(ticketId: string) {
  const tasks = useS('ticket', (s) => s.views[ticketId]?.tasks);
  const state = useS('ticket', (s) => s.views[ticketId]?.state);
  return useMemo(() => {
    // Only a finished run has a critical path; tasks kept from an earlier run do not count.
    if (!tasks || state !== 'done') return null;
    const results: Partial<Record<TaskId, TaskResult>> = {};
    for (const id of TASK_IDS) {
      const r = tasks[id].result;
      if (r && !tasks[id].reused) results[id] = r;
    }
    return criticalPath(results);
  }, [tasks, state]);
}

function RunLine({ ticketId }: { ticketId: string }) {
  const v = useS('ticket', (s) => s.views[ticketId]);
  const live = v?.state === 'running';
  const now = useNow(live);
  const path = useTicketCriticalPath(ticketId);
  if (!v) return null;
  const results = TASK_IDS.map((t) => v.tasks[t].result).filter((r): r is TaskResult => r !== null);
  const called = results.filter((r) => r.status !== 'skipped' && !v.tasks[r.task].reused);
  const failed = results.filter((r) => r.status === 'error').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const unpriced = called.filter((r) => r.costUsd === null).length;
  const cost = called.reduce((s, r) => s + (r.costUsd ?? 0), 0);
  const elapsed = live && v.liveSince !== null ? now - v.liveSince : null;
  let status: string;
  if (v.state === 'running')
    status = `${v.cancelling ? 'Cancelling' : 'Triaging'} · ${results.length} of 5 facts${elapsed !== null ? ` · ${formatMs(elapsed)}` : ''}`;
  else if (v.state === 'new') status = 'Not triaged yet';
  else if (v.state === 'interrupted') status = `Interrupted · ${results.length} of 5 facts kept`;
  else if (v.state === 'waiting') status = `Waiting for its batch · ${results.length} of 5 facts kept (Resume in the batch bar)`;
  else
    status =
      failed || skipped
        ? `Done · ${[failed ? `${failed} failed` : '', skipped ? `${skipped} skipped` : ''].filter(Boolean).join(', ')}`
        : 'Done · 5 of 5 facts';
  return (
    <div className="run-line" data-testid="run-line">
      <span className={`run-status state-${v.state}`} data-testid="run-status">
        {live && <Spinner />}
        {(v.state === 'interrupted' || v.state === 'waiting') && <Icon name="debug-pause" />}
        {status}
      </span>
      {path && (
        <span className="critical-line" data-testid="critical-path" title="The chain of calls that set the ticket's total time">
          <Icon name="debug-breakpoint-log" />
          {path.tasks.map((t, i) => (
            <span key={t}>
              {i > 0 && <span className="arrow"> → </span>}
              {TASKS[t].label}
            </span>
          ))}
        </span>
      )}
      <span className="spacer" />
      {called.length > 0 && !live && (
        <span className="muted tabular" title="Sum of this run's call costs">
          {unpriced === called.length ? 'cost unknown' : formatCost(cost)}
          {unpriced > 0 && unpriced < called.length ? ` + ${unpriced} unpriced` : ''}
        </span>
      )}
      {v.totalMs !== null && !live && (
        <span className="total" title="The ticket's wall time: from its start to its last fact, waits and retries included">
          Ticket wall time{' '}
          <strong className="tabular" data-testid="total-ms">
            {formatMs(v.totalMs)}
          </strong>
        </span>
      )}
    </div>
  );
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function TicketEditor({ ticketId }: { ticketId: string }) {
  const { stores } = useApp();
  // Narrow selectors: a streaming result re-renders its own card, not the whole editor.
  const load = useS('ticket', (s) => s.views[ticketId]?.load);
  const ticket = useS('ticket', (s) => s.views[ticketId]?.ticket);
  const state = useS('ticket', (s) => s.views[ticketId]?.state);
  const actionError = useS('ticket', (s) => s.views[ticketId]?.actionError ?? null);
  const cancelling = useS('ticket', (s) => s.views[ticketId]?.cancelling ?? false);
  const loadError = useS('ticket', (s) => s.views[ticketId]?.error ?? null);
  // The information gate held this ticket (every task NEEDS_INFO): say why, and offer to send it anyway.
  const heldMessage = useS('ticket', (s) => {
    const v = s.views[ticketId];
    if (!v || v.state === 'running') return null;
    return Object.values(v.tasks).find((c) => c.result?.error?.code === 'NEEDS_INFO')?.result?.error?.message ?? null;
  });
  const sizes = useS('layout', (s) => s.sizes['ticket-split']);
  const focus = useS('layout', (s) => s.focus);
  const initial = useRef(sizes);
  const rootRef = useRef<HTMLDivElement>(null);
  const path = useTicketCriticalPath(ticketId);
  const critical = new Set(path?.tasks ?? []);

  useEffect(() => {
    void stores.ticket.getState().actions.open(ticketId);
  }, [ticketId, stores]);
  useEffect(() => {
    if (focus.target === 'editor') rootRef.current?.focus();
  }, [focus]);

  if (!load || load === 'loading') {
    return (
      <div className="editor-loading">
        <Spinner label="Loading ticket" />
      </div>
    );
  }
  if (load === 'error' || !ticket) {
    return (
      <EmptyState icon="warning" title="This ticket cannot be shown">
        <p>{loadError?.message}</p>
      </EmptyState>
    );
  }
  const title =
    ticket.title ??
    ticket.text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ??
    ticket.id;
  const compare = () => {
    const s = stores.settings.getState().settings;
    stores.compare.getState().actions.openPicker(ticketId, title, s ? [...new Set(Object.values(s.assignment))] : []);
  };
  return (
    <div className="ticket-editor" ref={rootRef} tabIndex={-1} data-testid="ticket-editor" data-ticket-id={ticketId}>
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title" title={title}>
            {title}
          </h2>
          <p className="eh-sub">
            <span className="mono">{ticket.id}</span>
            {ticket.source && <span> · {ticket.source}</span>}
            <span> · added {new Date(ticket.addedAt).toLocaleString()}</span>
            {ticket.versions !== undefined && ticket.versions > 1 && (
              <span data-testid="ticket-versions" title="This ticket id has had several texts; each run keeps the text it answered">
                {' '}
                ·{' '}
                {ticket.latest
                  ? `latest of ${ticket.versions} texts`
                  : `an earlier text (${ticket.versions} in all): the one this run answered`}
              </span>
            )}
          </p>
        </div>
        <div className="eh-actions">
          {state === 'running' ? (
            <button
              type="button"
              className="btn"
              onClick={() => void stores.ticket.getState().actions.cancel(ticketId)}
              disabled={cancelling}
              data-testid="cancel-button"
            >
              <Icon name="debug-stop" /> {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          ) : (
            <button
              type="button"
              className="btn"
              onClick={() => void rerunTicket(stores, ticketId)}
              data-testid="rerun-button"
              title="Re-run all five tasks (R)"
            >
              <Icon name="refresh" /> Re-run <Kbd chord="r" />
            </button>
          )}
          <button
            type="button"
            className="btn"
            onClick={compare}
            data-testid="compare-button"
            title="Run this ticket through several models side by side (C)"
          >
            <Icon name="split-horizontal" /> Compare models <Kbd chord="c" />
          </button>
        </div>
      </header>
      {heldMessage && (
        <div className="banner warn" role="status" data-testid="ticket-held">
          <strong>Held for more information.</strong> {capitalize(heldMessage.replace(/^held for more information[:.]?\s*/i, ''))}
          <button
            type="button"
            className="btn small link-btn"
            data-testid="held-triage-anyway"
            onClick={() => void rerunTicket(stores, ticketId, undefined, { skipInfoGate: true })}
          >
            Triage anyway
          </button>
        </div>
      )}
      {actionError && (
        <div className="banner error" role="alert" data-testid="ticket-action-error">
          <ErrorCode code={actionError.code} /> {actionError.message}
        </div>
      )}
      <Group
        orientation="horizontal"
        id="ticket-split"
        className="ticket-split"
        defaultLayout={initial.current}
        onLayoutChanged={(l: Layout, meta) => meta.isUserInteraction && stores.layout.getState().actions.saveSizes('ticket-split', l)}
      >
        <Panel id="ticket-text" defaultSize="38%" minSize="200px" className="split-pane">
          <TicketText ticketId={ticketId} />
        </Panel>
        <Separator className="sash sash-v" aria-label="Resize ticket text" />
        <Panel id="ticket-facts" minSize="300px" className="split-pane">
          <section className="facts-pane" aria-label="Extracted facts">
            <RunLine ticketId={ticketId} />
            <div className="cards">
              {TASK_IDS.map((id) => (
                <TaskCard key={id} ticketId={ticketId} task={id} onCriticalPath={critical.has(id)} />
              ))}
            </div>
          </section>
        </Panel>
      </Group>
    </div>
  );
}

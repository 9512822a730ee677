// The tickets behind a report cell or a plot mark (e.g. the disagreements of a model with the
// baseline on severity): each row shows the model's answer beside the baseline's and the gold
// label, and opens the ticket side by side (click: preview; double click or Enter: keep it open).
// Without a selection, every ticket of the run.
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RunInfo } from '#shared/routes.ts';
import type { CellTicketRow } from '#shared/routes/experimentRoutes.ts';
import { TASKS, type TaskId } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { asStringList, asTechnicalDetails, platformView } from '../ticket/format.ts';
import { ModelName } from '../plots/ModelSwatch.tsx';
import { RunTicketList } from './RunTicketList.tsx';
import { ms } from './reportLogic.ts';
import { ErrorCode } from '#renderer/app/errorWords.tsx';

const ROW = 30;

/** A task's answer on one line. */
export function valueText(task: TaskId, status: CellTicketRow['status'], value: unknown): string {
  if (status === 'missing') return 'no result';
  if (status === 'skipped') return 'not called';
  if (status === 'error') return 'failed';
  switch (task) {
    case 'platform':
      return platformView(value).name;
    case 'product':
      return typeof value === 'string' && value ? value : 'Not identified';
    case 'severity':
      return typeof value === 'string' ? value : '—';
    case 'asset_ids': {
      const l = asStringList(value) ?? [];
      return l.length ? l.join(', ') : 'none';
    }
    case 'technical_details': {
      const td = asTechnicalDetails(value);
      return td ? `${td.present.length ? 'has details' : 'no details'} · ${td.present.length} present, ${td.missing.length} missing` : '—';
    }
  }
}

function goldText(task: TaskId, gold: unknown): string {
  if (task === 'technical_details') return gold === true ? 'has details' : gold === false ? 'no details' : '—';
  if (task === 'asset_ids') return (asStringList(gold) ?? []).join(', ') || 'none';
  if (task === 'platform') return platformView(gold).name;
  return typeof gold === 'string' ? gold : '—';
}

export function TicketsSection({ run }: { run: RunInfo }) {
  const { stores } = useApp();
  const drill = useS('experiments', (s) => s.drills[run.id] ?? null);
  const baseline = useS('experiments', (s) => s.reports[run.id]?.data?.baseline ?? s.live[run.id]?.baseline ?? run.baseline);
  const parentRef = useRef<HTMLDivElement>(null);
  const rows = drill?.data?.rows ?? [];
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  const a = stores.experiments.getState().actions;
  const q = drill?.query ?? null;
  if (!q) {
    return (
      <div className="exp-tickets">
        <p className="small muted exp-tickets-hint">
          <Icon name="info" /> Every ticket of the run; a ticket opens with each model’s answers side by side. Click a cell of the report,
          or a mark of a latency plot, to see only the tickets behind it.
        </p>
        <RunTicketList run={run} />
      </div>
    );
  }
  const task = q.task;
  const hasGold = rows.some((r) => r.hasGold);
  const open = (r: CellTicketRow, pin: boolean) =>
    stores.editor.getState().actions.openCompare(run.id, r.ticketId, `⇆ ${r.title || r.ticketId}`, { preview: !pin });
  return (
    <div className="exp-tickets" data-testid="exp-drill">
      <div className="exp-toolbar drill-head">
        <Icon name="filter" />
        <span className="drill-label" data-testid="drill-label">
          {q.label}
        </span>
        <span className="muted small tabular" data-testid="drill-count">
          {drill?.load === 'loading' ? (
            <Spinner />
          ) : (
            `${(drill?.data?.total ?? 0).toLocaleString('en-US')} ticket${drill?.data?.total === 1 ? '' : 's'}${drill?.data?.truncated ? ` (first ${rows.length.toLocaleString('en-US')} shown)` : ''}`
          )}
        </span>
        <span className="spacer" />
        <button type="button" className="btn small" onClick={() => a.showSection(run.id, 'report')}>
          <Icon name="arrow-left" /> Report
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => a.clearDrill(run.id)}
          data-testid="drill-clear"
          title="Show every ticket of the run"
        >
          <Icon name="clear-all" /> All tickets
        </button>
      </div>
      {drill?.error && (
        <div className="banner error" role="alert">
          {drill.error.message}
        </div>
      )}
      {drill?.load === 'ready' && rows.length === 0 ? (
        <EmptyState icon="pass" title="No tickets here" testId="drill-empty">
          <p>Nothing matches: e.g. the model agreed with the baseline on every ticket where both answered.</p>
        </EmptyState>
      ) : (
        <>
          <div className={`drill-row drill-header${hasGold ? ' with-gold' : ''}`} role="presentation">
            <span>Ticket</span>
            <span>
              <ModelName spec={q.model} models={run.models} short /> answer
            </span>
            <span>{q.model === baseline ? '—' : <>Baseline ({baseline?.slice(baseline.indexOf(':') + 1)})</>}</span>
            {hasGold && <span>Gold label</span>}
            <span className="num">Latency</span>
          </div>
          <div ref={parentRef} className="drill-list" role="list" aria-label={`${q.label}: tickets`} data-testid="drill-list">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((vi) => {
                const r = rows[vi.index]!;
                return (
                  <div key={vi.key} role="listitem" className="run-ticket-slot" style={{ transform: `translateY(${vi.start}px)` }}>
                    <button
                      type="button"
                      className={`drill-row${hasGold ? ' with-gold' : ''}`}
                      data-testid="drill-row"
                      data-ticket-id={r.ticketId}
                      onClick={() => open(r, false)}
                      onDoubleClick={() => open(r, true)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          open(r, true);
                        }
                      }}
                      title={`${r.ticketId}: ${r.title}\nClick to open side by side; double-click or Enter to keep it open`}
                    >
                      <span className="drill-ticket">
                        <span className="mono faint">{r.ticketId}</span> <span className="tr-title">{r.title}</span>
                      </span>
                      <span
                        className={`drill-val${r.agrees === false ? ' differs' : ''}${r.status === 'error' ? ' err-text' : ''}`}
                        title={r.errorMessage ?? undefined}
                      >
                        {r.status === 'error' ? (
                          <>
                            <ErrorCode code={r.errorCode} /> {r.errorMessage}
                          </>
                        ) : (
                          valueText(task, r.status, r.value)
                        )}
                        {r.attempts > 1 && r.status === 'ok' && <span className="faint small"> · {r.attempts} tries</span>}
                      </span>
                      <span className="drill-val muted">
                        {q.model === baseline ? '' : valueText(task, r.baselineStatus, r.baselineValue)}
                      </span>
                      {hasGold && (
                        <span className={`drill-val${r.correct === false ? ' differs' : ''}`}>
                          {r.hasGold ? goldText(task, r.gold) : '—'}
                        </span>
                      )}
                      <span className="num tabular">{ms(r.latencyMs)}</span>
                    </button>
                  </div>
                );
              })}
            </div>
          </div>
          <p className="small muted exp-tickets-hint">
            {TASKS[task].label}:{' '}
            {q.model === baseline
              ? 'the baseline’s own answers'
              : 'highlighted where the answer differs from the baseline or the gold label'}
            .
          </p>
        </>
      )}
    </div>
  );
}

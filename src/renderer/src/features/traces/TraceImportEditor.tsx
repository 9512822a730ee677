// One import: what it was (file, format, counts), every record it skipped with where and why, and
// its calls with the origin of each. A call's ticket opens in the ticket view; the whole import
// opens side by side like any recorded run.
import { useEffect } from 'react';
import { JudgeSection } from '../judge/JudgeSection.tsx';
import { isTaskId, TASKS } from '#shared/tasks.ts';
import type { TraceImportView } from '#shared/traces.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { openTicketAt } from '#renderer/commands/actions.ts';
import { formatCost, formatMs, formatTokens } from '../ticket/format.ts';
import { OriginParts } from './OriginLine.tsx';
import { ErrorCode } from '#renderer/app/errorWords.tsx';
import { originText } from './origin.ts';
import { formatLabel, ImportSummaryBox } from './TracesView.tsx';
import './traces.css';

export function TraceImportEditor({ runId }: { runId: string }) {
  const { stores } = useApp();
  const summary = useS('traces', (s) => s.imports.find((i) => i.runId === runId) ?? null);
  const fresh = useS('traces', (s) => s.reports[runId] ?? null);
  const calls = useS('traces', (s) => s.calls[runId]);
  const loadedOnce = useS('traces', (s) => s.loadedOnce);
  useEffect(() => {
    const a = stores.traces.getState().actions;
    if (!stores.traces.getState().loadedOnce) void a.refresh();
    void a.loadCalls(runId);
  }, [runId, stores]);
  if (!summary && !loadedOnce) {
    return (
      <div className="editor-loading">
        <Spinner label="Loading the import" />
      </div>
    );
  }
  if (!summary) {
    return (
      <EmptyState icon="warning" title="This import is not in the workspace">
        <p>It may belong to another workspace.</p>
      </EmptyState>
    );
  }
  // The report of this session's import has every skipped record; an older one keeps the first few.
  const report: TraceImportView = fresh ?? {
    file: {
      name: summary.file ?? summary.label ?? runId,
      bytes: 0,
      sha256: '',
      family: summary.format ?? '',
      container: '',
      label: summary.detected ?? formatLabel(summary.format),
    },
    runIds: [runId],
    calls: summary.calls,
    tickets: summary.tickets ?? 0,
    results: calls?.page?.total ?? summary.calls,
    skipped: summary.skipped ?? 0,
    issues: summary.issues,
    alreadyImported: null,
    notes: [],
  };
  const rows = calls?.page?.rows ?? [];
  return (
    <div className="trace-editor" data-testid="trace-editor" data-run-id={runId}>
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title">{summary.file ?? summary.label ?? runId}</h2>
          <p className="eh-sub">
            {summary.detected ?? formatLabel(summary.format)} · <span className="mono">{runId}</span> · imported{' '}
            {new Date(summary.createdAt).toLocaleString()}
          </p>
        </div>
        <div className="eh-actions">
          <button
            type="button"
            className="btn"
            onClick={() => stores.editor.getState().actions.openRun(runId, summary.label ?? runId, { preview: false })}
            title="The import's tickets side by side, one column per model"
            data-testid="trace-open-run"
          >
            <Icon name="split-horizontal" /> Open side by side
          </button>
        </div>
      </header>
      <div className="tr-editor-body">
        <ImportSummaryBox r={report} limit={1000} />
        <details className="tr-judge" data-testid="trace-judge">
          <summary className="tr-section-title">Judge the imported answers (LLM judge, beside human reviews)</summary>
          <JudgeSection runId={runId} />
        </details>
        <h3 className="tr-section-title">
          Calls{' '}
          {calls?.page
            ? `(${calls.page.total.toLocaleString('en')}${calls.page.total > rows.length ? `, first ${rows.length} shown` : ''})`
            : ''}
        </h3>
        {calls?.load === 'error' && <div className="notice error">{calls.error?.message}</div>}
        {calls?.load === 'loading' && rows.length === 0 && <Spinner label="Loading calls" />}
        {rows.length > 0 && (
          <table className="tr-calls" data-testid="trace-calls">
            <colgroup>
              {/* Widths that hold their longest values ("price unknown", an error in words) without running into the next column. */}
              <col style={{ width: '19%' }} />
              <col style={{ width: '9%' }} />
              <col style={{ width: '13%' }} />
              <col style={{ width: '9%' }} />
              <col style={{ width: '7%' }} />
              <col style={{ width: '11%' }} />
              <col style={{ width: '9%' }} />
              <col style={{ width: '23%' }} />
            </colgroup>
            <thead>
              <tr>
                <th>ticket</th>
                <th>task</th>
                <th>model</th>
                <th>status</th>
                <th className="num">latency</th>
                <th className="num">tokens</th>
                <th className="num">cost</th>
                <th>origin</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.callId} data-testid="trace-call" className={c.status === 'error' ? 'err' : ''}>
                  <td className="tr-ticket">
                    {c.origin?.generic ? (
                      // a generic trace has no ticket: it opens in the trace view
                      <button
                        type="button"
                        className="link-btn"
                        onClick={() => stores.editor.getState().actions.openTrace(c.callId, `◇ ${c.task.slice(0, 40)}`, { preview: false })}
                        title="Open the trace"
                        data-testid="trace-call-open-trace"
                      >
                        <Icon name="list-tree" /> trace
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="link-btn"
                        onClick={() => openTicketAt(stores, c.ticketId, c.ticketTitle, true)}
                        title={`Open ticket ${c.ticketId}`}
                      >
                        {c.ticketTitle}
                      </button>
                    )}
                    <div className="mono faint small clip">{c.ticketId}</div>
                  </td>
                  <td className="clip" title={c.task}>
                    {isTaskId(c.task) ? TASKS[c.task].label : <span className="muted">{c.task}</span>}
                  </td>
                  <td className="mono small clip" title={c.modelSpec}>
                    {c.modelSpec}
                  </td>
                  <td className="clip">
                    {c.status === 'ok' ? (
                      <span className="st-done">ok</span>
                    ) : (
                      <ErrorCode code={c.errorCode ?? 'error'} className="st-failed" />
                    )}
                  </td>
                  <td className="num tabular">{formatMs(c.latencyMs)}</td>
                  <td className="num tabular small">{formatTokens(c.inputTokens, c.outputTokens)}</td>
                  <td className="num tabular small tr-cost" data-testid="trace-call-cost">
                    {c.costUsd === null ? (
                      <span className="faint" title="this model has no known price">
                        price unknown
                      </span>
                    ) : (
                      formatCost(c.costUsd)
                    )}
                  </td>
                  <td className="clip" title={c.origin ? originText(c.origin) : undefined} data-testid="trace-call-origin">
                    {c.origin ? (
                      <span className="tr-origin">
                        <OriginParts o={c.origin} inFile />
                      </span>
                    ) : (
                      <span className="faint">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {calls?.load === 'ready' && rows.length === 0 && <p className="muted small">No model calls in this file.</p>}
      </div>
    </div>
  );
}

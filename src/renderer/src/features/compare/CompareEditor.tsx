// A comparison: one column per model (the baseline marked), one row per task, values that differ
// from the baseline highlighted, latency and cost in every cell; live or recorded alike.
import { useEffect } from 'react';
import { TASK_IDS, TASKS } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { openTicketAt } from '#renderer/commands/actions.ts';
import { criticalPath } from '../ticket/criticalPath.ts';
import { formatCost, formatMs, splitSpec } from '../ticket/format.ts';
import { TaskValue } from '../ticket/TaskValue.tsx';
import { agreement } from './diff.ts';
import { compareKey, type CellState } from './compareStore.ts';
import { Marks, modelMarks } from './modelMarks.tsx';
import { ModelSwatch } from '../plots/ModelSwatch.tsx';
import { ErrorCode } from '#renderer/app/errorWords.tsx';
import './compare.css';

function Cell({
  cell,
  task,
  base,
  isBaseline,
}: {
  cell: CellState;
  task: (typeof TASK_IDS)[number];
  base: CellState | undefined;
  isBaseline: boolean;
}) {
  const r = cell.result;
  const agree = isBaseline ? 'n/a' : agreement(task, r, base?.result ?? null);
  return (
    <td
      className={`cmp-cell status-${cell.status} agree-${agree}${isBaseline ? ' baseline' : ''}`}
      data-testid="cmp-cell"
      data-status={cell.status}
      data-agreement={agree}
    >
      {cell.status === 'pending' && <span className="muted">waiting</span>}
      {cell.status === 'running' && (
        <span className="state-line running">
          <Spinner /> asking…
        </span>
      )}
      {cell.status === 'skipped' && <span className="state-line skipped">skipped{r?.error ? ` — ${r.error.message}` : ''}</span>}
      {cell.status === 'error' && (
        <div className="cmp-error">
          <ErrorCode code={r?.error?.code} /> <span className="reason">{r?.error?.message}</span>
        </div>
      )}
      {cell.status === 'ok' && r && (
        <div className="cmp-value">
          <TaskValue task={task} value={r.value} compact />
        </div>
      )}
      {r && r.status !== 'skipped' && (
        <div className="cmp-meta tabular">
          <span>{formatMs(r.latencyMs)}</span>
          <span className={r.costUsd === null ? 'unknown' : ''}>{formatCost(r.costUsd)}</span>
          {agree === 'differs' && (
            <span className="cmp-diff" title="Differs from the baseline">
              <Icon name="diff" /> differs
            </span>
          )}
        </div>
      )}
    </td>
  );
}

export function CompareEditor({ runId, ticketId }: { runId: string; ticketId: string }) {
  const { stores } = useApp();
  const v = useS('compare', (s) => s.views[compareKey(runId, ticketId)]);
  const models = useS('settings', (s) => s.models);
  const keys = useS('settings', (s) => s.keys);
  useEffect(() => {
    void stores.compare.getState().actions.open(runId, ticketId);
  }, [runId, ticketId, stores]);

  if (!v || v.load === 'loading') {
    return (
      <div className="editor-loading">
        <Spinner label="Loading comparison" />
      </div>
    );
  }
  if (v.load === 'error') {
    return (
      <EmptyState icon="warning" title="This comparison cannot be shown">
        <p>{v.error?.message}</p>
      </EmptyState>
    );
  }
  const cols = [v.baseline, ...v.models.filter((m) => m !== v.baseline)].filter((m) => v.cells[m]);
  const base = v.cells[v.baseline];
  const summary = cols.map((m) => {
    const results = TASK_IDS.map((t) => v.cells[m]![t].result).filter((r) => r !== null);
    const path = criticalPath(Object.fromEntries(results.map((r) => [r!.task, r!])));
    const costs = results.filter((r) => r!.status !== 'skipped');
    const unknown = costs.some((r) => r!.costUsd === null);
    const differs = TASK_IDS.filter(
      (t) => m !== v.baseline && agreement(t, v.cells[m]![t].result, base?.[t].result ?? null) === 'differs',
    ).length;
    const failed = results.filter((r) => r!.status === 'error').length;
    return {
      m,
      ms: results.length === 5 ? (path?.ms ?? null) : null,
      cost: costs.reduce((s, r) => s + (r!.costUsd ?? 0), 0),
      unknown,
      differs,
      failed,
    };
  });
  return (
    <div className="compare-editor" data-testid="compare-editor">
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title">{v.title}</h2>
          <p className="eh-sub">
            {v.kind === 'compare' ? 'Live comparison' : v.kind === 'experiment' ? 'Recorded experiment' : `Recorded ${v.kind}`}
            {v.label ? ` · ${v.label}` : ''} · <span className="mono">{v.runId}</span>
            {v.live && (
              <span className="live-tag">
                <Spinner /> running
              </span>
            )}
          </p>
        </div>
        <div className="eh-actions">
          <button type="button" className="btn" onClick={() => openTicketAt(stores, ticketId, v.title, true)}>
            <Icon name="mail" /> Open ticket
          </button>
        </div>
      </header>
      <div className="cmp-scroll">
        <table className="cmp-table">
          <thead>
            <tr>
              <th scope="col" className="cmp-corner">
                Task
              </th>
              {cols.map((m) => {
                const { provider, model } = splitSpec(m);
                return (
                  <th key={m} scope="col" className={m === v.baseline ? 'baseline' : ''} data-testid="cmp-model">
                    <div className="cmp-model">
                      <span className="provider">
                        <ModelSwatch spec={m} models={v.models} /> {provider}
                      </span>
                      <span className="mono">{model}</span>
                    </div>
                    <div className="cmp-badges">
                      {m === v.baseline && <span className="mark mark-baseline">baseline</span>}
                      <Marks marks={modelMarks(m, models, keys).filter((x) => x.kind !== 'key')} />
                    </div>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {TASK_IDS.map((t) => (
              <tr key={t}>
                <th scope="row">{TASKS[t].label}</th>
                {cols.map((m) => (
                  <Cell key={m} cell={v.cells[m]![t]} task={t} base={base?.[t]} isBaseline={m === v.baseline} />
                ))}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Ticket</th>
              {summary.map((s) => (
                <td key={s.m} className="cmp-total tabular">
                  <div>
                    <strong>{s.ms !== null ? formatMs(s.ms) : '—'}</strong> <span className="muted">critical path</span>
                  </div>
                  <div className="muted">
                    {s.unknown ? 'cost partly unknown' : formatCost(s.cost)}
                    {s.m !== v.baseline ? ` · ${s.differs} differ` : ''}
                    {s.failed ? ` · ${s.failed} failed` : ''}
                  </div>
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}

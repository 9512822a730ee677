// The report as tables, one per task: model, agreement ± CI, κ, accuracy against gold labels and
// review score where they exist, success at the first try and after retries, median/p95/p99,
// speed-up, cost per 1K calls and cost ratio — the best cell of each column marked. Every cell is
// a button that opens the tickets behind it (e.g. the disagreements of a model on severity).
import { useEffect } from 'react';
import type { ExperimentReport } from '#shared/routes/experimentRoutes.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { ModelName } from '../plots/ModelSwatch.tsx';
import {
  baselineFor,
  bestCells,
  cellDrill,
  columnsFor,
  dec,
  ms,
  pct,
  ratio,
  reportModels,
  usd,
  type Column,
  type ColumnId,
} from './reportLogic.ts';

function cellText(
  report: ExperimentReport,
  task: TaskId,
  model: string,
  col: ColumnId,
): { main: string; sub?: string; title?: string; cls?: string } {
  const s = report.tasks[task][model]!;
  const isBase = model === baselineFor(report, task);
  switch (col) {
    case 'agreement':
      if (isBase) return { main: 'baseline', cls: 'muted' };
      return {
        main: pct(s.agreement_rate),
        sub: s.agreement_ci95 ? `${(s.agreement_ci95[0] * 100).toFixed(0)}–${(s.agreement_ci95[1] * 100).toFixed(0)}` : undefined,
        title: `${s.n_compared} tickets compared (both calls succeeded)${s.agreement_ci95 ? `; 95 % CI ${pct(s.agreement_ci95[0])} – ${pct(s.agreement_ci95[1])}` : ''}`,
      };
    case 'kappa':
      return isBase
        ? { main: '—', cls: 'muted' }
        : {
            main: dec(s.kappa),
            title: s.kappa === null ? 'κ is undefined here (one category only) or not meaningful for sets' : undefined,
          };
    case 'accuracy':
      return { main: pct(s.accuracy), sub: s.n_labelled ? `n ${s.n_labelled}` : undefined, title: `${s.n_labelled} labelled tickets` };
    case 'review': {
      const r = report.reviews[task]?.[model];
      return r ? { main: dec(r.score), sub: `n ${r.n}`, title: `mean of ${r.n} reviewed answers` } : { main: '—', cls: 'muted' };
    }
    case 'judge': {
      const j = report.judge?.scores[task]?.[model];
      const vs = report.judge?.vs_humans.find((h) => h.task === task);
      return j
        ? {
            main: dec(j.score),
            sub: `n ${j.n}`,
            title: `mean of ${j.n} answers scored by the judge ${report.judge!.model} (${report.judge!.prompt_version})${vs ? `; ${vs.trust}` : ''}`,
            cls: vs?.trusted ? undefined : 'muted',
          }
        : { main: '—', cls: 'muted' };
    }
    case 'firstTry':
      return { main: pct(s.first_try_success_rate), title: `${s.n} tasks attempted; ${s.calls} calls sent (retries included)` };
    case 'success': {
      const codes = Object.entries(s.failures)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ');
      return {
        main: pct(s.success_rate),
        sub: s.n_failed ? `${s.n_failed} failed` : undefined,
        title: `${s.n_failed} failed${codes ? ` (${codes})` : ''}; ${s.n_skipped} not called (dependency failed)`,
        cls: s.n_failed ? 'has-failures' : undefined,
      };
    }
    case 'median':
      return {
        main: ms(s.median_ms),
        sub: s.median_ms_ci95 ? `${Math.round(s.median_ms_ci95[0])}–${Math.round(s.median_ms_ci95[1])}` : undefined,
        title: s.median_ms_ci95 ? `95 % CI ${ms(s.median_ms_ci95[0])} – ${ms(s.median_ms_ci95[1])}` : undefined,
      };
    case 'p95':
      return { main: ms(s.p95_ms) };
    case 'p99':
      return { main: ms(s.p99_ms) };
    case 'speedup':
      return { main: ratio(s.speedup), cls: isBase ? 'muted' : undefined };
    case 'cost':
      return s.cost_per_1k_usd === null
        ? {
            main: 'price unknown',
            cls: 'warn-text price-unknown',
            title: 'The model has no researched price (or its calls reported no token counts): never shown as $0',
          }
        : { main: usd(s.cost_per_1k_usd) };
    case 'costRatio':
      return { main: ratio(s.cost_ratio), cls: isBase ? 'muted' : undefined };
  }
}

function TaskTable({ report, task, runId }: { report: ExperimentReport; task: TaskId; runId: string }) {
  const { stores } = useApp();
  const cols = columnsFor(report, task);
  const best = bestCells(report, task);
  const models = reportModels(report, task);
  const baseline = baselineFor(report, task);
  const quality = report.plan.quality_source[task];
  const open = (model: string, col: ColumnId | 'model') => {
    const d = cellDrill(report, task, model, col);
    void stores.experiments.getState().actions.drill(runId, { task, model, ...d });
  };
  return (
    <section className="rep-task" aria-labelledby={`rep-${task}`} data-testid={`rep-task-${task}`}>
      <h3 id={`rep-${task}`} className="rep-task-title">
        {TASKS[task].label}
        <span className="muted small">
          {' '}
          · quality for the plan:{' '}
          {quality === 'review'
            ? 'review score'
            : quality === 'judge'
              ? 'the trusted judge’s score'
              : quality === 'mixed'
                ? 'review score where reviewed, else the trusted judge’s or agreement'
                : 'agreement with the baseline'}
        </span>
      </h3>
      <div className="rep-scroll">
        <table className="rep-table">
          <thead>
            <tr>
              <th scope="col" className="rep-model-col">
                Model
              </th>
              {cols.map((c: Column) => (
                <th key={c.id} scope="col" title={`${c.help} (${c.better === 'high' ? 'higher' : 'lower'} is better)`} className="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m} className={m === baseline ? 'is-baseline' : ''}>
                <th scope="row" className="rep-model-col">
                  <button
                    type="button"
                    className="rep-model-btn"
                    onClick={() => open(m, 'model')}
                    title={`All answers of ${m} on ${TASKS[task].label.toLowerCase()}`}
                  >
                    <ModelName spec={m} models={report.run.models} />
                  </button>
                  {m === baseline && <span className="mark mark-baseline">{report.baseline_by_task ? 'production' : 'baseline'}</span>}
                </th>
                {cols.map((c) => {
                  const t = cellText(report, task, m, c.id);
                  const isBest = best[c.id]?.includes(m) ?? false;
                  const d = cellDrill(report, task, m, c.id);
                  return (
                    <td
                      key={c.id}
                      className={`num rep-cell${isBest ? ' best' : ''}`}
                      data-testid="rep-cell"
                      data-task={task}
                      data-model={m}
                      data-col={c.id}
                      data-best={isBest ? 'true' : undefined}
                    >
                      <button
                        type="button"
                        className={`rep-cell-btn ${t.cls ?? ''}`}
                        onClick={() => open(m, c.id)}
                        title={[
                          t.title,
                          isBest ? `best ${c.label.toLowerCase()} of ${TASKS[task].label.toLowerCase()}` : null,
                          `Click: ${d.label.split(' · ')[0]!.toLowerCase()}`,
                        ]
                          .filter(Boolean)
                          .join('\n')}
                        aria-label={`${c.label} of ${m} on ${TASKS[task].label}: ${t.main}${isBest ? ', best in column' : ''}. Show ${d.label.split(' · ')[0]!.toLowerCase()}`}
                      >
                        <span className="rep-main tabular">{t.main}</span>
                        {t.sub && <span className="rep-sub tabular">{t.sub}</span>}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ReportSection({ runId }: { runId: string }) {
  const { stores } = useApp();
  const view = useS('experiments', (s) => s.reports[runId] ?? null);
  const active = useS('experiments', (s) => s.live[runId]?.active ?? false);
  const a = stores.experiments.getState().actions;
  useEffect(() => {
    void stores.experiments.getState().actions.loadReport(runId);
  }, [runId, stores]);
  if (!view || (view.load === 'loading' && !view.data)) {
    return (
      <div className="editor-loading">
        <Spinner label="Building the report" />
      </div>
    );
  }
  if (view.load === 'error' && !view.data) {
    return (
      <EmptyState icon="warning" title="The report cannot be built">
        <p>{view.error?.message}</p>
      </EmptyState>
    );
  }
  const report = view.data!;
  return (
    <div className="rep" data-testid="exp-report">
      <div className="exp-toolbar">
        <label className="small">
          Compared with{' '}
          <select
            value={report.baseline}
            onChange={(e) => a.setReportBaseline(runId, e.target.value)}
            data-testid="rep-baseline"
            aria-label="Baseline"
          >
            {report.run.models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">
          {report.run.tickets.toLocaleString('en-US')} tickets · CIs: {report.bootstrap.resamples.toLocaleString('en-US')} bootstrap
          resamples, {Math.round(report.bootstrap.confidence * 100)} % (seeded)
          {report.has_labels ? ' · accuracy against the tickets’ gold labels' : ''}
        </span>
        <span className="spacer" />
        {(view.stale || active) && (
          <span className="small warn-text">
            <Icon name="info" /> {active ? 'running: figures so far' : 'new results since'}
          </span>
        )}
        <button
          type="button"
          className="btn small"
          onClick={() => void a.loadReport(runId, { force: true })}
          title="Read the report again"
          data-testid="rep-refresh"
        >
          {view.load === 'loading' ? <Spinner /> : <Icon name="refresh" />} Refresh
        </button>
      </div>
      <p className="small muted rep-legend">
        <span className="rep-best-key">best</span> best value of its column · click any cell for the tickets behind it (disagreements,
        failures, slow calls, …)
      </p>
      {TASK_IDS.map((t) => (
        <TaskTable key={t} report={report} task={t} runId={runId} />
      ))}
    </div>
  );
}

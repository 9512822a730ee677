// Review results: the seed article's manual-review table (mean score per model per task, with a
// 95 % interval and n), agreement among reviewers (κ for two, α for more), where the automated
// agreement with the baseline disagrees with the reviewers, conflicts, and the JSONL exchange.
import { useEffect } from 'react';
import type { ReviewImportView } from '#shared/review.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { downloadText } from './download.ts';
import { AgreementTable, BaselineTable, Conflicts, ScoreTable } from './ReviewResultsTables.tsx';
import './review.css';
import './reviewScreen.css';
import './reviewResults.css';
import { ErrorCode } from '#renderer/app/errorWords.tsx';

function ImportReport({ name, r, onClose }: { name: string; r: ReviewImportView; onClose: () => void }) {
  return (
    <div
      className={`rv-import-report${r.bad.length || r.conflicts.length ? ' warn' : ''}`}
      role="status"
      data-testid="review-import-report"
    >
      <div className="rv-import-head">
        <Icon name={r.bad.length ? 'warning' : 'pass'} />
        <strong>
          {name}: {r.imported} imported
        </strong>
        <span className="muted">
          · {r.duplicates} already here · {r.bad.length} bad line{r.bad.length === 1 ? '' : 's'} · {r.labelsWritten} gold label
          {r.labelsWritten === 1 ? '' : 's'} written · {r.conflicts.length} conflict
          {r.conflicts.length === 1 ? '' : 's'}
        </span>
        <span className="spacer" />
        <button type="button" className="icon-btn" aria-label="Dismiss" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      {(r.bad.length > 0 || r.labelConflicts.length > 0) && (
        <ul className="rv-issues small">
          {r.bad.slice(0, 50).map((b) => (
            <li key={`b${b.line}`} data-testid="review-import-bad">
              <span className="mono">
                {name}:{b.line}
              </span>{' '}
              {b.reason}; skipped
            </li>
          ))}
          {r.labelConflicts.slice(0, 50).map((l) => (
            <li key={`l${l.line}`}>
              <span className="mono">
                {name}:{l.line}
              </span>{' '}
              ticket {l.ticketId} already has the {l.task} label {JSON.stringify(l.label)}; kept it (the line says{' '}
              {JSON.stringify(l.correctValue)})
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ReviewResultsEditor() {
  const { stores } = useApp();
  const results = useS('review', (s) => s.results);
  const queues = useS('review', (s) => s.queues);
  const exchange = useS('review', (s) => s.exchange);
  const actions = stores.review.getState().actions;
  // biome-ignore lint/correctness/useExhaustiveDependencies: queueId and baseline are the triggers: reload when either changes
  useEffect(() => {
    void stores.review.getState().actions.loadResults();
  }, [results.queueId, results.baseline, stores]);
  useEffect(() => {
    if (!stores.review.getState().loadedOnce) void stores.review.getState().actions.refresh();
  }, [stores]);
  const r = results.data;
  const baselines = r ? [...new Set([...r.table.models, ...r.baseline.map((b) => b.baseline)])].sort() : [];
  const exportNow = async () => {
    const x = await actions.exportReviews(results.queueId);
    if (x) downloadText(x.fileName, x.text);
  };
  return (
    <div className="review-results" data-testid="review-results">
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title">Review results</h2>
          <p className="eh-sub">
            {r
              ? `${r.reviews} score${r.reviews === 1 ? '' : 's'} by ${r.reviewers.length} reviewer${r.reviewers.length === 1 ? '' : 's'}${r.reviewers.length ? ` (${r.reviewers.join(', ')})` : ''}`
              : 'Manual review'}
          </p>
        </div>
        <div className="eh-actions rv-results-tools">
          <label className="rv-inline small">
            scores of
            <select
              value={results.queueId ?? ''}
              onChange={(e) => actions.setResultsScope({ queueId: e.target.value || null })}
              data-testid="results-queue"
            >
              <option value="">every review</option>
              {queues.map((q) => (
                <option key={q.id} value={q.id}>
                  {q.id} · {q.name.slice(0, 48)}
                </option>
              ))}
            </select>
          </label>
          <label className="rv-inline small">
            baseline
            <select
              value={results.baseline ?? ''}
              onChange={(e) => actions.setResultsScope({ baseline: e.target.value || null })}
              aria-label="Baseline"
            >
              <option value="">as recorded per run</option>
              {baselines.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn"
            onClick={() => void exportNow()}
            data-testid="reviews-export"
            title="Save these scores as JSONL (one review a line)"
          >
            <Icon name="cloud-download" /> Export JSONL
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => actions.requestImport()}
            data-testid="reviews-import"
            title="Merge scores from another reviewer's JSONL"
          >
            <Icon name="cloud-upload" /> Import JSONL…
          </button>
        </div>
      </header>
      <div className="rv-results-body">
        {exchange.importing && (
          <p className="muted small">
            <Spinner /> Importing…
          </p>
        )}
        {exchange.error && (
          <div className="banner error" role="alert">
            <ErrorCode code={exchange.error.code} /> {exchange.error.message}
          </div>
        )}
        {exchange.report && exchange.reportName && (
          <ImportReport name={exchange.reportName} r={exchange.report} onClose={() => actions.clearImportReport()} />
        )}
        {exchange.exported && (
          <p className="muted small" data-testid="reviews-exported">
            <Icon name="pass" /> Saved {exchange.exported.count} review{exchange.exported.count === 1 ? '' : 's'} as{' '}
            {exchange.exported.fileName}
          </p>
        )}
        {results.load === 'error' && (
          <div className="banner error" role="alert">
            <ErrorCode code={results.error?.code} /> {results.error?.message}
          </div>
        )}
        {!r && results.load === 'loading' && (
          <div className="editor-loading">
            <Spinner label="Loading results" />
          </div>
        )}
        {r && r.reviews === 0 && (
          <EmptyState icon="graph" title="No scores yet">
            <p>Open a queue in the Review side bar and score its answers; the table fills in as you go.</p>
          </EmptyState>
        )}
        {r && r.reviews > 0 && (
          <>
            <section className="rv-section">
              <h3 className="rv-h">Score per model per task</h3>
              <p className="muted small">
                Mean review score · 95 % Wilson interval · n = answers reviewed (an answer scored by several reviewers counts once, at their
                mean). Platform, product and asset ids: exact = 1; severity: one level off = ½; technical details: 1 − missed/M.
              </p>
              <ScoreTable r={r} />
            </section>
            <section className="rv-section">
              <h3 className="rv-h">Agreement among reviewers</h3>
              <AgreementTable r={r} />
            </section>
            <section className="rv-section">
              <h3 className="rv-h">Reviewers vs. automated agreement with the baseline</h3>
              <BaselineTable r={r} />
            </section>
            <section className="rv-section">
              <h3 className="rv-h">Conflicts ({r.conflicts.length})</h3>
              <Conflicts r={r} />
            </section>
          </>
        )}
      </div>
    </div>
  );
}

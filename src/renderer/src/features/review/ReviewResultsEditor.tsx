// Review results: the seed article's manual-review table (mean score per model per task, with a
// 95 % interval and n), agreement among reviewers (κ for two, α for more), where the automated
// agreement with the baseline disagrees with the reviewers, conflicts, and the JSONL exchange.
import { useEffect } from 'react';
import type { BaselineCheckView, ReviewImportView, ReviewResultsView, ScoreCellView } from '#shared/review.ts';
import { TASKS } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { splitSpec } from '../ticket/format.ts';
import { downloadText } from './download.ts';
import { showScore } from './screenModel.ts';
import './review.css';
import './reviewScreen.css';
import './reviewResults.css';
import { ErrorCode } from '#renderer/app/errorWords.tsx';

const f2 = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(2));
const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

function Model({ spec, inline = false }: { spec: string; inline?: boolean }) {
  const { provider, model } = splitSpec(spec);
  if (inline) {
    return (
      <span title={spec}>
        <span className="mono">{model}</span> <span className="faint small">{provider}</span>
      </span>
    );
  }
  return (
    <span className="rv-model-cell" title={spec}>
      <span className="faint small">{provider}</span>
      <span className="mono">{model}</span>
    </span>
  );
}

function ScoreCell({ c }: { c: ScoreCellView | undefined }) {
  if (!c) return <td className="rv-cell empty">—</td>;
  const [lo, hi] = c.ci95 ?? [c.mean, c.mean];
  const tone = c.mean >= 0.9 ? 'good' : c.mean >= 0.7 ? 'mid' : 'low';
  return (
    <td
      className={`rv-cell tone-${tone}`}
      data-testid="score-cell"
      data-task={c.task}
      data-model={c.model}
      title={`${c.reviews} scores behind ${c.n} answers`}
    >
      <div className="rv-cell-top">
        <strong className="tabular">{c.mean.toFixed(2)}</strong>
        <span className="tabular faint small">n={c.n}</span>
      </div>
      <div className="rv-ci" role="img" aria-label={`95% interval ${f2(lo)} to ${f2(hi)}`}>
        <span className="rv-ci-range" style={{ left: `${lo * 100}%`, width: `${Math.max(1, (hi - lo) * 100)}%` }} />
        <span className="rv-ci-mean" style={{ left: `${c.mean * 100}%` }} />
      </div>
      <div className="tabular faint small">
        [{f2(lo)}–{f2(hi)}]
      </div>
    </td>
  );
}

function ScoreTable({ r }: { r: ReviewResultsView }) {
  const { tasks, models, cells } = r.table;
  return (
    <table className="rv-table rv-scores" data-testid="review-score-table">
      <thead>
        <tr>
          <th className="rv-corner">model</th>
          {tasks.map((t) => (
            <th key={t}>{TASKS[t].label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m}>
            <th>
              <Model spec={m} />
            </th>
            {tasks.map((t) => (
              <ScoreCell key={t} c={cells.find((c) => c.task === t && c.model === m)} />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AgreementTable({ r }: { r: ReviewResultsView }) {
  const rows = r.agreement.filter((a) => a.units > 0);
  if (rows.length === 0) {
    return (
      <p className="muted small rv-none">
        No answer has been scored by two reviewers yet: give a queue k ≥ 2, or import another reviewer’s scores.
      </p>
    );
  }
  return (
    <table className="rv-table" data-testid="review-agreement">
      <thead>
        <tr>
          <th>task</th>
          <th>reviewers</th>
          <th className="num">answers</th>
          <th className="num greek" title="Cohen's κ (nominal), exactly two reviewers">
            κ (two)
          </th>
          <th className="num greek" title="Krippendorff's α, interval metric (0, ½ and fractions on one scale)">
            α (interval)
          </th>
          <th className="greek">PAIRS (κ, % EQUAL, n)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.task} className={a.task === 'all' ? 'rv-total' : ''}>
            <th>{a.task === 'all' ? 'All tasks' : TASKS[a.task].label}</th>
            <td>{a.reviewers.join(', ')}</td>
            <td className="num tabular">{a.units}</td>
            <td className="num tabular" data-testid="agreement-kappa">
              {a.reviewers.length === 2 ? f2(a.kappa) : <span className="faint">—</span>}
            </td>
            <td className="num tabular" data-testid="agreement-alpha">
              {f2(a.alpha)}
            </td>
            <td className="small">
              {a.pairs.map((p) => (
                <span key={`${p.a}-${p.b}`} className="rv-pair">
                  {p.a}–{p.b} κ {f2(p.kappa)}, {pct(p.agreement)}, n {p.n}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function misleads(b: BaselineCheckView): string | null {
  const parts: string[] = [];
  if (b.agreeButWrong) parts.push(`${b.agreeButWrong} agreed with the baseline but reviewers failed them`);
  if (b.disagreeButRight) parts.push(`${b.disagreeButRight} disagreed but reviewers passed them`);
  return parts.length ? parts.join('; ') : null;
}

function BaselineTable({ r }: { r: ReviewResultsView }) {
  if (r.baseline.length === 0)
    return (
      <p className="muted small rv-none">
        No reviewed answer has a baseline answer to compare with (review a run recorded with a baseline).
      </p>
    );
  const baselines = [...new Set(r.baseline.map((b) => b.baseline))];
  return (
    <>
      <p className="muted small">
        The report’s agreement rate counts a model right when it matches the baseline ({baselines.join(', ')}); where reviewers scored the
        same answers otherwise, that number misleads. <em>Agree, failed</em>: matched the baseline, reviewers scored it below 1 (both
        wrong). <em>Disagree, passed</em>: differed from the baseline, reviewers scored it 1 (the model was right).
      </p>
      <div className="rv-scroll">
        <table className="rv-table" data-testid="review-baseline">
          <thead>
            <tr>
              <th>task</th>
              <th>model</th>
              <th className="num">n</th>
              <th className="num" title="Automated: share equal to the baseline's answer">
                agreement
              </th>
              <th className="num" title="Reviewers: mean score of the same answers">
                review mean
              </th>
              <th className="num">if agree</th>
              <th className="num">if disagree</th>
              <th className="num">agree, failed</th>
              <th className="num">disagree, passed</th>
              <th className="num greek" title="Cohen's κ between 'agrees with baseline' and 'passed review'">
                κ
              </th>
              <th className="num" title="The baseline's own mean review score on this task">
                baseline’s review
              </th>
            </tr>
          </thead>
          <tbody>
            {r.baseline.map((b) => {
              const m = misleads(b);
              return (
                <tr
                  key={`${b.task}-${b.model}`}
                  className={m ? 'rv-misleads' : ''}
                  data-testid="baseline-row"
                  title={m ?? 'The automated metric agrees with the reviewers here'}
                >
                  <th>
                    {TASKS[b.task].label}
                    {m && (
                      <span className="rv-misleads-tag">
                        <Icon name="warning" /> misleads
                      </span>
                    )}
                    {m && <span className="sr-only">: {m}</span>}
                  </th>
                  <td className="nowrap">
                    <Model spec={b.model} inline />
                  </td>
                  <td className="num tabular">{b.n}</td>
                  <td className="num tabular">{pct(b.agreementRate)}</td>
                  <td className="num tabular">{f2(b.reviewMean)}</td>
                  <td className="num tabular">{f2(b.meanWhenAgree)}</td>
                  <td className="num tabular">{f2(b.meanWhenDisagree)}</td>
                  <td className={`num tabular${b.agreeButWrong ? ' rv-warn' : ''}`}>{b.agreeButWrong}</td>
                  <td className={`num tabular${b.disagreeButRight ? ' rv-warn' : ''}`}>{b.disagreeButRight}</td>
                  <td className="num tabular">{f2(b.kappa)}</td>
                  <td className="num tabular">{f2(b.baselineReviewMean)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Conflicts({ r }: { r: ReviewResultsView }) {
  if (r.conflicts.length === 0) return <p className="muted small rv-none">None: every answer’s scores agree.</p>;
  return (
    <ul className="rv-conflicts" data-testid="review-conflicts">
      {r.conflicts.map((c) => (
        <li key={`${c.ticketId}-${c.task}-${c.model}`} data-testid="conflict">
          <span className="mono">{c.ticketId}</span> · {TASKS[c.task].label} · <span className="mono">{c.model}</span>:{' '}
          {c.reviews.map((x, i) => (
            <span key={i} className="rv-pair">
              {i > 0 && ', '}
              {x.reviewer} <strong>{showScore(x.score)}</strong> <span className="faint">({x.source === 'local' ? 'here' : x.source})</span>
            </span>
          ))}
          <span className="faint"> — {c.kinds.join(', ')}</span>
        </li>
      ))}
    </ul>
  );
}

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

// The tables of the review results: score per model per task (mean, 95 % interval, n), agreement
// among reviewers, reviewers vs. the automated agreement with the baseline, and the conflicts.
import type { BaselineCheckView, ReviewResultsView, ScoreCellView } from '#shared/review.ts';
import { TASKS } from '#shared/tasks.ts';
import { Icon } from '#renderer/app/ui.tsx';
import { splitSpec } from '../ticket/format.ts';
import { showScore } from './screenModel.ts';

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

export function ScoreTable({ r }: { r: ReviewResultsView }) {
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

export function AgreementTable({ r }: { r: ReviewResultsView }) {
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

export function BaselineTable({ r }: { r: ReviewResultsView }) {
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

export function Conflicts({ r }: { r: ReviewResultsView }) {
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

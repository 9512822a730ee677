// The Judge tab of a run (an experiment, a shadow run, an imported trace set): start an LLM judge on
// its answers (estimate first, then confirm, like any batch), follow its progress, and read its scores
// beside the human review scores and how far it agrees with the reviewers per task — with the answers
// where they differ, each opening the ticket on the run and the judge's reasoning.
import { useCallback, useEffect, useState } from 'react';
import type { JudgeDisagreement, JudgeJobView, JudgeSummary, JudgeVerdictView } from '#shared/routes/judgeRoutes.ts';
import { TASK_IDS, TASKS } from '#shared/tasks.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { formatUsd } from '../spend/format.ts';
import { JudgeForm } from './JudgeForm.tsx';
import './judge.css';

const dec = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(2));
const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function JobLine({ job, onStop }: { job: JudgeJobView; onStop: () => void }) {
  const done = job.judged + job.failed;
  return (
    <div className={`jd-job jd-${job.status}`} data-testid="judge-job" data-status={job.status}>
      <span className="mono">{job.judgeModel}</span>
      {job.status === 'running' ? <Spinner /> : null}
      <progress max={Math.max(1, job.total)} value={done} aria-label="Judged so far" />
      <span className="small tabular" data-testid="judge-progress">
        {done.toLocaleString('en-US')} / {job.total.toLocaleString('en-US')} judged{job.failed ? ` · ${job.failed} failed` : ''} ·{' '}
        {formatUsd(job.costUsd)} · {job.status}
      </span>
      {job.message && <span className="small warn-text">{job.message}</span>}
      {job.status === 'running' && (
        <button
          type="button"
          className="btn small"
          onClick={onStop}
          data-testid="judge-stop"
          title="Stop: verdicts so far are kept; start again to finish"
        >
          <Icon name="debug-stop" /> Stop
        </button>
      )}
    </div>
  );
}

function VerdictDetail({ v, onOpen }: { v: JudgeVerdictView; onOpen: () => void }) {
  return (
    <div className="jd-verdict" data-testid="judge-verdict">
      <div className="small jd-row">
        <span>
          <strong>{TASKS[v.task].label}</strong> · ticket <span className="mono">{v.ticketId}</span>
          {v.ticketTitle ? ` (${v.ticketTitle})` : ''} · <span className="mono">{v.model}</span>
        </span>
        <button
          type="button"
          className="btn small"
          onClick={onOpen}
          data-testid="judge-open-answer"
          title="The ticket on this run, every model’s answer side by side"
        >
          <Icon name="go-to-file" /> Open the answer
        </button>
      </div>
      <div className="small">
        Answer: <span className="mono">{show(v.answer)}</span>
      </div>
      <div className="small">
        Judge {v.judgeModel} ({v.promptVersion}): <strong className="tabular">{dec(v.score)}</strong>
        {v.task === 'technical_details'
          ? ` · expected ${show(v.expected)} · missing ${show(v.missing)}`
          : ` · correct ${show(v.correctValue)}`}
      </div>
      {v.reasoning && (
        <blockquote className="small jd-reason" data-testid="judge-reasoning">
          {v.reasoning}
        </blockquote>
      )}
      {v.human.map((h) => (
        <div key={h.reviewer} className="small">
          {h.reviewer}: <strong className="tabular">{dec(h.score)}</strong>
          {h.note ? ` — ${h.note}` : ''}
        </div>
      ))}
    </div>
  );
}

export function JudgeSection({ runId }: { runId: string }) {
  const { transport, stores } = useApp();
  const [summary, setSummary] = useState<JudgeSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [jobs, setJobs] = useState<JudgeJobView[]>([]);
  const [picked, setPicked] = useState<JudgeVerdictView | null>(null);
  const load = useCallback(async () => {
    const r = await transport.request('judge.summary', { runId });
    if (r.ok) {
      setSummary(r.data);
      setError(null);
    } else setError(r.error.message);
  }, [transport, runId]);
  useEffect(() => {
    void load();
    void transport.request('judge.jobs', { runId }).then((r) => r.ok && setJobs(r.data.jobs));
    return transport.onEvent((e) => {
      if (e.type !== 'judge.progress' || e.job.runId !== runId) return;
      setJobs((cur) => [e.job, ...cur.filter((j) => j.id !== e.job.id)]);
      if (e.job.status !== 'running') {
        void load();
        // The report's Judge column and the plan's floor read the new verdicts.
        void stores.experiments.getState().actions.loadReport(runId, { force: true });
      }
    });
  }, [transport, runId, load, stores]);
  const running = jobs.some((j) => j.status === 'running');
  // The answer itself: the ticket on the judged run, every model's answer side by side.
  const openAnswer = (runIdOf: string, ticketId: string, pin: boolean) =>
    stores.editor.getState().actions.openCompare(runIdOf, ticketId, `⇆ ${ticketId}`, { preview: !pin });
  const openDiff = async (d: JudgeDisagreement) => {
    const r = await transport.request('judge.verdict', { verdictId: d.verdictId });
    if (r.ok) setPicked(r.data);
    else setError(r.error.message);
  };
  const models = summary
    ? [...new Set(TASK_IDS.flatMap((t) => [...Object.keys(summary.human[t] ?? {}), ...Object.keys(summary.scores[t] ?? {})]))].sort()
    : [];
  return (
    <div className="jd" data-testid="judge-section">
      <JudgeForm runId={runId} busy={running} onStarted={(job) => setJobs((cur) => [job, ...cur.filter((j) => j.id !== job.id)])} />
      {jobs.map((j) => (
        <JobLine key={j.id} job={j} onStop={() => void transport.request('judge.stop', { jobId: j.id })} />
      ))}
      {error && (
        <div className="banner error small" role="alert">
          {error}
        </div>
      )}
      {!summary ? (
        <Spinner label="Reading the judge's verdicts" />
      ) : !summary.judge ? (
        <EmptyState icon="law" title="No judge has scored this run yet" testId="judge-empty">
          <p>Pick a judge model above; its scores will sit beside the human review scores, with how far it agrees with the reviewers.</p>
        </EmptyState>
      ) : (
        <>
          {summary.judges.length > 1 && (
            <label className="small">
              Judge{' '}
              <select
                value={`${summary.judge.judgeModel}\u0000${summary.judge.promptVersion}`}
                onChange={async (e) => {
                  const [judge, promptVersion] = e.target.value.split('\u0000');
                  const r = await transport.request('judge.summary', { runId, judge, promptVersion });
                  if (r.ok) setSummary(r.data);
                }}
                aria-label="Judge shown"
              >
                {summary.judges.map((j) => (
                  <option key={`${j.judgeModel}\u0000${j.promptVersion}`} value={`${j.judgeModel}\u0000${j.promptVersion}`}>
                    {j.judgeModel} · {j.promptVersion} · {j.verdicts} verdicts
                  </option>
                ))}
              </select>
            </label>
          )}
          <h3 className="rep-task-title">
            Scores: human · judge{' '}
            <span className="muted small">
              judge {summary.judge.judgeModel}, prompt {summary.judge.promptVersion}, {summary.judge.verdicts} verdicts
            </span>
          </h3>
          <div className="rep-scroll">
            <table className="rep-table" data-testid="judge-scores">
              <thead>
                <tr>
                  <th scope="col" className="text">
                    Model
                  </th>
                  {TASK_IDS.map((t) => (
                    <th key={t} scope="col" className="num">
                      {TASKS[t].label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {models.map((m) => (
                  <tr key={m}>
                    <th scope="row" className="mono">
                      {m}
                    </th>
                    {TASK_IDS.map((t) => {
                      const h = summary.human[t]?.[m];
                      const j = summary.scores[t]?.[m];
                      return (
                        <td key={t} className="num" data-testid="judge-score-cell" data-task={t} data-model={m}>
                          <span title={h ? `human mean of ${h.n} answers` : 'no human review'}>{h ? dec(h.score) : '—'}</span>
                          <span className="muted"> · </span>
                          <span title={j ? `judge mean of ${j.n} answers` : 'not judged'} data-testid="judge-score">
                            {j ? dec(j.score) : '—'}
                          </span>
                          {j && <span className="rep-sub tabular">n {j.n}</span>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 className="rep-task-title">
            Judge vs humans{' '}
            <span className="muted small">
              on answers both scored; κ for exact tasks, α (interval) for graded ones; trusted from {summary.thresholds.minAnswers} answers
              at {summary.thresholds.minAgreement} or more
            </span>
          </h3>
          <table className="rep-table" data-testid="judge-vs-humans">
            <thead>
              <tr>
                <th scope="col" className="text">
                  Task
                </th>
                <th scope="col" className="num">
                  Answers
                </th>
                <th scope="col" className="num">
                  Agreement
                </th>
                <th scope="col" className="num">
                  κ / α
                </th>
                <th scope="col" className="num">
                  Differ
                </th>
                <th scope="col" className="text">
                  Trust
                </th>
              </tr>
            </thead>
            <tbody>
              {summary.vsHumans.map((h) => {
                const stat = h.metric === 'kappa' ? h.kappa : h.alpha;
                return (
                  <tr key={h.task} data-testid="judge-vs-row" data-task={h.task} data-trusted={h.trusted ? 'true' : 'false'}>
                    <th scope="row">{TASKS[h.task].label}</th>
                    <td className="num tabular">{h.answers}</td>
                    <td className="num tabular">{pct(h.agreement)}</td>
                    <td className="num tabular">{stat === null ? '—' : `${h.metric === 'kappa' ? 'κ' : 'α'} ${stat.toFixed(2)}`}</td>
                    <td className="num tabular">{h.disagreementCount}</td>
                    <td className={`small ${h.trusted ? '' : 'warn-text'}`}>{h.trust}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h3 className="rep-task-title">Where they differ</h3>
          {summary.vsHumans.every((h) => h.disagreements.length === 0) ? (
            <p className="muted small">No answer where the judge and a reviewer gave different scores.</p>
          ) : (
            <ul className="jd-diffs" data-testid="judge-diffs">
              {summary.vsHumans.flatMap((h) =>
                h.disagreements.map((d) => (
                  <li key={`${d.verdictId}-${d.reviewer}`}>
                    <button
                      type="button"
                      className={`jd-diff-btn${picked?.id === d.verdictId ? ' selected' : ''}`}
                      onClick={() => void openDiff(d)}
                      onDoubleClick={() => openAnswer(d.runId, d.ticketId, true)}
                      title="Click: the judge’s reasoning beside the reviewer’s score · double-click: open the answer"
                      data-testid="judge-diff"
                      data-ticket={d.ticketId}
                      data-task={d.task}
                    >
                      <span>{TASKS[d.task].label}</span> · <span className="mono">{d.ticketId}</span> ·{' '}
                      <span className="mono">{d.model}</span> · judge <strong className="tabular">{dec(d.judgeScore)}</strong>, {d.reviewer}{' '}
                      <strong className="tabular">{dec(d.humanScore)}</strong>
                    </button>
                  </li>
                )),
              )}
            </ul>
          )}
          {picked && <VerdictDetail v={picked} onOpen={() => openAnswer(picked.runId, picked.ticketId, true)} />}
        </>
      )}
    </div>
  );
}

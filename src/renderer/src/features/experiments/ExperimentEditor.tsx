// One experiment: its progress (live while it runs here: stop, resume), the report as tables, the
// plan as an interactive per-task model picker, the latency plots, and the tickets behind any cell
// or plot mark. Sections are tabs of the editor, so each keeps its place while you switch.
import { useEffect } from 'react';
import type { RunInfo } from '#shared/routes.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon, Spinner } from '#renderer/app/ui.tsx';
import { SECTIONS, type ExperimentSection } from './experimentsStore.ts';
import { LiveSection, StateTag } from './LiveSection.tsx';
import { ReportSection } from './ReportSection.tsx';
import { PlanSection } from './PlanSection.tsx';
import { LatencySection } from './LatencySection.tsx';
import { TicketsSection } from './TicketsSection.tsx';
import { JudgeSection } from '../judge/JudgeSection.tsx';
import './experiments.css';
import './report.css';
import './plan.css';
import { ErrorCode } from '#renderer/app/errorWords.tsx';

export function ExperimentEditor({ run }: { run: RunInfo }) {
  const { stores } = useApp();
  const runId = run.id;
  const live = useS('experiments', (s) => s.live[runId] ?? null);
  const liveError = useS('experiments', (s) => s.liveErrors[runId] ?? null);
  const section = useS('experiments', (s) => s.sections[runId] ?? null);
  const drillCount = useS('experiments', (s) => s.drills[runId]?.data?.total ?? null);
  const a = stores.experiments.getState().actions;
  const shadow = run.kind === 'shadow';
  useEffect(() => {
    // A shadow run has no batch to stop or resume: it grows as tickets arrive.
    if (!shadow) void stores.experiments.getState().actions.loadStatus(runId);
  }, [runId, stores, shadow]);
  // A running experiment opens on its progress; a finished one on its report.
  const shown: ExperimentSection = section ?? (!shadow && (live?.active || run.status === 'running') ? 'overview' : 'report');
  // A run another process is recording (`casebench experiment`) shows as running without Stop or Resume.
  const canResume =
    live !== null && !live.active && (live.state === 'interrupted' || live.state === 'incomplete' || live.state === 'failed');
  const title = live?.label ?? run.label ?? run.id;
  return (
    <div className="exp-editor" data-testid="exp-editor" data-run-id={runId}>
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title" title={title}>
            {title}
          </h2>
          <p className="eh-sub">
            {shadow ? 'Shadow models · live, grows as tickets arrive' : 'Experiment'} ·{' '}
            {live ? <StateTag state={live.state} /> : run.status} · {run.tickets.toLocaleString('en-US')} tickets × {run.models.length}{' '}
            models ·{' '}
            {shadow ? (
              'baseline: production per task'
            ) : (
              <>
                baseline <span className="mono">{live?.baseline ?? run.baseline}</span>
              </>
            )}
            {live ? ` · upstream ${live.upstream}` : ''} · <span className="mono faint">{runId}</span>
          </p>
        </div>
        <div className="eh-actions">
          {live?.active && (
            <button
              type="button"
              className="btn"
              onClick={() => void a.stop(runId)}
              disabled={live.state === 'stopping'}
              data-testid="exp-stop"
              title="Stop: finished results are kept (Resume continues)"
            >
              {live.state === 'stopping' ? <Spinner /> : <Icon name="debug-stop" />} {live.state === 'stopping' ? 'Stopping…' : 'Stop'}
            </button>
          )}
          {canResume && (
            <button
              type="button"
              className="btn primary"
              onClick={() => void a.resume(runId)}
              data-testid="exp-resume"
              title="Run what is left; finished calls are not repeated"
            >
              <Icon name="debug-continue" /> Resume
            </button>
          )}
        </div>
      </header>
      {liveError && (
        <div className="banner error" role="alert">
          <ErrorCode code={liveError.code} /> {liveError.message}
        </div>
      )}
      <div className="exp-tabs" role="tablist" aria-label="Experiment views">
        {SECTIONS.map((s) => (
          <button
            key={s.id}
            type="button"
            role="tab"
            aria-selected={shown === s.id}
            className={`exp-tab${shown === s.id ? ' active' : ''}`}
            onClick={() => a.showSection(runId, s.id)}
            data-testid={`exp-tab-${s.id}`}
          >
            {s.label}
            {s.id === 'overview' && live?.active && <Spinner />}
            {s.id === 'tickets' && drillCount !== null && <span className="count-badge">{drillCount}</span>}
          </button>
        ))}
      </div>
      <div className="exp-body" role="tabpanel">
        {shown === 'overview' && <LiveSection run={run} />}
        {shown === 'report' && <ReportSection runId={runId} />}
        {shown === 'plan' && <PlanSection runId={runId} />}
        {shown === 'latency' && <LatencySection runId={runId} />}
        {shown === 'tickets' && <TicketsSection run={run} />}
        {shown === 'judge' && <JudgeSection runId={runId} />}
      </div>
    </div>
  );
}

// The ticket as a whole: progress, total time, the critical path and a waterfall of the calls.
import { useMemo } from 'react';
import { useTriage } from '../../app/stores.tsx';
import { useNow } from '../../app/useNow.ts';
import type { TaskResult } from '../../../../shared/results.ts';
import { TASK_IDS, TASKS, type TaskId } from '../../../../shared/tasks.ts';
import { criticalPath } from './criticalPath.ts';
import { formatCost, formatMs } from './format.ts';
import type { TaskCardState } from './triageStore.ts';

export function useCriticalPath() {
  const tasks = useTriage((s) => s.tasks);
  const phase = useTriage((s) => s.phase);
  return useMemo(() => {
    if (phase !== 'done') return null;
    const results: Partial<Record<TaskId, TaskResult>> = {};
    for (const id of TASK_IDS) {
      const r = tasks[id].result;
      if (r) results[id] = r;
    }
    return criticalPath(results);
  }, [tasks, phase]);
}

function Waterfall(props: { tasks: Record<TaskId, TaskCardState>; scale: number; critical: Set<TaskId>; elapsed: number | null }) {
  const { tasks, scale, critical, elapsed } = props;
  const pct = (ms: number): string => `${Math.min(100, Math.max(0, (ms / scale) * 100)).toFixed(2)}%`;
  return (
    <div className="waterfall" role="img" aria-label="Timeline of the five calls">
      {TASK_IDS.map((id) => {
        const c = tasks[id];
        const r = c.result;
        let bar = null;
        if (r && r.status !== 'skipped') {
          bar = (
            <span
              className={`wf-bar wf-${r.status}${critical.has(id) ? ' wf-critical' : ''}`}
              style={{ left: pct(r.startedMs), width: pct(Math.max(r.endedMs - r.startedMs, scale * 0.004)) }}
              title={`${TASKS[id].label}: ${formatMs(r.startedMs)} → ${formatMs(r.endedMs)}`}
            />
          );
        } else if (c.status === 'running' && c.startedMs !== null && elapsed !== null) {
          // Grows with the ticket's clock until the answer arrives.
          bar = <span className="wf-bar wf-running" style={{ left: pct(c.startedMs), width: pct(Math.max(elapsed - c.startedMs, 0)) }} />;
        }
        return (
          <div className="wf-row" key={id}>
            <span className="wf-label">{TASKS[id].label}</span>
            <span className="wf-track">{bar}</span>
            <span className="wf-ms tabular">{r && r.status !== 'skipped' ? formatMs(r.latencyMs) : ''}</span>
          </div>
        );
      })}
    </div>
  );
}

export function RunSummary() {
  const phase = useTriage((s) => s.phase);
  const tasks = useTriage((s) => s.tasks);
  const totalMs = useTriage((s) => s.totalMs);
  const cancelling = useTriage((s) => s.cancelling);
  const path = useCriticalPath();
  const arrived = TASK_IDS.filter((id) => tasks[id].result !== null).length;
  const failed = TASK_IDS.filter((id) => tasks[id].status === 'error').length;
  const runStartedAt = useTriage((s) => s.runStartedAt);
  const live = phase === 'running' || phase === 'starting';
  const now = useNow(live);
  const elapsed = live && runStartedAt !== null ? now - runStartedAt : null;
  const maxEnd = Math.max(1, elapsed ?? 0, ...TASK_IDS.map((id) => tasks[id].result?.endedMs ?? 0));
  // While running, leave headroom so the growing bars do not hit the edge at once.
  const scale = totalMs ?? Math.max(maxEnd * 1.25, 1000);
  const critical = new Set<TaskId>(path?.tasks ?? []);
  const called = TASK_IDS.map((id) => tasks[id].result).filter((r): r is TaskResult => r !== null && r.status !== 'skipped');
  const unpriced = called.filter((r) => r.costUsd === null).length;
  const cost = called.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);

  const skipped = TASK_IDS.filter((id) => tasks[id].status === 'skipped').length;
  let status: string;
  if (phase === 'idle') status = 'Paste a ticket and run triage.';
  else if (phase === 'starting') status = 'Starting…';
  else if (phase === 'running') {
    status = cancelling ? 'Cancelling…' : `Running · ${arrived} of ${TASK_IDS.length} facts`;
    if (elapsed !== null) status += ` · ${formatMs(elapsed)}`;
  } else if (phase === 'failed') status = 'Not started';
  else {
    const parts = [failed ? `${failed} failed` : '', skipped ? `${skipped} skipped` : ''].filter(Boolean);
    status = parts.length ? `Done · ${parts.join(', ')}` : `Done · ${TASK_IDS.length} of ${TASK_IDS.length} facts`;
  }

  return (
    <section className="panel summary" aria-label="Run summary">
      <div className="summary-line">
        <span className={`summary-status phase-${phase}`} data-testid="run-status">
          {phase === 'running' && <span className="spinner" aria-hidden="true" />}
          {status}
        </span>
        {phase === 'done' && called.length > 0 && (
          <span className="summary-cost tabular" title="Sum of the calls’ costs">
            Cost {unpriced === called.length ? 'unknown' : formatCost(cost)}
            {unpriced > 0 && unpriced < called.length ? ` + ${unpriced} price unknown` : ''}
          </span>
        )}
        {totalMs !== null && (
          <span className="summary-total">
            Total <strong className="tabular" data-testid="total-ms">{formatMs(totalMs)}</strong>
          </span>
        )}
      </div>
      {path && (
        <p className="critical-line" data-testid="critical-path">
          <span className="muted">Critical path</span>{' '}
          {path.tasks.map((t, i) => (
            <span key={t}>
              {i > 0 && <span className="arrow" aria-hidden="true"> → </span>}
              <span className="cp-task">{TASKS[t].label}</span>
            </span>
          ))}{' '}
          <span className="tabular cp-ms">{formatMs(path.ms)}</span>
        </p>
      )}
      {arrived > 0 || phase === 'running' ? <Waterfall tasks={tasks} scale={scale} critical={critical} elapsed={elapsed} /> : null}
    </section>
  );
}

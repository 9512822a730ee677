// The ticket as a whole: progress, total time, the critical path and a waterfall of the calls.
import { useMemo } from 'react';
import { useTriage } from '../../app/stores.tsx';
import type { TaskResult } from '../../../../shared/results.ts';
import { TASK_IDS, TASKS, type TaskId } from '../../../../shared/tasks.ts';
import { criticalPath } from './criticalPath.ts';
import { formatMs } from './format.ts';
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

function Waterfall({ tasks, scale, critical }: { tasks: Record<TaskId, TaskCardState>; scale: number; critical: Set<TaskId> }) {
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
        } else if (c.status === 'running' && c.startedMs !== null) {
          bar = <span className="wf-bar wf-running" style={{ left: pct(c.startedMs), width: '6%' }} />;
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
  const maxEnd = Math.max(1, ...TASK_IDS.map((id) => tasks[id].result?.endedMs ?? 0));
  const scale = totalMs ?? maxEnd * 1.15;
  const critical = new Set<TaskId>(path?.tasks ?? []);

  let status: string;
  if (phase === 'idle') status = 'Paste a ticket and run triage.';
  else if (phase === 'starting') status = 'Starting…';
  else if (phase === 'running') status = cancelling ? 'Cancelling…' : `Running · ${arrived} of ${TASK_IDS.length} facts`;
  else if (phase === 'failed') status = 'Not started';
  else status = failed ? `Done · ${failed} failed` : 'Done';

  return (
    <section className="panel summary" aria-label="Run summary">
      <div className="summary-line">
        <span className={`summary-status phase-${phase}`} data-testid="run-status">
          {phase === 'running' && <span className="spinner" aria-hidden="true" />}
          {status}
        </span>
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
      {arrived > 0 || phase === 'running' ? <Waterfall tasks={tasks} scale={scale} critical={critical} /> : null}
    </section>
  );
}

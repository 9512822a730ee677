// One task's card: waiting → running → its value (or error / skip), with model, time, tokens, cost.
import { useTriage } from '../../app/stores.tsx';
import { useNow } from '../../app/useNow.ts';
import { AlertIcon, CheckIcon, ClockIcon, SkipIcon } from '../../app/icons.tsx';
import { TASKS, type TaskId } from '../../../../shared/tasks.ts';
import { formatCost, formatMs, formatTokens, splitSpec } from './format.ts';
import { TaskValue } from './TaskValue.tsx';
import { waitingOn, type TaskCardState } from './triageStore.ts';

const STATUS_TEXT: Record<TaskCardState['status'], string> = {
  pending: 'Pending',
  running: 'Running',
  ok: 'Done',
  error: 'Failed',
  skipped: 'Skipped',
};

function StatusPill({ status }: { status: TaskCardState['status'] }) {
  return (
    <span className={`pill pill-${status}`}>
      {status === 'running' && <span className="spinner" aria-hidden="true" />}
      {status === 'ok' && <CheckIcon />}
      {status === 'error' && <AlertIcon />}
      {status === 'skipped' && <SkipIcon />}
      {status === 'pending' && <ClockIcon />}
      {STATUS_TEXT[status]}
    </span>
  );
}

export function TaskCard({ task, onCriticalPath }: { task: TaskId; onCriticalPath: boolean }) {
  const phase = useTriage((s) => s.phase);
  const tasks = useTriage((s) => s.tasks);
  const card = tasks[task];
  const waiting = waitingOn(tasks, task);
  const assigned = useTriage((s) => s.assignment?.[task] ?? null);
  const now = useNow(card.status === 'running');
  const elapsed = card.startedAt === null ? null : Math.max(0, now - card.startedAt);
  const decl = TASKS[task];
  const r = card.result;
  const inRun = phase === 'starting' || phase === 'running';
  const modelSpec = r ? `${r.provider}:${r.model}` : card.model ? `${card.provider}:${card.model}` : assigned;
  const spec = modelSpec ? splitSpec(modelSpec) : null;

  let body;
  if (card.status === 'running') {
    body = (
      <p className="state-line running">
        Asking the model… <span className="tabular elapsed">{formatMs(elapsed)}</span>
      </p>
    );
  } else if (card.status === 'pending') {
    const names = waiting.map((d) => TASKS[d].label.toLowerCase()).join(' and ');
    body = (
      <p className="state-line muted">
        {!inRun ? (phase === 'done' ? 'Not run' : 'Not run yet') : waiting.length ? `Waiting for ${names}` : 'Queued'}
      </p>
    );
  } else if (card.status === 'skipped') {
    body = (
      <p className="state-line skipped">
        Skipped{r?.error ? ` — ${r.error.message}` : ''}
      </p>
    );
  } else if (card.status === 'error') {
    body = (
      <div className="error-box" role="group" aria-label={`${decl.label} error`}>
        <span className="code">{r?.error?.code ?? 'ERROR'}</span>
        <span className="reason">{r?.error?.message ?? 'The call failed.'}</span>
      </div>
    );
  } else {
    body = <TaskValue task={task} value={r?.value ?? null} />;
  }

  const finished = r !== null && card.status !== 'skipped';
  return (
    <article
      className={`card card-${task} status-${card.status}${onCriticalPath ? ' critical' : ''}`}
      data-testid={`card-${task}`}
      data-status={card.status}
      aria-busy={card.status === 'running'}
      aria-labelledby={`card-title-${task}`}
    >
      <header className="card-head">
        <h3 id={`card-title-${task}`} className="card-title">
          {decl.label}
        </h3>
        {onCriticalPath && <span className="tag-critical" title="On the critical path">critical path</span>}
        <StatusPill status={card.status} />
      </header>
      <p className="card-model mono" title={modelSpec ?? undefined} data-testid={`model-${task}`}>
        {spec ? (
          <>
            {spec.provider && <span className="provider">{spec.provider}</span>}
            {spec.model}
          </>
        ) : (
          '—'
        )}
      </p>
      <div className="card-body">{body}</div>
      <footer className="card-meta">
        {finished && r ? (
          <>
            <span className="meta-ms tabular" data-testid={`ms-${task}`} title="Latency of the call">
              {formatMs(r.latencyMs)}
            </span>
            <span className="tabular" title="Input and output tokens">
              {formatTokens(r.inputTokens, r.outputTokens)}
            </span>
            <span className={`tabular meta-cost${r.costUsd === null ? ' unknown' : ''}`} title="Cost of the call">
              {formatCost(r.costUsd)}
            </span>
            {r.attempts > 1 && <span title="Calls made, including retries">{r.attempts} attempts</span>}
          </>
        ) : (
          <span className="muted">
            {decl.dependsOn.length ? `after ${decl.dependsOn.map((d) => TASKS[d].label.toLowerCase()).join(' and ')}` : 'no dependencies'}
          </span>
        )}
      </footer>
    </article>
  );
}

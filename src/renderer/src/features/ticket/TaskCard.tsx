// One fact's card: waiting → asking the model (live ms) → its value, or a clear failure with the
// reason and a retry. Model, latency, tokens and cost on every finished card.
import { memo, useLayoutEffect } from 'react';
import { TASKS, type TaskId } from '#shared/tasks.ts';
import { notePaint } from '#renderer/app/perfProbe.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { useNow } from '#renderer/app/useNow.ts';
import { Icon, Spinner } from '#renderer/app/ui.tsx';
import { openKeySettings, rerunTicket } from '#renderer/commands/actions.ts';
import { formatCost, formatMs, formatTokens, splitSpec } from './format.ts';
import { TaskValue } from './TaskValue.tsx';
import { OriginLine } from '../traces/OriginLine.tsx';
import { waitingOn, type CardStatus } from './ticketStore.ts';
import { errorWords } from '#renderer/app/errorWords.tsx';
import { keyProviderOf } from '../settings/settingsStore.ts';
import './ticket.css';

const STATUS_TEXT: Record<CardStatus, string> = { pending: 'Waiting', running: 'Running', ok: 'Done', error: 'Failed', skipped: 'Skipped' };
const STATUS_ICON: Record<CardStatus, string> = {
  pending: 'clock',
  running: '',
  ok: 'pass-filled',
  error: 'error',
  skipped: 'debug-step-over',
};

/** Human words for an error code, in front of the provider's own message. */

function StatusPill({ status, stopped }: { status: CardStatus; stopped: boolean }) {
  if (stopped) {
    return (
      <span className="pill pill-stopped">
        <Icon name="debug-pause" />
        Not finished
      </span>
    );
  }
  return (
    <span className={`pill pill-${status}`}>
      {status === 'running' ? <Spinner /> : <Icon name={STATUS_ICON[status]} />}
      {STATUS_TEXT[status]}
    </span>
  );
}

export const TaskCard = memo(function TaskCard({
  ticketId,
  task,
  onCriticalPath,
}: {
  ticketId: string;
  task: TaskId;
  onCriticalPath: boolean;
}) {
  const { stores } = useApp();
  const card = useS('ticket', (s) => s.views[ticketId]?.tasks[task]);
  // What a pending card waits for, as a string: this card re-renders only when its own state changes.
  const waitingFor = useS('ticket', (s) => {
    const tasks = s.views[ticketId]?.tasks;
    return tasks
      ? waitingOn(tasks, task)
          .map((d) => TASKS[d].label.toLowerCase())
          .join(' and ')
      : '';
  });
  const state = useS('ticket', (s) => s.views[ticketId]?.state);
  // Which attempt of a hedged call answered: the duplicate ('hedge'), the original ('primary'), or none hedged.
  const hedged = useS('ticket', (s) => {
    const calls = s.views[ticketId]?.calls.filter((c) => c.task === task && c.hedge) ?? [];
    if (calls.length === 0) return null;
    return calls.find((c) => c.hedge && c.status === 'ok' && !c.hedgeLost)?.hedge ?? 'sent';
  });
  const assigned = useS('ticket', (s) => s.views[ticketId]?.assignment?.[task] ?? null);
  const fallbackModel = useS('settings', (s) => s.settings?.assignment[task] ?? null);
  const now = useNow(card?.status === 'running');
  const r = card?.result ?? null;

  // For bench/ui.ts: how long after the host published this result it reached the screen.
  useLayoutEffect(() => {
    if (r && card?.emittedAt) notePaint(card.emittedAt);
  }, [r, card?.emittedAt]);

  if (!card) return null;
  const decl = TASKS[task];
  const elapsed = card.startedAt === null ? null : Math.max(0, now - card.startedAt);
  const modelSpec = r
    ? `${r.provider}:${r.model}`
    : card.model
      ? `${card.provider}:${card.model}`
      : (assigned ?? (state === 'new' ? fallbackModel : null));
  const spec = modelSpec ? splitSpec(modelSpec) : null;

  let body;
  if (card.status === 'running') {
    body = (
      <p className="state-line running">
        Asking the model… <span className="tabular elapsed">{formatMs(elapsed)}</span>
      </p>
    );
  } else if (card.status === 'pending') {
    body = (
      <p className="state-line muted">
        {state === 'running'
          ? waitingFor
            ? `Waiting for ${waitingFor}`
            : 'Queued'
          : state === 'interrupted'
            ? 'Not finished: the app closed or the run was cancelled'
            : state === 'waiting'
              ? 'Waiting: its batch is stopped or waits for the go-ahead'
              : 'Not run yet'}
      </p>
    );
  } else if (card.status === 'skipped') {
    body = (
      <p className="state-line skipped">
        <Icon name="debug-step-over" /> Skipped
        {/* The held ticket's banner says what to ask for once; each card need not repeat it. */}
        {r?.error?.code === 'NEEDS_INFO' ? ' — held for more information (above)' : r?.error ? ` — ${r.error.message}` : ''}
      </p>
    );
  } else if (card.status === 'error') {
    const code = r?.error?.code ?? 'ERROR';
    body = (
      <div className="error-box" role="group" aria-label={`${decl.label} failed`} data-testid={`error-${task}`}>
        <div className="error-head">
          <Icon name="error" />
          <strong title={`error code ${code}`} data-code={code}>
            {errorWords(code)}
          </strong>
        </div>
        <p className="reason">{r?.error?.message ?? 'The call failed.'}</p>
        <div className="error-actions">
          <button
            type="button"
            className="btn small"
            data-testid={`retry-${task}`}
            onClick={() => void rerunTicket(stores, ticketId, task)}
            disabled={state === 'running'}
          >
            <Icon name="refresh" /> Retry {decl.label.toLowerCase()}
          </button>
          {(code === 'KEY_MISSING' || code === 'AUTH') && (
            <button type="button" className="btn small" onClick={() => openKeySettings(stores, keyProviderOf(r?.provider))}>
              <Icon name="key" /> Provider keys
            </button>
          )}
          {(code === 'MODEL_RETIRED' || code === 'MODEL_NOT_FOUND') && (
            <button
              type="button"
              className="btn small"
              onClick={() => {
                stores.layout.getState().actions.showActivity('settings');
                stores.editor.getState().actions.openSettings('assignment');
              }}
            >
              <Icon name="settings" /> Change model
            </button>
          )}
        </div>
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
      aria-labelledby={`card-title-${ticketId}-${task}`}
    >
      <header className="card-head">
        <h3 id={`card-title-${ticketId}-${task}`} className="card-title">
          {decl.label}
        </h3>
        {onCriticalPath && (
          <span className="tag-critical" title="On the critical path: this chain set the ticket's total time">
            critical path
          </span>
        )}
        {card.reused && (
          <span className="tag-reused" title="Kept from the previous run; not asked again">
            kept
          </span>
        )}
        {card.result?.speculative && (
          <span
            className="tag-reused"
            data-testid={`speculative-${task}`}
            title="Started at once on the platform (and product) guessed from the ticket's keywords, before the model answered; the answer agreed, so this is the call a sequential run makes"
          >
            started early
          </span>
        )}
        <StatusPill status={card.status} stopped={card.status === 'pending' && state === 'interrupted'} />
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
      <OriginLine ticketId={ticketId} task={task} />
      <div className="card-body">{body}</div>
      <footer className="card-meta">
        {finished && r ? (
          <>
            <span
              className="meta-ms tabular"
              data-testid={`ms-${task}`}
              title="The call itself: request sent → answer received (no wait for a slot, no retries)"
            >
              call {formatMs(r.latencyMs)}
            </span>
            {(r.slotWaitMs ?? 0) >= 1 && (
              <span
                className="tabular muted"
                data-testid={`wait-${task}`}
                title="Time this task waited for a free slot (concurrency or rate limit) before its call was sent"
              >
                waited {formatMs(r.slotWaitMs!)} for a slot
              </span>
            )}
            <span className="tabular" title="Input and output tokens">
              {formatTokens(r.inputTokens, r.outputTokens)}
            </span>
            {r.attempts > 1 && <span title="Calls made, including retries">{r.attempts} attempts</span>}
            {hedged && (
              <span
                className="muted"
                data-testid={`hedged-${task}`}
                title="The call ran past its model's recorded p95 for this task, so one duplicate was sent; the first answer is shown and the other was cancelled (both are recorded)"
              >
                {hedged === 'hedge'
                  ? 'hedged: the duplicate answered first'
                  : hedged === 'primary'
                    ? 'hedged: the original answered first'
                    : 'hedged'}
              </span>
            )}
            <span className={`tabular meta-cost${r.costUsd === null ? ' unknown' : ''}`} title="Cost of the call">
              {formatCost(r.costUsd)}
            </span>
          </>
        ) : (
          <span className="muted">
            {decl.dependsOn.length ? `after ${decl.dependsOn.map((d) => TASKS[d].label.toLowerCase()).join(' and ')}` : 'no dependencies'}
          </span>
        )}
      </footer>
    </article>
  );
});

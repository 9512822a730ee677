// Batches in the workbench: a batch waiting for the go-ahead shows its estimate and asks; a running
// one has Stop; a stopped one (by the user or the daily spend limit) says why and has Resume.
// The palette has the same Stop Batch / Resume Batch commands.
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Modal } from '#renderer/app/Modal.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { EstimateLines } from './EstimateLines.tsx';
import { ErrorCode } from '#renderer/app/errorWords.tsx';
import './spend.css';

export function BatchConfirm() {
  const { stores } = useApp();
  const pending = useS('status', (s) => s.batches.find((b) => b.state === 'confirm' && !s.dismissed.includes(b.runId)));
  if (!pending) return null;
  const actions = stores.status.getState().actions;
  return (
    <Modal
      label="Start this batch?"
      onClose={() => void actions.notNow(pending.runId)}
      className="picker spend-confirm"
      testId="batch-confirm"
    >
      <header className="modal-head">
        <h2>
          Triage {pending.total.toLocaleString('en-US')} tickets from {pending.label}?
        </h2>
        <p className="muted small">The tickets are stored and listed. Nothing has been sent to a model yet.</p>
      </header>
      <div className="spend-body">{pending.estimate && <EstimateLines e={pending.estimate} />}</div>
      <footer className="modal-foot">
        <span className="muted small">Stop and Resume stay available in the batch bar and the command palette.</span>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => void actions.notNow(pending.runId)} data-testid="batch-not-now">
          Not now
        </button>
        <button
          type="button"
          className="btn primary"
          data-autofocus
          onClick={() => void actions.startBatch(pending.runId)}
          data-testid="batch-start"
        >
          <Icon name="play" /> Start triage
        </button>
      </footer>
    </Modal>
  );
}

export function BatchBar() {
  const { stores } = useApp();
  const batches = useS('status', (s) => s.batches);
  const error = useS('status', (s) => s.batchError);
  const shown = batches.filter((b) => b.state !== 'done' && b.state !== 'confirm').slice(0, 3);
  if (shown.length === 0 && !error) return null;
  const actions = stores.status.getState().actions;
  return (
    <div className="batch-bar" data-testid="batch-bar">
      {shown.map((b) => (
        <div key={b.runId} className={`batch-row batch-${b.state}`} data-testid="batch-row" data-state={b.state} data-run-id={b.runId}>
          <Icon
            name={b.state === 'running' ? 'loading' : b.state === 'limited' ? 'warning' : 'debug-pause'}
            className={b.state === 'running' ? 'codicon-modifier-spin' : ''}
          />
          <span className="batch-label" title={b.label}>
            {b.label}
          </span>
          <span className="tabular muted" data-testid="batch-progress">
            {b.done.toLocaleString('en-US')} / {b.total.toLocaleString('en-US')}
          </span>
          <span className="batch-state">
            {b.state === 'running' ? 'running' : b.state === 'limited' ? 'stopped: spend limit' : 'stopped'}
          </span>
          {b.message && (
            <span className="batch-msg small" data-testid="batch-message" title={b.message}>
              {b.message}
            </span>
          )}
          <span className="spacer" />
          {b.state === 'running' ? (
            <button type="button" className="btn small" onClick={() => void actions.stopBatch(b.runId)} data-testid="batch-stop">
              <Icon name="debug-stop" /> Stop
            </button>
          ) : (
            <button type="button" className="btn small" onClick={() => void actions.resumeBatch(b.runId)} data-testid="batch-resume">
              <Icon name="debug-continue" /> Resume
            </button>
          )}
        </div>
      ))}
      {error && (
        <div className="batch-row batch-error" role="alert" data-testid="batch-error">
          <ErrorCode code={error.code} /> <span className="batch-msg small">{error.message}</span>
        </div>
      )}
    </div>
  );
}

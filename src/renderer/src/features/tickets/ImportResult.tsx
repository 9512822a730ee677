// The latest import's outcome above the ticket list: how many tickets came in, and every skipped
// line with its number and reason (a long list folds, nothing is cut); a refusal says why.
// Dismissed with its close button or Escape.
import { useState } from 'react';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import './tickets.css';

const FOLDED = 5;

export function ImportResult() {
  const { stores } = useApp();
  const outcome = useS('tickets', (s) => s.lastImport);
  const [open, setOpen] = useState(false);
  // The batch as it is now (the import's answer said how it was then: waiting for the go-ahead).
  const batchState = useS('status', (s) => (outcome?.ok ? (s.batches.find((b) => b.runId === outcome.report.runId)?.state ?? null) : null));
  if (!outcome) return null;
  const dismiss = () => {
    setOpen(false);
    stores.tickets.getState().actions.showImport(null);
  };
  const close = (
    <button
      type="button"
      className="icon-btn import-result-close"
      aria-label="Dismiss the import result"
      title="Dismiss (Esc)"
      onClick={dismiss}
      data-testid="import-result-dismiss"
    >
      <Icon name="close" />
    </button>
  );
  if (!outcome.ok) {
    return (
      <div
        className="notice error import-result"
        role="alert"
        data-testid="import-result"
        data-state="refused"
        onKeyDown={(e) => e.key === 'Escape' && dismiss()}
      >
        <Icon name="error" />
        <div className="import-result-body">
          <strong>{outcome.source} was not imported.</strong> {outcome.message}
        </div>
        {close}
      </div>
    );
  }
  const r = outcome.report;
  const bad = r.badLines;
  const shown = open ? bad : bad.slice(0, FOLDED);
  return (
    <div
      className={`notice ${bad.length ? 'warn' : 'ok'} import-result`}
      role="status"
      data-testid="import-result"
      data-state={bad.length ? 'partial' : 'ok'}
      onKeyDown={(e) => e.key === 'Escape' && dismiss()}
    >
      <Icon name={bad.length ? 'warning' : 'check'} />
      <div className="import-result-body">
        <div>
          <strong data-testid="import-result-added">
            {r.added.toLocaleString('en')} {outcome.samples ? 'sample ' : ''}ticket{r.added === 1 ? '' : 's'} imported
          </strong>{' '}
          {outcome.samples ? '(the demo’s tickets with gold labels, as ' : 'from '}
          <span className="mono">{r.source}</span>
          {outcome.samples ? ')' : ''}
          {(batchState ?? r.batch?.state) === 'confirm'
            ? ', waiting for your go-ahead (see the batch bar)'
            : r.added > 0
              ? ', queued for triage'
              : ''}
          {bad.length > 0 && (
            <>
              {' · '}
              <span data-testid="import-result-skipped">
                {bad.length.toLocaleString('en')} line{bad.length === 1 ? '' : 's'} skipped
              </span>
            </>
          )}
        </div>
        {bad.length > 0 && (
          <ul className="import-result-lines" data-testid="import-result-lines">
            {shown.map((b) => (
              <li key={`${b.line}:${b.message}`}>
                {b.line > 0 ? <span className="tabular">line {b.line}</span> : <span>file</span>}: {b.message}
              </li>
            ))}
          </ul>
        )}
        {bad.length > FOLDED && (
          <button type="button" className="link-btn" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="import-result-more">
            {open ? 'Show fewer' : `Show all ${bad.length.toLocaleString('en')}`}
          </button>
        )}
      </div>
      {close}
    </div>
  );
}

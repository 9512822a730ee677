// Where a ticket is pasted and a run is started or cancelled.
import { useEffect, useId } from 'react';
import { useTriage } from '../../app/stores.tsx';
import { PlayIcon, StopIcon } from '../../app/icons.tsx';
import { MAX_TICKET_BYTES } from '../../../../shared/routes.ts';
import { AssignmentLine } from './AssignmentLine.tsx';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const RUN_SHORTCUT = isMac ? '⌘ Enter' : 'Ctrl Enter';

export function TicketPanel() {
  const inputId = useId();
  const hintId = useId();
  const text = useTriage((s) => s.text);
  const phase = useTriage((s) => s.phase);
  const cancelling = useTriage((s) => s.cancelling);
  const error = useTriage((s) => s.error);
  const { setTicketText, startTriage, cancelTriage } = useTriage((s) => s.actions);
  const busy = phase === 'starting' || phase === 'running';
  const bytes = new TextEncoder().encode(text).length;

  // Ctrl/Cmd+Enter runs from anywhere in the window.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey) {
        e.preventDefault();
        void startTriage();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [startTriage]);

  return (
    <section className="panel ticket-panel" aria-labelledby={`${inputId}-label`}>
      <div className="panel-head">
        <label id={`${inputId}-label`} htmlFor={inputId} className="panel-title">
          Ticket
        </label>
        <span className={`byte-count${bytes > MAX_TICKET_BYTES ? ' over' : ''}`} aria-live="off">
          {bytes.toLocaleString('en')} bytes
        </span>
      </div>
      <textarea
        id={inputId}
        data-testid="ticket-input"
        className="ticket-input"
        value={text}
        spellCheck={false}
        aria-describedby={hintId}
        placeholder={'Paste a support ticket here…\n\ne.g. “Our prod GKE cluster in project acme-prod-42 stopped scheduling pods after the 1.29 upgrade. Customers see 502s.”'}
        onChange={(e) => setTicketText(e.target.value)}
      />
      <div className="ticket-actions">
        <button
          type="button"
          className="btn primary"
          data-testid="run-button"
          onClick={() => void startTriage()}
          disabled={busy}
          aria-keyshortcuts={isMac ? 'Meta+Enter' : 'Control+Enter'}
        >
          <PlayIcon /> {busy ? 'Running…' : 'Run triage'}
        </button>
        {phase === 'running' && (
          <button type="button" className="btn" data-testid="cancel-button" onClick={() => void cancelTriage()} disabled={cancelling}>
            <StopIcon /> {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
        <span id={hintId} className="hint">
          <kbd>{RUN_SHORTCUT}</kbd> runs
        </span>
      </div>
      {error && (
        <div className="banner error" role="alert" data-testid="triage-error">
          <span className="code">{error.code}</span> {error.message}
        </div>
      )}
      <AssignmentLine />
    </section>
  );
}

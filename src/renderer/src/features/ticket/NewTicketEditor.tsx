// Pasting a ticket: the text, its size against the limit, and Ctrl/Cmd+Enter to triage it.
import { useEffect, useId, useRef, useState } from 'react';
import type { SpendEstimate } from '#shared/spend.ts';
import { EstimateLines } from '../spend/EstimateLines.tsx';
import { MAX_TICKET_BYTES } from '#shared/limits.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon, Kbd, Spinner } from '#renderer/app/ui.tsx';
import { openKeySettings } from '#renderer/commands/actions.ts';
import { tooLarge } from './ticketStore.ts';
import { ErrorCode } from '#renderer/app/errorWords.tsx';
import './ticket.css';

export function NewTicketEditor() {
  const { stores, transport } = useApp();
  const id = useId();
  const text = useS('ticket', (s) => s.draft.text);
  const error = useS('ticket', (s) => s.draft.error);
  const starting = useS('ticket', (s) => s.draft.starting);
  const assignment = useS('settings', (s) => s.settings?.assignment);
  const demo = useS('settings', (s) => s.settings?.demo ?? false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const bytes = new TextEncoder().encode(text).length;
  const over = bytes > MAX_TICKET_BYTES;

  useEffect(() => ref.current?.focus(), []);

  const [estimate, setEstimate] = useState<(SpendEstimate & { needsConfirm: boolean }) | null>(null);
  // "Triage anyway" holds for the confirmation of a large ticket that follows it.
  const anyway = useRef<string | null>(null);
  const submit = async (confirmed = false, skipInfoGate = false) => {
    setEstimate(null);
    if (skipInfoGate) anyway.current = text;
    const r = await stores.ticket.getState().actions.submitDraft(confirmed, skipInfoGate || anyway.current === text);
    if (r) {
      stores.editor.getState().actions.replaceNewWithTicket(r.ticketId, r.title);
      stores.tickets.getState().actions.select(r.ticketId);
      return;
    }
    const err = stores.ticket.getState().draft.error;
    if (err?.code === 'KEY_MISSING') openKeySettings(stores, err.provider ?? null);
    if (err?.code === 'CONFIRM_SPEND') {
      // Over the ask-first threshold: show what it would cost and ask.
      const e = await transport.request('triage.estimate', { text: stores.ticket.getState().draft.text });
      if (e.ok) setEstimate(e.data);
    }
  };

  return (
    <div className="new-ticket" data-testid="new-ticket-editor">
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title">New ticket</h2>
          <p className="eh-sub">Paste the ticket as the customer wrote it; each fact appears the moment its model answers.</p>
        </div>
      </header>
      <div className="nt-body">
        <div className="nt-label-row">
          <label htmlFor={id} className="pane-title">
            Ticket text
          </label>
          <span className={`byte-count${over ? ' over' : ''}`} data-testid="byte-count">
            {bytes.toLocaleString('en')} / {MAX_TICKET_BYTES.toLocaleString('en')} bytes
          </span>
        </div>
        <textarea
          id={id}
          ref={ref}
          data-testid="ticket-input"
          className="ticket-input"
          value={text}
          spellCheck={false}
          aria-invalid={over || undefined}
          placeholder={
            'Paste a support ticket here…\n\ne.g. “Our prod GKE cluster in project acme-prod-42 stopped scheduling pods after the 1.29 upgrade. Customers see 502s.”'
          }
          onChange={(e) => stores.ticket.getState().actions.setDraft(e.target.value)}
          onPaste={(e) => {
            // A 10 MB paste is refused before it reaches the editor, with the limit stated.
            const pasted = e.clipboardData.getData('text');
            const el = e.currentTarget;
            const next = text.length - (el.selectionEnd - el.selectionStart) + pasted.length;
            if (
              next > MAX_TICKET_BYTES / 4 &&
              new TextEncoder().encode(text).length + new TextEncoder().encode(pasted).length > MAX_TICKET_BYTES
            ) {
              e.preventDefault();
              stores.ticket.getState().actions.refuseDraft(tooLarge(new TextEncoder().encode(pasted).length));
            }
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <div className="nt-actions">
          <button type="button" className="btn primary" data-testid="run-button" onClick={() => void submit()} disabled={starting}>
            {starting ? <Spinner /> : <Icon name="play" />} Triage <Kbd chord="mod+enter" />
          </button>
          {assignment && (
            <span
              className="muted small"
              title={Object.entries(assignment)
                .map(([t, m]) => `${t}: ${m}`)
                .join('\n')}
            >
              {demo
                ? 'Keyless demo models (simulated)'
                : `${new Set(Object.values(assignment)).size} model(s) from Settings → Model assignment`}
            </span>
          )}
        </div>
        {error?.code === 'CONFIRM_SPEND' && estimate ? (
          <div className="spend-ask" role="alertdialog" aria-label="Confirm triage of a large ticket" data-testid="paste-confirm">
            <p>
              <strong>This ticket is large.</strong> Triage it?
            </p>
            <EstimateLines e={estimate} />
            <div className="nt-actions">
              <button type="button" className="btn primary" data-testid="paste-confirm-go" onClick={() => void submit(true)}>
                <Icon name="play" /> Triage it
              </button>
              <button
                type="button"
                className="btn"
                data-testid="paste-confirm-cancel"
                onClick={() => {
                  setEstimate(null);
                  stores.ticket.getState().actions.setDraft(text);
                }}
              >
                Cancel
              </button>
            </div>
          </div>
        ) : (
          error && (
            <div className="banner error" role="alert" data-testid="triage-error">
              <ErrorCode code={error.code} /> {error.message}
              {error.code === 'NEEDS_INFO' && (
                <button type="button" className="link-btn" data-testid="triage-anyway" onClick={() => void submit(false, true)}>
                  Triage anyway
                </button>
              )}
              {error.code === 'KEY_MISSING' && (
                <button type="button" className="link-btn" onClick={() => openKeySettings(stores, error.provider ?? null)}>
                  Open provider keys
                </button>
              )}
            </div>
          )
        )}
      </div>
    </div>
  );
}

// The review screen's ticket: its text with the answers' ids and details marked, and what was
// masked before the models saw it (with Flag a miss).
import { useEffect, useMemo, useState } from 'react';
import type { ReviewItemView } from '#shared/review.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { asStringList, asTechnicalDetails } from '../ticket/format.ts';
import { findMarks, segments } from '../ticket/highlight.ts';
import type { PrivacyPreview } from '#shared/routes/privacyRoutes.ts';
export function ReviewTicketText({ item }: { item: ReviewItemView }) {
  const segs = useMemo(() => {
    const ids = item.task === 'asset_ids' ? [...new Set(item.answers.flatMap((a) => asStringList(a.value) ?? []))] : [];
    const details =
      item.task === 'technical_details'
        ? [...new Set(item.answers.flatMap((a) => asTechnicalDetails(a.value)?.present ?? []))]
        : item.task === 'product'
          ? [...new Set(item.answers.flatMap((a) => (typeof a.value === 'string' ? [a.value] : [])))]
          : [];
    return segments(item.ticket.text, findMarks(item.ticket.text, ids, details));
  }, [item]);
  const counts = { asset: 0, detail: 0 };
  for (const s of segs) if (s.mark) counts[s.mark.kind]++;
  return (
    <section className="ticket-text-pane" aria-label="Ticket text">
      <div className="pane-head">
        <h3 className="pane-title">Ticket</h3>
        <span className="legend">
          <span className="mono">{item.ticket.id}</span> · <span className="hl hl-asset">asset id</span> {counts.asset} ·{' '}
          <span className="hl hl-detail">{item.task === 'product' ? 'product' : 'technical detail'}</span> {counts.detail}
        </span>
      </div>
      {item.ticket.title && <p className="rv-ticket-title">{item.ticket.title}</p>}
      <pre className="ticket-text" data-testid="review-ticket-text" tabIndex={0}>
        {segs.map((s, i) =>
          s.mark ? (
            <mark key={i} className={`hl hl-${s.mark.kind}`} data-mark={s.mark.kind} title={s.mark.label}>
              {s.text}
            </mark>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
      </pre>
      <MaskedPanel ticketId={item.ticket.id} text={item.ticket.text} />
    </section>
  );
}

/**
 * What was masked in this ticket before it was sent to the models (the workspace's rules now), so a
 * reviewer can spot a miss: select the missed text in the ticket and flag it. Only offsets and a
 * kind are sent back; the value stays where it is, in the ticket.
 */
export function MaskedPanel({ ticketId, text }: { ticketId: string; text: string }) {
  const { transport } = useApp();
  const [preview, setPreview] = useState<PrivacyPreview | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setPreview(null);
    setStatus(null);
    transport.request('privacy.preview', { ticketId }).then(
      (r) => live && setPreview(r.ok ? r.data : null),
      () => live && setPreview(null),
    );
    return () => {
      live = false;
    };
  }, [transport, ticketId]);
  const flag = (): void => {
    const sel = window.getSelection();
    const pre = document.querySelector('[data-testid="review-ticket-text"]');
    if (!sel || sel.isCollapsed || !pre || !sel.anchorNode || !pre.contains(sel.anchorNode)) {
      setStatus('Select the missed text in the ticket first.');
      return;
    }
    const range = sel.getRangeAt(0);
    const before = document.createRange();
    before.selectNodeContents(pre);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    const end = start + range.toString().length;
    if (end <= start || end > text.length) {
      setStatus('Select the missed text in the ticket first.');
      return;
    }
    transport.request('privacy.flagMiss', { ticketId, start, end, kind: 'missed' }).then(
      (r) => setStatus(r.ok ? `Flagged ${end - start} characters as missed.` : `Not flagged: ${r.error.message}`),
      (e: unknown) => setStatus(`Not flagged: ${(e as Error).message}`),
    );
  };
  if (!preview) return null;
  return (
    <div className="rv-masked" role="group" data-testid="review-masked" aria-label="Masked before sending">
      <span className="faint">Masked before sending:</span>{' '}
      {preview.masked.length === 0 ? (
        <span>nothing</span>
      ) : (
        [...new Map(preview.masked.map((m) => [m.placeholder, m])).values()].map((m) => (
          <span key={m.placeholder} className="rv-masked-item" title={text.slice(m.start, m.end)}>
            <span className="mono">{m.placeholder}</span> <span className="faint">{m.kind.replace(/_/g, ' ')}</span>{' '}
          </span>
        ))
      )}{' '}
      <button
        type="button"
        className="link-btn"
        onClick={flag}
        data-testid="review-flag-miss"
        title="Select text in the ticket that should have been masked, then flag it"
      >
        Flag a miss
      </button>
      {status && <span role="status"> {status}</span>}
    </div>
  );
}

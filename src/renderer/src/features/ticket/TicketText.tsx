// The ticket as written, with the asset ids and technical details the models found marked in place.
import { useMemo } from 'react';
import { useS } from '#renderer/app/stores.tsx';
import { asStringList, asTechnicalDetails } from './format.ts';
import { findMarks, segments } from './highlight.ts';

export function TicketText({ ticketId }: { ticketId: string }) {
  const text = useS('ticket', (s) => s.views[ticketId]?.ticket?.text ?? '');
  const assets = useS('ticket', (s) => s.views[ticketId]?.tasks.asset_ids.result?.value);
  const details = useS('ticket', (s) => s.views[ticketId]?.tasks.technical_details.result?.value);
  const segs = useMemo(() => {
    const ids = asStringList(assets) ?? [];
    const present = asTechnicalDetails(details)?.present ?? [];
    return segments(text, findMarks(text, ids, present));
  }, [text, assets, details]);
  const counts = { asset: 0, detail: 0 };
  for (const s of segs) if (s.mark) counts[s.mark.kind]++;
  return (
    <section className="ticket-text-pane" aria-label="Ticket text">
      <div className="pane-head">
        <h3 className="pane-title">Ticket</h3>
        <span className="legend">
          <span className="hl hl-asset">asset id</span> {counts.asset} · <span className="hl hl-detail">technical detail</span>{' '}
          {counts.detail}
        </span>
      </div>
      <pre className="ticket-text" data-testid="ticket-text" tabIndex={0}>
        {segs.map((s, i) =>
          s.mark ? (
            <mark
              key={i}
              className={`hl hl-${s.mark.kind}`}
              data-mark={s.mark.kind}
              title={s.mark.kind === 'asset' ? `Asset id: ${s.mark.label}` : `Technical detail: ${s.mark.label}`}
            >
              {s.text}
            </mark>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
      </pre>
    </section>
  );
}

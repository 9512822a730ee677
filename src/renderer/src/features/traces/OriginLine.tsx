// On a ticket card: where an imported call came from (format, file, position, source ids). Shown
// only when the ticket view shows an imported run; calls casebench made itself have no origin.
import { useEffect } from 'react';
import type { CallOriginView } from '#shared/traces.ts';
import type { TaskId } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { originParts, originText } from './origin.ts';
import { originKey } from './tracesStore.ts';
import './traces.css';

/** The origin's parts; `inFile` leaves out the format and file (a list of one import's calls). */
export function OriginParts({ o, inFile = false }: { o: CallOriginView; inFile?: boolean }) {
  return (
    <>
      {originParts(o)
        .slice(inFile ? 2 : 0)
        .map((p, i) => (
          <span key={i} className="tr-origin-part" title={p.full}>
            {p.label && <span className="faint">{p.label} </span>}
            {p.value}
          </span>
        ))}
    </>
  );
}

export function OriginLine({ ticketId, task }: { ticketId: string; task: TaskId }) {
  const { stores } = useApp();
  const runKind = useS('ticket', (s) => s.views[ticketId]?.runKind ?? null);
  const runId = useS('ticket', (s) => s.views[ticketId]?.runId ?? null);
  const result = useS('ticket', (s) => s.views[ticketId]?.tasks[task].result ?? null);
  const imported = runKind === 'import' && runId !== null;
  const rows = useS('traces', (s) => (imported ? s.origins[originKey(runId, ticketId)]?.rows : undefined));
  useEffect(() => {
    if (imported) void stores.traces.getState().actions.loadOrigins(runId, ticketId);
  }, [imported, runId, ticketId, stores]);
  if (!imported || !result || !rows) return null;
  const spec = `${result.provider}:${result.model}`;
  // The card's result is the latest call of its task (and model) in the import.
  const call = [...rows].reverse().find((c) => c.task === task && c.modelSpec === spec) ?? [...rows].reverse().find((c) => c.task === task);
  if (!call?.origin) return null;
  return (
    <p className="tr-origin" data-testid={`origin-${task}`} title={`Imported: ${originText(call.origin)}`}>
      <Icon name="cloud-download" />
      <span className="sr-only">Imported from </span>
      <OriginParts o={call.origin} />
    </p>
  );
}

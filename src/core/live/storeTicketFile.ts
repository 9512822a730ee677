// A ticket file read into the store as it streams: tickets written in chunks of 500 (each chunk
// one transaction, announced so the list shows them at once), bad lines kept with where and why.
// The intake (intake.ts) then queues what was stored as one batch.
import type { TicketInput } from '#shared/results.ts';
import type { ImportReport } from '#shared/routes.ts';
import type { Store } from '../store/store.ts';
import { readTicketFile } from '../tickets/ticketFile.ts';

/** Bad lines reported back in full; the rest are counted. */
const MAX_REPORTED_BAD_LINES = 50;
/** Tickets written per transaction while importing. */
const CHUNK = 500;

/**
 * Reads `path` and stores its tickets under a run made by `newRun` (only once the first line is
 * read, so a missing or unusable file creates no run). Returns the run, the tickets stored and the
 * bad lines (the first 50, then a count).
 */
export async function storeTicketFile(
  store: Store,
  path: string,
  source: string,
  on: { newRun: () => string; onAdded: () => void },
): Promise<{ runId: string; tickets: TicketInput[]; badLines: ImportReport['badLines'] }> {
  const lines = readTicketFile(path);
  // Reading the first line surfaces a missing or unusable file before a run is created.
  const first = await lines.next();
  const runId = on.newRun();
  const badLines: ImportReport['badLines'] = [];
  let bad = 0;
  const tickets: TicketInput[] = [];
  let chunk: TicketInput[] = [];
  const flush = (): void => {
    if (chunk.length === 0) return;
    const batch = chunk;
    chunk = [];
    store.transaction(() => {
      for (const t of batch) {
        store.upsertTicket(t, source);
        store.setRunTicket(runId, t.id, 'pending');
      }
    });
    on.onAdded();
  };
  const take = (line: Awaited<ReturnType<typeof lines.next>>['value']): void => {
    if (!line) return;
    if (!line.ok) {
      bad++;
      if (badLines.length < MAX_REPORTED_BAD_LINES) badLines.push({ line: line.line, message: line.message });
      return;
    }
    chunk.push(line.ticket);
    tickets.push(line.ticket);
    if (chunk.length >= CHUNK) flush();
  };
  if (!first.done) take(first.value);
  for await (const line of lines) take(line);
  flush();
  if (bad > badLines.length) badLines.push({ line: 0, message: `… and ${bad - badLines.length} more bad lines` });
  return { runId, tickets, badLines };
}

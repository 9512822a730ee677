// Route handlers of the ticket list and a ticket's view (see src/shared/routes/ticketRoutes.ts):
// the list (the unfiltered page kept until something changes, so a window opening on 10,000
// tickets does not wait for the query), one ticket, imports of ticket files and the runs.
import { readFile } from 'node:fs/promises';
import { AppError } from '#shared/errors.ts';
import { SAMPLE_SOURCE, sampleTicketsPath } from '../tickets/samples.ts';
import type { AppEvent, ImportReport, TicketsPage } from '#shared/routes.ts';
import type { TicketRouteOutputs } from '#shared/routes/ticketRoutes.ts';
import { listRuns, listTickets, runTickets, ticketDetail } from '../tickets/ticketQueries.ts';
import { createLiveBoard } from '../live/liveBoard.ts';
import type { HandlersOf } from './context.ts';
import type { WorkbenchContext } from './workbenchContext.ts';

type Handlers = HandlersOf<keyof TicketRouteOutputs>;

/** Events after which the list is read again. */
const CHANGES = new Set<AppEvent['type']>(['tickets.changed', 'ticket.summary', 'ticket.done', 'runs.changed']);

export function ticketHandlers(ctx: WorkbenchContext): { handlers: Handlers; importPath(path: string): Promise<ImportReport> } {
  const { store, notice, intake } = ctx;
  const listCache = new Map<string, TicketsPage>();
  const board = createLiveBoard();
  ctx.onEvent((e) => {
    board.observe(e);
    if (CHANGES.has(e.type)) listCache.clear();
  });
  // Warm the list for the first window (after start-up, off the critical path of creating the core).
  const warm = setTimeout(() => {
    if (!ctx.closed() && listCache.size === 0) listCache.set(JSON.stringify({}), listTickets(store, {}));
  }, 0);
  warm.unref?.();

  async function importPath(path: string): Promise<ImportReport> {
    const rep = await intake.importFile(path);
    notice(
      rep.badLines.length ? 'warn' : 'info',
      `Imported ${rep.source}: ${rep.added} tickets${rep.badLines.length ? `, ${rep.badLines.length} bad lines` : ''}`,
    );
    return rep;
  }

  const handlers: Handlers = {
    'tickets.list': async (input) => {
      const key = JSON.stringify(input);
      const hit = listCache.get(key);
      if (hit) return hit;
      const page = listTickets(store, input);
      if (listCache.size > 8) listCache.clear();
      listCache.set(key, page);
      return page;
    },
    'tickets.get': async (input) => {
      const d = ticketDetail(store, input.ticketId, input.runId);
      if (!d) throw new AppError('BAD_INPUT', `no ticket ${input.ticketId}`);
      const live = d.runId ? board.startedFor(d.runId, input.ticketId) : [];
      return live.length ? { ...d, live } : d;
    },
    'tickets.import': async (input) => {
      const rep = await intake.importContent(input.name, input.content);
      notice(
        rep.badLines.length ? 'warn' : 'info',
        `Imported ${input.name}: ${rep.added} tickets${rep.badLines.length ? `, ${rep.badLines.length} bad lines` : ''}`,
      );
      return rep;
    },
    'tickets.importPath': async (input) => importPath(input.path),
    // The demo's labelled sample tickets (resources/demo/tickets.jsonl), offered on the welcome screen.
    'tickets.importSamples': async () => {
      const content = await readFile(sampleTicketsPath(ctx.resourcesDir), 'utf8');
      const rep = await intake.importContent(SAMPLE_SOURCE, content);
      ctx.notice('info', `Imported the ${rep.added} sample tickets (${SAMPLE_SOURCE})`);
      return rep;
    },
    'runs.list': async () => listRuns(store),
    'runs.tickets': async (input) => runTickets(store, input.runId),
    'tickets.live': async () => board.tickets(),
    // The desktop host answers this one itself (src/main/hostRoutes.ts).
    'host.openTicketFile': async () => {
      throw new AppError('BAD_INPUT', 'the Open dialog exists in the desktop app; in a browser, pick the file with “Open file…”');
    },
  };
  return { handlers, importPath };
}

// Route handlers of trace imports (see src/shared/routes/traceRoutes.ts): importing a trace file
// (one at a time, each on its own connection, with progress events), cancelling, and reading the
// calls of an import with their origins.
import { AppError } from '#shared/errors.ts';
import type { TraceRouteOutputs } from '#shared/routes/traceRoutes.ts';
import type { TraceImportView } from '#shared/traces.ts';
import type { ImportProgress } from '../traces/importer.ts';
import { importCalls, importTraceAt, importTraceUpload, ticketCallOrigins, traceImports } from '../traces/workbench.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

type Handlers = HandlersOf<keyof TraceRouteOutputs>;

/** The trace imports' handlers over the core. */
export function traceHandlers(ctx: HandlerContext): Handlers {
  const { store } = ctx;
  // Trace imports run one at a time, each on its own connection (one write transaction per file),
  // and stop when the services close.
  let importChain: Promise<unknown> = Promise.resolve();
  const importAborts = new Set<AbortController>();
  ctx.onClose(() => {
    for (const ac of importAborts) ac.abort();
  });
  const serialImport = (
    name: string,
    run: (signal: AbortSignal, onProgress: (p: ImportProgress) => void) => Promise<TraceImportView>,
  ): Promise<TraceImportView> => {
    const ac = new AbortController();
    importAborts.add(ac);
    // A few progress events a second, and the last one (the whole file read) always.
    let shown = 0;
    const onProgress = (p: ImportProgress): void => {
      const now = Date.now();
      if (now - shown < 200 && p.bytesRead < p.bytes) return;
      shown = now;
      ctx.emit({ type: 'traces.progress', name, calls: p.calls, skipped: p.skipped, bytesRead: p.bytesRead, bytes: p.bytes });
    };
    const next = importChain.then(() => {
      if (ctx.closed()) throw new AppError('CANCELLED', 'the workbench is closing');
      if (ac.signal.aborted) throw new AppError('CANCELLED', `import of ${name} cancelled before it started; nothing of it was written`);
      return run(ac.signal, onProgress);
    });
    importChain = next.catch(() => undefined);
    return next
      .then((r) => {
        if (!r.alreadyImported && (r.calls > 0 || r.results > 0)) {
          ctx.emit({ type: 'tickets.changed', reason: 'added' });
          ctx.emit({ type: 'runs.changed' });
        }
        const what = r.alreadyImported
          ? `${r.file.name}: already imported (same content); nothing to do`
          : `Imported ${r.file.name}: ${r.calls} call${r.calls === 1 ? '' : 's'}, ${r.tickets} ticket${r.tickets === 1 ? '' : 's'}, ${r.skipped} skipped`;
        ctx.notice(r.skipped ? 'warn' : 'info', what);
        return r;
      })
      .finally(() => importAborts.delete(ac));
  };

  return {
    'traces.list': async () => traceImports(store),
    'traces.import': async (input) =>
      serialImport(input.name, (signal, onProgress) =>
        importTraceUpload(ctx.dbPath, input, { signal, onProgress, scrubber: store.secretScrubber }),
      ),
    'traces.importPath': async (input) =>
      serialImport(input.path.split(/[\\/]/).pop() || input.path, (signal, onProgress) =>
        importTraceAt(ctx.dbPath, input.path, { signal, onProgress, again: input.again, scrubber: store.secretScrubber }),
      ),
    'traces.cancel': async () => {
      const running = [...importAborts].filter((ac) => !ac.signal.aborted);
      for (const ac of running) ac.abort();
      return { cancelled: running.length };
    },
    'traces.openDialog': async () => {
      throw new AppError('BAD_INPUT', 'the Open dialog exists in the desktop app; in a browser, pick or drop the trace file');
    },
    'traces.calls': async (input) => importCalls(store, input.runId, input.limit),
    'traces.origins': async (input) => ticketCallOrigins(store, input.runId, input.ticketId),
  };
}

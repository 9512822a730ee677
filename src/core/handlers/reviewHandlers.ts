// Route handlers of the Review and Traces views (see src/shared/routes/reviewRoutes.ts).
import { AppError } from '../../shared/errors.ts';
import type { QueueSpecInput, ReviewSelection, SlotScoreInput } from '../../shared/review.ts';
import type { ReviewRouteOutputs } from '../../shared/routes/reviewRoutes.ts';
import { assignReviewers, createQueue, type QueueSpec } from '../review/queues.ts';
import { importReviews } from '../review/jsonl.ts';
import { reviewResults } from '../review/results.ts';
import { exportForDownload, openScreen, rememberReviewer, restoreOnScreen, reviewOverview, scoreFromCorrect, scoreOnScreen, undoOnScreen } from '../review/workbench.ts';
import { importCalls, importTraceAt, importTraceUpload, ticketCallOrigins, traceImports } from '../traces/workbench.ts';
import type { TraceImportView } from '../../shared/traces.ts';
import type { ImportProgress } from '../traces/importer.ts';
import type { HandlerContext } from './context.ts';

type Handlers = { [R in keyof ReviewRouteOutputs]: (input: never) => Promise<ReviewRouteOutputs[R]> };

/** The Review and Traces views' handlers over the core. */
export function reviewHandlers(ctx: HandlerContext): Handlers {
  const { store } = ctx;
  // Trace imports run one at a time, each on its own connection (one write transaction per file),
  // and stop when the services close.
  let importChain: Promise<unknown> = Promise.resolve();
  const importAborts = new Set<AbortController>();
  ctx.onClose(() => {
    for (const ac of importAborts) ac.abort();
  });
  const serialImport = (name: string, run: (signal: AbortSignal, onProgress: (p: ImportProgress) => void) => Promise<TraceImportView>): Promise<TraceImportView> => {
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
    'reviews.overview': async () => reviewOverview(store),
    'reviews.setReviewer': async (input: { name: string }) => ({ me: rememberReviewer(store, input.name) }),
    'reviews.createQueue': async (input: QueueSpecInput) => {
      const q = createQueue(store, input as QueueSpec);
      ctx.notice('info', `Review queue ${q.id} “${q.name}”: ${q.items} items, ${q.answers} answers`);
      return q;
    },
    'reviews.assign': async (input: { queueId: string; reviewers: string[] }) => assignReviewers(store, input.queueId, input.reviewers),
    'reviews.open': async (input: { queueId: string; reviewer: string; position?: number }) => openScreen(store, input),
    'reviews.score': async (input: SlotScoreInput) => scoreOnScreen(store, input),
    'reviews.scoreFromCorrect': async (input: { queueId: string; position: number; reviewer: string; correctValue: unknown; confirmed: true }) => scoreFromCorrect(store, input),
    'reviews.restoreGold': async (input: { queueId: string; position: number; reviewer: string; entryId: number }) => restoreOnScreen(store, input),
    'reviews.undo': async (input: { queueId: string; reviewer: string }) => undoOnScreen(store, input),
    'reviews.results': async (input: ReviewSelection) => reviewResults(store, input),
    'reviews.export': async (input: ReviewSelection) => exportForDownload(store, input),
    'reviews.import': async (input: { name: string; content: string }) => {
      const r = importReviews(store, input.content, { source: input.name });
      ctx.notice(
        r.bad.length || r.conflicts.length ? 'warn' : 'info',
        `Imported ${r.imported} review${r.imported === 1 ? '' : 's'} from ${input.name}: ${r.duplicates} already there, ${r.bad.length} bad line${r.bad.length === 1 ? '' : 's'}, ${r.conflicts.length} conflict${r.conflicts.length === 1 ? '' : 's'}`,
      );
      return r;
    },
    'traces.list': async () => traceImports(store),
    'traces.import': async (input: { name: string; content: string; lastModified?: number; again?: boolean }) =>
      serialImport(input.name, (signal, onProgress) => importTraceUpload(ctx.dbPath, input, { signal, onProgress, scrubber: store.secretScrubber })),
    'traces.importPath': async (input: { path: string; again?: boolean }) =>
      serialImport(input.path.split(/[\\/]/).pop() || input.path, (signal, onProgress) => importTraceAt(ctx.dbPath, input.path, { signal, onProgress, again: input.again, scrubber: store.secretScrubber })),
    'traces.cancel': async () => {
      const running = [...importAborts].filter((ac) => !ac.signal.aborted);
      for (const ac of running) ac.abort();
      return { cancelled: running.length };
    },
    'traces.openDialog': async () => {
      throw new AppError('BAD_INPUT', 'the Open dialog exists in the desktop app; in a browser, pick or drop the trace file');
    },
    'traces.calls': async (input: { runId: string; limit?: number }) => importCalls(store, input.runId, input.limit),
    'traces.origins': async (input: { runId: string; ticketId: string }) => ticketCallOrigins(store, input.runId, input.ticketId),
  };
}

import type { TraceViewRouteOutputs } from '#shared/routes/traceViewRoutes.ts';
import { rememberedReviewer } from '../review/workbench.ts';
import { listGenericTraces } from '../traces/traceList.ts';
import { createTraceQueue, listTraceQueues, openTraceReview, scoreTraceItem, undoTraceScore } from '../traces/traceReview.ts';
import { exportTraceReviews, importTraceReviews } from '../traces/traceReviewLines.ts';
import { traceReviewResults } from '../traces/traceReviewResults.ts';
import { traceOfCall } from '../traces/traceView.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

type Handlers = HandlersOf<keyof TraceViewRouteOutputs>;

export function traceViewHandlers(ctx: HandlerContext): Handlers {
  const { store } = ctx;
  return {
    'traces.generic': async (input) => listGenericTraces(store, input),
    'traces.trace': async (input) => traceOfCall(store, input.callId),
    'traceReviews.overview': async () => ({ queues: listTraceQueues(store), me: rememberedReviewer(store) }),
    'traceReviews.createQueue': async (input) => {
      const q = createTraceQueue(store, input);
      ctx.notice('info', `Trace review queue “${q.name}”: ${q.items} call${q.items === 1 ? '' : 's'}`);
      return q;
    },
    'traceReviews.open': async (input) => openTraceReview(store, input),
    'traceReviews.score': async (input) => scoreTraceItem(store, input),
    'traceReviews.undo': async (input) => undoTraceScore(store, input),
    'traceReviews.results': async (input) => traceReviewResults(store, input),
    'traceReviews.export': async (input) => {
      const r = exportTraceReviews(store, input);
      return { name: `trace-reviews${input.queueId ? `-${input.queueId}` : ''}.jsonl`, ...r };
    },
    'traceReviews.import': async (input) => {
      const r = importTraceReviews(store, input.content, { source: input.name });
      ctx.notice(
        r.bad.length ? 'warn' : 'info',
        `Imported ${r.imported} trace review${r.imported === 1 ? '' : 's'} from ${input.name}: ${r.duplicates} already there, ${r.bad.length} bad line${r.bad.length === 1 ? '' : 's'}`,
      );
      return r;
    },
  };
}

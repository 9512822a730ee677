import type { ReviewRouteOutputs } from '#shared/routes/reviewRoutes.ts';
import { assignReviewers, createQueue, type QueueSpec } from '../review/queues.ts';
import { importReviews } from '../review/jsonl.ts';
import { reviewResults } from '../review/results.ts';
import {
  exportForDownload,
  openScreen,
  rememberReviewer,
  restoreOnScreen,
  reviewOverview,
  scoreFromCorrect,
  scoreOnScreen,
  undoOnScreen,
} from '../review/workbench.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

type Handlers = HandlersOf<keyof ReviewRouteOutputs>;

/** The Review view's handlers over the core. */
export function reviewHandlers(ctx: HandlerContext): Handlers {
  const { store } = ctx;
  return {
    'reviews.overview': async () => reviewOverview(store),
    'reviews.setReviewer': async (input) => ({ me: rememberReviewer(store, input.name) }),
    'reviews.createQueue': async (input) => {
      const q = createQueue(store, input as QueueSpec);
      ctx.notice('info', `Review queue ${q.id} “${q.name}”: ${q.items} items, ${q.answers} answers`);
      return q;
    },
    'reviews.assign': async (input) => assignReviewers(store, input.queueId, input.reviewers),
    'reviews.open': async (input) => openScreen(store, input),
    'reviews.score': async (input) => scoreOnScreen(store, input),
    'reviews.scoreFromCorrect': async (input) => scoreFromCorrect(store, input),
    'reviews.restoreGold': async (input) => restoreOnScreen(store, input),
    'reviews.undo': async (input) => undoOnScreen(store, input),
    'reviews.results': async (input) => reviewResults(store, input),
    'reviews.export': async (input) => exportForDownload(store, input),
    'reviews.import': async (input) => {
      const r = importReviews(store, input.content, { source: input.name });
      ctx.notice(
        r.bad.length || r.conflicts.length ? 'warn' : 'info',
        `Imported ${r.imported} review${r.imported === 1 ? '' : 's'} from ${input.name}: ${r.duplicates} already there, ${r.bad.length} bad line${r.bad.length === 1 ? '' : 's'}, ${r.conflicts.length} conflict${r.conflicts.length === 1 ? '' : 's'}`,
      );
      return r;
    },
  };
}

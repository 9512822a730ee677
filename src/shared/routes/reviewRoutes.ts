// Routes of the Review view (review queues and scoring). Merged into the route contract by
// src/shared/routes.ts; handlers in src/core/handlers/reviewHandlers.ts.
import { z } from 'zod';
import {
  openItemSchema,
  queueSpecInputSchema,
  reviewSelectionSchema,
  restoreGoldSchema,
  scoreFromCorrectSchema,
  slotScoreSchema,
  type QueueView,
  type ReviewExport,
  type ReviewImportView,
  type ReviewOverview,
  type ReviewResultsView,
  type ReviewScreenView,
  type ScoreFromCorrectResult,
  type UndoResult,
} from '../review.ts';

const id = z.string().min(1).max(200);
const reviewer = z.string().max(200);

export const reviewRouteInputs = {
  /** Queues with progress per reviewer, the remembered reviewer name, every known reviewer. */
  'reviews.overview': z.object({}).optional(),
  /** Remembers this workspace's reviewer name. */
  'reviews.setReviewer': z.object({ name: reviewer }),
  'reviews.createQueue': queueSpecInputSchema,
  /** Adds reviewers to a queue; untouched items are dealt again so the work is shared (k per answer). */
  'reviews.assign': z.object({ queueId: id, reviewers: z.array(reviewer).min(1).max(100) }),
  /** The review screen: an item (or the reviewer's next unfinished one when no position is given). */
  'reviews.open': openItemSchema,
  /** One score, by slot (the screen never names the model); committed at once. */
  'reviews.score': slotScoreSchema,
  'reviews.scoreFromCorrect': scoreFromCorrectSchema,
  'reviews.undo': z.object({ queueId: id, reviewer }),
  /** Puts the item's gold label back to its value before a recorded change. */
  'reviews.restoreGold': restoreGoldSchema,
  'reviews.results': reviewSelectionSchema,
  'reviews.export': reviewSelectionSchema,
  /** Review lines (contracts §5) picked in the browser. */
  'reviews.import': z.object({ name: z.string().min(1).max(300), content: z.string() }),
} satisfies Record<string, z.ZodType>;

export interface ReviewRouteOutputs {
  'reviews.overview': ReviewOverview;
  'reviews.setReviewer': { me: string };
  'reviews.createQueue': QueueView;
  'reviews.assign': QueueView;
  'reviews.open': ReviewScreenView;
  'reviews.score': ReviewScreenView;
  'reviews.scoreFromCorrect': ScoreFromCorrectResult;
  'reviews.undo': UndoResult;
  'reviews.restoreGold': ReviewScreenView;
  'reviews.results': ReviewResultsView;
  'reviews.export': ReviewExport;
  'reviews.import': ReviewImportView;
}

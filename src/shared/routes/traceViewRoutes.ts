// Routes of generic traces (issue 14 §3): the Traces list with its filters, one trace as the trace
// view draws it, and review queues over imported calls. Merged into the route contract by
// src/shared/routes.ts; handlers in src/core/handlers/traceViewHandlers.ts.
import { z } from 'zod';
import {
  traceQueueSpecSchema,
  traceScoreInputSchema,
  type TraceQueueView,
  type TraceReviewImportView,
  type TraceReviewOverview,
  type TraceReviewResults,
  type TraceReviewScreen,
} from '../traceReview.ts';
import { traceListFilterSchema, type TraceListView, type TraceView } from '../traceView.ts';

const id = z.string().min(1).max(200);

export const traceViewRouteInputs = {
  /** Generic traces (imported calls that are not casebench tasks and name no ticket), filtered. */
  'traces.generic': traceListFilterSchema,
  /** The trace holding an imported call: span tree with timings, every call's messages, output, tokens, cost, scores. */
  'traces.trace': z.object({ callId: z.number().int().min(1) }),
  'traceReviews.overview': z.object({}).optional(),
  'traceReviews.createQueue': traceQueueSpecSchema,
  /** An item of a queue (or the reviewer's first unscored one). */
  'traceReviews.open': z.object({ queueId: id, reviewer: z.string().min(1).max(200), position: z.number().int().min(0).optional() }),
  'traceReviews.score': traceScoreInputSchema,
  'traceReviews.undo': z.object({ queueId: id, reviewer: z.string().min(1).max(200) }),
  'traceReviews.results': z.object({ queueId: id.optional() }),
  'traceReviews.export': z.object({ queueId: id.optional() }),
  /** Trace review lines or a LangSmith feedback export, picked in the browser. */
  'traceReviews.import': z.object({ name: z.string().min(1).max(300), content: z.string() }),
} satisfies Record<string, z.ZodType>;

export interface TraceViewRouteOutputs {
  'traces.generic': TraceListView;
  'traces.trace': TraceView;
  'traceReviews.overview': TraceReviewOverview;
  'traceReviews.createQueue': TraceQueueView;
  'traceReviews.open': TraceReviewScreen;
  'traceReviews.score': TraceReviewScreen;
  'traceReviews.undo': TraceReviewScreen;
  'traceReviews.results': TraceReviewResults;
  'traceReviews.export': { name: string; text: string; count: number };
  'traceReviews.import': TraceReviewImportView;
}

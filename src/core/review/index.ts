// Manual review (issue #6): the entry points hosts and other core modules use.
//   review screen → reviewItem / nextItem / scoreSlot / undoInQueue (+ the types in types.ts)
//   queues       → createQueue / assignReviewers / listQueues / getQueue
//   planner      → reviewScores(store, runId?)
//   results view → reviewResults
//   exchange     → exportReviews / importReviews (contracts §5)
export { nextItem, reviewItem, scoreSlot, undoInQueue, displayOrder } from './screen.ts';
export {
  assignReviewers,
  createQueue,
  getQueue,
  listQueues,
  queueItems,
  queueSpecSchema,
  type QueueInfo,
  type QueueSpec,
  type ReviewerProgress,
} from './queues.ts';
export {
  reviewResults,
  reviewScores,
  wilsonInterval,
  type BaselineCheck,
  type ReviewResults,
  type ScoreCell,
  type ScoreSummary,
} from './results.ts';
export { krippendorffAlphaInterval, reviewerAgreement, type ReviewerAgreement } from './agreement.ts';
export { exportReviews, importReviews, reviewLineSchema, type ImportReport, type ReviewLine } from './jsonl.ts';
export {
  listReviewers,
  listReviews,
  reviewConflicts,
  submitScore,
  undoLastScore,
  scoreInputSchema,
  type Review,
  type ReviewConflict,
  type ScoreInput,
} from './reviewsRepo.ts';
export { checkScore, RUBRIC } from './rubric.ts';
export * from './types.ts';

// Manual review (issue #6) as the hosts and the renderer see it: the review screen's types and
// schemas (src/core/review imports them from here through its types.ts), the views of queues and
// results the workbench shows, and the route inputs. Plain data and zod schemas only.
import { z } from 'zod';
import { TASK_IDS, type TaskId } from './tasks.ts';

/** exact: 0 or 1; severity: 0, 0.5 or 1; details: 1 − missing/M. */
export type RubricKind = 'exact' | 'severity' | 'details';

/** What the review screen shows and accepts for a task. */
export interface RubricView {
  task: TaskId;
  label: string;
  kind: RubricKind;
  /** The allowed scores; null for technical details, whose score follows from the ticked details. */
  scores: number[] | null;
  /** One line the screen can show under the answers. */
  help: string;
}

/** Answer slots, in display order: the keys a reviewer presses to pick an answer. */
export const SLOTS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Slot = (typeof SLOTS)[number];

/** This reviewer's latest score of one answer. */
export interface MyScore {
  reviewId: number;
  score: number;
  correctValue?: unknown;
  missing: string[] | null;
  expected: string[] | null;
  note: string | null;
  scoredAt: string;
}

export interface AnswerView {
  slot: Slot;
  /** The answer's normalised value (contracts §2). */
  value: unknown;
  /** The model spec; null while blind and not yet revealed. */
  model: string | null;
  mine: MyScore | null;
}

/** One item of a queue as the review screen shows it to one reviewer. */
export interface ReviewItemView {
  queueId: string;
  queueName: string;
  reviewer: string;
  /** 0-based place in the queue, and the queue's length. */
  position: number;
  total: number;
  /** Whether this item is dealt to this reviewer. */
  dealt: boolean;
  /** Previous and next items dealt to this reviewer (null at either end). */
  prevPosition: number | null;
  nextPosition: number | null;
  /** This reviewer's progress over the items dealt to them. */
  progress: { done: number; assigned: number };
  ticket: { id: string; title: string | null; text: string };
  task: TaskId;
  question: string;
  rubric: RubricView;
  blind: boolean;
  /** Model names shown: the queue is not blind, or this reviewer has scored every answer here. */
  revealed: boolean;
  /** The recorded seed that fixes the display order. */
  seed: number;
  answers: AnswerView[];
  /** Technical details only: details named by the answers and the catalog, to pick the expected ones from. */
  detailSuggestions: string[];
  /** Every answer here scored by this reviewer. */
  done: boolean;
}

/** A score given on the review screen: the answer is named by its slot, never by its model. */
export const slotScoreSchema = z.object({
  queueId: z.string().min(1).max(200),
  position: z.number().int().min(0),
  slot: z.enum(SLOTS),
  reviewer: z.string(),
  score: z.number().optional(),
  /** Technical details: the details the reviewer expects (M) and those the answer missed. */
  expected: z.array(z.string().max(500)).max(200).optional(),
  missing: z.array(z.string().max(500)).max(200).optional(),
  note: z.string().max(4000).optional(),
});
export type SlotScoreInput = z.input<typeof slotScoreSchema>;

/** Opening a queue item: a position, or the reviewer's next unscored item when omitted. */
export const openItemSchema = z.object({
  queueId: z.string().min(1).max(200),
  reviewer: z.string(),
  position: z.number().int().min(0).optional(),
});

// ---- The workbench's review routes: queues, the screen, results, exchange ----

/** A reviewer's name as typed (the core trims and checks it). */
const reviewerField = z.string().max(200);

/**
 * How to make a queue from the workbench (the core's queueSpecSchema checks it fully and says
 * what is wrong): a run, tickets, the ticket list's filter, tasks, models, a stratified sample, k.
 */
export const queueSpecInputSchema = z.object({
  name: z.string().max(200).optional(),
  runId: z.string().min(1).max(200).optional(),
  ticketIds: z.array(z.string().min(1).max(200)).min(1).max(100_000).optional(),
  /** The ticket list's filter (src/shared/routes.ts ticketFilterSchema). */
  filter: z.looseObject({}).optional(),
  tasks: z.array(z.enum(TASK_IDS)).min(1).optional(),
  models: z.array(z.string().min(1).max(200)).min(1).max(50).optional(),
  sample: z.number().int().min(1).max(1_000_000).optional(),
  k: z.number().int().min(1).max(20).optional(),
  blind: z.boolean().optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  reviewers: z.array(reviewerField).max(100).optional(),
});
export type QueueSpecInput = z.input<typeof queueSpecInputSchema>;

/** Which reviews the results (and an export) are over; every field optional. */
export const reviewSelectionSchema = z.object({
  queueId: z.string().min(1).max(200).optional(),
  runId: z.string().min(1).max(200).optional(),
  reviewers: z.array(reviewerField).max(100).optional(),
  /** The baseline for the agreement check (default: each run's recorded baseline). */
  baseline: z.string().min(1).max(200).optional(),
});
export type ReviewSelection = z.input<typeof reviewSelectionSchema>;

/** One reviewer's progress over a queue (the core's ReviewerProgress). */
export interface ReviewerProgressView {
  reviewer: string;
  /** Items dealt to this reviewer. */
  assigned: number;
  /** Of those, items where the reviewer has scored every answer. */
  done: number;
  remaining: number;
  /** Items not dealt to this reviewer that they scored anyway. */
  extra: number;
}

/** A queue as the Review side bar lists it (the core's QueueInfo). */
export interface QueueView {
  id: string;
  name: string;
  createdAt: number;
  k: number;
  blind: boolean;
  seed: number;
  /** How the items were chosen (the spec as given, without reviewers). */
  source: Record<string, unknown>;
  items: number;
  answers: number;
  tasks: TaskId[];
  models: string[];
  reviewers: ReviewerProgressView[];
  /** Items scored by at least min(k, reviewers) reviewers, each of them scoring every answer. */
  complete: number;
}

export interface ReviewOverview {
  /** This workspace's remembered reviewer name (null until one is entered). */
  me: string | null;
  /** Every reviewer name the workspace knows (scores and queues). */
  reviewers: string[];
  queues: QueueView[];
}

/** One recorded change of a gold label (the core's GoldChange, without ids of other tables). */
export interface GoldChangeView {
  id: number;
  before: { has: boolean; value: unknown };
  after: { has: boolean; value: unknown };
  by: string;
  /** ISO-8601. */
  at: string;
  /** review: a reviewer's confirmed correct value; import: a review file; undo; restore. */
  source: 'review' | 'import' | 'undo' | 'restore';
  detail: string | null;
}

/**
 * The ticket's gold label for the item's task (written by a confirmed correct value) and its
 * history, newest first. Blind and not yet revealed: hidden (value null, no history), since a gold
 * label biases an independent reviewer; it shows once they have scored every answer.
 */
export interface GoldLabelView {
  has: boolean;
  value: unknown;
  hidden: boolean;
  history: GoldChangeView[];
}

/** What the review screen shows: an item, the reviewer's share done, or a queue they are not on. */
export type ReviewScreenView =
  | { state: 'item'; item: ReviewItemView; gold: GoldLabelView }
  | { state: 'done'; queueId: string; queueName: string; reviewer: string; progress: { done: number; assigned: number }; total: number }
  | { state: 'not-reviewer'; queueId: string; queueName: string; reviewer: string; reviewers: string[] };

/**
 * Set the ticket's gold label from the correct value the reviewer typed and confirmed, and score
 * every not-yet-scored answer of the item from it — one action, which undo takes back whole.
 * `confirmed` is the screen's second step (the value shown, then confirmed in the focused field).
 */
export const scoreFromCorrectSchema = z.object({
  queueId: z.string().min(1).max(200),
  position: z.number().int().min(0),
  reviewer: reviewerField,
  correctValue: z.unknown(),
  confirmed: z.literal(true, { message: 'a gold label is written only once the reviewer has confirmed it' }),
});

export interface ScoreFromCorrectResult {
  item: ReviewItemView;
  gold: GoldLabelView;
  /** Whether the gold label changed (false: it already had that value). */
  goldChanged: boolean;
  scored: Slot[];
  /** Answers the rubric would not score from it, with the reason (nothing was written then). */
  refused: Array<{ slot: Slot; reason: string }>;
  /** Answers already scored whose score the new gold label contradicts: kept, and shown. */
  kept: Array<{ slot: Slot; score: number; wouldBe: number }>;
}

/** Put a gold label back to its value before a recorded change (itself recorded, and undoable). */
export const restoreGoldSchema = z.object({
  queueId: z.string().min(1).max(200),
  position: z.number().int().min(0),
  reviewer: reviewerField,
  entryId: z.number().int().min(1),
});

export interface UndoResult {
  /** What was taken back (null: nothing to undo in this queue). */
  undone: {
    /** The first slot whose score was taken back (null when the action had no score). */
    slot: Slot | null;
    /** Every slot whose score was taken back. */
    slots: Slot[];
    score: number | null;
    position: number;
    /** Gold-label changes of the action: put back, or kept because the label was changed since. */
    gold: { restored: number; kept: number };
  } | null;
  screen: ReviewScreenView | null;
}

/** Mean review score of one model on one task (the core's ScoreCell). */
export interface ScoreCellView {
  task: TaskId;
  model: string;
  mean: number;
  n: number;
  reviews: number;
  ci95: [number, number] | null;
}

export interface PairAgreementView {
  a: string;
  b: string;
  n: number;
  agreement: number | null;
  kappa: number | null;
}

export interface ReviewerAgreementView {
  task: TaskId | 'all';
  reviewers: string[];
  units: number;
  alpha: number | null;
  metric: 'interval';
  kappa: number | null;
  pairs: PairAgreementView[];
}

/** How the automated agreement with a baseline compares with reviewers' scores of the same answers. */
export interface BaselineCheckView {
  task: TaskId;
  model: string;
  baseline: string;
  /** Reviewed answers of this model with a successful baseline answer to compare to. */
  n: number;
  /** Automated: share of those answers equal to the baseline's (contracts §6 comparison). */
  agreementRate: number | null;
  /** Reviewers: mean score of the same answers. */
  reviewMean: number | null;
  /** Mean review score of the answers that agree / disagree with the baseline. */
  meanWhenAgree: number | null;
  meanWhenDisagree: number | null;
  /** Agreed with the baseline yet reviewers scored it below the pass mark: both were wrong. */
  agreeButWrong: number;
  /** Disagreed with the baseline yet reviewers passed it: the model was right where the baseline was not. */
  disagreeButRight: number;
  /** Cohen's κ between "agrees with the baseline" and "reviewers passed it" (null when undefined). */
  kappa: number | null;
  /** The baseline's own mean review score on this task (null when it was not reviewed): agreement with it cannot say more than this. */
  baselineReviewMean: number | null;
}

export interface ReviewConflictView {
  ticketId: string;
  task: TaskId;
  model: string;
  kinds: Array<'reviewers differ' | 'same reviewer twice'>;
  reviews: Array<{ reviewer: string; score: number; scoredAt: string; source: string }>;
}

/** The results view: the article's table with CIs and n, reviewer agreement, the baseline check, conflicts. */
export interface ReviewResultsView {
  reviews: number;
  reviewers: string[];
  table: { tasks: TaskId[]; models: string[]; cells: ScoreCellView[] };
  agreement: ReviewerAgreementView[];
  baseline: BaselineCheckView[];
  conflicts: ReviewConflictView[];
}

/** An export of review lines (contracts §5) for the browser to save. */
export interface ReviewExport {
  fileName: string;
  text: string;
  count: number;
}

/** What an import of review lines did (the core's jsonl ImportReport). */
export interface ReviewImportView {
  lines: number;
  imported: number;
  duplicates: number;
  bad: Array<{ line: number; reason: string }>;
  labelsWritten: number;
  labelConflicts: Array<{ line: number; ticketId: string; task: TaskId; label: unknown; correctValue: unknown }>;
  conflicts: ReviewConflictView[];
}

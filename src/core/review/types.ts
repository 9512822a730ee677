// What the review screen receives and sends: plain data and zod schemas only, importing nothing
// but zod and src/shared, so the route wiring can move this file to src/shared as it is (the
// renderer may import shared code only).
import { z } from 'zod';
import type { TaskId } from '../../shared/tasks.ts';

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
  /** undefined: none entered; null is a value ("no platform"). Becomes the ticket's gold label. */
  correctValue: z.unknown().optional(),
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

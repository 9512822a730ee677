// Review of generic traces (issue 14 §3): a queue over imported calls (by file, model, status,
// search, sample) with a rubric of its own — pass/fail, a 0–1 score, categorical labels, a free
// note — scored blind and by keyboard like ticket review, with κ/α between reviewers and JSON
// lines in and out. The source's own scores (LangSmith feedback, Langfuse scores, promptfoo
// assertions) are reviews whose reviewer is the source. Types and zod schemas only.
import { z } from 'zod';
import type { TraceCallView, TraceScoreView } from './traceView.ts';

import { CRITERION_KINDS, type Criterion, type CriterionKind } from './traceRubric.ts';
// The rubric's constants live in traceRubric.ts (zod-free, for the renderer); re-exported here.
export { CRITERION_KINDS, DEFAULT_RUBRIC, SCORE_STEPS, type Criterion, type CriterionKind } from './traceRubric.ts';

export const criterionSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'a criterion id is 1–40 letters, digits, _ . or -'),
    label: z.string().trim().min(1).max(80),
    kind: z.enum(CRITERION_KINDS),
    /** The categories of a label criterion (2–9: keys 1–9 pick them). */
    labels: z.array(z.string().trim().min(1).max(40)).min(2).max(9).optional(),
  })
  .refine((c) => c.kind !== 'label' || (c.labels !== undefined && new Set(c.labels).size === c.labels.length), {
    message: 'a label criterion needs 2–9 distinct labels',
  }) satisfies z.ZodType<Criterion>;

export const rubricSchema = z
  .array(criterionSchema)
  .min(1)
  .max(9)
  .refine((r) => new Set(r.map((c) => c.id)).size === r.length, { message: 'criterion ids must differ' });

export const traceQueueSpecSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** Imports (files) to draw calls from; all when absent. */
  runIds: z.array(z.string().min(1).max(200)).max(100).optional(),
  models: z.array(z.string().min(1).max(200)).max(50).optional(),
  status: z.enum(['ok', 'error']).optional(),
  search: z.string().max(500).optional(),
  /** Every imported call, not only generic traces (calls of tickets too). */
  includeTickets: z.boolean().optional(),
  /** A seeded random sample of this many calls (all when absent). */
  sample: z.number().int().min(1).max(100_000).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  blind: z.boolean().optional(),
  rubric: rubricSchema.optional(),
});
export type TraceQueueSpec = z.input<typeof traceQueueSpecSchema>;

export interface TraceQueueView {
  id: string;
  name: string;
  items: number;
  rubric: Criterion[];
  blind: boolean;
  createdAt: number;
  source: Record<string, unknown>;
  /** Items each reviewer has scored on every criterion. */
  progress: Array<{ reviewer: string; done: number }>;
}

export interface TraceReviewOverview {
  queues: TraceQueueView[];
  me: string | null;
}

/** A reviewer's own value for one criterion of the item on screen. */
export interface MyScore {
  value: boolean | number | string | null;
  note: string | null;
}

export interface TraceReviewScreen {
  queue: TraceQueueView;
  reviewer: string;
  /** 0-based; null when the queue is empty. */
  position: number | null;
  /** The call under review. Blind: model, provider and metadata hidden, the source's scores left out, until every criterion is scored. */
  call: TraceCallView | null;
  revealed: boolean;
  mine: Record<string, MyScore>;
  /** Criteria still to score on this item (a note criterion is optional: never counted). */
  missing: string[];
  /** Other reviewers' and the source's scores: shown once this reviewer has scored the item. */
  others: TraceScoreView[];
  prev: number | null;
  next: number | null;
  /** The reviewer's first unscored item after this one (Enter goes there), else null. */
  nextUnscored: number | null;
  done: number;
}

export const traceScoreInputSchema = z.object({
  queueId: z.string().min(1).max(200),
  position: z.number().int().min(0),
  reviewer: z.string().min(1).max(200),
  criterion: z.string().min(1).max(40),
  value: z.union([z.boolean(), z.number(), z.string().max(200), z.null()]),
  note: z.string().max(5000).nullable().optional(),
});
export type TraceScoreInput = z.infer<typeof traceScoreInputSchema>;

export interface PairAgreementView {
  a: string;
  b: string;
  n: number;
  agreement: number | null;
  kappa: number | null;
}

export interface CriterionResult {
  criterion: string;
  label: string;
  kind: CriterionKind;
  /** Per model: how many calls were scored and what they got (pass rate, mean score, label counts). */
  models: Array<{ model: string; n: number; passRate: number | null; mean: number | null; labels: Record<string, number> }>;
  reviewers: string[];
  /** Calls scored by two or more reviewers. */
  units: number;
  /** Krippendorff's α: nominal for pass/fail and labels, interval for scores. */
  alpha: number | null;
  pairs: PairAgreementView[];
}

export interface TraceReviewResults {
  queueId: string | null;
  criteria: CriterionResult[];
}

export interface TraceReviewImportView {
  imported: number;
  duplicates: number;
  bad: Array<{ line: number; message: string }>;
}

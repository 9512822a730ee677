// The trace review rubric's plain parts — criterion kinds, score steps, the default rubric — apart
// from the zod schemas of traceReview.ts, so the renderer's bundle carries no zod.

export const CRITERION_KINDS = ['pass_fail', 'score', 'label', 'note'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

/** Score keys: 0–4 give these values (quarters of the 0–1 scale); a click can give any value. */
export const SCORE_STEPS = [0, 0.25, 0.5, 0.75, 1] as const;

/** One criterion of a rubric (criterionSchema in traceReview.ts checks it). */
export interface Criterion {
  id: string;
  label: string;
  kind: CriterionKind;
  /** The categories of a label criterion (2–9: keys 1–9 pick them). */
  labels?: string[] | undefined;
}

export const DEFAULT_RUBRIC: Criterion[] = [
  { id: 'correct', label: 'Correct', kind: 'pass_fail' },
  { id: 'helpful', label: 'Helpfulness', kind: 'score' },
  { id: 'issue', label: 'Main issue', kind: 'label', labels: ['none', 'wrong', 'hallucination', 'refusal', 'format'] },
  { id: 'note', label: 'Note', kind: 'note' },
];

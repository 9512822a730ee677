// Routes of a side-by-side comparison: one ticket through several models at once. Merged into the
// route contract by src/shared/routes.ts; handlers in src/core/handlers/compareHandlers.ts.
import { z } from 'zod';
import type { TaskResult } from '../results.ts';

import { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS } from '../limits.ts';

// The limits live in limits.ts (zod-free, for the renderer); re-exported for existing importers.
export { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS };

const id = z.string().min(1).max(200);
const modelSpec = z.string().min(3).max(200);

export const compareRouteInputs = {
  'compare.start': z.object({
    ticketId: id,
    models: z.array(modelSpec).min(COMPARE_MIN_MODELS).max(COMPARE_MAX_MODELS),
    baseline: modelSpec,
  }),
  'compare.get': z.object({ runId: id, ticketId: id }),
} satisfies Record<string, z.ZodType>;

export interface CompareData {
  runId: string;
  kind: string;
  label: string | null;
  ticketId: string;
  ticketTitle: string;
  models: string[];
  baseline: string;
  /** One result per model and task present so far. */
  cells: Array<{ modelSpec: string; result: TaskResult }>;
  live: boolean;
}

export interface CompareRouteOutputs {
  'compare.start': { runId: string; models: string[]; baseline: string };
  'compare.get': CompareData;
}

// Routes of the Review and Traces views (review queues and scoring; trace import and origins).
// Merged into the route contract by src/shared/routes.ts.
import { z } from 'zod';

export const reviewRouteInputs = {} satisfies Record<string, z.ZodType>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ReviewRouteOutputs {}

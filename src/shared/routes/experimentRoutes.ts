// Routes of the Experiments view (set up, watch and read experiments; the plan; plots).
// Merged into the route contract by src/shared/routes.ts.
import { z } from 'zod';

export const experimentRouteInputs = {} satisfies Record<string, z.ZodType>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ExperimentRouteOutputs {}

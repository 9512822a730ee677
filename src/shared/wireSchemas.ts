// The zod schema of each task's wire answer (what the model must return), apart from tasks.ts so
// that the renderer, which reads the task list, does not carry zod in its bundle.
import { z } from 'zod';
import { SEVERITIES, type TaskId } from './tasks.ts';

// Case-insensitive on the wire ("AWS" is a fine answer); the kept value is lower-cased.
const platformValue = z
  .string()
  .regex(/^\s*(aws|gcp|azure|other:.*\S.*)\s*$/i, 'platform must be aws, gcp, azure, other:<vendor> or null')
  .nullable();

/** Zod schema of each task's wire answer (what the model must return). */
export const WIRE_SCHEMAS = {
  platform: z.object({ platform: platformValue }),
  product: z.object({ product: z.string().nullable() }),
  technical_details: z.object({ present: z.array(z.string()), missing: z.array(z.string()) }),
  asset_ids: z.object({ asset_ids: z.array(z.string()) }),
  severity: z.object({ severity: z.enum(SEVERITIES) }),
} as const satisfies Record<TaskId, z.ZodType>;

export type WireAnswer<T extends TaskId> = z.infer<(typeof WIRE_SCHEMAS)[T]>;

// Routes of triage in the workbench: a pasted ticket, a re-run (whole, or one task and what depends
// on it), Cancel, and resuming what an earlier session left unfinished. Merged into the route
// contract by src/shared/routes.ts; handlers in src/core/handlers/triageHandlers.ts.
import { z } from 'zod';
import { TASK_IDS, type TaskId } from '../tasks.ts';

const id = z.string().min(1).max(200);
const taskId = z.enum(TASK_IDS);
const empty = z.object({}).optional();

export const triageRouteInputs = {
  // confirmed: the user saw the estimate of a paste over the ask-first threshold and said go.
  /** skipInfoGate: send a ticket the information gate holds (the user's "Triage anyway"; recorded in the run's config). */
  'triage.start': z.object({
    text: z.string(),
    title: z.string().optional(),
    assign: z.string().optional(),
    confirmed: z.boolean().optional(),
    skipInfoGate: z.boolean().optional(),
  }),
  'triage.cancel': z.object({ ticketId: z.string() }),
  /** Runs a ticket again: every task, or one task and whatever depends on it. */
  /** skipInfoGate: the ticket was held for information and the user chose "Triage anyway". */
  'triage.rerun': z.object({ ticketId: id, task: taskId.optional(), skipInfoGate: z.boolean().optional() }),
  /** Triages again every ticket an earlier session left unfinished. */
  'triage.resumeInterrupted': empty,
} satisfies Record<string, z.ZodType>;

export interface TriageRouteOutputs {
  'triage.start': { ticketId: string; assignment: Record<TaskId, string>; runId: string };
  'triage.cancel': { cancelled: boolean };
  'triage.rerun': { ticketId: string; runId: string; assignment: Record<TaskId, string> };
  /** confirm: the batch waits for the go-ahead on its estimate (batches.start), as an import does. */
  'triage.resumeInterrupted': { queued: number; runId?: string; confirm?: boolean };
}

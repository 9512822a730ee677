// Spend and batches in the workbench: the store's spend (today, latest run, total) and the daily
// limit; the estimate a large paste or a batch shows before it starts; Stop and Resume of batches.
import { z } from 'zod';
import { spendScopeSchema, type SpendEstimate, type SpendView } from '../spend.ts';

export type BatchState = 'confirm' | 'running' | 'stopped' | 'limited' | 'done';

/** A batch of tickets triaged by the workbench (an import, the watched folder, resumed leftovers). */
export interface BatchView {
  runId: string;
  label: string;
  state: BatchState;
  /** Tickets in the batch, and those finished. */
  total: number;
  done: number;
  /** Why it stopped (the spend limit's message), or null. */
  message: string | null;
  /** The estimate shown before it started (null for resumed leftovers). */
  estimate: SpendEstimate | null;
  createdAt: number;
}

export const spendRouteInputs = {
  'spend.get': z.object({}).optional(),
  /** A daily limit in USD (null removes it) of a scope: the workspace's when none is given (core/spend/scopes.ts). */
  'spend.setLimit': z.object({ dailyUsd: z.number().finite().nonnegative().max(1_000_000).nullable(), scope: spendScopeSchema.optional() }),
  /** What triaging this text would cost, and whether the workbench asks first. */
  'triage.estimate': z.object({ text: z.string(), assign: z.string().optional() }),
  'batches.list': z.object({}).optional(),
  /** The go-ahead for a batch waiting for confirmation. */
  'batches.start': z.object({ runId: z.string().min(1) }),
  /** Stops one batch, or every running one: queued tickets wait, calls in flight finish and are kept. */
  'batches.stop': z.object({ runId: z.string().min(1).optional() }),
  /** Resumes one batch, or every stopped one: the unfinished tickets, reusing finished tasks. */
  'batches.resume': z.object({ runId: z.string().min(1).optional() }),
};

export interface SpendRouteOutputs {
  'spend.get': SpendView;
  'spend.setLimit': SpendView;
  'triage.estimate': SpendEstimate & { needsConfirm: boolean };
  'batches.list': BatchView[];
  'batches.start': BatchView[];
  'batches.stop': BatchView[];
  'batches.resume': BatchView[];
}

export type SpendEvent =
  /** Spend changed (calls recorded, a limit set): read spend.get. At most a few a second. */
  | { type: 'spend.changed' }
  /** A batch was created, started, stopped, limited, resumed, or moved on. */
  | { type: 'batches.changed'; batches: BatchView[] };

// Spend as the workbench and the CLI show it: the store's truth (every recorded call's cost), per
// local day, per run and in total, and the daily limits that stop further calls.
import { z } from 'zod';

/**
 * What a daily limit applies to. Today only the whole workspace; a shadow set's own limit is one
 * more member of this union (e.g. `z.object({ kind: z.literal('shadowSet'), id: z.string() })`) plus
 * its entry in src/core/spend/scopes.ts (which calls are its spend), and its runs use
 * `guard.gateFor([scope])`: checked alongside the workspace's limit.
 */
export const spendScopeSchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('workspace') })]);
export type SpendScope = z.infer<typeof spendScopeSchema>;

export interface SpendFigures {
  /** USD over calls with a known price (real providers only: demo calls cost nothing). */
  usd: number;
  /** Calls that used tokens on a model without a known price (not in `usd`). */
  unpricedCalls: number;
}

export interface SpendLimitView {
  scope: SpendScope;
  label: string;
  /** USD per local day; null: no limit. */
  dailyUsd: number | null;
  /** Spent today in this scope. */
  spentTodayUsd: number;
  /** Whether calls in this scope are refused now. */
  reached: boolean;
}

export interface SpendView {
  /** The local day (the machine's time zone) "today" means, YYYY-MM-DD. */
  day: string;
  today: SpendFigures;
  total: SpendFigures;
  /** The latest run that called a provider, and what it spent. */
  run: { runId: string; label: string | null; kind: string; usd: number; unpricedCalls: number } | null;
  /** Cost demo models would have had today (simulated: nothing was spent). */
  simulatedTodayUsd: number;
  limits: SpendLimitView[];
  /** Epoch ms of the next local midnight, when today's spend starts again from zero. */
  resetsAt: number;
}

/** A cost estimate shown before a paste over the threshold or a batch starts. */
export interface SpendEstimate {
  tickets: number;
  calls: number;
  /** Over models with a known price; demo models count 0 (simulated). */
  usd: number;
  /** Models of the assignment without a known price (not in `usd`). */
  unknownPrice: string[];
  /** Every model of the assignment is a demo model: nothing is spent. */
  simulated: boolean;
  /** Spent today and the tightest daily limit, so the dialog can say whether the batch fits. */
  spentTodayUsd: number;
  dailyLimitUsd: number | null;
  /** Lifecycle warnings for the assignment's models (deprecated, with their shutdown date). */
  warnings: string[];
}

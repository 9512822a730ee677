// Routes of the Shadow view (issue 15 §3): the shadow set (candidate models per task with their
// limits), how it is doing (today's cost, agreement with production so far, its live experiment),
// and the token that protects the HTTP intake endpoint of `casebench serve`. Merged into the route
// contract by src/shared/routes.ts; handlers in src/core/handlers/shadowHandlers.ts.
import { z } from 'zod';
import { TASK_IDS, type TaskId } from '../tasks.ts';

const spec = z.string().trim().min(3).max(200);

export const shadowRouteInputs = {
  'shadow.status': z.object({}).optional(),
  /** Adds a candidate model to one task, or to every task ('all'). */
  'shadow.add': z.object({ task: z.enum([...TASK_IDS, 'all'] as [string, ...string[]]), model: spec }),
  /** Removes a candidate from one task, or from every task it shadows (no task). */
  'shadow.remove': z.object({ task: z.enum(TASK_IDS as unknown as [string, ...string[]]).optional(), model: spec }),
  'shadow.limits': z.object({
    rpm: z.number().int().min(1).max(10_000).optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
    /** USD per local day; null: no limit of its own. */
    spendLimitUsd: z.number().finite().nonnegative().max(1_000_000).nullable().optional(),
  }),
  /** Whether the intake token is set (its last 4 characters); with reveal, the token itself. */
  'intake.token': z.object({ reveal: z.boolean().optional() }).optional(),
  /** A new intake token replaces the old one (which stops working at once); returned revealed. */
  'intake.rotate': z.object({}).optional(),
} satisfies Record<string, z.ZodType>;

export interface ShadowCandidateView {
  task: TaskId;
  spec: string;
  /** Production's model for this task (the baseline it is compared against). */
  production: string;
  /** The candidate is production's own model for this task: nothing to shadow. */
  sameAsProduction: boolean;
  /** Answers recorded so far in the current live experiment. */
  answered: number;
  failed: number;
  /** Share of tickets where both answered and agree with production; null before any pair. */
  agreement: number | null;
  agreementCi95: [number, number] | null;
  nCompared: number;
  medianMs: number | null;
  productionMedianMs: number | null;
  /** Spend today (local day) of this candidate on this task, USD (demo calls: simulated). */
  costTodayUsd: number;
  priceUnknown: boolean;
}

export interface ShadowStatus {
  /** The live experiment of the current production assignment (null before its first ticket). */
  runId: string | null;
  production: Record<TaskId, string>;
  candidates: ShadowCandidateView[];
  /** Tickets the live experiment holds. */
  tickets: number;
  rpm: number;
  concurrency: number;
  spendLimitUsd: number | null;
  /** Shadow spend today (local day), USD, real calls; simulated demo calls apart. */
  spentTodayUsd: number;
  simulatedTodayUsd: number;
  /** Why shadow calls are held now (the spend limit reached), or null. */
  blocked: string | null;
  queued: number;
  inFlight: number;
  dropped: { backlog: number; spendLimit: number };
  /** Candidates that cannot be called now (no key, unknown model), with why; tried again after a minute. */
  unusable: Array<{ spec: string; message: string }>;
  /** Earlier live experiments (another production assignment), newest first. */
  earlierRuns: Array<{ runId: string; createdAt: number; tickets: number }>;
}

export interface IntakeTokenView {
  set: boolean;
  last4: string | null;
  /** Only when asked to reveal it (or just rotated). */
  token?: string;
  /** 'session': no OS keychain, kept in memory until the process ends; 'env': CASEBENCH_INTAKE_TOKEN. */
  source: 'keychain' | 'session' | 'env' | null;
  /** The endpoint's path on `casebench serve` (POST, Authorization: Bearer <token>). */
  path: string;
  /** False in the desktop app, which runs no HTTP server. */
  served: boolean;
}

export interface ShadowRouteOutputs {
  'shadow.status': ShadowStatus;
  'shadow.add': ShadowStatus;
  'shadow.remove': ShadowStatus;
  'shadow.limits': ShadowStatus;
  'intake.token': IntakeTokenView;
  'intake.rotate': IntakeTokenView;
}

/** Shadow answers landed or the set changed: the Shadow view re-reads its status (at most a few a second). */
export type ShadowEvent = { type: 'shadow.changed'; at: number };

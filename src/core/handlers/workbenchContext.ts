// What the workbench's own features (tickets, triage, compare, keys, settings) get from the core
// services (src/core/app.ts): the feature context plus the pieces they share — keys, settings,
// the spend guard, the intake's batches and the live use cases.
import type { AppEvent } from '#shared/routes.ts';
import type { TicketInput } from '#shared/results.ts';
import type { SpendEstimate } from '#shared/spend.ts';
import type { Assignment } from '../graph/engine.ts';
import type { Intake } from '../live/intake.ts';
import type { LiveDeps } from '../live/liveTriage.ts';
import type { KeyAccess } from '../secrets/keyAccess.ts';
import type { Scrubber } from '../secrets/scrub.ts';
import type { LayeredSecretStore } from '../secrets/sessionSecretStore.ts';
import type { WorkbenchSettingsService } from '../settings/workbenchSettings.ts';
import type { SpendGuard } from '../spend/guard.ts';
import type { HandlerContext } from './context.ts';

export interface WorkbenchContext extends HandlerContext {
  resourcesDir?: string;
  demoSpeed?: number;
  secrets: LayeredSecretStore;
  /** The process's scrubber (a key set in Settings is added before it is stored). */
  scrubber: Scrubber;
  keys: KeyAccess;
  settings: WorkbenchSettingsService;
  guard: SpendGuard;
  intake: Intake;
  /** What the live use cases (core/live/) record with and publish to. */
  live: LiveDeps;
  /** The estimate shown before a paste or a batch (cost, calls, today's spend and limit). */
  estimate(tickets: readonly TicketInput[], count: number, assignment: Assignment): SpendEstimate;
  /** Pushes a ticket's list row to the UI (after a result, a start, an end). */
  emitSummary(ticketId: string): void;
  /** Production finished a ticket: its shadow calls are queued. */
  afterProduction(runId: string, ticketId: string): void;
  /** Re-reads keys and endpoints and rebuilds the provider lanes: the next call uses them. */
  applyRuntime(): Promise<void>;
  /** Sees every event before it is scrubbed and sent (caches drop what an event changed). */
  onEvent(fn: (e: AppEvent) => void): void;
}

// The contract between hosts (Electron main, HTTP server) and the renderer: one zod schema per
// route input, typed outputs, and the events pushed to the UI. Types and pure data only.
//
// Each feature declares its routes in src/shared/routes/<feature>Routes.ts (inputs, outputs, the
// events it pushes; handlers in src/core/handlers/<feature>Handlers.ts); this file composes them and
// re-exports their types, so callers keep importing from here.
import type { z } from 'zod';
import type { Result } from './errors.ts';
import { ticketRouteInputs, type TicketEvent, type TicketRouteOutputs } from './routes/ticketRoutes.ts';
import { triageRouteInputs, type TriageRouteOutputs } from './routes/triageRoutes.ts';
import { compareRouteInputs, type CompareRouteOutputs } from './routes/compareRoutes.ts';
import { keyRouteInputs, type KeyRouteOutputs } from './routes/keyRoutes.ts';
import { settingsRouteInputs, type SettingsRouteOutputs } from './routes/settingsRoutes.ts';
import { experimentRouteInputs, type ExperimentEvent, type ExperimentRouteOutputs } from './routes/experimentRoutes.ts';
import { reviewRouteInputs, type ReviewRouteOutputs } from './routes/reviewRoutes.ts';
import { traceRouteInputs, type TraceEvent, type TraceRouteOutputs } from './routes/traceRoutes.ts';
import { traceViewRouteInputs, type TraceViewRouteOutputs } from './routes/traceViewRoutes.ts';
import { spendRouteInputs, type SpendEvent, type SpendRouteOutputs } from './routes/spendRoutes.ts';
import { shadowRouteInputs, type ShadowEvent, type ShadowRouteOutputs } from './routes/shadowRoutes.ts';
import { judgeRouteInputs, type JudgeEvent, type JudgeRouteOutputs } from './routes/judgeRoutes.ts';
import { privacyRouteInputs, type PrivacyRouteOutputs } from './routes/privacyRoutes.ts';
import { promptRouteInputs, type PromptEvent, type PromptRouteOutputs } from './routes/promptRoutes.ts';

// Which providers take a key lives in the provider registry (src/shared/providers.ts).
export { KEY_PROVIDER_IDS, type KeyProviderId } from './providers.ts';
export {
  MAX_IMPORT_BYTES,
  MAX_TICKET_BYTES,
  ticketFilterSchema,
  type CallView,
  type ImportReport,
  type RunInfo,
  type TicketDetail,
  type TicketFilter,
  type TicketsPage,
  type TicketSummary,
  type TicketVersionInfo,
} from './routes/ticketRoutes.ts';
export { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS, type CompareData } from './routes/compareRoutes.ts';
export type { KeyStatus } from './routes/keyRoutes.ts';
export { settingsPatchSchema, type LatencyEntry, type ModelInfo, type Settings, type SettingsPatch } from './routes/settingsRoutes.ts';

export const routeInputs = {
  ...triageRouteInputs,
  ...ticketRouteInputs,
  ...compareRouteInputs,
  ...keyRouteInputs,
  ...settingsRouteInputs,
  ...experimentRouteInputs,
  ...reviewRouteInputs,
  ...traceRouteInputs,
  ...traceViewRouteInputs,
  ...spendRouteInputs,
  ...privacyRouteInputs,
  ...shadowRouteInputs,
  ...judgeRouteInputs,
  ...promptRouteInputs,
} as const;

export type RouteName = keyof typeof routeInputs;
export type RouteInput<R extends RouteName> = z.input<(typeof routeInputs)[R]>;
/** A route's input as its handler receives it: parsed by its schema (once, at the dispatch). */
export type RouteParsedInput<R extends RouteName> = z.output<(typeof routeInputs)[R]>;

export interface RouteOutputs
  extends TriageRouteOutputs,
    TicketRouteOutputs,
    CompareRouteOutputs,
    KeyRouteOutputs,
    SettingsRouteOutputs,
    ExperimentRouteOutputs,
    ReviewRouteOutputs,
    TraceRouteOutputs,
    TraceViewRouteOutputs,
    SpendRouteOutputs,
    ShadowRouteOutputs,
    JudgeRouteOutputs,
    PrivacyRouteOutputs,
    PromptRouteOutputs {}

export type AppEvent =
  /** A ticket's triage as it goes, and the list and runs changing (src/shared/routes/ticketRoutes.ts). */
  | TicketEvent
  | { type: 'notice'; level: 'info' | 'warn' | 'error'; message: string; at: number }
  /** A trace import in progress (src/shared/routes/traceRoutes.ts). */
  | TraceEvent
  /** An experiment running in the workbench (src/shared/routes/experimentRoutes.ts). */
  | ExperimentEvent
  /** Spend and batches (src/shared/routes/spendRoutes.ts). */
  | SpendEvent
  /** Shadow answers landed or the shadow set changed (src/shared/routes/shadowRoutes.ts). */
  | ShadowEvent
  /** The judge's progress (src/shared/routes/judgeRoutes.ts). */
  | JudgeEvent
  /** A prompt version saved, promoted or rolled back (src/shared/routes/promptRoutes.ts). */
  | PromptEvent;

/** What every host exposes; the renderer's transport calls exactly this. */
export interface RouteHandlers {
  request<R extends RouteName>(route: R, input: unknown): Promise<Result<RouteOutputs[R]>>;
  /**
   * The same, for an input the host already validated with the route's schema (src/shared/dispatch.ts):
   * the input is parsed once, at the dispatch. Optional: hosts fall back to `request`.
   */
  requestParsed?<R extends RouteName>(route: R, input: RouteParsedInput<R>): Promise<Result<RouteOutputs[R]>>;
  subscribe(listener: (e: AppEvent) => void): () => void;
}

export function isRouteName(s: string): s is RouteName {
  return Object.hasOwn(routeInputs, s);
}

// Routes of Settings and the models: the assignment, endpoints, limits, watched folder and layout;
// the models known with their lifecycle; the latency medians behind the prediction. Merged into the
// route contract by src/shared/routes.ts; handlers in src/core/handlers/settingsHandlers.ts.
import { z } from 'zod';
import type { TaskId } from '../tasks.ts';
import type { EndpointField } from '../providers.ts';

const modelSpec = z.string().min(3).max(200);
const empty = z.object({}).optional();

const endpoint = z
  .string()
  .max(500)
  .refine((s) => s === '' || /^https?:\/\/[^\s]+$/i.test(s), 'an endpoint is an http(s):// URL')
  .nullable();

/** What the renderer may change in Settings (keys go through keys.set / keys.remove). */
export const settingsPatchSchema = z.object({
  assignment: z.record(z.string(), modelSpec).nullable().optional(),
  endpoints: z.object({ groq: endpoint.optional(), openai: endpoint.optional(), openaiCompatible: endpoint.optional() }).optional(),
  ticketConcurrency: z.number().int().min(1).max(64).optional(),
  callConcurrency: z.number().int().min(1).max(128).optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  retryAfterCapMs: z.number().int().min(0).max(600_000).optional(),
  hedge: z.object({ enabled: z.boolean().optional(), budgetPct: z.number().min(0).max(50).optional() }).optional(),
  watchFolder: z.string().max(1000).nullable().optional(),
  speculate: z.boolean().optional(),
});
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const settingsRouteInputs = {
  'models.list': empty,
  /** Median latency per model and task: recorded calls, else the seed article's measurements. */
  'models.latency': empty,
  'config.get': empty,
  'settings.get': empty,
  'settings.set': settingsPatchSchema,
  /** Workbench layout and view state (small JSON), remembered between launches. */
  'ui.save': z.object({ key: z.enum(['layout', 'editor', 'theme']), value: z.unknown() }),
  /** Desktop only: the native folder picker; returns the folder (the caller saves it as watchFolder). */
  'host.pickFolder': empty,
} satisfies Record<string, z.ZodType>;

export interface ModelInfo {
  spec: string;
  provider: string;
  name: string;
  status: string;
  priceKnown: boolean;
  retiredOn: string | null;
  replacement: string | null;
  /** Lifecycle as of today: "… was shut down on …; use … instead" or "… shuts down on … (N days)"; null when current. */
  lifecycle?: string | null;
}

export interface LatencyEntry {
  medianMs: number;
  n: number;
  source: 'recorded' | 'article';
}

export interface Settings {
  /** The per-task assignment new triages use. */
  assignment: Record<TaskId, string>;
  /** True when the user saved an assignment; false: the built-in default (demo without keys). */
  assignmentSaved: boolean;
  demo: boolean;
  endpoints: Record<EndpointField, string | null>;
  /** Environment variables that override a setting (the setting is then not used). */
  envOverrides: Array<'GROQ_BASE_URL' | 'OPENAI_BASE_URL' | 'OPENAI_COMPATIBLE_BASE_URL' | 'GROQ_API_KEY' | 'OPENAI_API_KEY'>;
  ticketConcurrency: number;
  callConcurrency: number;
  maxRetries: number;
  retryAfterCapMs: number;
  /** Hedged calls: a duplicate of a call past its model's recorded p95, at most budgetPct % more calls. */
  hedge: { enabled: boolean; budgetPct: number };
  watchFolder: string | null;
  /** Speculative execution of the triage graph (dependents start on a guessed platform/product). */
  speculate: boolean;
  /** Why the watched folder cannot be watched, when it cannot. */
  watchError: string | null;
  /** Saved workbench layout/view state. */
  ui: Record<string, unknown>;
  host: { kind: 'desktop' | 'browser'; fileDialog: boolean };
}

export interface SettingsRouteOutputs {
  'models.list': ModelInfo[];
  'models.latency': Record<string, Partial<Record<TaskId, LatencyEntry>>>;
  'config.get': { assignment: Record<TaskId, string>; demo: boolean };
  'settings.get': Settings;
  'settings.set': Settings;
  'ui.save': { saved: boolean };
  'host.pickFolder': { path: string | null };
}

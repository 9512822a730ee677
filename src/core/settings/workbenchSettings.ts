// The workbench's settings as a service: the saved settings, the assignment new triages use, the
// view Settings shows (with what the environment overrides), and applying a change (validated
// once by the route's schema) — the runtime reloads when endpoints or limits change, the watched
// folder is re-read when it changes.
import { AppError } from '#shared/errors.ts';
import { ENDPOINT_FIELDS, KEY_PROVIDER_IDS, keyEnvOf, PROVIDERS, PROVIDER_IDS } from '#shared/providers.ts';
import type { Settings, SettingsPatch } from '#shared/routes.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import type { Assignment } from '../graph/engine.ts';
import { DEFAULT_ASSIGNMENT, DEMO_ASSIGNMENT, parseAssignment } from '../assignment.ts';
import type { Runtime, RuntimeConfig } from '../runtime.ts';
import type { Store } from '../store/store.ts';
import { loadSettings, loadUi, saveSettings, type WorkbenchSettings } from './settingsStore.ts';

export interface SettingsDeps {
  store: Store;
  runtime(): Runtime;
  /** The host's environment (its variables override endpoints and keys). */
  env: Record<string, string | undefined>;
  host?: 'desktop' | 'browser';
  notice(level: 'info' | 'warn' | 'error', message: string): void;
  /** No provider key is set (the default assignment is then the demo). */
  noKeys(): boolean;
  /** Endpoints or call limits changed: rebuild the provider lanes. */
  onRuntimeChange(): Promise<void>;
  /** The watched folder changed: watch the new one. */
  onWatchChange(): Promise<void>;
  /** Why the watched folder cannot be watched, when it cannot. */
  watchError(): string | null;
}

export interface WorkbenchSettingsService {
  current(): WorkbenchSettings;
  /** The assignment the workbench uses now: the saved one, else the default (the keyless demo without any key). */
  assignment(): Assignment;
  /** An optional `assign` spec over the current assignment (task=model pairs; files are not read here). */
  assignmentOf(spec?: string): Assignment;
  isDemo(a: Assignment): boolean;
  view(): Settings;
  apply(patch: SettingsPatch): Promise<Settings>;
}

/** The runtime's scheduler limits from the settings. */
export function schedulerOf(s: WorkbenchSettings): NonNullable<RuntimeConfig['scheduler']> {
  return { maxConcurrency: s.callConcurrency, maxRetries: s.maxRetries, retryAfterCapMs: s.retryAfterCapMs };
}

const noFiles = (): string => {
  throw new AppError('BAD_INPUT', 'assignment files are not read through the workbench; give task=provider:model pairs');
};

export function createWorkbenchSettings(d: SettingsDeps): WorkbenchSettingsService {
  let settings = loadSettings(d.store);
  // With no key at all, the workbench starts on the keyless demo so it shows something real.
  const assignment = (): Assignment =>
    settings.assignment ? { ...settings.assignment } : d.noKeys() ? { ...DEMO_ASSIGNMENT } : { ...DEFAULT_ASSIGNMENT };
  const isDemo = (a: Assignment): boolean => TASK_IDS.some((t) => a[t].startsWith('demo:'));

  const view = (): Settings => {
    const envOverrides: Settings['envOverrides'] = [];
    for (const p of PROVIDER_IDS) {
      const name = PROVIDERS[p].endpointEnv;
      if (name && d.env[name]) envOverrides.push(name as Settings['envOverrides'][number]);
    }
    for (const p of KEY_PROVIDER_IDS) if (d.env[keyEnvOf(p)]?.trim()) envOverrides.push(keyEnvOf(p));
    const a = assignment();
    return {
      assignment: a,
      assignmentSaved: settings.assignment !== null,
      demo: isDemo(a),
      endpoints: { ...settings.endpoints },
      envOverrides,
      ticketConcurrency: settings.ticketConcurrency,
      callConcurrency: settings.callConcurrency,
      maxRetries: settings.maxRetries,
      retryAfterCapMs: settings.retryAfterCapMs,
      hedge: { ...settings.hedge },
      watchFolder: settings.watchFolder,
      speculate: settings.speculate,
      watchError: d.watchError(),
      ui: loadUi(d.store),
      host: { kind: d.host ?? 'browser', fileDialog: d.host === 'desktop' },
    };
  };

  const apply = async (patch: SettingsPatch): Promise<Settings> => {
    const rt = d.runtime();
    const next: WorkbenchSettings = { ...settings, endpoints: { ...settings.endpoints } };
    if (patch.assignment !== undefined) {
      if (patch.assignment === null) next.assignment = null;
      else {
        const parsed = parseAssignment(JSON.stringify(patch.assignment), { fallback: assignment(), readFile: noFiles });
        // A retired model is refused here, naming its replacement; a deprecated one is kept with a warning.
        for (const w of rt.checkModels(parsed)) d.notice('warn', w);
        next.assignment = parsed;
      }
    }
    if (patch.endpoints) {
      for (const k of ENDPOINT_FIELDS) {
        const v = patch.endpoints[k];
        if (v !== undefined) next.endpoints[k] = v === null || v.trim() === '' ? null : v.trim().replace(/\/+$/, '');
      }
    }
    if (patch.ticketConcurrency !== undefined) next.ticketConcurrency = patch.ticketConcurrency;
    if (patch.callConcurrency !== undefined) next.callConcurrency = patch.callConcurrency;
    if (patch.maxRetries !== undefined) next.maxRetries = patch.maxRetries;
    if (patch.retryAfterCapMs !== undefined) next.retryAfterCapMs = patch.retryAfterCapMs;
    if (patch.hedge) {
      next.hedge = { enabled: patch.hedge.enabled ?? settings.hedge.enabled, budgetPct: patch.hedge.budgetPct ?? settings.hedge.budgetPct };
      rt.hedger.configure(next.hedge);
    }
    if (patch.speculate !== undefined) next.speculate = patch.speculate;
    if (patch.watchFolder !== undefined) next.watchFolder = patch.watchFolder?.trim() ? patch.watchFolder.trim() : null;
    const runtimeChanged =
      JSON.stringify(next.endpoints) !== JSON.stringify(settings.endpoints) ||
      next.callConcurrency !== settings.callConcurrency ||
      next.maxRetries !== settings.maxRetries ||
      next.retryAfterCapMs !== settings.retryAfterCapMs;
    const watchChanged = next.watchFolder !== settings.watchFolder;
    settings = next;
    saveSettings(d.store, settings);
    if (runtimeChanged) await d.onRuntimeChange();
    if (watchChanged) await d.onWatchChange();
    return view();
  };

  return {
    current: () => settings,
    assignment,
    assignmentOf: (spec) => (spec ? parseAssignment(spec, { fallback: assignment(), readFile: noFiles }) : assignment()),
    isDemo,
    view,
    apply,
  };
}

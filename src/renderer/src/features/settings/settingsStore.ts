// Settings: provider keys (set / replace / remove through the host's keychain; this store only
// ever holds "set" and the last 4 characters), endpoints, the per-task assignment, limits and
// the watched folder. Every change is saved at once, as VS Code does.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type { KeyProviderId, KeyStatus, ModelInfo, Settings, SettingsPatch } from '#shared/routes.ts';
import type { TaskId } from '#shared/tasks.ts';
import { isKeyProviderId, PROVIDER_IDS, PROVIDERS } from '#shared/providers.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import type { LatencyTable } from './predict.ts';

export type SaveState = { state: 'idle' | 'saving' | 'saved' | 'error'; error: AppErrorShape | null; field: string | null };

export interface SettingsState {
  settings: Settings | null;
  keys: KeyStatus[] | null;
  keysError: AppErrorShape | null;
  models: ModelInfo[];
  latency: LatencyTable;
  save: SaveState;
  /** Provider whose key field should be highlighted (a run was refused for lack of its key). */
  attention: KeyProviderId | null;
  actions: SettingsActions;
}

export interface SettingsActions {
  load(): Promise<void>;
  refreshKeys(): Promise<void>;
  refreshLatency(): Promise<void>;
  update(patch: SettingsPatch, field: string): Promise<boolean>;
  setTaskModel(task: TaskId, spec: string): Promise<boolean>;
  resetAssignment(): Promise<boolean>;
  setKey(provider: KeyProviderId, key: string): Promise<boolean>;
  removeKey(provider: KeyProviderId): Promise<boolean>;
  /** While Settings is open, new results refresh the latency medians behind the prediction. */
  watchLatency(on: boolean): void;
  /** Asks Settings to point at a provider's key (after KEY_MISSING). */
  needKey(provider: KeyProviderId | null): void;
  pickFolder(): Promise<string | null>;
  attach(): () => void;
}

export type SettingsStore = StoreApi<SettingsState>;

/** Display names, from the provider registry. */
export const PROVIDER_NAMES: Record<string, string> = Object.fromEntries(PROVIDER_IDS.map((p) => [p, PROVIDERS[p].name]));

/** "Groq key: set …abcd" / "Groq key: not set". */
export function describeKey(k: KeyStatus): string {
  const name = PROVIDER_NAMES[k.provider] ?? k.provider;
  if (!k.set) return `${name} key: not set`;
  return `${name} key: set${k.last4 ? ` …${k.last4}` : ''}`;
}

/** Providers an assignment needs a key for that has none. */
export function missingKeys(assignment: Record<string, string> | null | undefined, keys: KeyStatus[] | null): KeyProviderId[] {
  if (!assignment || !keys) return [];
  const needed = new Set(Object.values(assignment).map((s) => s.slice(0, s.indexOf(':'))));
  return keys.filter((k) => !k.set && needed.has(k.provider)).map((k) => k.provider);
}

/** The provider as a key provider (a result's `provider`), or null when that provider takes no key. */
export function keyProviderOf(provider: string | null | undefined): KeyProviderId | null {
  return provider && isKeyProviderId(provider) ? provider : null;
}

export function createSettingsStore(transport: Transport): SettingsStore {
  return createStore<SettingsState>()((set, get) => {
    let watching = false;
    let lastLatency = 0;
    const saved = (field: string): void => set({ save: { state: 'saved', error: null, field } });
    const failed = (field: string, error: AppErrorShape): void => set({ save: { state: 'error', error, field } });
    const actions: SettingsActions = {
      async load() {
        const [s, k, m] = await Promise.all([
          transport.request('settings.get', {}),
          transport.request('keys.status', {}),
          transport.request('models.list', {}),
        ]);
        if (s.ok) set({ settings: s.data });
        if (k.ok) set({ keys: k.data, keysError: null });
        else set({ keysError: k.error });
        if (m.ok) set({ models: m.data });
        void actions.refreshLatency();
      },
      async refreshKeys() {
        const r = await transport.request('keys.status', {});
        if (r.ok) set({ keys: r.data, keysError: null });
        else set({ keysError: r.error });
      },
      async refreshLatency() {
        const r = await transport.request('models.latency', {});
        if (r.ok) set({ latency: r.data });
      },
      async update(patch, field) {
        set({ save: { state: 'saving', error: null, field } });
        const r = await transport.request('settings.set', patch);
        if (!r.ok) {
          failed(field, r.error);
          return false;
        }
        set({ settings: r.data });
        saved(field);
        return true;
      },
      async setTaskModel(task, spec) {
        const s = get().settings;
        if (!s) return false;
        return actions.update({ assignment: { ...s.assignment, [task]: spec } }, `assignment.${task}`);
      },
      async resetAssignment() {
        return actions.update({ assignment: null }, 'assignment');
      },
      async setKey(provider, key) {
        set({ save: { state: 'saving', error: null, field: `key.${provider}` } });
        const r = await transport.request('keys.set', { provider, key });
        if (!r.ok) {
          failed(`key.${provider}`, r.error);
          return false;
        }
        set({ keys: r.data, attention: get().attention === provider ? null : get().attention });
        saved(`key.${provider}`);
        // The default assignment leaves the demo once a key exists.
        const s = await transport.request('settings.get', {});
        if (s.ok) set({ settings: s.data });
        return true;
      },
      async removeKey(provider) {
        set({ save: { state: 'saving', error: null, field: `key.${provider}` } });
        const r = await transport.request('keys.remove', { provider });
        if (!r.ok) {
          failed(`key.${provider}`, r.error);
          return false;
        }
        set({ keys: r.data });
        saved(`key.${provider}`);
        const s = await transport.request('settings.get', {});
        if (s.ok) set({ settings: s.data });
        return true;
      },
      watchLatency(on) {
        watching = on;
      },
      needKey(provider) {
        set({ attention: provider });
      },
      async pickFolder() {
        const r = await transport.request('host.pickFolder', {});
        if (!r.ok) {
          failed('watchFolder', r.error);
          return null;
        }
        return r.data.path;
      },
      attach() {
        return transport.onEvent((e) => {
          // New recorded latencies move the prediction: refresh after a ticket finishes, while
          // Settings is open, at most every 2 s (the medians are a query over every result).
          if (e.type === 'ticket.done' && watching && Date.now() - lastLatency > 2000) {
            lastLatency = Date.now();
            void actions.refreshLatency();
          }
        });
      },
    };
    return {
      settings: null,
      keys: null,
      keysError: null,
      models: [],
      latency: {},
      save: { state: 'idle', error: null, field: null },
      attention: null,
      actions,
    };
  });
}

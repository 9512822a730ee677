// What the workbench knows about the provider keys it holds: each one's status as the UI may see
// it (never the key), and the refusal before a call that would need a key nobody set.
import { AppError } from '#shared/errors.ts';
import { KEY_PROVIDER_IDS, keyEnvOf, PROVIDERS } from '#shared/providers.ts';
import type { KeyStatus } from '#shared/routes.ts';
import { TASK_IDS, TASKS } from '#shared/tasks.ts';
import type { Assignment } from '../graph/engine.ts';
import type { Runtime } from '../runtime.ts';
import type { LayeredSecretStore } from './sessionSecretStore.ts';

export interface KeyAccess {
  /** Each key provider's status; a key kept for this session only says so. */
  statuses(): KeyStatus[];
  /** No provider key is set at all (the workbench then starts on the keyless demo). */
  none(): boolean;
  /**
   * KEY_MISSING naming the provider (as data too) and where to add its key, before anything is
   * recorded; then the runtime's own key and model checks.
   */
  require(assignment: Assignment): void;
}

export function keyAccess(runtime: () => Runtime, secrets: LayeredSecretStore): KeyAccess {
  const statuses = (): KeyStatus[] =>
    runtime()
      .keyStatus()
      .map((k) => (k.source === 'keychain' && secrets.inSession(k.provider) ? { ...k, source: 'session' as const } : k));
  return {
    statuses,
    none: () => statuses().every((k) => !k.set),
    require(assignment) {
      const known = statuses();
      for (const p of KEY_PROVIDER_IDS) {
        const tasks = TASK_IDS.filter((t) => assignment[t].startsWith(`${p}:`));
        if (tasks.length && !known.find((k) => k.provider === p)?.set) {
          throw new AppError(
            'KEY_MISSING',
            `No ${PROVIDERS[p].name} API key is set (needed for ${tasks.map((t) => TASKS[t].label.toLowerCase()).join(', ')}). Add it in Settings → Provider keys, or set ${keyEnvOf(p)}.`,
            { provider: p },
          );
        }
      }
      const rt = runtime();
      rt.checkKeys(assignment);
      rt.checkModels(assignment);
    },
  };
}

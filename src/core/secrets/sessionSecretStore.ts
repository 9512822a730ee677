// Keys set from the workbench where no OS keychain can be used (CASEBENCH_NO_KEYCHAIN, or a
// machine without a keyring): the OS keychain first, else kept in this process's memory only.
import type { KeyProvider, SecretStore } from './secretStore.ts';

export interface LayeredSecretStore extends SecretStore {
  /** True when this provider's key lives only in memory (lost when the process ends). */
  inSession(provider: KeyProvider): boolean;
}

/** Wraps the keychain (or none) with an in-memory fallback for keys set when it cannot store them. */
export function layeredSecretStore(keychain: SecretStore | null): LayeredSecretStore {
  const session = new Map<KeyProvider, string>();
  return {
    async get(p) {
      if (session.has(p)) return session.get(p)!;
      if (!keychain) return null;
      return keychain.get(p);
    },
    async set(p, key) {
      if (keychain) {
        try {
          await keychain.set(p, key);
          session.delete(p);
          return;
        } catch {
          // No usable keychain: keep it for this session rather than refuse.
        }
      }
      session.set(p, key);
    },
    async delete(p) {
      const had = session.delete(p);
      if (!keychain) return had;
      try {
        return (await keychain.delete(p)) || had;
      } catch (e) {
        if (had) return true;
        throw e;
      }
    },
    inSession: (p) => session.has(p),
  };
}

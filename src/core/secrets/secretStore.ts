// Keys live in the OS keychain (keytar, service "casebench"); GROQ_API_KEY / OPENAI_API_KEY
// override it. Only the host process ever holds a key; callers outside see KeyStatus.
import { AppError } from '#shared/errors.ts';
import type { KeyStatus } from '#shared/routes.ts';
import { isKeyProviderId, KEY_PROVIDER_IDS, keyEnvOf, PROVIDERS, type KeyProviderId } from '#shared/providers.ts';

/** The providers whose key is kept here (the registry's key providers). */
export const KEY_PROVIDERS = KEY_PROVIDER_IDS;
export type KeyProvider = KeyProviderId;
export const KEYCHAIN_SERVICE = 'casebench';

/** The keychain port: get/set/delete one key per provider. */
export interface SecretStore {
  get(provider: KeyProvider): Promise<string | null>;
  set(provider: KeyProvider, key: string): Promise<void>;
  delete(provider: KeyProvider): Promise<boolean>;
}

interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** The OS keychain through keytar, loaded lazily so a machine without libsecret still runs with env keys. */
export function keytarSecretStore(service = KEYCHAIN_SERVICE): SecretStore {
  let api: Promise<KeytarApi> | null = null;
  const load = (): Promise<KeytarApi> => {
    api ??= import('keytar').then(
      (m) => (m as { default?: KeytarApi }).default ?? (m as unknown as KeytarApi),
      (e: unknown) => {
        api = null;
        throw new AppError(
          'INTERNAL',
          `the OS keychain is unavailable (${(e as Error).message.split('\n')[0]}); use ${KEY_PROVIDERS.map(keyEnvOf).join(' / ')} instead`,
        );
      },
    );
    return api;
  };
  const wrap = async <T>(what: string, fn: (k: KeytarApi) => Promise<T>): Promise<T> => {
    const k = await load();
    try {
      return await fn(k);
    } catch (e) {
      // keytar's messages never contain the secret, but keep only the first line.
      throw new AppError('INTERNAL', `keychain ${what} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  };
  return {
    get: (p) => wrap('read', (k) => k.getPassword(service, p)),
    set: (p, key) => wrap('write', (k) => k.setPassword(service, p, key)),
    delete: (p) => wrap('delete', (k) => k.deletePassword(service, p)),
  };
}

export interface ResolvedKey {
  provider: KeyProvider;
  key: string | null;
  source: 'env' | 'keychain' | null;
  /** Why the keychain could not be read, when it could not. */
  keychainError: string | null;
}

/** Resolves each provider's key: environment first, then the keychain. */
export async function resolveKey(
  provider: KeyProvider,
  env: Record<string, string | undefined>,
  store: SecretStore | null,
): Promise<ResolvedKey> {
  const fromEnv = env[keyEnvOf(provider)]?.trim();
  if (fromEnv) return { provider, key: fromEnv, source: 'env', keychainError: null };
  if (!store) return { provider, key: null, source: null, keychainError: null };
  try {
    const k = (await store.get(provider))?.trim();
    return { provider, key: k || null, source: k ? 'keychain' : null, keychainError: null };
  } catch (e) {
    return { provider, key: null, source: null, keychainError: (e as Error).message };
  }
}

/** What the UI may see of a key: set or not, and its last four characters. */
export function keyStatus(r: ResolvedKey): KeyStatus {
  return { provider: r.provider, set: r.key !== null, last4: r.key ? r.key.slice(-4) : null, source: r.source };
}

/** The user-facing sentence for a missing key. */
export function missingKeyMessage(provider: KeyProvider, keychainError?: string | null): string {
  const base = `no ${PROVIDERS[provider].name} API key: set one with \`casebench keys set ${provider}\` (reads the key on stdin) or the ${keyEnvOf(provider)} environment variable`;
  return keychainError ? `${base} (${keychainError})` : base;
}

export const isKeyProvider = isKeyProviderId;

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyStatus, keytarSecretStore, missingKeyMessage, resolveKey, type SecretStore } from './secretStore.ts';
import { scrubSecrets } from './scrub.ts';

// The real OS keychain under a throwaway service name. CI runs inside an unlocked gnome-keyring
// on a private D-Bus session and sets CASEBENCH_REQUIRE_KEYRING so that a missing or locked
// keyring fails here instead of being mistaken for "no key".
async function probeKeyring(): Promise<SecretStore | string> {
  const store = keytarSecretStore(`casebench-test-${randomUUID()}`);
  try {
    await store.set('groq', 'probe-value');
    const back = await store.get('groq');
    await store.delete('groq');
    return back === 'probe-value' ? store : 'the keyring is locked (getPassword returned null after setPassword)';
  } catch (e) {
    return (e as Error).message;
  }
}
const probe = await probeKeyring();
const required = process.env.CASEBENCH_REQUIRE_KEYRING === '1';

describe('OS keychain', () => {
  it.skipIf(typeof probe === 'string' && !required)(
    'stores, resolves and removes a key; the UI sees only its last 4 characters',
    async () => {
      if (typeof probe === 'string') throw new Error(`keyring required but unavailable: ${probe}`);
      const store = probe;
      const key = 'gsk_TESTKEY1-234567890abcdWXYZ';
      await store.set('groq', key);
      const r = await resolveKey('groq', {}, store);
      expect(r).toMatchObject({ key, source: 'keychain' });
      expect(keyStatus(r)).toEqual({ provider: 'groq', set: true, last4: 'WXYZ', source: 'keychain' });
      expect(JSON.stringify(keyStatus(r))).not.toContain('gsk_');
      expect(await store.delete('groq')).toBe(true);
      expect((await resolveKey('groq', {}, store)).key).toBeNull();
    },
  );
});

describe('key resolution', () => {
  const memory = (keys: Record<string, string>): SecretStore => ({
    get: async (p) => keys[p] ?? null,
    set: async (p, k) => void (keys[p] = k),
    delete: async (p) => delete keys[p],
  });
  it('lets GROQ_API_KEY override the keychain', async () => {
    const r = await resolveKey('groq', { GROQ_API_KEY: 'gsk_fromenv_0001' }, memory({ groq: 'gsk_fromkeychain' }));
    expect(r).toMatchObject({ key: 'gsk_fromenv_0001', source: 'env' });
  });
  it('reports a keychain failure instead of pretending there is no key', async () => {
    const broken: SecretStore = {
      get: async () => {
        throw new Error('keychain read failed: locked');
      },
      set: async () => {},
      delete: async () => false,
    };
    const r = await resolveKey('openai', {}, broken);
    expect(r.key).toBeNull();
    expect(missingKeyMessage('openai', r.keychainError)).toMatch(
      /no OpenAI API key: set one with `casebench keys set openai`.*OPENAI_API_KEY.*locked/,
    );
  });
});

describe('scrubSecrets', () => {
  it('removes known keys and key-shaped strings from text', () => {
    const text =
      'failed with gsk_abcdefgh-ijklmnop1234 and sk-proj-ABCDEFGHIJKLMNOPQRSTUV and Authorization: Bearer abc.def.ghi12345 and mykey-123456';
    const out = scrubSecrets(text, ['mykey-123456']);
    expect(out).not.toMatch(/gsk_|sk-proj|abc\.def|mykey-123456/);
    expect(out).toContain('Bearer [redacted]');
  });
});

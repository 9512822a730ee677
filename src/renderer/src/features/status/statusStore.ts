// Status bar state: which provider keys the host holds (never the keys themselves).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { KeyStatus } from '../../../../shared/routes.ts';
import type { Transport } from '../../platform/transport.ts';

export interface StatusState {
  keys: KeyStatus[] | null;
  keysError: AppErrorShape | null;
  actions: { refreshKeys(): Promise<void> };
}

export type StatusStore = StoreApi<StatusState>;

const PROVIDER_NAMES: Record<KeyStatus['provider'], string> = { groq: 'Groq', openai: 'OpenAI' };

/** "Groq key: set …abcd" / "Groq key: not set". */
export function describeKey(k: KeyStatus): string {
  const name = PROVIDER_NAMES[k.provider] ?? k.provider;
  if (!k.set) return `${name} key: not set`;
  return `${name} key: set${k.last4 ? ` …${k.last4}` : ''}`;
}

export function createStatusStore(transport: Transport): StatusStore {
  return createStore<StatusState>()((set) => ({
    keys: null,
    keysError: null,
    actions: {
      async refreshKeys() {
        const r = await transport.request('keys.status', {});
        if (r.ok) set({ keys: r.data, keysError: null });
        else set({ keysError: r.error });
      },
    },
  }));
}

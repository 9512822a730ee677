// Routes of Settings → Provider keys: which keys are set (never the key), set and remove one. The
// key providers come from the provider registry (src/shared/providers.ts). Merged into the route
// contract by src/shared/routes.ts; handlers in src/core/handlers/keyHandlers.ts.
import { z } from 'zod';
import { KEY_PROVIDER_IDS, type KeyProviderId } from '../providers.ts';

const empty = z.object({}).optional();

export const keyRouteInputs = {
  'keys.status': empty,
  'keys.set': z.object({ provider: z.enum(KEY_PROVIDER_IDS), key: z.string().min(8).max(400) }),
  'keys.remove': z.object({ provider: z.enum(KEY_PROVIDER_IDS) }),
} satisfies Record<string, z.ZodType>;

export interface KeyStatus {
  provider: KeyProviderId;
  set: boolean;
  /** Last 4 characters only; never the key. */
  last4: string | null;
  /** 'session': kept in memory for this process only (no OS keychain available). */
  source: 'env' | 'keychain' | 'session' | null;
}

export interface KeyRouteOutputs {
  'keys.status': KeyStatus[];
  'keys.set': KeyStatus[];
  'keys.remove': KeyStatus[];
}

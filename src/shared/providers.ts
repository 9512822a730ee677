// The providers, declared once as data: name, label, the key's and the endpoint's environment
// variables, the Settings field of the endpoint, and whether a call needs a key. The core (runtime,
// key store, error messages, rate limits), the CLI and the renderer all read this table, so adding
// a provider or renaming a variable is one edit. Pure data: the renderer imports it too.

export const PROVIDER_IDS = ['groq', 'openai', 'openai-compatible', 'demo'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** Providers whose calls need a key the user sets (Settings → Provider keys, the keychain, or the environment). */
export const KEY_PROVIDER_IDS = ['groq', 'openai'] as const;
export type KeyProviderId = (typeof KEY_PROVIDER_IDS)[number];

/** The endpoint fields of Settings (`endpoints.<field>`). */
export const ENDPOINT_FIELDS = ['groq', 'openai', 'openaiCompatible'] as const;
export type EndpointField = (typeof ENDPOINT_FIELDS)[number];
/** Base URLs chosen in Settings, per endpoint field (null or absent: the provider's default). */
export type Endpoints = Partial<Record<EndpointField, string | null>>;

export interface ProviderDecl {
  id: ProviderId;
  /** Display name ("Groq"). */
  name: string;
  /** The subject of a sentence about it ("Groq rejected the API key", "The OpenAI-compatible endpoint …"). */
  label: string;
  /** A call cannot be made without a key (KEY_MISSING before anything is recorded). */
  needsKey: boolean;
  /** Environment variable of the key, which takes precedence over the keychain; null: no key. */
  keyEnv: string | null;
  /** Environment variable of the base URL, which takes precedence over Settings; null: no endpoint. */
  endpointEnv: string | null;
  /** The Settings field of the base URL; null: not configurable. */
  endpointField: EndpointField | null;
  /** What to do about a rejected key. */
  keyHint: string;
}

export const PROVIDERS: Record<ProviderId, ProviderDecl> = {
  groq: {
    id: 'groq',
    name: 'Groq',
    label: 'Groq',
    needsKey: true,
    keyEnv: 'GROQ_API_KEY',
    endpointEnv: 'GROQ_BASE_URL',
    endpointField: 'groq',
    keyHint: 'Set a valid key with `casebench keys set groq` or GROQ_API_KEY.',
  },
  openai: {
    id: 'openai',
    name: 'OpenAI',
    label: 'OpenAI',
    needsKey: true,
    keyEnv: 'OPENAI_API_KEY',
    endpointEnv: 'OPENAI_BASE_URL',
    endpointField: 'openai',
    keyHint: 'Set a valid key with `casebench keys set openai` or OPENAI_API_KEY.',
  },
  'openai-compatible': {
    id: 'openai-compatible',
    name: 'OpenAI-compatible',
    label: 'The OpenAI-compatible endpoint',
    needsKey: false,
    keyEnv: 'OPENAI_COMPATIBLE_API_KEY',
    endpointEnv: 'OPENAI_COMPATIBLE_BASE_URL',
    endpointField: 'openaiCompatible',
    keyHint: 'Check the key configured for this endpoint.',
  },
  demo: {
    id: 'demo',
    name: 'Demo',
    label: 'The demo provider',
    needsKey: false,
    keyEnv: null,
    endpointEnv: null,
    endpointField: null,
    keyHint: 'Check the key configured for this endpoint.',
  },
};

// Fails to compile when the key providers and the table disagree.
const keyProvidersNeedKeys: (typeof PROVIDERS)[KeyProviderId]['needsKey'] = true;
void keyProvidersNeedKeys;

/** The environment variable of a key provider's key ("GROQ_API_KEY"). */
export function keyEnvOf(p: KeyProviderId): 'GROQ_API_KEY' | 'OPENAI_API_KEY' {
  return PROVIDERS[p].keyEnv as 'GROQ_API_KEY' | 'OPENAI_API_KEY';
}

/** Every environment variable that holds a key (the scrubber learns them all). */
export const KEY_ENV_NAMES: readonly string[] = PROVIDER_IDS.map((p) => PROVIDERS[p].keyEnv).filter((v): v is string => v !== null);

/** The display name of a provider id, or the id itself when unknown. */
export function providerName(p: string): string {
  return (PROVIDERS as Record<string, ProviderDecl | undefined>)[p]?.name ?? p;
}

export function isKeyProviderId(s: string): s is KeyProviderId {
  return (KEY_PROVIDER_IDS as readonly string[]).includes(s);
}

/**
 * A provider's base URL: its environment variable wins over the Settings value (the variable is
 * the deployment's, the setting the user's); undefined: the SDK's default.
 */
export function endpointOf(p: ProviderId, env: Record<string, string | undefined>, endpoints: Endpoints | undefined): string | undefined {
  const d = PROVIDERS[p];
  return (d.endpointEnv ? env[d.endpointEnv] : undefined) || (d.endpointField ? endpoints?.[d.endpointField] : undefined) || undefined;
}

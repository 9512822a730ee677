// Stable error codes that cross every boundary (IPC, HTTP, CLI output, the store).
import type { KeyProviderId } from './providers.ts';

export const ERROR_CODES = [
  'RATE_LIMITED', // 429 / 413 tokens-per-minute, after our retries were exhausted
  'TIMEOUT', // per-call timeout hit
  'INVALID_OUTPUT', // model answer not JSON or not matching the task schema
  'AUTH', // 401/403: key rejected
  'KEY_MISSING', // no key configured for the provider
  'MODEL_RETIRED', // model decommissioned (404 model_not_found on a known-retired id, 400 model_decommissioned)
  'MODEL_NOT_FOUND', // unknown model id
  'BAD_REQUEST', // 400 other than the above (unsupported parameter, …)
  'PROVIDER_ERROR', // 5xx, 498, stream error event
  'NETWORK', // connection refused/reset
  'CANCELLED', // aborted by the user
  'SPEND_LIMIT', // not called: a daily spend limit is reached (not a model failure; resumable)
  'CONFIRM_SPEND', // a paste or batch over the ask-first threshold was sent without the user's go-ahead
  'SKIPPED', // a dependency failed
  'EMPTY_TICKET', // nothing to triage (minimum-information gate)
  'NEEDS_INFO', // held by the information gate: no cloud, service or identifier found; the customer is asked for them
  'BAD_INPUT', // malformed file line, bad config
  'STORAGE', // the workspace database cannot be written or read: disk full, damaged, read-only, locked
  'INTERNAL',
  'RUN_BUSY', // the run is being executed by another live process (run lease)
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorShape {
  code: ErrorCode;
  message: string;
  /** KEY_MISSING: the provider whose key is missing, as data (the UI points Settings at it). */
  provider?: KeyProviderId;
}

/** An error that carries a stable code; its message must never contain a secret. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly provider?: KeyProviderId;
  constructor(code: ErrorCode, message: string, data?: { provider?: KeyProviderId }) {
    super(message);
    this.code = code;
    this.name = 'AppError';
    if (data?.provider) this.provider = data.provider;
  }
  toJSON(): AppErrorShape {
    return { code: this.code, message: this.message, ...(this.provider ? { provider: this.provider } : {}) };
  }
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape };

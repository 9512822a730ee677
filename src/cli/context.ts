// Builds the core runtime for a CLI command from the environment (the host's job, not the core's).
import { InvalidArgumentError } from 'commander';
import { keytarSecretStore, type SecretStore } from '#core/secrets/secretStore.ts';
import { createRuntime, type Runtime } from '#core/runtime.ts';
import { cliScrubber } from './secrets.ts';

/** commander parser for a positive whole number. */
export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

/** The OS keychain, unless CASEBENCH_NO_KEYCHAIN=1 (tests, CI, machines without a keyring). */
export function cliSecretStore(): SecretStore | null {
  return process.env.CASEBENCH_NO_KEYCHAIN === '1' ? null : keytarSecretStore();
}

/** The runtime for this process: keys from env or keychain, endpoints from env. */
export function cliRuntime(opts: { maxInFlight?: number } = {}): Promise<Runtime> {
  const env = process.env;
  return createRuntime({
    env,
    secretStore: cliSecretStore(),
    scheduler: {
      maxConcurrency: Math.max(16, opts.maxInFlight ?? 16),
      maxRetries: env.CASEBENCH_MAX_RETRIES ? Number(env.CASEBENCH_MAX_RETRIES) : undefined,
      retryAfterCapMs: env.CASEBENCH_RETRY_AFTER_CAP_MS ? Number(env.CASEBENCH_RETRY_AFTER_CAP_MS) : undefined,
    },
    demoSpeed: env.CASEBENCH_DEMO_SPEED ? Number(env.CASEBENCH_DEMO_SPEED) : undefined,
    scrubber: cliScrubber,
  });
}

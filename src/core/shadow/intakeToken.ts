// The bearer token of the HTTP intake endpoint (`POST /intake/tickets` on `casebench serve`), kept
// like the API keys: in the OS keychain (service "casebench", account "intake-token"), or in memory
// for the session where there is no keychain; CASEBENCH_INTAKE_TOKEN in the environment overrides
// both (a headless server). It is compared in constant time and never written to a log, the
// database or an error message; the workbench shows it only when asked (Settings → Intake).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '#shared/errors.ts';

export const INTAKE_ACCOUNT = 'intake-token';
export const INTAKE_TOKEN_ENV = 'CASEBENCH_INTAKE_TOKEN';

/** The keychain port, for one account. */
export interface TokenVault {
  get(): Promise<string | null>;
  set(token: string): Promise<void>;
  /** True when the token lives only in this process's memory. */
  inSession(): boolean;
}

export interface IntakeTokens {
  /** Whether a token is set, its last 4 characters, where it lives; the token itself only with reveal. */
  status(reveal: boolean): Promise<{ set: boolean; last4: string | null; token?: string; source: 'keychain' | 'session' | 'env' | null }>;
  /** A new random token replaces the old one at once. */
  rotate(): Promise<string>;
  /** Constant-time check of a presented token; false when none is set. */
  verify(given: string | null | undefined): Promise<boolean>;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function newIntakeToken(): string {
  return `cbi_${randomBytes(32).toString('base64url')}`;
}

export function createIntakeTokens(vault: TokenVault, env: Record<string, string | undefined>): IntakeTokens {
  const fromEnv = env[INTAKE_TOKEN_ENV]?.trim() || null;
  // Read once and kept as a digest: a keychain read per request would be slow, and the digest is all
  // a comparison needs.
  let cached: { token: string; digest: Buffer } | null | undefined;
  const current = async (): Promise<string | null> => {
    if (fromEnv) return fromEnv;
    if (cached === undefined) {
      const t = (await vault.get())?.trim() || null;
      cached = t ? { token: t, digest: digest(t) } : null;
    }
    return cached?.token ?? null;
  };
  return {
    async status(reveal) {
      const t = await current();
      const source = fromEnv ? 'env' : t ? (vault.inSession() ? 'session' : 'keychain') : null;
      return { set: t !== null, last4: t ? t.slice(-4) : null, ...(reveal && t ? { token: t } : {}), source };
    },
    async rotate() {
      if (fromEnv) throw new AppError('BAD_INPUT', `the intake token comes from ${INTAKE_TOKEN_ENV} in the environment; change it there`);
      const t = newIntakeToken();
      await vault.set(t);
      cached = { token: t, digest: digest(t) };
      return t;
    },
    async verify(given) {
      if (typeof given !== 'string' || given === '') return false;
      const t = await current();
      if (t === null) return false;
      const want = fromEnv ? digest(fromEnv) : cached!.digest;
      return timingSafeEqual(digest(given), want);
    },
  };
}

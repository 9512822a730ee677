// Shadow models and the HTTP intake wired into the interactive core (src/core/app.ts): the shadow
// service that every production ticket is handed to, the Shadow view's routes, and the intake
// endpoint `casebench serve` exposes.
import type { AppEvent } from '#shared/routes.ts';
import type { IntakeEndpoint } from '../live/httpIntake.ts';
import type { HandlerContext } from '../handlers/context.ts';
import { shadowHandlers } from '../handlers/shadowHandlers.ts';
import type { Runtime } from '../runtime.ts';
import type { KeyProvider } from '../secrets/secretStore.ts';
import type { LayeredSecretStore } from '../secrets/sessionSecretStore.ts';
import type { Store } from '../store/store.ts';
import { parseIntakeBody, submitIntake } from '../live/httpIntake.ts';
import type { Intake } from '../live/intake.ts';
import { createIntakeTokens, INTAKE_ACCOUNT } from './intakeToken.ts';
import { createShadowService } from './shadowRunner.ts';

export interface ShadowFeatureDeps {
  store: Store;
  runtime(): Runtime;
  emit(e: AppEvent): void;
  /** The keychain (with its in-memory fallback) the API keys live in; the intake token is one more account of it. */
  secrets: LayeredSecretStore;
  env: Record<string, string | undefined>;
  intake: Pick<Intake, 'enqueue'>;
  ctx: HandlerContext;
  served: boolean;
}

export function createShadowFeature(d: ShadowFeatureDeps) {
  const shadow = createShadowService({ store: d.store, runtime: d.runtime, emit: d.emit });
  // The port is typed for provider keys; the token is simply another account of the same service.
  const account = INTAKE_ACCOUNT as unknown as KeyProvider;
  const tokens = createIntakeTokens(
    { get: () => d.secrets.get(account), set: (t) => d.secrets.set(account, t), inSession: () => d.secrets.inSession(account) },
    d.env,
  );
  const httpIntake: IntakeEndpoint = {
    verify: (token) => tokens.verify(token),
    async submit(body) {
      const parsed = parseIntakeBody(body);
      if (!parsed.ok) return parsed;
      const r = submitIntake(d.store, d.intake, parsed.tickets);
      d.emit({
        type: 'notice',
        level: 'info',
        message: `HTTP intake: ${r.ids.length} ticket${r.ids.length === 1 ? '' : 's'} received`,
        at: Date.now(),
      });
      return { ok: true, ...r };
    },
  };
  return {
    /** Production finished a ticket: its shadow calls are queued (never awaited). */
    afterProduction: (runId: string, ticketId: string): void => shadow.afterProduction(runId, ticketId),
    handlers: shadowHandlers(d.ctx, { shadow, tokens, served: d.served }),
    httpIntake,
    service: shadow,
    close: (): void => shadow.close(),
  };
}

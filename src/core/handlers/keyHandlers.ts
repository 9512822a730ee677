// Route handlers of Settings → Provider keys (see src/shared/routes/keyRoutes.ts). A key set here
// is scrubbed from everything the process writes from that moment, kept in the OS keychain (or for
// this session when there is none), and used by the next call; the UI only ever sees its status.
import { AppError } from '#shared/errors.ts';
import { keyEnvOf, PROVIDERS } from '#shared/providers.ts';
import type { KeyRouteOutputs } from '#shared/routes/keyRoutes.ts';
import type { HandlersOf } from './context.ts';
import type { WorkbenchContext } from './workbenchContext.ts';

type Handlers = HandlersOf<keyof KeyRouteOutputs>;

export function keyHandlers(ctx: WorkbenchContext): Handlers {
  const { keys, secrets, notice } = ctx;
  return {
    'keys.status': async () => keys.statuses(),
    'keys.set': async (input) => {
      const key = input.key.trim();
      if (/\s/.test(key)) throw new AppError('BAD_INPUT', 'a key has no spaces or line breaks');
      ctx.scrubber.add(key); // scrubbed from now on, even where the environment's key takes precedence
      await secrets.set(input.provider, key);
      await ctx.applyRuntime();
      const status = keys.statuses();
      const s = status.find((k) => k.provider === input.provider);
      const name = PROVIDERS[input.provider].name;
      notice(
        'info',
        s?.source === 'env'
          ? `${name} key saved, but ${keyEnvOf(input.provider)} in the environment still takes precedence`
          : `${name} key set${s?.source === 'session' ? ' for this session (no OS keychain available)' : ' in the OS keychain'}`,
      );
      return status;
    },
    'keys.remove': async (input) => {
      await secrets.delete(input.provider);
      await ctx.applyRuntime();
      notice('info', `${PROVIDERS[input.provider].name} key removed`);
      return keys.statuses();
    },
  };
}

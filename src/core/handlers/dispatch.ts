// The core's side of a request: the route's handler called with its parsed input, its answer
// scrubbed, and any failure turned into a Result (a full disk or a damaged file in words, an
// AppError's code and message — and KEY_MISSING's provider — scrubbed, anything else INTERNAL).
// `request` parses the input itself (tests and hosts that call the core directly); hosts that went
// through src/shared/dispatch.ts call `requestParsed`, so an input is validated once.
import { AppError, type Result } from '#shared/errors.ts';
import { routeInputs, type RouteHandlers, type RouteName, type RouteOutputs } from '#shared/routes.ts';
import type { Scrubber } from '../secrets/scrub.ts';
import type { Store } from '../store/store.ts';
import { asStoreError } from '../store/storeErrors.ts';

export type AllHandlers = { [R in RouteName]: (input: never) => Promise<RouteOutputs[R]> };

export function coreDispatch(
  handlers: AllHandlers,
  store: Store,
  scrubber: Scrubber,
): Required<Pick<RouteHandlers, 'request' | 'requestParsed'>> {
  async function requestParsed<R extends RouteName>(route: R, input: unknown): Promise<Result<RouteOutputs[R]>> {
    try {
      const fn = handlers[route] as (i: unknown) => Promise<RouteOutputs[R]>;
      return { ok: true, data: scrubber.scrubDeep(await fn(input ?? {})) };
    } catch (err) {
      const e = asStoreError(err, store.path); // a full disk or a damaged file, in words
      if (e instanceof AppError)
        return { ok: false, error: { code: e.code, message: scrubber.scrub(e.message), ...(e.provider ? { provider: e.provider } : {}) } };
      return { ok: false, error: { code: 'INTERNAL', message: scrubber.scrub((e as Error).message ?? String(e)) } };
    }
  }
  return {
    requestParsed,
    async request<R extends RouteName>(route: R, input: unknown): Promise<Result<RouteOutputs[R]>> {
      const schema = routeInputs[route];
      if (!schema) return { ok: false, error: { code: 'BAD_INPUT', message: `unknown route ${String(route)}` } };
      const parsed = schema.safeParse(input ?? {});
      if (!parsed.success)
        return { ok: false, error: { code: 'BAD_INPUT', message: `${route}: ${parsed.error.issues[0]?.message ?? 'invalid input'}` } };
      return requestParsed(route, parsed.data);
    },
  };
}

// The host-side gate every request passes (IPC and HTTP alike): a known route name, an input
// that its zod schema accepts, and errors turned into Result values rather than thrown.
import { z } from 'zod';
import { AppError, type Result } from './errors.ts';
import { isRouteName, routeInputs, type RouteHandlers, type RouteName, type RouteParsedInput } from './routes.ts';

function badInput(message: string): { ok: false; error: { code: 'BAD_INPUT'; message: string } } {
  return { ok: false, error: { code: 'BAD_INPUT', message } };
}

/** Checks the route name and validates the input with its zod schema. */
export function validateRoute(route: unknown, input: unknown): Result<{ route: RouteName; input: unknown }> {
  if (typeof route !== 'string' || !isRouteName(route)) {
    return badInput(`unknown route: ${JSON.stringify(String(route).slice(0, 64))}`);
  }
  const parsed = routeInputs[route].safeParse(input);
  if (!parsed.success) return badInput(`invalid input for ${route}: ${z.prettifyError(parsed.error)}`);
  return { ok: true, data: { route, input: parsed.data } };
}

/** Calls the handlers with an already validated input (not parsed again when they can take it as is); never throws. */
export async function forwardRoute(handlers: RouteHandlers, route: RouteName, input: unknown): Promise<Result<unknown>> {
  try {
    if (handlers.requestParsed) return await handlers.requestParsed(route, input as RouteParsedInput<RouteName>);
    return await handlers.request(route, input);
  } catch (err) {
    // AppError messages are secret-free by contract; anything else may not be, so stay generic.
    if (err instanceof AppError) return { ok: false, error: err.toJSON() };
    return { ok: false, error: { code: 'INTERNAL', message: `internal error while handling ${route}` } };
  }
}

/** Validates route and input with zod, forwards to the handlers, never throws. */
export async function dispatchRoute(handlers: RouteHandlers, route: unknown, input: unknown): Promise<Result<unknown>> {
  const v = validateRoute(route, input);
  if (!v.ok) return v;
  return forwardRoute(handlers, v.data.route, v.data.input);
}

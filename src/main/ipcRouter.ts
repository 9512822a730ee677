// The IPC gate: only the app's own page may call, and only with a known route and valid input.
import type { Result } from '#shared/errors.ts';
import type { RouteHandlers } from '#shared/routes.ts';
import { dispatchRoute } from '#shared/dispatch.ts';

/**
 * True when `url` is the app's own page. `allowed` holds http(s) origins (the dev server) and/or
 * file:// URLs of the built index.html; a file URL matches on its exact path (query/hash ignored).
 */
export function isAllowedSender(url: string, allowed: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  for (const entry of allowed) {
    let a: URL;
    try {
      a = new URL(entry);
    } catch {
      continue;
    }
    if (u.protocol === 'file:') {
      if (a.protocol === 'file:' && a.host === u.host && a.pathname === u.pathname) return true;
    } else if (u.protocol === 'http:' || u.protocol === 'https:') {
      if (u.origin === a.origin) return true;
    }
  }
  return false;
}

/** Checks the sender frame, then validates and forwards; never throws. */
export async function dispatchRequest(
  handlers: RouteHandlers,
  senderUrl: string | null | undefined,
  allowedOrigins: readonly string[],
  route: unknown,
  input: unknown,
): Promise<Result<unknown>> {
  if (!senderUrl || !isAllowedSender(senderUrl, allowedOrigins)) {
    return { ok: false, error: { code: 'BAD_INPUT', message: 'request refused: the sender is not the casebench window' } };
  }
  return dispatchRoute(handlers, route, input);
}

// The renderer's only door to a host. In Electron it wraps window.api (preload IPC); in browser
// mode it speaks HTTP + SSE to `casebench serve`, with the token taken from the URL's #token=.
import type { CasebenchApi } from '#shared/bridge.ts';
import type { AppErrorShape, Result } from '#shared/errors.ts';
import type { AppEvent, RouteInput, RouteName, RouteOutputs } from '#shared/routes.ts';

declare global {
  interface Window {
    api?: CasebenchApi;
  }
}

export interface Transport {
  readonly kind: 'ipc' | 'http';
  request<R extends RouteName>(route: R, input: RouteInput<R>): Promise<Result<RouteOutputs[R]>>;
  /** Every AppEvent the host pushes; returns the unsubscribe function. */
  onEvent(listener: (e: AppEvent) => void): () => void;
  /** Why the transport cannot work at all (browser mode opened without the token), else null. */
  readonly problem: AppErrorShape | null;
}

const TOKEN_KEY = 'casebench.token';
const TOKEN_HEADER = 'x-casebench-token';

function fail(code: AppErrorShape['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function isResult(v: unknown): v is Result<unknown> {
  if (typeof v !== 'object' || v === null || !('ok' in v)) return false;
  const r = v as { ok: unknown; error?: unknown };
  if (r.ok === true) return 'data' in v;
  return r.ok === false && typeof r.error === 'object' && r.error !== null;
}

/** Reads the token from location.hash (#token=…), falling back to this tab's sessionStorage. */
export function readToken(location: Pick<Location, 'hash'>, storage: Pick<Storage, 'getItem' | 'setItem'> | null): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    try {
      storage?.setItem(TOKEN_KEY, fromHash);
    } catch {
      // storage may be disabled; the hash still works for this page load
    }
    return fromHash;
  }
  try {
    return storage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

export function ipcTransport(api: CasebenchApi): Transport {
  return {
    kind: 'ipc',
    problem: null,
    async request(route, input) {
      try {
        const r: unknown = await api.request(route, input);
        return isResult(r) ? (r as Result<RouteOutputs[typeof route]>) : fail('INTERNAL', `malformed reply for ${route}`);
      } catch (err) {
        return fail('INTERNAL', err instanceof Error ? err.message : String(err));
      }
    },
    onEvent: (listener) => api.on(listener),
  };
}

export interface HttpDeps {
  baseUrl: string;
  token: string | null;
  fetch: typeof fetch;
  EventSource: typeof EventSource;
}

export function httpTransport(deps: HttpDeps): Transport {
  const { token } = deps;
  const problem: AppErrorShape | null = token
    ? null
    : { code: 'AUTH', message: 'No access token in this page’s address. Open the full URL printed by `casebench serve`.' };
  const listeners = new Set<(e: AppEvent) => void>();
  let source: EventSource | null = null;

  function openStream(): void {
    if (source || !token) return;
    source = new deps.EventSource(new URL(`api/events?token=${encodeURIComponent(token)}`, deps.baseUrl).href);
    source.onmessage = (m: MessageEvent<string>) => {
      let e: AppEvent;
      try {
        e = JSON.parse(m.data) as AppEvent;
      } catch {
        return;
      }
      for (const l of listeners) l(e);
    };
  }

  return {
    kind: 'http',
    problem,
    async request(route, input) {
      if (!token) return fail('AUTH', problem?.message ?? 'no token');
      let res: Response;
      try {
        res = await deps.fetch(new URL(`api/${route}`, deps.baseUrl).href, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(input ?? {}),
          // The layout written as the page goes away (a reload, a closed tab) must still arrive;
          // keepalive allows only small bodies, which the workbench's own state is.
          keepalive: route === 'ui.save',
        });
      } catch (err) {
        return fail('NETWORK', `casebench server unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        return fail('INTERNAL', `HTTP ${res.status} from /api/${route} without a JSON body`);
      }
      return isResult(body) ? (body as Result<RouteOutputs[typeof route]>) : fail('INTERNAL', `HTTP ${res.status}: malformed reply`);
    },
    onEvent(listener) {
      listeners.add(listener);
      openStream();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}

/** Picks IPC when the preload bridge exists, else HTTP/SSE against the page's own origin. */
export function createTransport(win: Window & typeof globalThis = window): Transport {
  if (win.api) return ipcTransport(win.api);
  let storage: Storage | null = null;
  try {
    storage = win.sessionStorage;
  } catch {
    storage = null;
  }
  return httpTransport({
    baseUrl: new URL('/', win.location.href).href,
    token: readToken(win.location, storage),
    fetch: win.fetch.bind(win),
    EventSource: win.EventSource,
  });
}

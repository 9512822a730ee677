// A scripted Transport for store tests: answers routes from a table and lets a test push events.
import type { Result } from '#shared/errors.ts';
import type { AppEvent, RouteName, RouteOutputs } from '#shared/routes.ts';
import type { Transport } from './transport.ts';

type Handler = (input: unknown) => Result<unknown> | Promise<Result<unknown>>;

export interface FakeTransport extends Transport {
  calls: Array<{ route: RouteName; input: unknown }>;
  emit(e: AppEvent): void;
  on<R extends RouteName>(route: R, h: (input: unknown) => Result<RouteOutputs[R]> | Promise<Result<RouteOutputs[R]>>): void;
}

export function fakeTransport(): FakeTransport {
  const listeners = new Set<(e: AppEvent) => void>();
  const handlers = new Map<RouteName, Handler>();
  const calls: FakeTransport['calls'] = [];
  return {
    kind: 'http',
    problem: null,
    calls,
    emit: (e) => {
      for (const l of listeners) l(e);
    },
    on: (route, h) => void handlers.set(route, h as Handler),
    async request(route, input) {
      calls.push({ route, input });
      const h = handlers.get(route);
      if (!h) return { ok: false, error: { code: 'BAD_INPUT', message: `no fake for ${route}` } };
      return (await h(input)) as never;
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

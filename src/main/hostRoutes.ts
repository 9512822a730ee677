// The desktop host's own routes (native Open dialog, folder picker) layered over the core's, so
// the renderer asks for them like any route and never sees a path it did not choose.
import { AppError, type Result } from '#shared/errors.ts';
import type { ImportReport, RouteHandlers, RouteName, RouteOutputs } from '#shared/routes.ts';

/** What the host needs from Electron's dialog module (a port, so tests need no Electron). */
export interface Dialogs {
  openFile(): Promise<string | null>;
  openFolder(): Promise<string | null>;
  /** The Open dialog for a trace file (LangSmith, Langfuse, OTLP, promptfoo, casebench JSONL). */
  openTraceFile?(): Promise<string | null>;
}

export interface CoreWithImport extends RouteHandlers {
  importPath(path: string): Promise<ImportReport>;
}

const asError = (e: unknown): Result<never> =>
  e instanceof AppError ? { ok: false, error: e.toJSON() } : { ok: false, error: { code: 'INTERNAL', message: 'the import failed' } };

/** Wraps the core: host.* routes are answered here with native dialogs, the rest go to the core. */
export function withHostRoutes(core: CoreWithImport, dialogs: Dialogs): RouteHandlers {
  // Input the dispatch already validated goes on to the core without being parsed again.
  const toCore =
    (parsed: boolean) =>
    <R extends RouteName>(route: R, input: unknown): Promise<Result<RouteOutputs[R]>> =>
      parsed && core.requestParsed ? core.requestParsed(route, input as never) : core.request(route, input);
  const answer = async <R extends RouteName>(
    route: R,
    input: unknown,
    rest: ReturnType<typeof toCore>,
  ): Promise<Result<RouteOutputs[R]>> => {
    if (route === 'host.openTicketFile') {
      const path = await dialogs.openFile();
      if (!path) return { ok: true, data: { cancelled: true } as RouteOutputs[R] };
      try {
        return { ok: true, data: (await core.importPath(path)) as RouteOutputs[R] };
      } catch (e) {
        return asError(e);
      }
    }
    if (route === 'traces.openDialog' && dialogs.openTraceFile) {
      const path = await dialogs.openTraceFile();
      if (!path) return { ok: true, data: { cancelled: true } as RouteOutputs[R] };
      const again = (input as { again?: unknown } | undefined)?.again === true;
      return core.request('traces.importPath', { path, ...(again ? { again } : {}) }) as Promise<Result<RouteOutputs[R]>>;
    }
    if (route === 'host.pickFolder') {
      return { ok: true, data: { path: await dialogs.openFolder() } as RouteOutputs[R] };
    }
    return rest(route, input);
  };
  return {
    subscribe: (l) => core.subscribe(l),
    request: (route, input) => answer(route, input, toCore(false)),
    requestParsed: (route, input) => answer(route, input, toCore(true)),
  };
}

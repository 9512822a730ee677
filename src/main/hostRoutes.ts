// The desktop host's own routes (native Open dialog, folder picker) layered over the core's, so
// the renderer asks for them like any route and never sees a path it did not choose.
import { AppError, type Result } from '../shared/errors.ts';
import type { ImportReport, RouteHandlers, RouteName, RouteOutputs } from '../shared/routes.ts';

/** What the host needs from Electron's dialog module (a port, so tests need no Electron). */
export interface Dialogs {
  openFile(): Promise<string | null>;
  openFolder(): Promise<string | null>;
}

export interface CoreWithImport extends RouteHandlers {
  importPath(path: string): Promise<ImportReport>;
}

const asError = (e: unknown): Result<never> =>
  e instanceof AppError ? { ok: false, error: e.toJSON() } : { ok: false, error: { code: 'INTERNAL', message: 'the import failed' } };

/** Wraps the core: host.* routes are answered here with native dialogs, the rest go to the core. */
export function withHostRoutes(core: CoreWithImport, dialogs: Dialogs): RouteHandlers {
  return {
    subscribe: (l) => core.subscribe(l),
    async request<R extends RouteName>(route: R, input: unknown): Promise<Result<RouteOutputs[R]>> {
      if (route === 'host.openTicketFile') {
        const path = await dialogs.openFile();
        if (!path) return { ok: true, data: { cancelled: true } as RouteOutputs[R] };
        try {
          return { ok: true, data: (await core.importPath(path)) as RouteOutputs[R] };
        } catch (e) {
          return asError(e);
        }
      }
      if (route === 'host.pickFolder') {
        return { ok: true, data: { path: await dialogs.openFolder() } as RouteOutputs[R] };
      }
      return core.request(route, input);
    },
  };
}

// What a feature's route handlers get from the core services (src/core/app.ts), so each feature
// keeps its handlers in its own file: src/core/handlers/<feature>Handlers.ts beside the routes of
// src/shared/routes/<feature>Routes.ts.
import type { AppEvent, RouteName, RouteOutputs, RouteParsedInput } from '#shared/routes.ts';
import type { Runtime } from '../runtime.ts';
import type { Store } from '../store/store.ts';
import type { Assignment } from '../graph/engine.ts';

export interface HandlerContext {
  store: Store;
  /** The runtime (rebuilt when keys or limits change: read it through this getter each time). */
  runtime(): Runtime;
  dbPath: string;
  emit(e: AppEvent): void;
  notice(level: 'info' | 'warn' | 'error', message: string): void;
  /** The assignment the workbench uses now (settings, or the default / demo). */
  currentAssignment(): Assignment;
  /** True once the services are closing: long work should stop. */
  closed(): boolean;
  /** Registers cleanup to run on close (abort controllers, watchers). */
  onClose(fn: () => void | Promise<void>): void;
}

/**
 * Handlers of some routes: each input typed from its schema's output (validated once, at the
 * dispatch, so a handler never parses again), each output from the contract.
 */
export type HandlersOf<K extends RouteName> = { [R in K]: (input: RouteParsedInput<R>) => Promise<RouteOutputs[R]> };

// What the preload exposes as window.api (Electron) and what the renderer's transport expects.
// Types and channel names only.
import type { Result } from './errors.ts';
import type { AppEvent, RouteInput, RouteName, RouteOutputs } from './routes.ts';

export const IPC_REQUEST = 'casebench:request';
export const IPC_EVENT = 'casebench:event';
export type IpcRequestChannel = typeof IPC_REQUEST;
export type IpcEventChannel = typeof IPC_EVENT;

export interface CasebenchApi {
  request<R extends RouteName>(route: R, input: RouteInput<R>): Promise<Result<RouteOutputs[R]>>;
  /** Subscribes to every AppEvent; returns the unsubscribe function. */
  on(listener: (e: AppEvent) => void): () => void;
}

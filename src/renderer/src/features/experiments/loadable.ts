// The state of one thing the experiments views read from the host: not asked yet, on its way,
// there, or refused (with the error).
import type { AppErrorShape } from '#shared/errors.ts';

export interface Loadable<T> {
  load: 'idle' | 'loading' | 'ready' | 'error';
  data: T | null;
  error: AppErrorShape | null;
}
export const idle = <T>(): Loadable<T> => ({ load: 'idle', data: null, error: null });

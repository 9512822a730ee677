// The core's event stream: taps see every event first (caches drop what it changed), then the
// event is scrubbed of every key the process knows and handed to each listener; a listener that
// throws stops neither the others nor the engine.
import type { AppEvent } from '#shared/routes.ts';
import type { Scrubber } from './secrets/scrub.ts';

export interface EventBus {
  emit(e: AppEvent): void;
  /** A notice in the window's log (scrubbed). */
  notice(level: 'info' | 'warn' | 'error', message: string): void;
  /** Sees every event before it is scrubbed and sent. */
  tap(fn: (e: AppEvent) => void): void;
  subscribe(listener: (e: AppEvent) => void): () => void;
  clear(): void;
}

export function createEventBus(scrubber: Scrubber): EventBus {
  const listeners = new Set<(e: AppEvent) => void>();
  const taps: Array<(e: AppEvent) => void> = [];
  const emit = (e: AppEvent): void => {
    for (const tap of taps) tap(e);
    e = scrubber.scrubDeep(e);
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A broken listener must not stop the others or the engine.
      }
    }
  };
  return {
    emit,
    notice: (level, message) => emit({ type: 'notice', level, message: scrubber.scrub(message), at: Date.now() }),
    tap: (fn) => void taps.push(fn),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: () => listeners.clear(),
  };
}

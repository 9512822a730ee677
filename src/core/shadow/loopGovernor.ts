// Shadow calls yield the CPU to production: every call costs this process event-loop time (the
// SDK building the request, reading and parsing the answer, recording it), and production's answers
// are read on the same loop. Before a shadow call starts, the governor waits while the loop has
// been busy more than `maxBusy` of the recent window (event-loop utilisation), so shadows fill the
// idle time and back off when production keeps the process busy or the machine is short of CPU.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export const SHADOW_MAX_LOOP_BUSY = 0.5;
const SAMPLE_MS = 100;

export interface LoopGovernor {
  /** Resolves once the loop's recent utilisation is at or under the bound (or the signal aborts). */
  quiet(signal?: AbortSignal): Promise<void>;
  /** The latest utilisation sample, 0–1. */
  busy(): number;
}

export function createLoopGovernor(maxBusy = SHADOW_MAX_LOOP_BUSY): LoopGovernor {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  let recent = 0;
  let sampledAt = performance.now();
  const sample = (): void => {
    const now = performance.eventLoopUtilization();
    recent = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    sampledAt = performance.now();
  };
  return {
    busy: () => recent,
    async quiet(signal) {
      // A stale sample (nothing asked for a while) is renewed over a fresh short window first.
      if (performance.now() - sampledAt > 4 * SAMPLE_MS) {
        last = performance.eventLoopUtilization();
        await wait(SAMPLE_MS / 2, signal);
        sample();
      }
      while (recent > maxBusy && !signal?.aborted) {
        await wait(SAMPLE_MS, signal);
        sample();
      }
    },
  };
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', done);
      resolve();
    }, ms);
    const done = (): void => {
      clearTimeout(t);
      resolve();
    };
    signal?.addEventListener('abort', done, { once: true });
  });
}

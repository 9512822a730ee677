// A heavy-tailed latency for the fake provider server (`latencyMs: heavyTail(…)`): most requests
// take the base time, a seeded share of them `factor` times as long — the tail hedged calls are
// for. `slowNext(n)` makes the next n requests slow on purpose (tests of a hedge's race).
// Runs under plain Node type stripping (bench/fakeServerProcess.ts): erasable syntax only.
import { seededRandom } from '#core/random.ts';

export interface HeavyTailOptions {
  /** The usual answer time, ms (a number, or per model and task). */
  baseMs: number | ((model: string, task: string | null) => number);
  /** Share of requests in the tail, 0–1 (default 0.03). */
  tailShare?: number;
  /** How many times slower a tail request is (default 10). */
  factor?: number;
  seed?: number;
}

export interface HeavyTailLatency {
  (model: string, task: string | null): number;
  /** The next n requests (of this task, when given; after letting `skip` of them through) take base × factor, whatever the draw. */
  slowNext(n: number, task?: string, skip?: number): void;
  /** Requests answered slow so far. */
  readonly slowCount: number;
  /** How many times slower a slow request is (may be changed between runs). */
  factor: number;
  /** Forgets requests made slow by slowNext. */
  reset(): void;
}

export function heavyTail(o: HeavyTailOptions): HeavyTailLatency {
  const share = o.tailShare ?? 0.03;
  const rand = seededRandom(o.seed ?? 7);
  const forced: Array<{ task: string | null; skip: number }> = [];
  let slow = 0;
  const fn = ((model: string, task: string | null): number => {
    const base = typeof o.baseMs === 'function' ? o.baseMs(model, task) : o.baseMs;
    const draw = rand();
    let i = forced.findIndex((f) => f.task === null || f.task === task);
    if (i >= 0 && forced[i]!.skip > 0) {
      for (const f of forced) if (f.task === null || f.task === task) f.skip = Math.max(0, f.skip - 1);
      i = -1;
    }
    if (i >= 0) forced.splice(i, 1);
    const isSlow = i >= 0 || draw < share;
    if (isSlow) slow++;
    return isSlow ? base * fn.factor : base;
  }) as HeavyTailLatency;
  fn.slowNext = (n: number, task?: string, skip = 0): void => {
    for (let k = 0; k < n; k++) forced.push({ task: task ?? null, skip });
  };
  fn.reset = (): void => {
    forced.length = 0;
  };
  fn.factor = o.factor ?? 10;
  Object.defineProperty(fn, 'slowCount', { get: () => slow });
  return fn;
}

// Tells a host when the store's spend may have changed without a call of its own: another process
// (a `casebench run` or `experiment` on the same workspace) recorded calls, a call of this process
// was committed after its cost was announced, or the local day turned (today's spend starts again).
// One indexed read per tick (the newest call's id), so it is cheap on any workspace size.
import type { Store } from '../store/store.ts';
import { localDay } from './day.ts';

export interface SpendWatchOptions {
  /** How often the store is looked at, ms. Default 2 s. */
  everyMs?: number;
  clock?: () => Date;
}

export function watchSpend(store: Store, onChange: () => void, o: SpendWatchOptions = {}): () => void {
  const clock = o.clock ?? (() => new Date());
  const mark = (): string => {
    const r = store.prepare('SELECT coalesce(max(id), 0) AS id FROM calls').get() as { id: number | bigint };
    return `${localDay(clock())}|${String(r.id)}`;
  };
  let last = mark();
  const timer = setInterval(() => {
    let now: string;
    try {
      now = mark();
    } catch {
      return; // the store is closing, or briefly busy: look again next tick
    }
    if (now !== last) {
      last = now;
      onChange();
    }
  }, o.everyMs ?? 2000);
  timer.unref?.();
  return () => clearInterval(timer);
}

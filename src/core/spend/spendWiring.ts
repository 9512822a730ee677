// Spend control wired into one workbench: the limit checked by the engine before every call of
// every run of the workspace, and the UI told (at most every 500 ms) to re-read the spend after an
// answered call's cost, a call recorded by another process on this workspace, or the day turning.
import type { Runtime } from '../runtime.ts';
import type { Store } from '../store/store.ts';
import { createSpendGuard, type SpendGuard } from './guard.ts';
import { watchSpend } from './watch.ts';

export interface SpendWiring {
  guard: SpendGuard;
  close(): void;
}

export function wireSpend(store: Store, rt: Runtime, changed: () => void, opts: { everyMs?: number } = {}): SpendWiring {
  const guard = createSpendGuard({ store });
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const spendChanged = (): void => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (!closed) changed();
    }, 500);
    timer.unref?.();
  };
  const stopWatch = watchSpend(store, spendChanged, { everyMs: opts.everyMs });
  rt.deps.spend = {
    beforeCall: (spec) => guard.beforeCall(spec),
    charge: (spec, cost) => {
      guard.charge(spec, cost);
      spendChanged();
    },
  };
  return {
    guard,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      stopWatch();
    },
  };
}

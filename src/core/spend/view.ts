// The spend as shown (status bar, `casebench spend`): today (local day), the latest run, the total,
// and each daily limit — always read from the store, so it survives a reload and counts every host.
import type { SpendView } from '#shared/spend.ts';
import type { Store } from '../store/store.ts';
import { localDay, localMidnight, nextLocalMidnight } from './day.ts';
import { latestRunSpend, simulatedSince, spentSince, spentTotal } from './ledger.ts';
import { loadLimits } from './limits.ts';
import { scopeLabel } from './scopes.ts';

export function spendView(store: Store, now: Date = new Date()): SpendView {
  const since = localMidnight(now);
  const today = spentSince(store, since);
  return {
    day: localDay(now),
    today,
    total: spentTotal(store),
    run: latestRunSpend(store),
    simulatedTodayUsd: simulatedSince(store, since),
    limits: loadLimits(store).map((l) => {
      // Each limit against its own scope's spend (the workspace's is `today`).
      const spentToday = l.scope.kind === 'workspace' ? today.usd : spentSince(store, since, l.scope).usd;
      return {
        scope: l.scope,
        label: scopeLabel(l.scope),
        dailyUsd: l.dailyUsd,
        spentTodayUsd: spentToday,
        reached: spentToday >= l.dailyUsd - 1e-12,
      };
    }),
    resetsAt: nextLocalMidnight(now),
  };
}

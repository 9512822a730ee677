// The spend limit, enforced in the core where calls are dispatched: the engine asks the guard
// before every attempt (retries included) and tells it each call's cost. A refused call is
// SPEND_LIMIT — never sent, never recorded as a call or as the model's failure, and resumable once
// the limit is raised or the local day turns. Calls already in flight finish and are recorded.
import { ProviderError } from '../providers/types.ts';
import type { SpendGate } from '../graph/engine.ts';
import type { SpendLimitView } from '../../shared/spend.ts';
import type { Store } from '../store/store.ts';
import { localDay, localMidnight } from './day.ts';
import { spentSince } from './ledger.ts';
import { loadLimits, scopeLabel, type SpendLimit } from './limits.ts';

export interface SpendGuard extends SpendGate {
  /** Re-reads limits and spend from the store now (after a limit changed, or another process spent). */
  refresh(): void;
  /** Each limit with today's spend in its scope and whether it stops calls now. */
  limits(): SpendLimitView[];
  /** The message a refused call carries, or null when calls may go. */
  blocked(): string | null;
}

export interface SpendGuardOptions {
  store: Store;
  /** The clock (tests inject a day). */
  clock?: () => Date;
  /** How often spend recorded by other processes and limit changes are picked up, ms. Default 3 s. */
  resyncMs?: number;
}

const usd = (n: number): string => `$${n >= 0.01 || n === 0 ? n.toFixed(2) : n.toFixed(4)}`;

export function createSpendGuard(o: SpendGuardOptions): SpendGuard {
  const clock = o.clock ?? (() => new Date());
  const resyncMs = o.resyncMs ?? 3000;
  let day = '';
  let spent = 0;
  let syncedAt = 0;
  let limits: SpendLimit[] = [];

  const sync = (force: boolean): void => {
    const now = clock();
    const d = localDay(now);
    if (!force && d === day && now.getTime() - syncedAt < resyncMs) return;
    const fromStore = spentSince(o.store, localMidnight(now)).usd;
    // Within a day, costs charged here but not yet committed (tasks still running) are kept.
    spent = d === day ? Math.max(spent, fromStore) : fromStore;
    day = d;
    syncedAt = now.getTime();
    limits = loadLimits(o.store);
  };

  const message = (l: SpendLimit): string =>
    `daily spend limit reached: ${usd(spent)} spent today (local day ${day}) of ${scopeLabel(l.scope)} ${usd(l.dailyUsd)} limit. ` +
    'No further calls until the limit is raised (Settings → Spending, or casebench spend --limit) or the day turns at local midnight; finished results are kept — resume to continue.';

  const blocked = (): string | null => {
    sync(false);
    // Workspace spend applies to every scope today; a shadow set's limit will compare its own spend.
    const hit = limits.find((l) => spent >= l.dailyUsd - 1e-12);
    return hit ? message(hit) : null;
  };

  return {
    beforeCall(spec) {
      if (spec.startsWith('demo:')) return; // simulated: nothing is spent
      const why = blocked();
      if (why) throw new ProviderError({ code: 'SPEND_LIMIT', message: why, retryable: false });
    },
    charge(spec, costUsd) {
      if (costUsd === null || spec.startsWith('demo:')) return;
      sync(false);
      spent += costUsd;
    },
    refresh: () => sync(true),
    blocked,
    limits() {
      sync(false);
      return limits.map((l) => ({ scope: l.scope, label: 'Workspace', dailyUsd: l.dailyUsd, spentTodayUsd: spent, reached: spent >= l.dailyUsd - 1e-12 }));
    },
  };
}

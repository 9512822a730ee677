// What the shadow set has spent today, and whether its own daily limit stops further shadow calls.
// "Today" is the machine's local day (midnight to midnight), as for the workspace's spend limit.
// Demo calls are simulated: they cost nothing and are counted apart.
import type { Store } from '../store/store.ts';
import type { ShadowSet } from './shadowSet.ts';

/** Epoch ms of the local midnight that starts the day of `d`. */
export function localMidnight(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

export interface ShadowSpend {
  /** Real spend of shadow calls since local midnight, USD. */
  usd: number;
  /** What demo shadow calls would have cost (nothing was spent). */
  simulatedUsd: number;
  /** Calls with tokens but no known price (their cost is not in usd). */
  unpricedCalls: number;
}

/** Spend of every shadow run's calls since local midnight (production's calls are not shadow spend). */
export function shadowSpentToday(store: Store, now: Date): ShadowSpend {
  const r = store
    .prepare(
      `SELECT COALESCE(SUM(CASE WHEN c.provider != 'demo' THEN c.cost_usd END), 0) AS usd,
              COALESCE(SUM(CASE WHEN c.provider = 'demo' THEN c.cost_usd END), 0) AS sim,
              COALESCE(SUM(CASE WHEN c.cost_usd IS NULL AND c.input_tokens IS NOT NULL THEN 1 ELSE 0 END), 0) AS unpriced
         FROM runs r JOIN calls c ON c.run_id = r.id WHERE r.kind = 'shadow' AND c.started_at >= ?`,
    )
    .get(localMidnight(now)) as { usd: number; sim: number; unpriced: number | bigint };
  return { usd: Number(r.usd) || 0, simulatedUsd: Number(r.sim) || 0, unpricedCalls: Number(r.unpriced) || 0 };
}

/**
 * Today's shadow spend kept in memory: read from the store at most every `resyncMs` (other
 * processes, a new day) and charged with each shadow call's cost as it lands, so checking the limit
 * before every shadow call costs no query over the day's calls on the event loop production uses.
 */
export function shadowSpendMeter(store: Store, clock: () => Date, resyncMs = 3000) {
  let day = -1;
  let spent = 0;
  let at = -Infinity;
  const sync = (): void => {
    const now = clock();
    const midnight = localMidnight(now);
    if (midnight === day && now.getTime() - at < resyncMs) return;
    const stored = shadowSpentToday(store, now).usd;
    // Within a day, costs charged here but not yet committed (calls still in flight) are kept.
    spent = midnight === day ? Math.max(spent, stored) : stored;
    day = midnight;
    at = now.getTime();
  };
  return {
    charge(costUsd: number | null, provider: string): void {
      if (costUsd === null || provider === 'demo') return;
      sync();
      spent += costUsd;
    },
    /** Null while shadow calls may go; else why they are held (see shadowSpendBlocked). */
    blocked(set: Pick<ShadowSet, 'spendLimitUsd'>): string | null {
      if (set.spendLimitUsd === null) return null;
      sync();
      return spent < set.spendLimitUsd - 1e-12 ? null : limitMessage(spent, set.spendLimitUsd);
    },
  };
}

const usd = (n: number): string => `$${n >= 0.01 || n === 0 ? n.toFixed(2) : n.toFixed(4)}`;

/**
 * Null while shadow calls may go; else the reason they are held. This is the shadow set's own
 * daily limit (`spendLimitUsd`); a workspace-wide limit scope for shadow sets plugs in here.
 */
export function shadowSpendBlocked(store: Store, set: Pick<ShadowSet, 'spendLimitUsd'>, now: Date): string | null {
  if (set.spendLimitUsd === null) return null;
  const spent = shadowSpentToday(store, now).usd;
  if (spent < set.spendLimitUsd - 1e-12) return null;
  return limitMessage(spent, set.spendLimitUsd);
}

function limitMessage(spent: number, limit: number): string {
  return `shadow spend limit reached: ${usd(spent)} spent today of the shadow set's ${usd(limit)} a day; tickets are not shadowed until the limit is raised (casebench shadow limits --spend-limit, or the Shadow view) or the day turns at local midnight`;
}

// The spend limit, enforced in the core where calls are dispatched: the engine asks the guard
// before every attempt (retries included) and tells it each call's cost. A refused call is
// SPEND_LIMIT — never sent, never recorded as a call or as the model's failure, and resumable once
// the limit is raised or the local day turns. Calls already in flight finish and are recorded.
//
// Limits are per scope (scopes.ts). The guard itself is the gate for ordinary calls, which belong
// to the workspace scope only; `gateFor([scope])` is the gate for calls that also belong to a
// narrower scope (a shadow set): they are checked against that scope's limit and the workspace's,
// and charged to both.
import { ProviderError } from '../providers/types.ts';
import type { SpendGate } from '../graph/engine.ts';
import type { SpendLimitView, SpendScope } from '#shared/spend.ts';
import type { Store } from '../store/store.ts';
import { localDay, localMidnight } from './day.ts';
import { spentSince } from './ledger.ts';
import { loadLimits, type SpendLimit } from './limits.ts';
import { scopeKey, scopeLabel, scopeOwner, WORKSPACE } from './scopes.ts';

export interface SpendGuard extends SpendGate {
  /** Re-reads limits and spend from the store now (after a limit changed, or another process spent). */
  refresh(): void;
  /** Each limit with today's spend in its own scope and whether it stops calls now. */
  limits(): SpendLimitView[];
  /** The message a call under the workspace (and these further scopes) is refused with, or null when it may go. */
  blocked(scopes?: readonly SpendScope[]): string | null;
  /** The gate for calls that also belong to these scopes: checked against their limits and the workspace's, charged to each. */
  gateFor(scopes: readonly SpendScope[]): SpendGate;
}

export interface SpendGuardOptions {
  store: Store;
  /** The clock (tests inject a day). */
  clock?: () => Date;
  /** How often spend recorded by other processes and limit changes are picked up, ms. Default 3 s. */
  resyncMs?: number;
}

const usd = (n: number): string => `$${n >= 0.01 || n === 0 ? n.toFixed(2) : n.toFixed(4)}`;
const simulated = (spec: string): boolean => spec.startsWith('demo:'); // nothing is spent

export function createSpendGuard(o: SpendGuardOptions): SpendGuard {
  const clock = o.clock ?? (() => new Date());
  const resyncMs = o.resyncMs ?? 3000;
  let day = '';
  let syncedAt = 0;
  let limits: SpendLimit[] = [];
  // Today's spend per scope key, for every scope with a limit or a gate (and the workspace).
  const scopes = new Map<string, SpendScope>([[scopeKey(WORKSPACE), WORKSPACE]]);
  const spent = new Map<string, number>();

  const readScope = (key: string, s: SpendScope, now: Date, sameDay: boolean): void => {
    const fromStore = spentSince(o.store, localMidnight(now), s).usd;
    // Within a day, costs charged here but not yet committed (tasks still running) are kept.
    spent.set(key, sameDay ? Math.max(spent.get(key) ?? 0, fromStore) : fromStore);
  };

  const sync = (force: boolean): void => {
    const now = clock();
    const d = localDay(now);
    if (!force && d === day && now.getTime() - syncedAt < resyncMs) return;
    limits = loadLimits(o.store);
    for (const l of limits) if (!scopes.has(scopeKey(l.scope))) scopes.set(scopeKey(l.scope), l.scope);
    for (const [k, s] of scopes) readScope(k, s, now, d === day);
    day = d;
    syncedAt = now.getTime();
  };

  const track = (extra: readonly SpendScope[]): string[] => {
    const keys = [scopeKey(WORKSPACE)];
    for (const s of extra) {
      const k = scopeKey(s);
      if (!scopes.has(k)) {
        scopes.set(k, s);
        if (day !== '') readScope(k, s, clock(), true);
      }
      if (!keys.includes(k)) keys.push(k);
    }
    return keys;
  };

  const reachedBy = (l: SpendLimit): boolean => (spent.get(scopeKey(l.scope)) ?? 0) >= l.dailyUsd - 1e-12;

  const message = (l: SpendLimit): string =>
    `daily spend limit reached: ${usd(spent.get(scopeKey(l.scope)) ?? 0)} spent today (local day ${day}) of ${scopeOwner(l.scope)} ${usd(l.dailyUsd)} limit. ` +
    'No further calls until the limit is raised (Settings → Spending, or casebench spend --limit) or the day turns at local midnight; finished results are kept — resume to continue.';

  const blockedFor = (keys: readonly string[]): string | null => {
    sync(false);
    const hit = limits.find((l) => keys.includes(scopeKey(l.scope)) && reachedBy(l));
    return hit ? message(hit) : null;
  };

  const gate = (keys: readonly string[]): SpendGate => ({
    beforeCall(spec) {
      if (simulated(spec)) return;
      const why = blockedFor(keys);
      if (why) throw new ProviderError({ code: 'SPEND_LIMIT', message: why, retryable: false });
    },
    charge(spec, costUsd) {
      if (costUsd === null || simulated(spec)) return;
      sync(false);
      for (const k of keys) spent.set(k, (spent.get(k) ?? 0) + costUsd);
    },
  });

  const workspaceGate = gate([scopeKey(WORKSPACE)]);
  return {
    ...workspaceGate,
    refresh: () => sync(true),
    blocked: (extra = []) => blockedFor(track(extra)),
    gateFor: (extra) => gate(track(extra)),
    limits() {
      sync(false);
      return limits.map((l) => ({
        scope: l.scope,
        label: scopeLabel(l.scope),
        dailyUsd: l.dailyUsd,
        spentTodayUsd: spent.get(scopeKey(l.scope)) ?? 0,
        reached: reachedBy(l),
      }));
    },
  };
}

// `--hedge` / `--no-hedge` / `--hedge-budget <pct>` for the commands that call models (triage,
// run, experiment), over the workspace's setting (Settings → Hedged calls; DEFAULT_HEDGE when unset).
import { InvalidArgumentError, type Command } from 'commander';
import { MAX_HEDGE_BUDGET_PCT, parseHedgeBudget, type HedgeSettings } from '#core/providers/hedgeSettings.ts';
import type { Runtime } from '#core/runtime.ts';
import { storeLatencyHistory } from '#core/store/hedgeHistory.ts';
import { loadSettings } from '#core/settings/settingsStore.ts';
import type { Store } from '#core/store/store.ts';

export interface HedgeFlags {
  hedge?: boolean;
  hedgeBudget?: number;
}

function budget(v: string): number {
  const n = parseHedgeBudget(v);
  if (n === null) throw new InvalidArgumentError(`must be a percentage from 0 to ${MAX_HEDGE_BUDGET_PCT} (e.g. 5)`);
  return n;
}

export function addHedgeOptions(cmd: Command, defaultNote: string): Command {
  return cmd
    .option(
      '--hedge',
      `send one duplicate of a call that runs past its model's recorded p95 for the task, and take the first answer (${defaultNote})`,
    )
    .option('--no-hedge', 'never send duplicate calls')
    .option(
      '--hedge-budget <pct>',
      `most extra calls hedging may add, % of the calls made per model (0–${MAX_HEDGE_BUDGET_PCT}; default the workspace's, 5)`,
      budget,
    );
}

/** The flags over a base: a budget given alone turns hedging on (0 turns it off); --no-hedge wins. */
export function hedgeFromFlags(o: HedgeFlags, base: HedgeSettings): HedgeSettings {
  const budgetPct = o.hedgeBudget ?? base.budgetPct;
  const enabled = o.hedge ?? (o.hedgeBudget !== undefined ? o.hedgeBudget > 0 : base.enabled);
  return { enabled: enabled && budgetPct > 0, budgetPct };
}

/**
 * Applies the flags over the workspace's setting (`experiment` passes `off: true`: hedging stays
 * off there unless --hedge, since an experiment measures each model's own latency tail), with the
 * workspace's recorded calls as the p95's history. Returns what was applied.
 */
export function applyHedge(rt: Runtime, store: Store | null, o: HedgeFlags, opts: { off?: boolean } = {}): HedgeSettings {
  let base = rt.hedger.settings;
  if (store) {
    try {
      base = loadSettings(store).hedge;
    } catch {
      // a workspace opened read-only or damaged keeps the default; the write path says what is wrong
    }
  }
  if (opts.off) base = { ...base, enabled: false };
  const s = hedgeFromFlags(o, base);
  rt.hedger.configure({ ...s, ...(store ? { history: storeLatencyHistory(store) } : {}) });
  return s;
}

/** "12 hedged calls (1.2 % more calls), 9 answered first" — or null when none went. */
export function hedgeSummary(rt: Runtime): string | null {
  const s = rt.hedger.stats;
  if (s.hedges === 0) return null;
  const pct = s.attempts ? (100 * s.hedges) / s.attempts : 0;
  return `${s.hedges} hedged call${s.hedges === 1 ? '' : 's'} (${pct.toFixed(1)} % more calls), ${s.wins} answered first`;
}

// The hedging settings (on/off and the budget, providers/hedge.ts) as stored and as given on
// the command line: their defaults, bounds and parsing.

export interface HedgeSettings {
  /** Hedge calls that run past their model's p95. */
  enabled: boolean;
  /** Most extra calls hedging may add, as a percentage of the calls made (per model). */
  budgetPct: number;
}

/**
 * On, 5 %: a hedge costs at most a twentieth more calls and cuts the tail users wait on (a
 * ticket's critical path is three calls long, so one slow call in twenty is common). Experiments
 * turn it off unless asked (`casebench experiment --hedge`): they measure each model's own
 * latency distribution, whose tail a hedge would cut short.
 */
export const DEFAULT_HEDGE: Readonly<HedgeSettings> = Object.freeze({ enabled: true, budgetPct: 5 });
/** Largest budget accepted (a hedge per call would double the spend). */
export const MAX_HEDGE_BUDGET_PCT = 50;

export function normaliseHedge(s: HedgeSettings): HedgeSettings {
  const pct = Number.isFinite(s.budgetPct) ? Math.min(MAX_HEDGE_BUDGET_PCT, Math.max(0, s.budgetPct)) : DEFAULT_HEDGE.budgetPct;
  return { enabled: Boolean(s.enabled) && pct > 0, budgetPct: pct };
}

/** Parses `--hedge-budget`: a percentage from 0 to 50 ("5", "5%", "2.5"). */
export function parseHedgeBudget(v: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 0 && n <= MAX_HEDGE_BUDGET_PCT ? n : null;
}

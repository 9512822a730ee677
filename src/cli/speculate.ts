// `--speculate` / `--no-speculate` on triage, run and experiment, and the speculation summary lines.
import type { Command } from 'commander';
import type { TicketSpeculation } from '#shared/results.ts';
import { DEFAULT_SETTINGS, loadSettings } from '#core/settings/settingsStore.ts';
import type { Store } from '#core/store/store.ts';
import { formatCost } from './format.ts';

/** Adds both flags; with neither, the option is undefined and the default applies. */
export function speculateOptions(cmd: Command, defaultWhy: string): Command {
  return cmd
    .option(
      '--speculate',
      `start product, asset ids and technical details at once on a platform (and product) guessed from keywords; kept when the model agrees, re-run when not (${defaultWhy})`,
    )
    .option('--no-speculate', 'wait for the platform (and product) answers before their dependents');
}

/** triage: the flag, else the workspace's setting (Settings in the workbench), else on. */
export function speculateFor(flag: boolean | undefined, store: Store | null): boolean {
  if (flag !== undefined) return flag;
  return store ? loadSettings(store).speculate : DEFAULT_SETTINGS.speculate;
}

/**
 * run: the flag only, off by default. A batch's throughput comes from concurrency, not from a
 * shorter chain per ticket, so speculation would only add calls; and without it every line keeps
 * the contract's timing (a task starts once its dependencies are done).
 */
export function speculateForBatch(flag: boolean | undefined): boolean {
  return flag ?? false;
}

/** Running totals over tickets. */
export interface SpeculationTally {
  tickets: number;
  guesses: number;
  hits: number;
  keptRuns: number;
  discardedCalls: number;
  discardedCostUsd: number;
  discardedCostUnknown: number;
}

export const newTally = (): SpeculationTally => ({
  tickets: 0,
  guesses: 0,
  hits: 0,
  keptRuns: 0,
  discardedCalls: 0,
  discardedCostUsd: 0,
  discardedCostUnknown: 0,
});

export function addTicket(t: SpeculationTally, s: TicketSpeculation | undefined): void {
  if (!s) return;
  t.tickets++;
  for (const g of s.guesses) {
    if (!g.used || g.hit === null) continue;
    t.guesses++;
    if (g.hit) t.hits++;
  }
  t.keptRuns += s.kept;
  t.discardedCalls += s.discardedCalls;
  t.discardedCostUsd += s.discardedCostUsd;
  t.discardedCostUnknown += s.discardedCostUnknown;
}

/** "speculation: 12 of 13 guesses right (92 %), 3 extra calls ($0.0004)". */
export function tallyLine(t: SpeculationTally): string {
  const rate = t.guesses ? ` (${Math.round((t.hits / t.guesses) * 100)} %)` : '';
  const extra = `${t.discardedCalls} extra call${t.discardedCalls === 1 ? '' : 's'} (${formatCost(t.discardedCostUsd)}${t.discardedCostUnknown ? ` + ${t.discardedCostUnknown} with price unknown` : ''})`;
  return `speculation: ${t.hits} of ${t.guesses} guesses right${rate}, ${t.keptRuns} early starts kept, ${extra}`;
}

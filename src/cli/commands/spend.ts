// `casebench spend`: what this workspace spent today (the machine's local day), in its latest run
// and in total, and its daily spend limit (`--limit 5`, `--limit off`).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { openStore } from '#core/store/store.ts';
import { spendView } from '#core/spend/view.ts';
import { parseLimitUsd, saveLimit } from '#core/spend/limits.ts';
import { formatCost } from '../format.ts';

export function registerSpend(program: Command): void {
  program
    .command('spend')
    .description("show today's spend (local day), the latest run's and the total; set the workspace's daily spend limit")
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--limit <usd>', 'daily spend limit in USD for this workspace ("off" removes it); calls stop when it is reached')
    .option('--json', 'print the figures as JSON')
    .action((o: { db: string; limit?: string; json?: boolean }) => {
      // The limit is checked before the workspace is opened (a typo creates nothing); only setting
      // a limit may create the workspace, showing its spend needs one.
      const limit = o.limit === undefined ? undefined : parseLimitUsd(o.limit);
      if (limit === undefined && !existsSync(o.db))
        throw new AppError('BAD_INPUT', `no database at ${o.db} (nothing recorded there yet; give --db)`);
      const store = openStore(o.db);
      try {
        if (limit !== undefined) saveLimit(store, { kind: 'workspace' }, limit);
        const v = spendView(store);
        if (o.json) {
          process.stdout.write(`${JSON.stringify(v)}\n`);
          return;
        }
        const fig = (f: { usd: number; unpricedCalls: number }): string =>
          `${formatCost(f.usd)}${f.unpricedCalls ? ` (+ ${f.unpricedCalls} calls with price unknown)` : ''}`;
        const lim = v.limits.find((l) => l.scope.kind === 'workspace');
        const out = [
          `today (${v.day}, local time): ${fig(v.today)}${v.simulatedTodayUsd > 0 ? ` · demo calls simulated ${formatCost(v.simulatedTodayUsd)} (not spent)` : ''}`,
          `latest run: ${v.run ? `${fig(v.run)} (${v.run.label ?? v.run.runId})` : 'none'}`,
          `total: ${fig(v.total)}`,
          `daily limit: ${lim ? `${formatCost(lim.dailyUsd ?? 0)}${lim.reached ? ' — reached: calls are refused until it is raised or the day turns' : ''}` : 'none (set one with --limit 5)'}`,
        ];
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        store.close();
      }
    });
}

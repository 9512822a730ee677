// The spend limit in CLI commands: the workspace's daily limit (set with `casebench spend --limit`)
// is enforced by the core before every call; a command it stops says so and exits with its own status.
import type { Runtime } from '#core/runtime.ts';
import type { Store } from '#core/store/store.ts';
import { createSpendGuard } from '#core/spend/guard.ts';
import { EXIT_SPEND_LIMIT } from './exitCodes.ts';

/** Exit status of a command stopped by a spend limit (its finished work is kept; re-run to resume). */
export const SPEND_LIMIT_EXIT = EXIT_SPEND_LIMIT;

/** Makes every call of this runtime obey the workspace's daily spend limit. */
export function useSpendLimit(rt: Runtime, store: Store): void {
  rt.deps.spend = createSpendGuard({ store });
}

/** Lifecycle warnings (deprecated models, with their shutdown date) on stderr. */
export function warnModels(rt: Runtime, warnings: string[], cmd: string): void {
  void rt;
  for (const w of warnings) process.stderr.write(`casebench ${cmd}: warning: ${w}\n`);
}

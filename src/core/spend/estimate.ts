// The cost estimate before a workbench batch or a large paste: the experiment's estimate (the real
// prompts' sizes × prices, answer lengths guessed) for one model per task.
import type { TicketInput } from '#shared/results.ts';
import type { SpendEstimate } from '#shared/spend.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import type { Assignment, EngineDeps } from '../graph/engine.ts';
import type { ModelsRegistry } from '../models.ts';
import { guessedCallCost, promptTokensPerTask } from '../experiments/experiment.ts';

export function estimateTriage(
  deps: Pick<EngineDeps, 'buildMessages'>,
  registry: ModelsRegistry,
  tickets: readonly TicketInput[],
  ticketCount: number,
  assignment: Assignment,
): Pick<SpendEstimate, 'tickets' | 'calls' | 'usd' | 'unknownPrice' | 'simulated'> {
  const input = promptTokensPerTask(deps, tickets);
  let usd = 0;
  const unknown = new Set<string>();
  for (const t of TASK_IDS) {
    const spec = assignment[t];
    if (spec.startsWith('demo:')) continue;
    const c = guessedCallCost(spec, t, input[t], registry);
    if (c === null) unknown.add(spec);
    else usd += c * ticketCount;
  }
  return {
    tickets: ticketCount,
    calls: ticketCount * TASK_IDS.length,
    usd,
    unknownPrice: [...unknown],
    simulated: TASK_IDS.every((t) => assignment[t].startsWith('demo:')),
  };
}

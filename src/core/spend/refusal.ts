// A task refused for spend is not an outcome: it is neither saved as a result nor counted as a
// failure, and the ticket stays unfinished so a resume picks it up.
import type { TaskResult, TicketResult } from '#shared/results.ts';
import { TASK_IDS } from '#shared/tasks.ts';

export const isSpendRefusal = (r: Pick<TaskResult, 'error'>): boolean => r.error?.code === 'SPEND_LIMIT';

/** The spend limit's message when any task of the ticket was refused for spend, else null. */
export function spendRefusal(r: TicketResult): string | null {
  for (const t of TASK_IDS) if (isSpendRefusal(r.tasks[t])) return r.tasks[t].error!.message;
  return null;
}

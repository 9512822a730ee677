// Route handlers of side-by-side comparisons (see src/shared/routes/compareRoutes.ts): one ticket
// through several models at once (core/live/compareRun.ts), and reading one back.
import { AppError } from '#shared/errors.ts';
import type { CompareRouteOutputs } from '#shared/routes/compareRoutes.ts';
import { isKeyProviderId } from '#shared/providers.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import type { Assignment } from '../graph/engine.ts';
import { startCompare } from '../live/compareRun.ts';
import { refuseRetired } from '../modelLifecycle.ts';
import { parseModelSpec } from '../models.ts';
import { compareData } from '../tickets/ticketQueries.ts';
import type { HandlersOf } from './context.ts';
import type { WorkbenchContext } from './workbenchContext.ts';

type Handlers = HandlersOf<keyof CompareRouteOutputs>;

export function compareHandlers(ctx: WorkbenchContext): { handlers: Handlers; running(): number } {
  const compares = new Map<string, AbortController>();
  ctx.onClose(() => {
    for (const ac of compares.values()) ac.abort();
  });
  const handlers: Handlers = {
    'compare.start': async (input) => {
      const rt = ctx.runtime();
      refuseRetired(input.models, rt.today(), rt.models, 'Compare');
      for (const m of input.models) {
        const { provider } = parseModelSpec(m);
        if (isKeyProviderId(provider)) ctx.keys.require(Object.fromEntries(TASK_IDS.map((t) => [t, m])) as Assignment);
      }
      const ac = new AbortController();
      const started = startCompare(ctx.live, input, ac.signal);
      compares.set(started.runId, ac);
      void started.done.finally(() => compares.delete(started.runId));
      return { runId: started.runId, models: started.models, baseline: started.baseline };
    },
    'compare.get': async (input) => {
      const c = compareData(ctx.store, input.runId, input.ticketId);
      if (!c) throw new AppError('BAD_INPUT', `no run ${input.runId}`);
      return c;
    },
  };
  return { handlers, running: () => compares.size };
}

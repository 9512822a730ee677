// Route handlers of the Experiments view (see src/shared/routes/experimentRoutes.ts).
import type { ExperimentRouteOutputs } from '../../shared/routes/experimentRoutes.ts';
import type { HandlerContext } from './context.ts';

type Handlers = { [R in keyof ExperimentRouteOutputs]: (input: never) => Promise<ExperimentRouteOutputs[R]> };

/** The Experiments view's handlers over the core. */
export function experimentHandlers(_ctx: HandlerContext): Handlers {
  return {} as Handlers;
}

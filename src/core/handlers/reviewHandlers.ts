// Route handlers of the Review and Traces views (see src/shared/routes/reviewRoutes.ts).
import type { ReviewRouteOutputs } from '../../shared/routes/reviewRoutes.ts';
import type { HandlerContext } from './context.ts';

type Handlers = { [R in keyof ReviewRouteOutputs]: (input: never) => Promise<ReviewRouteOutputs[R]> };

/** The Review and Traces views' handlers over the core. */
export function reviewHandlers(_ctx: HandlerContext): Handlers {
  return {} as Handlers;
}

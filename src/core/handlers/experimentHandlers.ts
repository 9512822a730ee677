// Route handlers of the Experiments view (see src/shared/routes/experimentRoutes.ts): set up and
// run experiments in this process (core/experiments/experimentLive.ts), read their reports and
// plans (core/experiments/reportLive.ts, over core/metrics), and the calls behind the plots.
import type { ExperimentRouteOutputs } from '#shared/routes/experimentRoutes.ts';
import { createExperimentLive } from '../experiments/experimentLive.ts';
import { createReportLive } from '../experiments/reportLive.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

type Handlers = HandlersOf<keyof ExperimentRouteOutputs>;

/** The Experiments view's handlers over the core. */
export function experimentHandlers(ctx: HandlerContext): Handlers {
  const live = createExperimentLive({ store: ctx.store, runtime: ctx.runtime, emit: ctx.emit, notice: ctx.notice });
  const reports = createReportLive(ctx.store);
  ctx.onClose(() => live.close());
  return {
    'experiments.ticketSources': async () => live.ticketSources(),
    'experiments.stageFile': async (input) => live.stageFile(input),
    'experiments.estimate': async (input) => live.estimate(input),
    'experiments.start': async (input) => live.start(input),
    'experiments.stop': async (input) => live.stop(input.runId),
    'experiments.resume': async (input) => live.resume(input.runId),
    'experiments.status': async (input) => live.status(input.runId),
    'experiments.report': async (input) => reports.report(input),
    'experiments.plan': async (input) => reports.report(input).plan,
    'experiments.cellTickets': async (input) => reports.cellTickets(input),
    'experiments.latencyPoints': async (input) => ({ points: reports.latencyPoints(input.runId) }),
  };
}

// Route handlers of the Experiments view (see src/shared/routes/experimentRoutes.ts): set up and
// run experiments in this process (core/experiments/experimentLive.ts), read their reports and
// plans (core/experiments/reportLive.ts, over core/metrics), and the calls behind the plots.
import type {
  CellTicketsQuery,
  ExperimentReportOptions,
  ExperimentRouteOutputs,
  ExperimentSetup,
} from '../../shared/routes/experimentRoutes.ts';
import { createExperimentLive } from '../experiments/experimentLive.ts';
import { createReportLive } from '../experiments/reportLive.ts';
import type { HandlerContext } from './context.ts';

type Handlers = { [R in keyof ExperimentRouteOutputs]: (input: never) => Promise<ExperimentRouteOutputs[R]> };

/** The Experiments view's handlers over the core. */
export function experimentHandlers(ctx: HandlerContext): Handlers {
  const live = createExperimentLive({ store: ctx.store, runtime: ctx.runtime, emit: ctx.emit, notice: ctx.notice });
  const reports = createReportLive(ctx.store);
  ctx.onClose(() => live.close());
  return {
    'experiments.ticketSources': async () => live.ticketSources(),
    'experiments.stageFile': async (input: { name: string; content?: string; path?: string }) => live.stageFile(input),
    'experiments.estimate': async (input: ExperimentSetup) => live.estimate(input),
    'experiments.start': async (input: ExperimentSetup) => live.start(input),
    'experiments.stop': async (input: { runId: string }) => live.stop(input.runId),
    'experiments.resume': async (input: { runId: string }) => live.resume(input.runId),
    'experiments.status': async (input: { runId: string }) => live.status(input.runId),
    'experiments.report': async (input: ExperimentReportOptions) => reports.report(input),
    'experiments.plan': async (input: ExperimentReportOptions) => reports.report(input).plan,
    'experiments.cellTickets': async (input: CellTicketsQuery) => reports.cellTickets(input),
    'experiments.latencyPoints': async (input: { runId: string }) => ({ points: reports.latencyPoints(input.runId) }),
  };
}

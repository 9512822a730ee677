// Route handlers for spend and batches (src/shared/routes/spendRoutes.ts).
import { AppError } from '#shared/errors.ts';
import type { TicketInput } from '#shared/results.ts';
import type { SpendRouteOutputs } from '#shared/routes/spendRoutes.ts';
import type { SpendEstimate, SpendScope } from '#shared/spend.ts';
import { sameScope, scopeLabel, WORKSPACE } from '../spend/scopes.ts';
import type { Assignment } from '../graph/engine.ts';
import type { Intake } from '../live/intake.ts';
import { estimateTriage } from '../spend/estimate.ts';
import type { SpendGuard } from '../spend/guard.ts';
import { saveLimit } from '../spend/limits.ts';
import { spendView } from '../spend/view.ts';
import { singleTicketNeedsConfirm } from '../spend/ask.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

export interface SpendContext extends HandlerContext {
  intake: Intake;
  guard: SpendGuard;
  /** Parses an optional assign spec over the current assignment. */
  assignmentOf(spec?: string): Assignment;
}

/** The estimate shown before a paste or a batch: cost, calls, today's spend and limit, model warnings. */
export function spendEstimate(
  ctx: HandlerContext,
  guard: SpendGuard,
  tickets: readonly TicketInput[],
  count: number,
  assignment: Assignment,
  /** Scopes the batch's calls belong to besides the workspace (a shadow set's). */
  scopes: readonly SpendScope[] = [],
): SpendEstimate {
  const rt = ctx.runtime();
  const base = estimateTriage(rt.deps, rt.models, tickets, count, assignment);
  const limits = guard.limits().filter((l) => sameScope(l.scope, WORKSPACE) || scopes.some((s) => sameScope(s, l.scope)));
  // The tightest room left among the limits that apply: what the dialog says the batch must fit in.
  const tight = limits.length
    ? limits.reduce((a, b) => ((b.dailyUsd ?? Infinity) - b.spentTodayUsd < (a.dailyUsd ?? Infinity) - a.spentTodayUsd ? b : a))
    : null;
  let warnings: string[] = [];
  try {
    warnings = rt.checkModels(assignment);
  } catch (e) {
    warnings = [(e as Error).message];
  }
  return {
    ...base,
    spentTodayUsd: tight?.spentTodayUsd ?? spendView(ctx.store).today.usd,
    dailyLimitUsd: tight?.dailyUsd ?? null,
    warnings,
  };
}

type Handlers = HandlersOf<keyof SpendRouteOutputs>;

export function spendHandlers(ctx: SpendContext): Handlers {
  const changed = (): void => ctx.emit({ type: 'spend.changed' });
  return {
    'spend.get': async () => spendView(ctx.store),
    'spend.setLimit': async (input) => {
      const scope = input.scope ?? WORKSPACE;
      saveLimit(ctx.store, scope, input.dailyUsd);
      ctx.guard.refresh();
      changed();
      const whose = sameScope(scope, WORKSPACE) ? 'this workspace' : scopeLabel(scope);
      ctx.notice(
        'info',
        input.dailyUsd === null
          ? `Daily spend limit removed for ${whose}`
          : `Daily spend limit set to $${input.dailyUsd.toFixed(2)} for ${whose}`,
      );
      return spendView(ctx.store);
    },
    'triage.estimate': async (input) => {
      const e = spendEstimate(ctx, ctx.guard, [{ id: 'paste', text: input.text }], 1, ctx.assignmentOf(input.assign));
      return { ...e, needsConfirm: singleTicketNeedsConfirm(e, input.text.length) };
    },
    'batches.list': async () => ctx.intake.batches(),
    'batches.start': async (input) => {
      ctx.intake.start(input.runId);
      return ctx.intake.batches();
    },
    'batches.stop': async (input) => {
      ctx.intake.stop(input.runId);
      ctx.notice('info', 'Batch stopped: calls in flight finish and are kept; Resume continues with the tickets left');
      return ctx.intake.batches();
    },
    'batches.resume': async (input) => {
      const blocked = ctx.guard.blocked();
      if (blocked) throw new AppError('SPEND_LIMIT', blocked);
      const n = ctx.intake.resume(input.runId);
      ctx.notice('info', n ? `Resumed: ${n} ticket${n === 1 ? '' : 's'} left to triage` : 'Nothing left to resume');
      return ctx.intake.batches();
    },
  };
}

// Route handlers of the Shadow view and of Settings → Intake (src/shared/routes/shadowRoutes.ts):
// the shadow set (core/shadow/shadowSet.ts), its status (core/shadow/shadowStatus.ts), and the
// HTTP intake's token (core/shadow/intakeToken.ts).
import type { IntakeTokenView, ShadowRouteOutputs } from '#shared/routes/shadowRoutes.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { createReportLive } from '../experiments/reportLive.ts';
import type { IntakeTokens } from '../shadow/intakeToken.ts';
import type { ShadowService } from '../shadow/shadowRunner.ts';
import { shadowStatus } from '../shadow/shadowStatus.ts';
import { addCandidate, loadShadowSet, removeCandidate, saveShadowSet, withLimits } from '../shadow/shadowSet.ts';
import type { HandlerContext, HandlersOf } from './context.ts';

type Handlers = HandlersOf<keyof ShadowRouteOutputs>;

export interface ShadowHandlerDeps {
  shadow: ShadowService;
  tokens: IntakeTokens;
  /** The host serves HTTP (browser mode), so the intake endpoint exists. */
  served: boolean;
}

export function shadowHandlers(ctx: HandlerContext, d: ShadowHandlerDeps): Handlers {
  const reports = createReportLive(ctx.store);
  const status = () => shadowStatus(ctx.store, reports, ctx.currentAssignment(), d.shadow.state());
  const changed = (): void => ctx.emit({ type: 'shadow.changed', at: Date.now() });
  const tokenView = async (reveal: boolean, token?: string): Promise<IntakeTokenView> => {
    const s = await d.tokens.status(reveal);
    return {
      set: s.set,
      last4: s.last4,
      ...(token ? { token } : s.token ? { token: s.token } : {}),
      source: s.source,
      path: '/intake/tickets',
      served: d.served,
    };
  };
  return {
    'shadow.status': async () => status(),
    'shadow.add': async (input) => {
      const tasks = input.task === 'all' ? [...TASK_IDS] : [input.task as TaskId];
      const r = addCandidate(loadShadowSet(ctx.store), tasks, input.model, ctx.runtime().models);
      saveShadowSet(ctx.store, r.set);
      changed();
      return status();
    },
    'shadow.remove': async (input) => {
      const r = removeCandidate(loadShadowSet(ctx.store), input.task ? [input.task as TaskId] : null, input.model);
      saveShadowSet(ctx.store, r.set);
      changed();
      return status();
    },
    'shadow.limits': async (input) => {
      saveShadowSet(ctx.store, withLimits(loadShadowSet(ctx.store), input));
      changed();
      return status();
    },
    'intake.token': async (input) => tokenView(Boolean(input?.reveal)),
    'intake.rotate': async () => {
      const token = await d.tokens.rotate();
      ctx.notice('info', 'A new intake token is set; the previous one no longer works');
      return tokenView(true, token);
    },
  };
}

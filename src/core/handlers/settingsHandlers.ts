// Route handlers of Settings and the models (see src/shared/routes/settingsRoutes.ts): the
// settings (core/settings/workbenchSettings.ts), the models with their lifecycle, the latency
// medians behind the prediction (recorded calls, read at most every few seconds, else the seed
// article's), and the layout remembered between launches.
import { AppError } from '#shared/errors.ts';
import type { ModelInfo } from '#shared/routes.ts';
import type { SettingsRouteOutputs } from '#shared/routes/settingsRoutes.ts';
import { lifecycleOf } from '../modelLifecycle.ts';
import { retiredInfo } from '../models.ts';
import { loadLatencyProfiles } from '../providers/demoProvider.ts';
import { articleLatencies, latencyTable, recordedLatencies, type LatencyTable } from '../settings/latencyStats.ts';
import { saveUi } from '../settings/settingsStore.ts';
import type { HandlersOf } from './context.ts';
import type { WorkbenchContext } from './workbenchContext.ts';

type Handlers = HandlersOf<keyof SettingsRouteOutputs>;

export function settingsHandlers(ctx: WorkbenchContext): Handlers {
  const { store, settings } = ctx;
  let article: LatencyTable | null = null;
  let recorded: { at: number; table: LatencyTable } | null = null;

  const models = (): ModelInfo[] => {
    const rt = ctx.runtime();
    return rt.models.models.map((m): ModelInfo => {
      const retired = retiredInfo(m.provider, m.model, rt.today(), rt.models);
      return {
        spec: m.id,
        provider: m.provider,
        name: m.displayName,
        status: retired ? 'retired' : m.status,
        priceKnown: m.price !== null,
        retiredOn: m.retiredOn,
        replacement: m.replacement,
        lifecycle: lifecycleOf(m.id, rt.today(), rt.models)?.message ?? null,
      };
    });
  };

  return {
    'models.list': async () => models(),
    'models.latency': async () => {
      article ??= articleLatencies(loadLatencyProfiles(ctx.resourcesDir), ctx.runtime().models, ctx.demoSpeed ?? 1);
      if (!recorded || Date.now() - recorded.at > 5000) recorded = { at: Date.now(), table: recordedLatencies(store) };
      return latencyTable(recorded.table, article);
    },
    'config.get': async () => {
      const assignment = settings.assignment();
      return { assignment, demo: settings.isDemo(assignment) };
    },
    'settings.get': async () => settings.view(),
    'settings.set': async (input) => settings.apply(input),
    'ui.save': async (input) => {
      saveUi(store, input.key, input.value);
      return { saved: true };
    },
    // The desktop host answers this one itself (src/main/hostRoutes.ts).
    'host.pickFolder': async () => {
      throw new AppError('BAD_INPUT', 'the folder picker exists in the desktop app; in a browser, type the folder’s path');
    },
  };
}

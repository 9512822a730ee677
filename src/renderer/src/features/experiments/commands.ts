// The Experiments view's commands (in the one registry: palette, keys, ? sheet): new experiment,
// start, stop, resume, the experiment's sections, the plan's recommendation into Settings, raw
// or filtered latency plots.
import type { Stores } from '#renderer/app/stores.tsx';
import type { Command } from '#renderer/commands/types.ts';
import type { ExperimentSection } from './experimentsStore.ts';
import type { KeyProviderId } from '#shared/providers.ts';

/** The experiment whose tab is active, if any. */
export function activeExperiment(stores: Stores): string | null {
  const { tabs, activeId } = stores.editor.getState();
  const tab = tabs.find((t) => t.id === activeId);
  if (tab?.kind !== 'run') return null;
  return stores.runs.getState().actions.run(tab.runId)?.kind === 'experiment' ? tab.runId : null;
}

/** Starts the set-up experiment and opens it; a missing key opens Settings at the keys instead. */
export async function startExperiment(stores: Stores, onKeyMissing: (provider: KeyProviderId | null) => void): Promise<string | null> {
  const x = stores.experiments.getState().actions;
  const runId = await x.start();
  if (runId) {
    const label = stores.experiments.getState().live[runId]?.label ?? stores.experiments.getState().setup.estimate.data?.label ?? runId;
    stores.editor.getState().actions.openRun(runId, label, { preview: false });
    void stores.runs.getState().actions.refresh();
    return runId;
  }
  const err = stores.experiments.getState().setup.startError;
  if (err?.code === 'KEY_MISSING') onKeyMissing(err.provider ?? null);
  return null;
}

export function experimentCommands(stores: Stores, onKeyMissing: (provider: KeyProviderId | null) => void): Command[] {
  const x = () => stores.experiments.getState().actions;
  const live = () => {
    const id = activeExperiment(stores);
    return id ? (stores.experiments.getState().live[id] ?? null) : null;
  };
  const section = (id: ExperimentSection, title: string): Command => ({
    id: `experiments.show.${id}`,
    title: `Experiment: Show ${title}`,
    category: 'Experiments',
    enabled: () => activeExperiment(stores) !== null,
    run: () => {
      const runId = activeExperiment(stores);
      if (runId) x().showSection(runId, id);
    },
  });
  return [
    {
      id: 'experiments.new',
      title: 'New Experiment…',
      category: 'Experiments',
      run: () => {
        stores.layout.getState().actions.showActivity('experiments');
        stores.editor.getState().actions.openExperimentSetup();
      },
    },
    {
      id: 'experiments.start',
      title: 'Start Experiment',
      category: 'Experiments',
      enabled: () => {
        const { tabs, activeId } = stores.editor.getState();
        const s = stores.experiments.getState().setup;
        return (
          tabs.find((t) => t.id === activeId)?.kind === 'experimentSetup' &&
          s.incomplete === null &&
          s.estimate.load === 'ready' &&
          !s.starting
        );
      },
      run: () => startExperiment(stores, onKeyMissing),
    },
    {
      id: 'experiments.stop',
      title: 'Stop Experiment',
      category: 'Experiments',
      enabled: () => live()?.state === 'running',
      run: () => {
        const runId = activeExperiment(stores);
        if (runId) void x().stop(runId);
      },
    },
    {
      id: 'experiments.resume',
      title: 'Resume Experiment',
      category: 'Experiments',
      enabled: () => {
        const l = live();
        return l !== null && !l.active && (l.state === 'interrupted' || l.state === 'incomplete' || l.state === 'failed');
      },
      run: () => {
        const runId = activeExperiment(stores);
        if (runId) void x().resume(runId);
      },
    },
    section('overview', 'Progress'),
    section('report', 'Report'),
    section('plan', 'Plan'),
    section('latency', 'Latency Plots'),
    section('tickets', 'Tickets'),
    {
      id: 'experiments.useRecommended',
      title: 'Experiment: Use the Recommended Assignment in Settings',
      category: 'Experiments',
      enabled: () => {
        const runId = activeExperiment(stores);
        return runId !== null && Boolean(stores.experiments.getState().plans[runId]?.data?.recommended);
      },
      run: async () => {
        const runId = activeExperiment(stores);
        const rec = runId ? stores.experiments.getState().plans[runId]?.data?.recommended : null;
        if (!rec) return;
        const ok = await stores.settings.getState().actions.update({ assignment: { ...rec.assignment } }, 'assignment');
        stores.log
          .getState()
          .actions.add(
            ok ? 'info' : 'error',
            ok ? 'Settings: new triages now use the recommended assignment' : 'The assignment could not be saved',
          );
      },
    },
    {
      id: 'experiments.toggleRaw',
      title: 'Latency Plots: Toggle Raw / Filtered',
      category: 'Experiments',
      enabled: () => activeExperiment(stores) !== null,
      run: () => {
        const runId = activeExperiment(stores);
        if (!runId) return;
        const mode = stores.experiments.getState().plots[runId]?.mode ?? 'filtered';
        x().setPlotMode(runId, mode === 'raw' ? 'filtered' : 'raw');
        x().showSection(runId, 'latency');
      },
    },
  ];
}

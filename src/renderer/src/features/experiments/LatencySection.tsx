// The latency pictures of an experiment, per task: a violin per model, histogram + KDE, the ECDF
// with p50/p95/p99, and latency against prompt length with a trend line — the spec builders of
// src/shared/plots (the same the HTML report renders), drawn with vega-embed. Raw or filtered,
// hover for values, click a mark for the calls and tickets behind it, export PNG or SVG; the
// theme follows the workbench's, model colours are the app's.
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { PLOT_MODES, type PlotMode } from '#shared/plots/common.ts';
import { ecdfSpec, histogramKdeSpec, tokensScatterSpec, violinSpec } from '#shared/plots/latency.ts';
import { TASK_IDS, TASKS } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { VegaPlot } from '../plots/VegaPlot.tsx';
import { useColorScheme } from '../plots/useColorScheme.ts';

const MODE_LABEL: Record<PlotMode, string> = { filtered: 'Filtered', raw: 'Raw' };
const MODE_HELP: Record<PlotMode, string> = {
  filtered:
    'Display filters: violins after IQR filtering (Q1 − 1.5·IQR … Q3 + 1.5·IQR); histograms capped at 2000 ms with 5 % trimmed from each tail',
  raw: 'Every successful call, no filter',
};

function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [w, setW] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let t: ReturnType<typeof setTimeout> | null = null;
    let first = true;
    const ro = new ResizeObserver((entries) => {
      const width = Math.round(entries[0]?.contentRect.width ?? 0);
      const apply = (): void => setW((prev) => (Math.abs(prev - width) > 24 ? width : prev));
      if (t) clearTimeout(t);
      // Re-drawing vega on every pixel of a drag is wasteful: after the first size, settle first.
      if (first) {
        first = false;
        apply();
      } else t = setTimeout(apply, 150);
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      if (t) clearTimeout(t);
    };
  }, []);
  return [ref, w];
}

export function LatencySection({ runId }: { runId: string }) {
  const { stores } = useApp();
  const view = useS('experiments', (s) => s.plots[runId] ?? null);
  const models = useS('experiments', (s) => s.reports[runId]?.data?.run.models ?? s.live[runId]?.models ?? null);
  const coldLeftOut = useS('experiments', (s) => s.reports[runId]?.data?.latency_basis?.cold_calls_excluded ?? 0);
  const runModels = useS('runs', (s) => s.runs.find((r) => r.id === runId)?.models ?? null);
  const theme = useColorScheme();
  const [gridRef, width] = useWidth();
  const a = stores.experiments.getState().actions;
  useEffect(() => {
    void stores.experiments.getState().actions.loadPoints(runId);
  }, [runId, stores]);
  const task = view?.task ?? 'platform';
  const mode = view?.mode ?? 'filtered';
  const points = view?.data ?? null;
  const all = models ?? runModels ?? [];
  const two = width >= 1180;
  const cardW = two ? Math.floor((width - 12) / 2) : width;
  // biome-ignore lint/correctness/useExhaustiveDependencies: all is compared by content (a new array every render)
  const specs = useMemo(() => {
    if (!points || cardW <= 0) return null;
    const o = { task, mode, theme, models: all, allModels: all };
    return [
      { kind: 'violin', label: 'violin per model', spec: violinSpec(points, { ...o, width: Math.max(200, cardW - 250) }) },
      { kind: 'histogram', label: 'histogram and KDE', spec: histogramKdeSpec(points, { ...o, width: Math.max(200, cardW - 90) }) },
      { kind: 'ecdf', label: 'ECDF with p50, p95, p99', spec: ecdfSpec(points, { ...o, width: Math.max(200, cardW - 90) }) },
      {
        kind: 'scatter',
        label: 'latency against prompt length',
        spec: tokensScatterSpec(points, { ...o, width: Math.max(200, cardW - 90) }),
      },
    ];
    // `all` is compared by its content (a new array on every render otherwise).
  }, [points, task, mode, theme, cardW, all.join('\n')]);

  return (
    <div className="lat" data-testid="exp-latency">
      <div className="exp-toolbar">
        <div className="seg" role="radiogroup" aria-label="Task">
          {TASK_IDS.map((t) => (
            <button
              key={t}
              type="button"
              role="radio"
              aria-checked={t === task}
              className={`seg-btn${t === task ? ' on' : ''}`}
              onClick={() => a.setPlotTask(runId, t)}
              data-testid={`lat-task-${t}`}
            >
              {TASKS[t].label}
            </button>
          ))}
        </div>
        <div className="seg" role="radiogroup" aria-label="Raw or filtered">
          {PLOT_MODES.map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={m === mode}
              className={`seg-btn${m === mode ? ' on' : ''}`}
              onClick={() => a.setPlotMode(runId, m)}
              title={MODE_HELP[m]}
              data-testid={`lat-mode-${m}`}
            >
              {MODE_LABEL[m]}
            </button>
          ))}
        </div>
        <span className="muted small">
          <Icon name="info" /> hover: values · click a mark: the tickets behind it
        </span>
        <span className="spacer" />
        {points && (
          <span
            className="muted small tabular"
            title="Each call from its request being sent to its answer received (no wait for a slot, no retries)"
          >
            {points.length.toLocaleString('en-US')} successful calls
            {coldLeftOut > 0 ? ` · ${coldLeftOut.toLocaleString('en-US')} cold (first on a new connection) left out` : ''}
          </span>
        )}
      </div>
      {view?.load === 'error' && (
        <EmptyState icon="warning" title="The calls cannot be read">
          <p>{view.error?.message}</p>
        </EmptyState>
      )}
      <div ref={gridRef} className={`lat-grid${two ? ' two' : ''}`}>
        {!specs && view?.load !== 'error' && (
          <div className="editor-loading">
            <Spinner label="Reading calls" />
          </div>
        )}
        {specs?.map((s) => (
          <VegaPlot
            key={s.kind}
            spec={s.spec}
            theme={theme}
            label={`${TASKS[task].label}: ${s.label}`}
            file={{ run: runId, task, kind: `${s.kind}-${mode}` }}
            onSelect={(sel) => void a.drillPlot(runId, sel)}
            testId={`plot-${s.kind}`}
          />
        ))}
      </div>
    </div>
  );
}

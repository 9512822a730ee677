// One plot of the workbench: a vega-lite spec from src/shared/plots rendered with vega-embed
// (loaded on first use, so the app starts without vega), in the expression interpreter (the CSP
// allows no eval), with hover tooltips, a click that leads to the calls behind a mark, and PNG
// and SVG export. The spec is built by the caller; nothing here decides what a plot shows.
import { useEffect, useRef, useState } from 'react';
import type { TopLevelSpec } from 'vega-lite';
import {
  embedOptions,
  exportPngDataUrl,
  exportSvg,
  plotFileName,
  plotSelection,
  type ExportableView,
  type PlotSelection,
} from '#shared/plots/export.ts';
import type { PlotTheme } from '#shared/plots/theme.ts';
import { Icon, Spinner } from '#renderer/app/ui.tsx';
import './plots.css';

export interface VegaPlotProps {
  spec: TopLevelSpec;
  theme: PlotTheme;
  /** What the plot shows, for screen readers and the export file name. */
  label: string;
  file: { run?: string; task?: string; kind: string };
  onSelect?: (sel: PlotSelection) => void;
  testId?: string;
}

type VegaView = ExportableView & {
  addEventListener(type: string, handler: (event: unknown, item: { datum?: unknown } | null | undefined) => void): unknown;
};

function download(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function VegaPlot({ spec, theme, label, file, onSelect, testId }: VegaPlotProps) {
  const el = useRef<HTMLDivElement>(null);
  const view = useRef<VegaView | null>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  const [state, setState] = useState<{ load: 'loading' | 'ready' | 'error'; message?: string }>({ load: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is the trigger: Retry re-embeds the same spec
  useEffect(() => {
    let cancelled = false;
    let finalize: (() => void) | null = null;
    setState((s) => (s.load === 'ready' ? s : { load: 'loading' }));
    void (async () => {
      try {
        const { default: embed } = await import('vega-embed');
        if (cancelled || !el.current) return;
        const res = await embed(el.current, spec, { ...embedOptions(theme), ast: true });
        if (cancelled) {
          res.finalize();
          return;
        }
        finalize = res.finalize;
        const v = res.view as unknown as VegaView;
        view.current = v;
        v.addEventListener('click', (_e, item) => {
          const sel = plotSelection(item?.datum);
          if (sel) select.current?.(sel);
        });
        setState({ load: 'ready' });
      } catch (e) {
        if (!cancelled) setState({ load: 'error', message: (e as Error).message });
      }
    })();
    return () => {
      cancelled = true;
      view.current = null;
      finalize?.();
    };
  }, [spec, theme, attempt]);

  const exportAs = async (kind: 'svg' | 'png'): Promise<void> => {
    const v = view.current;
    if (!v) return;
    const name = plotFileName({ ...file, theme }, kind);
    if (kind === 'svg') {
      const url = URL.createObjectURL(new Blob([await exportSvg(v)], { type: 'image/svg+xml' }));
      download(url, name);
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } else download(await exportPngDataUrl(v), name);
  };

  return (
    <figure className="plot" data-testid={testId} data-state={state.load} aria-label={label}>
      <div className="plot-tools">
        <button
          type="button"
          className="btn small"
          onClick={() => void exportAs('png')}
          disabled={state.load !== 'ready'}
          data-testid="plot-export-png"
          title="Save as PNG (2× scale)"
        >
          <Icon name="device-camera" /> PNG
        </button>
        <button
          type="button"
          className="btn small"
          onClick={() => void exportAs('svg')}
          disabled={state.load !== 'ready'}
          data-testid="plot-export-svg"
          title="Save as SVG (hover titles included)"
        >
          <Icon name="file-media" /> SVG
        </button>
      </div>
      {state.load === 'loading' && (
        <div className="plot-loading">
          <Spinner label="Drawing plot" />
        </div>
      )}
      {state.load === 'error' && (
        <div className="notice error">
          This plot cannot be drawn: {state.message}
          <button type="button" className="link-btn" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      <div ref={el} className="plot-canvas" />
    </figure>
  );
}

// The Traces side bar: open (or drop) a trace file from LangSmith, Langfuse, OpenTelemetry,
// promptfoo or casebench itself, see what the import did — calls, tickets, and each skipped record
// with where it is and why — and the imports so far. Needs no key and makes no network call.
import { useEffect, useState, type DragEvent } from 'react';
import type { TraceImportSummary, TraceImportView } from '#shared/traces.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';
import { describeProgress, describeTraceImport } from './tracesStore.ts';
import { useTraceFile } from './useTraceFile.ts';
import { GenericTraces } from '../traceView/GenericTraces.tsx';
import { formatLabel } from './formatLabel.ts';
import './traces.css';

export { formatLabel };

/** The report of one import: counts, notes, and the skipped records with where and why. */
export function ImportSummaryBox({ r, limit = 8 }: { r: TraceImportView; limit?: number }) {
  return (
    <div className={`tr-report${r.skipped ? ' warn' : ''}${r.alreadyImported ? ' again' : ''}`} data-testid="trace-report">
      <p className="tr-report-line">
        <Icon name={r.alreadyImported ? 'info' : r.skipped ? 'warning' : 'pass'} /> {describeTraceImport(r)}
      </p>
      {!r.alreadyImported && (
        <p className="tr-counts small">
          <span data-testid="trace-report-calls">
            <strong className="tabular">{r.calls.toLocaleString('en')}</strong> call{r.calls === 1 ? '' : 's'}
          </span>
          <span>
            <strong className="tabular">{r.tickets.toLocaleString('en')}</strong> ticket{r.tickets === 1 ? '' : 's'}
          </span>
          <span>
            <strong className="tabular">{r.results.toLocaleString('en')}</strong> result{r.results === 1 ? '' : 's'}
          </span>
          <span className={r.skipped ? 'tr-skipped' : ''} data-testid="trace-report-skipped">
            <strong className="tabular">{r.skipped.toLocaleString('en')}</strong> skipped
          </span>
        </p>
      )}
      {r.notes.map((n) => (
        <p key={n} className="small muted">
          {n}
        </p>
      ))}
      {r.issues.length > 0 && (
        <ul className="tr-issues small" aria-label="Skipped records">
          {r.issues.slice(0, limit).map((i, k) => (
            <li key={k} data-testid="trace-issue">
              <span className="mono tr-where">{i.where}</span> <span>{i.message}</span>
            </li>
          ))}
          {r.issues.length > limit && <li className="faint">… {r.issues.length - limit} more (open the import to see them all)</li>}
        </ul>
      )}
    </div>
  );
}

function ImportRow({ s, active, onOpen }: { s: TraceImportSummary; active: boolean; onOpen: (pin: boolean) => void }) {
  return (
    <li
      role="option"
      aria-selected={active}
      tabIndex={0}
      className={`run-row${active ? ' selected' : ''}`}
      data-testid="trace-import-row"
      data-run-id={s.runId}
      onClick={() => onOpen(false)}
      onDoubleClick={() => onOpen(true)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen(true);
      }}
    >
      <div className="tr-line1">
        <Icon name="file-code" />
        <span className="tr-title" title={s.label ?? s.runId}>
          {s.file ?? s.label ?? s.runId}
        </span>
        <span className="kind-tag">{formatLabel(s.format)}</span>
      </div>
      <div className="tr-line2">
        <span className="tabular">
          {s.calls.toLocaleString('en')} call{s.calls === 1 ? '' : 's'}
        </span>
        {s.tickets !== null && (
          <span className="tabular">
            {s.tickets.toLocaleString('en')} ticket{s.tickets === 1 ? '' : 's'}
          </span>
        )}
        {s.skipped ? <span className="st-interrupted tabular">{s.skipped} skipped</span> : null}
        <span className="faint">{new Date(s.createdAt).toLocaleDateString()}</span>
      </div>
    </li>
  );
}

export function TracesView() {
  const { stores } = useApp();
  const imports = useS('traces', (s) => s.imports);
  const loadedOnce = useS('traces', (s) => s.loadedOnce);
  const importing = useS('traces', (s) => s.importing);
  const progress = useS('traces', (s) => s.progress);
  const cancelling = useS('traces', (s) => s.cancelling);
  const last = useS('traces', (s) => s.last);
  const error = useS('traces', (s) => s.error);
  const desktop = useS('settings', (s) => s.settings?.host.fileDialog ?? false);
  const activeRun = useS('editor', (s) => {
    const t = s.tabs.find((x) => x.id === s.activeId);
    return t?.kind === 'traceImport' ? t.runId : null;
  });
  const [drag, setDrag] = useState(false);
  const [path, setPath] = useState('');
  const { importFile } = useTraceFile();
  const actions = stores.traces.getState().actions;
  useEffect(() => {
    void stores.traces.getState().actions.refresh();
  }, [stores]);
  const open = (s: TraceImportSummary, pin: boolean) =>
    stores.editor.getState().actions.openTraceImport(s.runId, `⤓ ${s.file ?? s.label ?? s.runId}`, { preview: !pin });
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDrag(false);
    const file = e.dataTransfer.files[0];
    if (file) void importFile(file);
  };
  const byPath = async () => {
    if (!path.trim()) return;
    const runId = await actions.importPath(path.trim());
    if (runId) stores.editor.getState().actions.openTraceImport(runId, `⤓ ${path.trim().split(/[\\/]/).pop()}`, { preview: false });
  };
  return (
    <div
      className={`traces-view${drag ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if ([...e.dataTransfer.types].includes('Files')) {
          e.preventDefault();
          setDrag(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDrag(false);
      }}
      onDrop={onDrop}
      data-testid="traces-view"
    >
      <SideBarHeader title="Traces">
        <button
          type="button"
          className="icon-btn"
          title="Open trace file…"
          aria-label="Open trace file"
          onClick={() => actions.requestOpen()}
          data-testid="trace-open"
        >
          <Icon name="folder-opened" />
        </button>
        <button type="button" className="icon-btn" title="Refresh" aria-label="Refresh imports" onClick={() => void actions.refresh()}>
          <Icon name="refresh" />
        </button>
      </SideBarHeader>
      <div className="tr-tools">
        <div className={`tr-drop${drag ? ' over' : ''}`} data-testid="trace-drop">
          <Icon name="cloud-upload" />
          <div>
            <button type="button" className="link-btn" onClick={() => actions.requestOpen()}>
              Open a trace file
            </button>{' '}
            {desktop ? '' : 'or drop it here'}
            <p className="faint small">
              LangSmith, Langfuse, OTLP / OpenInference, promptfoo, casebench JSONL · the format is read from the content · no key, no
              network
            </p>
          </div>
        </div>
        <form
          className="tr-path"
          onSubmit={(e) => {
            e.preventDefault();
            void byPath();
          }}
        >
          <input
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="…or a path on this machine"
            aria-label="Trace file path"
            data-testid="trace-path"
          />
          <button type="submit" className="btn small" disabled={!path.trim() || importing !== null}>
            Import
          </button>
        </form>
        {importing && (
          <div className="tr-progress" role="status" data-testid="trace-progress">
            <p className="small muted">
              <Spinner /> {cancelling ? 'Cancelling' : 'Importing'} {importing}…
              {progress && <span className="tabular"> {describeProgress(progress)}</span>}
            </p>
            <div className="tr-progress-row">
              <progress max={progress?.bytes || 1} value={progress?.bytesRead ?? 0} aria-label={`Import of ${importing}`} />
              <button
                type="button"
                className="btn small"
                onClick={() => void actions.cancel()}
                disabled={cancelling}
                title="Stop the import; nothing of the file is kept"
                data-testid="trace-cancel"
              >
                Cancel
              </button>
            </div>
          </div>
        )}
        {!importing && last?.error && (
          <div className="notice error" role="alert" data-testid="trace-error">
            {last.name}: {last.error.message}
          </div>
        )}
        {!importing && last?.report && <ImportSummaryBox r={last.report} />}
      </div>
      {error && <div className="notice error">{error.message}</div>}
      <GenericTraces />
      <h3 className="tr-section-title">Imports</h3>
      {loadedOnce && imports.length === 0 ? (
        <EmptyState icon="pulse" title="No traces imported yet" testId="traces-empty">
          <p>
            Imported calls land beside recorded ones: their tickets open in the ticket view with where each call came from, imports open
            side by side under Experiments, and their answers can go into a review queue. <code>casebench import FILE…</code> does the same
            from a terminal.
          </p>
        </EmptyState>
      ) : (
        <ul className="run-list" role="listbox" aria-label="Trace imports" data-testid="trace-import-list">
          {imports.map((s) => (
            <ImportRow key={s.runId} s={s} active={s.runId === activeRun} onOpen={(pin) => open(s, pin)} />
          ))}
        </ul>
      )}
    </div>
  );
}

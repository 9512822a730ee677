// Kept mounted in the shell: the trace file picker the palette and the Traces view open (the
// desktop app opens its native dialog through a host route instead).
import { useEffect, useRef } from 'react';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { useTraceFile } from './useTraceFile.ts';

export function TraceShell() {
  const { stores } = useApp();
  const openSeq = useS('traces', (s) => s.openSeq);
  const ref = useRef<HTMLInputElement>(null);
  const { importFile, openDialog } = useTraceFile();
  useEffect(() => {
    if (openSeq === 0) return;
    if (stores.settings.getState().settings?.host.fileDialog) void openDialog();
    else ref.current?.click();
  }, [openSeq, stores, openDialog]);
  return (
    <input
      ref={ref}
      type="file"
      accept=".json,.jsonl,.ndjson,.csv"
      className="sr-only"
      tabIndex={-1}
      aria-hidden
      data-testid="trace-file-input"
      onChange={(e) => {
        const el = e.currentTarget;
        const file = el.files?.[0];
        el.value = '';
        if (file) void importFile(file);
      }}
    />
  );
}

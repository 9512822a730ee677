// Opening a trace file: the desktop app's Open dialog (a host route), or in a browser the picked or
// dropped file's content uploaded to the host, which writes it to a temp file and imports it.
import { useCallback } from 'react';
import { MAX_TRACE_UPLOAD_BYTES } from '#shared/limits.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { tooLargeToUpload } from './tracesStore.ts';

export function useTraceFile(): { importFile(file: File): Promise<void>; openDialog(): Promise<void> } {
  const { stores } = useApp();
  const show = useCallback(
    (runId: string | null, name: string) => {
      stores.layout.getState().actions.showActivity('traces');
      if (runId) stores.editor.getState().actions.openTraceImport(runId, `⤓ ${name}`, { preview: false });
    },
    [stores],
  );
  const importFile = useCallback(
    async (file: File) => {
      const traces = stores.traces.getState().actions;
      if (file.size > MAX_TRACE_UPLOAD_BYTES) {
        traces.refuse(file.name, tooLargeToUpload(file.name, file.size));
        stores.layout.getState().actions.showActivity('traces');
        return;
      }
      const runId = await traces.importContent(file.name, await file.text(), file.lastModified);
      show(runId, file.name);
    },
    [stores, show],
  );
  const openDialog = useCallback(async () => {
    const runId = await stores.traces.getState().actions.openDialog();
    const last = stores.traces.getState().last;
    show(runId, last?.report?.file.name ?? 'trace');
  }, [stores, show]);
  return { importFile, openDialog };
}

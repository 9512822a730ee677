// "Open ticket file": the desktop app's native Open dialog, or the browser's file picker whose
// content is sent to the host (which parses it exactly like a file on disk).
import { createElement, useCallback, useRef, type ReactElement } from 'react';
import type { ImportReport } from '#shared/routes.ts';
import { MAX_IMPORT_BYTES } from '#shared/limits.ts';
import { useApp } from '#renderer/app/stores.tsx';

export function describeImport(r: ImportReport): string {
  const bad = r.badLines.filter((b) => b.line > 0);
  const head = `${r.source}: ${r.added.toLocaleString('en')} ticket${r.added === 1 ? '' : 's'} queued for triage`;
  if (bad.length === 0) return head;
  return `${head}; skipped ${bad
    .map((b) => `line ${b.line} (${b.message})`)
    .slice(0, 3)
    .join(', ')}${r.badLines.length > 3 ? ', …' : ''}`;
}

export function useImportFile(): { input: ReactElement; open: () => void } {
  const { stores, transport } = useApp();
  const ref = useRef<HTMLInputElement>(null);
  const source = useRef('the file');
  const log = stores.log.getState().actions;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new transport (reconnect) makes a new callback
  const report = useCallback(
    (r: Awaited<ReturnType<typeof transport.request<'tickets.import'>>>) => {
      // The outcome shows above the ticket list (every skipped line, by number); the log keeps a copy.
      if (!r.ok) {
        log.add('error', `Import refused: ${r.error.message}`);
        stores.tickets.getState().actions.showImport({ ok: false, source: source.current, message: r.error.message });
        stores.layout.getState().actions.showActivity('tickets');
        return;
      }
      log.add(r.data.badLines.length ? 'warn' : 'info', describeImport(r.data));
      stores.tickets.getState().actions.showImport({ ok: true, report: r.data });
      stores.layout.getState().actions.showActivity('tickets');
      void stores.tickets.getState().actions.refresh();
    },
    [log, stores, transport],
  );

  const open = useCallback(() => {
    const desktop = stores.settings.getState().settings?.host.fileDialog ?? false;
    if (desktop) {
      void transport.request('host.openTicketFile', {}).then((r) => {
        if (r.ok && 'cancelled' in r.data) return;
        report(r as Awaited<ReturnType<typeof transport.request<'tickets.import'>>>);
      });
      return;
    }
    ref.current?.click();
  }, [stores, transport, report]);

  const onChange = async (e: Event): Promise<void> => {
    const el = e.target as HTMLInputElement;
    const file = el.files?.[0];
    el.value = '';
    if (!file) return;
    source.current = file.name;
    if (file.size > MAX_IMPORT_BYTES) {
      const message = `${file.name} is ${(file.size / 1e6).toFixed(1)} MB; a browser upload is limited to ${(MAX_IMPORT_BYTES / 1e6).toFixed(1)} MB. Put it in the watched folder (Settings → Intake) instead.`;
      log.add('error', message);
      stores.tickets.getState().actions.showImport({ ok: false, source: file.name, message });
      stores.layout.getState().actions.showActivity('tickets');
      return;
    }
    const content = await file.text();
    report(await transport.request('tickets.import', { name: file.name, content }));
  };

  const input = createElement('input', {
    ref,
    type: 'file',
    accept: '.jsonl,.ndjson,.json,.csv',
    className: 'sr-only',
    tabIndex: -1,
    'aria-hidden': true,
    'data-testid': 'ticket-file-input',
    onChange: (e: { nativeEvent: Event }) => void onChange(e.nativeEvent),
  });
  return { input, open };
}

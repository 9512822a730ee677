// Trace files in the workbench: importing one (browser: the picked or dropped file's content is
// uploaded; desktop: the host's Open dialog), the report of the last import, the list of imports,
// the calls of an import, and the origin of imported calls for the ticket view's cards.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type { ImportCallsPage, ImportedCallView, TraceImportSummary, TraceImportView } from '#shared/traces.ts';
import { MAX_TRACE_UPLOAD_BYTES } from '#shared/limits.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import { debounce } from '#renderer/app/debounce.ts';

export interface LastImport {
  name: string;
  report: TraceImportView | null;
  error: AppErrorShape | null;
}

export interface CallsView {
  load: 'loading' | 'ready' | 'error';
  page: ImportCallsPage | null;
  error: AppErrorShape | null;
}

/** How far the import in progress is (the host's traces.progress events). */
export interface ImportProgressView {
  calls: number;
  skipped: number;
  bytesRead: number;
  bytes: number;
}

export interface TracesState {
  imports: TraceImportSummary[];
  loadedOnce: boolean;
  error: AppErrorShape | null;
  /** The file being imported now. */
  importing: string | null;
  progress: ImportProgressView | null;
  /** Cancel was asked for the import in progress. */
  cancelling: boolean;
  last: LastImport | null;
  /** Full reports of imports done in this session, by run id (the run config keeps only the first issues). */
  reports: Record<string, TraceImportView>;
  calls: Record<string, CallsView>;
  /** Origins of a ticket's imported calls, by `runId\0ticketId`. */
  origins: Record<string, { load: 'loading' | 'ready' | 'error'; rows: ImportedCallView[] }>;
  /** Bumped to ask the shell to open the file picker (browser) or dialog (desktop). */
  openSeq: number;
  actions: TracesActions;
}

export interface TracesActions {
  refresh(): Promise<void>;
  requestOpen(): void;
  /** Uploads a file's content (browser); resolves with the import run to show, if any. */
  importContent(name: string, content: string, lastModified?: number): Promise<string | null>;
  importPath(path: string): Promise<string | null>;
  /** Desktop: the host's Open dialog. */
  openDialog(): Promise<string | null>;
  refuse(name: string, message: string): void;
  /** Stops the import in progress; it is rolled back whole. */
  cancel(): Promise<void>;
  loadCalls(runId: string, opts?: { force?: boolean }): Promise<void>;
  loadOrigins(runId: string, ticketId: string): Promise<void>;
  attach(): () => void;
}

export type TracesStore = StoreApi<TracesState>;

export const originKey = (runId: string, ticketId: string): string => `${runId}\u0000${ticketId}`;

/** The refusal of a file too large to upload, with the limit and the way round it. */
export function tooLargeToUpload(name: string, bytes: number): string {
  return `${name} is ${(bytes / 1e6).toFixed(1)} MB; a browser upload is limited to ${(MAX_TRACE_UPLOAD_BYTES / 1e6).toFixed(1)} MB. Give its path instead (Import by path), or run casebench import ${name}.`;
}

/** "45% · 12,345 calls · 3 skipped" for the import in progress. */
export function describeProgress(p: ImportProgressView): string {
  const pct = p.bytes > 0 ? Math.min(100, Math.floor((p.bytesRead / p.bytes) * 100)) : 0;
  const mb = (b: number): string => (b / 1048576 < 10 ? (b / 1048576).toFixed(1) : (b / 1048576).toFixed(0));
  return `${pct}% of ${mb(p.bytes)} MB · ${p.calls.toLocaleString('en')} call${p.calls === 1 ? '' : 's'}${p.skipped ? ` · ${p.skipped.toLocaleString('en')} skipped` : ''}`;
}

/** One line saying what an import did. */
export function describeTraceImport(r: TraceImportView): string {
  if (r.alreadyImported) return `${r.file.name}: already imported (same content) as ${r.alreadyImported}; nothing to do`;
  const n = (x: number, w: string): string => `${x.toLocaleString('en')} ${w}${x === 1 ? '' : 's'}`;
  return `${r.file.name}: ${n(r.calls, 'call')}, ${n(r.tickets, 'ticket')}, ${n(r.skipped, 'record')} skipped · ${r.file.label}`;
}

export function createTracesStore(transport: Transport): TracesStore {
  return createStore<TracesState>()((set, get) => {
    const finish = (name: string, r: Awaited<ReturnType<typeof transport.request<'traces.import'>>>): string | null => {
      if (!r.ok) {
        set({ importing: null, progress: null, cancelling: false, last: { name, report: null, error: r.error } });
        return null;
      }
      const runId = r.data.alreadyImported ?? r.data.runIds[0] ?? null;
      set({
        importing: null,
        progress: null,
        cancelling: false,
        last: { name, report: r.data, error: null },
        reports: r.data.runIds.length
          ? { ...get().reports, ...Object.fromEntries(r.data.runIds.map((id) => [id, r.data])) }
          : get().reports,
      });
      void actions.refresh();
      if (runId) void actions.loadCalls(runId, { force: true });
      return runId;
    };
    const actions: TracesActions = {
      async refresh() {
        const r = await transport.request('traces.list', {});
        if (r.ok) set({ imports: r.data, loadedOnce: true, error: null });
        else set({ loadedOnce: true, error: r.error });
      },
      requestOpen: () => set({ openSeq: get().openSeq + 1 }),
      async importContent(name, content, lastModified) {
        set({ importing: name, progress: null, cancelling: false });
        return finish(
          name,
          await transport.request('traces.import', {
            name,
            content,
            ...(lastModified !== undefined ? { lastModified: Math.max(0, Math.round(lastModified)) } : {}),
          }),
        );
      },
      async importPath(path) {
        const name = path.split(/[\\/]/).pop() || path;
        set({ importing: name, progress: null, cancelling: false });
        return finish(name, await transport.request('traces.importPath', { path }));
      },
      async openDialog() {
        set({ importing: '…' });
        const r = await transport.request('traces.openDialog', {});
        if (r.ok && 'cancelled' in r.data) {
          set({ importing: null });
          return null;
        }
        return finish(
          r.ok ? (r.data as TraceImportView).file.name : 'trace file',
          r as Awaited<ReturnType<typeof transport.request<'traces.import'>>>,
        );
      },
      refuse(name, message) {
        set({ importing: null, progress: null, last: { name, report: null, error: { code: 'BAD_INPUT', message } } });
      },
      async cancel() {
        if (!get().importing || get().cancelling) return;
        set({ cancelling: true });
        const r = await transport.request('traces.cancel', {});
        if (!r.ok) set({ cancelling: false, error: r.error });
      },
      async loadCalls(runId, opts = {}) {
        const cur = get().calls[runId];
        if (cur && cur.load !== 'error' && !opts.force) return;
        set({ calls: { ...get().calls, [runId]: { load: 'loading', page: cur?.page ?? null, error: null } } });
        const r = await transport.request('traces.calls', { runId });
        set({
          calls: {
            ...get().calls,
            [runId]: r.ok ? { load: 'ready', page: r.data, error: null } : { load: 'error', page: null, error: r.error },
          },
        });
      },
      async loadOrigins(runId, ticketId) {
        const k = originKey(runId, ticketId);
        if (get().origins[k]) return;
        set({ origins: { ...get().origins, [k]: { load: 'loading', rows: [] } } });
        const r = await transport.request('traces.origins', { runId, ticketId });
        set({ origins: { ...get().origins, [k]: r.ok ? { load: 'ready', rows: r.data } : { load: 'error', rows: [] } } });
      },
      attach() {
        const soon = debounce(() => void actions.refresh(), 400);
        return transport.onEvent((e) => {
          if (e.type === 'runs.changed' && get().loadedOnce) soon();
          if (e.type === 'traces.progress' && get().importing)
            set({ progress: { calls: e.calls, skipped: e.skipped, bytesRead: e.bytesRead, bytes: e.bytes } });
        });
      },
    };
    return {
      imports: [],
      loadedOnce: false,
      error: null,
      importing: null,
      progress: null,
      cancelling: false,
      last: null,
      reports: {},
      calls: {},
      origins: {},
      openSeq: 0,
      actions,
    };
  });
}

// Recorded runs (batch runs, experiments, comparisons) and the tickets of the one being looked at.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type { RouteOutputs, RunInfo } from '#shared/routes.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import { debounce } from '#renderer/app/debounce.ts';

export interface RunTicketsView {
  load: 'loading' | 'ready' | 'error';
  rows: RouteOutputs['runs.tickets'];
  error: AppErrorShape | null;
}

export interface RunsState {
  runs: RunInfo[];
  loadedOnce: boolean;
  error: AppErrorShape | null;
  tickets: Record<string, RunTicketsView>;
  actions: {
    refresh(): Promise<void>;
    loadTickets(runId: string, opts?: { force?: boolean }): Promise<void>;
    run(runId: string): RunInfo | null;
    attach(): () => void;
  };
}

export type RunsStore = StoreApi<RunsState>;

/** Whether a run's tickets open as comparisons (several models per task) rather than as tickets. */
export const opensAsComparison = (r: Pick<RunInfo, 'kind' | 'models'>): boolean =>
  r.kind === 'experiment' || r.kind === 'compare' || r.kind === 'import';

export function createRunsStore(transport: Transport): RunsStore {
  return createStore<RunsState>()((set, get) => {
    const actions: RunsState['actions'] = {
      async refresh() {
        const r = await transport.request('runs.list', {});
        if (r.ok) set({ runs: r.data, loadedOnce: true, error: null });
        else set({ error: r.error, loadedOnce: true });
      },
      async loadTickets(runId, opts = {}) {
        const cur = get().tickets[runId];
        if (cur && cur.load === 'ready' && !opts.force) return;
        set({ tickets: { ...get().tickets, [runId]: { load: 'loading', rows: cur?.rows ?? [], error: null } } });
        const r = await transport.request('runs.tickets', { runId });
        set({
          tickets: {
            ...get().tickets,
            [runId]: r.ok ? { load: 'ready', rows: r.data, error: null } : { load: 'error', rows: [], error: r.error },
          },
        });
      },
      run(runId) {
        return get().runs.find((r) => r.id === runId) ?? null;
      },
      attach() {
        const soon = debounce(() => {
          void actions.refresh();
          for (const id of Object.keys(get().tickets)) void actions.loadTickets(id, { force: true });
        }, 400);
        return transport.onEvent((e) => {
          if (e.type === 'runs.changed') soon();
        });
      },
    };
    return { runs: [], loadedOnce: false, error: null, tickets: {}, actions };
  });
}

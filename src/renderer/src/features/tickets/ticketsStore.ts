// The incoming-tickets list: filters and search (run in the host's SQL), the matching rows, the
// selection that j/k move, and live updates as tickets arrive and their facts land.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type { AppEvent, ImportReport, TicketFilter, TicketSummary } from '#shared/routes.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import { debounce } from '#renderer/app/debounce.ts';

export interface TicketsState {
  filter: TicketFilter;
  rows: TicketSummary[];
  /** Row index by ticket id. */
  index: Map<string, number>;
  total: number;
  products: string[];
  loading: boolean;
  loadedOnce: boolean;
  error: AppErrorShape | null;
  selectedId: string | null;
  /** The latest import's outcome, shown above the list until dismissed (every skipped line, not only the first three). */
  lastImport: ImportOutcome | null;
  actions: TicketsActions;
}

export type ImportOutcome = { ok: true; report: ImportReport; samples?: boolean } | { ok: false; source: string; message: string };

export interface TicketsActions {
  showImport(outcome: ImportOutcome | null): void;
  refresh(): Promise<void>;
  setSearch(search: string): void;
  setFilter(patch: Partial<TicketFilter>): void;
  clearFilters(): void;
  select(id: string | null): void;
  /** Moves the selection by delta rows (clamped); returns the newly selected row. */
  move(delta: number): TicketSummary | null;
  selected(): TicketSummary | null;
  attach(): () => void;
}

export type TicketsStore = StoreApi<TicketsState>;

/** Whether a row belongs in the list under this filter (for rows that change while shown). */
export function matchesFilter(s: TicketSummary, f: TicketFilter): boolean {
  if (f.platform) {
    const p = s.platform?.toLowerCase() ?? null;
    if (f.platform === 'none' ? p !== null : f.platform === 'other' ? !p?.startsWith('other:') : p !== f.platform) return false;
  }
  if (f.product && (s.product ?? '').toLowerCase() !== f.product.toLowerCase()) return false;
  if (f.severity && s.severity !== f.severity) return false;
  if (f.hasDetails !== undefined && s.hasDetails !== f.hasDetails) return false;
  if (f.failed !== undefined && s.failed > 0 !== f.failed) return false;
  if (f.held !== undefined && (s.held ?? false) !== f.held) return false;
  if (f.state && s.state !== f.state) return false;
  return true;
}

export function activeFilterCount(f: TicketFilter): number {
  return (['platform', 'product', 'severity', 'hasDetails', 'failed', 'held', 'state'] as const).filter((k) => f[k] !== undefined).length;
}

const indexOf = (rows: TicketSummary[]): Map<string, number> => new Map(rows.map((r, i) => [r.id, i]));

export function createTicketsStore(transport: Transport): TicketsStore {
  let seq = 0;
  const store = createStore<TicketsState>()((set, get) => {
    // At most one refresh per 200 ms while events stream in (a debounce would starve during a batch).
    let pending: ReturnType<typeof setTimeout> | null = null;
    const refreshSoon = (): void => {
      if (pending !== null) return;
      pending = setTimeout(() => {
        pending = null;
        void actions.refresh();
      }, 200);
    };
    const searchSoon = debounce(() => void actions.refresh(), 120);

    const actions: TicketsActions = {
      showImport(outcome) {
        set({ lastImport: outcome });
      },
      async refresh() {
        const mine = ++seq;
        set({ loading: true });
        const r = await transport.request('tickets.list', get().filter);
        if (mine !== seq) return; // a newer query is on its way
        if (!r.ok) {
          set({ loading: false, error: r.error });
          return;
        }
        const rows = r.data.rows;
        const index = indexOf(rows);
        set({
          rows,
          index,
          total: r.data.total,
          products: r.data.products,
          loading: false,
          loadedOnce: true,
          error: null,
        });
      },
      setSearch(search) {
        set({ filter: { ...get().filter, search: search || undefined } });
        searchSoon();
      },
      setFilter(patch) {
        const f = { ...get().filter, ...patch };
        for (const k of Object.keys(f) as Array<keyof TicketFilter>) if (f[k] === undefined || f[k] === '') delete f[k];
        set({ filter: f });
        void actions.refresh();
      },
      clearFilters() {
        const search = get().filter.search;
        set({ filter: search ? { search } : {} });
        void actions.refresh();
      },
      select(id) {
        set({ selectedId: id });
      },
      move(delta) {
        const { rows, index, selectedId } = get();
        if (rows.length === 0) return null;
        const at = selectedId !== null && index.has(selectedId) ? index.get(selectedId)! : delta > 0 ? -1 : rows.length;
        const next = rows[Math.max(0, Math.min(rows.length - 1, at + delta))]!;
        set({ selectedId: next.id });
        return next;
      },
      selected() {
        const { rows, index, selectedId } = get();
        return selectedId !== null && index.has(selectedId) ? rows[index.get(selectedId)!]! : null;
      },
      attach() {
        return transport.onEvent((e: AppEvent) => {
          if (e.type === 'tickets.changed') refreshSoon();
          else if (e.type === 'ticket.summary') {
            const s = get();
            const i = s.index.get(e.summary.id);
            if (i !== undefined) {
              const rows = s.rows.slice();
              rows[i] = e.summary;
              set({ rows });
            } else if (matchesFilter(e.summary, s.filter) && !s.filter.search) {
              // A brand-new ticket is the newest: it goes on top, no need to re-read 10,000 rows.
              if (s.rows.length === 0 || e.summary.addedAt >= s.rows[0]!.addedAt) {
                const rows = [e.summary, ...s.rows];
                set({ rows, index: indexOf(rows), total: s.total + 1 });
              } else refreshSoon();
            } else refreshSoon();
          }
        });
      },
    };
    return {
      filter: {},
      rows: [],
      index: new Map(),
      total: 0,
      products: [],
      loading: false,
      loadedOnce: false,
      error: null,
      selectedId: null,
      lastImport: null,
      actions,
    };
  });
  return store;
}

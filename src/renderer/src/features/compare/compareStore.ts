// Side-by-side comparisons: the model picker (2–6 models, one baseline), and each open
// comparison's grid of model × task cells, live (filling in per event) or recorded.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type { TaskResult } from '#shared/results.ts';
import type { AppEvent, CompareData } from '#shared/routes.ts';
import { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS } from '#shared/limits.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { Transport } from '#renderer/platform/transport.ts';

export interface CellState {
  status: 'pending' | 'running' | 'ok' | 'error' | 'skipped';
  result: TaskResult | null;
}

export interface CompareView {
  key: string;
  runId: string;
  ticketId: string;
  load: 'loading' | 'ready' | 'error';
  error: AppErrorShape | null;
  title: string;
  kind: string;
  label: string | null;
  models: string[];
  baseline: string;
  cells: Record<string, Record<TaskId, CellState>>;
  live: boolean;
}

export interface PickerState {
  open: boolean;
  ticketId: string | null;
  ticketTitle: string;
  models: string[];
  baseline: string | null;
  error: AppErrorShape | null;
  starting: boolean;
}

export interface CompareState {
  views: Record<string, CompareView>;
  picker: PickerState;
  /** Models picked last time, offered again. */
  lastModels: string[];
  actions: CompareActions;
}

export interface CompareActions {
  openPicker(ticketId: string, ticketTitle: string, suggested?: string[]): void;
  closePicker(): void;
  toggleModel(spec: string): void;
  setBaseline(spec: string): void;
  /** Starts the picked comparison; resolves with the run to open, or null when refused. */
  start(): Promise<{ runId: string; ticketId: string; title: string } | null>;
  open(runId: string, ticketId: string): Promise<void>;
  retain(keys: string[]): void;
  attach(): () => void;
}

export type CompareStore = StoreApi<CompareState>;

export const compareKey = (runId: string, ticketId: string): string => `${runId}:${ticketId}`;

const blankCells = (): Record<TaskId, CellState> =>
  Object.fromEntries(TASK_IDS.map((t) => [t, { status: 'pending', result: null }])) as Record<TaskId, CellState>;

function fromData(d: CompareData): CompareView {
  const cells: Record<string, Record<TaskId, CellState>> = {};
  for (const m of d.models) cells[m] = blankCells();
  for (const c of d.cells) {
    cells[c.modelSpec] ??= blankCells();
    cells[c.modelSpec]![c.result.task] = { status: c.result.status, result: c.result };
  }
  return {
    key: compareKey(d.runId, d.ticketId),
    runId: d.runId,
    ticketId: d.ticketId,
    load: 'ready',
    error: null,
    title: d.ticketTitle,
    kind: d.kind,
    label: d.label,
    models: Object.keys(cells),
    baseline: d.baseline,
    cells,
    live: d.live,
  };
}

/** Applies a live event to a comparison view (pure). */
export function applyCompareEvent(v: CompareView, e: AppEvent): CompareView {
  if (!('runId' in e) || e.runId !== v.runId || !('ticketId' in e) || e.ticketId !== v.ticketId) return v;
  if (e.type === 'ticket.done') return { ...v, live: false };
  if (e.type !== 'task.started' && e.type !== 'task.result') return v;
  const spec = e.spec ?? (e.type === 'task.result' ? `${e.result.provider}:${e.result.model}` : `${e.provider}:${e.model}`);
  const row = v.cells[spec] ?? blankCells();
  const task = e.type === 'task.result' ? e.result.task : e.task;
  if (e.type === 'task.started' && row[task].result) return v;
  const cell: CellState = e.type === 'task.result' ? { status: e.result.status, result: e.result } : { status: 'running', result: null };
  const models = v.models.includes(spec) ? v.models : [...v.models, spec];
  return { ...v, models, cells: { ...v.cells, [spec]: { ...row, [task]: cell } } };
}

export function createCompareStore(transport: Transport): CompareStore {
  const recent: AppEvent[] = [];
  return createStore<CompareState>()((set, get) => {
    const put = (v: CompareView): void => set({ views: { ...get().views, [v.key]: v } });
    const replay = (v: CompareView): CompareView => recent.reduce((acc, e) => applyCompareEvent(acc, e), v);
    const actions: CompareActions = {
      openPicker(ticketId, ticketTitle, suggested = []) {
        const models = (get().lastModels.length >= COMPARE_MIN_MODELS ? get().lastModels : suggested).slice(0, COMPARE_MAX_MODELS);
        set({ picker: { open: true, ticketId, ticketTitle, models, baseline: models[0] ?? null, error: null, starting: false } });
      },
      closePicker() {
        set({ picker: { ...get().picker, open: false } });
      },
      toggleModel(spec) {
        const p = get().picker;
        let models: string[];
        if (p.models.includes(spec)) models = p.models.filter((m) => m !== spec);
        else if (p.models.length >= COMPARE_MAX_MODELS) {
          set({ picker: { ...p, error: { code: 'BAD_INPUT', message: `At most ${COMPARE_MAX_MODELS} models side by side.` } } });
          return;
        } else models = [...p.models, spec];
        const baseline = p.baseline && models.includes(p.baseline) ? p.baseline : (models[0] ?? null);
        set({ picker: { ...p, models, baseline, error: null } });
      },
      setBaseline(spec) {
        const p = get().picker;
        if (p.models.includes(spec)) set({ picker: { ...p, baseline: spec } });
      },
      async start() {
        const p = get().picker;
        if (!p.ticketId || p.starting) return null;
        if (p.models.length < COMPARE_MIN_MODELS) {
          set({ picker: { ...p, error: { code: 'BAD_INPUT', message: `Pick at least ${COMPARE_MIN_MODELS} models.` } } });
          return null;
        }
        set({ picker: { ...p, starting: true, error: null } });
        const r = await transport.request('compare.start', {
          ticketId: p.ticketId,
          models: p.models,
          baseline: p.baseline ?? p.models[0]!,
        });
        if (!r.ok) {
          set({ picker: { ...get().picker, starting: false, error: r.error } });
          return null;
        }
        const cells: Record<string, Record<TaskId, CellState>> = {};
        for (const m of r.data.models) cells[m] = blankCells();
        put(
          replay({
            key: compareKey(r.data.runId, p.ticketId),
            runId: r.data.runId,
            ticketId: p.ticketId,
            load: 'ready',
            error: null,
            title: p.ticketTitle,
            kind: 'compare',
            label: null,
            models: r.data.models,
            baseline: r.data.baseline,
            cells,
            live: true,
          }),
        );
        set({ picker: { ...get().picker, open: false, starting: false }, lastModels: p.models });
        return { runId: r.data.runId, ticketId: p.ticketId, title: p.ticketTitle };
      },
      async open(runId, ticketId) {
        const key = compareKey(runId, ticketId);
        const cur = get().views[key];
        if (cur && cur.load !== 'error') return;
        put({
          key,
          runId,
          ticketId,
          load: 'loading',
          error: null,
          title: ticketId,
          kind: '',
          label: null,
          models: [],
          baseline: '',
          cells: {},
          live: false,
        });
        const r = await transport.request('compare.get', { runId, ticketId });
        if (!r.ok) {
          put({ ...get().views[key]!, load: 'error', error: r.error });
          return;
        }
        put(replay(fromData(r.data)));
      },
      retain(keys) {
        const keep = new Set(keys);
        const views = get().views;
        if (Object.keys(views).every((k) => keep.has(k))) return;
        set({ views: Object.fromEntries(Object.entries(views).filter(([k]) => keep.has(k))) });
      },
      attach() {
        return transport.onEvent((e) => {
          if (!('runId' in e) || !e.runId?.startsWith('compare-')) return;
          recent.push(e);
          if (recent.length > 600) recent.splice(0, recent.length - 600);
          if (!('ticketId' in e)) return;
          const v = get().views[compareKey(e.runId, e.ticketId)];
          if (v?.load !== 'ready') return;
          const next = applyCompareEvent(v, e);
          if (next !== v) put(next);
        });
      },
    };
    return {
      views: {},
      picker: { open: false, ticketId: null, ticketTitle: '', models: [], baseline: null, error: null, starting: false },
      lastModels: [],
      actions,
    };
  });
}

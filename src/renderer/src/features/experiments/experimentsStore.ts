// Experiments in the workbench: the setup form (with its cost estimate: a slice of this store made
// in setupSlice.ts), each experiment's live progress (from `experiment.progress` events), its
// report, the interactive plan, the tickets behind a clicked cell or plot mark, and the calls the
// latency plots draw. Every number comes from the core; this store only asks for it and keeps
// what the views show.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppErrorShape } from '#shared/errors.ts';
import type {
  CellTicketFilter,
  CellTicketRow,
  ExperimentAssignment,
  ExperimentLive,
  ExperimentPlanReport,
  ExperimentReport,
} from '#shared/routes/experimentRoutes.ts';
import type { LatencyPoint, PlotMode } from '#shared/plots/common.ts';
import type { PlotSelection } from '#shared/plots/export.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import { debounce } from '#renderer/app/debounce.ts';
import { idle, type Loadable } from './loadable.ts';
import { blankSetup, createSetupActions, type SetupActions, type SetupState } from './setupSlice.ts';

export type { Loadable } from './loadable.ts';
export type { SetupState } from './setupSlice.ts';

export type ExperimentSection = 'overview' | 'report' | 'plan' | 'latency' | 'tickets' | 'judge';
export const SECTIONS: ReadonlyArray<{ id: ExperimentSection; label: string }> = [
  { id: 'overview', label: 'Progress' },
  { id: 'report', label: 'Report' },
  { id: 'plan', label: 'Plan' },
  { id: 'latency', label: 'Latency' },
  { id: 'tickets', label: 'Tickets' },
  { id: 'judge', label: 'Judge' },
];

export interface ReportView extends Loadable<ExperimentReport> {
  /** The baseline the user chose to compare with; null: the experiment's own. */
  baseline: string | null;
  /** New results arrived since it was read. */
  stale: boolean;
}

export interface PlanView extends Loadable<ExperimentPlanReport> {
  floor: number;
  /** Models below this final success rate on a task are never recommended for it (0 = off). */
  minSuccess: number;
  picks: ExperimentAssignment | null;
  applying: boolean;
}

export interface DrillQuery {
  task: TaskId;
  model: string;
  filter: CellTicketFilter;
  minLatencyMs?: number;
  maxLatencyMs?: number;
  ticketIds?: string[];
  label: string;
}

export interface DrillView extends Loadable<{ rows: CellTicketRow[]; total: number; truncated: boolean }> {
  query: DrillQuery | null;
}

export interface PlotsView extends Loadable<LatencyPoint[]> {
  task: TaskId;
  mode: PlotMode;
}

export interface ExperimentsState {
  setup: SetupState;
  live: Record<string, ExperimentLive>;
  liveErrors: Record<string, AppErrorShape>;
  sections: Record<string, ExperimentSection>;
  reports: Record<string, ReportView>;
  plans: Record<string, PlanView>;
  drills: Record<string, DrillView>;
  plots: Record<string, PlotsView>;
  actions: ExperimentsActions;
}

export interface ExperimentsActions extends SetupActions {
  // live
  loadStatus(runId: string): Promise<void>;
  stop(runId: string): Promise<boolean>;
  resume(runId: string): Promise<boolean>;
  // sections
  showSection(runId: string, section: ExperimentSection): void;
  // report
  loadReport(runId: string, opts?: { force?: boolean }): Promise<void>;
  setReportBaseline(runId: string, baseline: string | null): void;
  // plan
  setFloor(runId: string, floor: number): void;
  setMinSuccess(runId: string, rate: number): void;
  pick(runId: string, task: TaskId, model: string): void;
  pickAll(runId: string, assignment: ExperimentAssignment): void;
  loadPlan(runId: string): Promise<void>;
  // drill-down
  drill(runId: string, query: DrillQuery): Promise<void>;
  clearDrill(runId: string): void;
  drillPlot(runId: string, sel: PlotSelection): Promise<boolean>;
  // plots
  loadPoints(runId: string, opts?: { force?: boolean }): Promise<void>;
  setPlotTask(runId: string, task: TaskId): void;
  setPlotMode(runId: string, mode: PlotMode): void;
  attach(): () => void;
}

export type ExperimentsStore = StoreApi<ExperimentsState>;

export const DEFAULT_FLOOR = 0.8;
/**
 * The workbench's default minimum success rate for the plan: a model that failed more than 1 task
 * in 20 is not recommended unless the user lowers it (the CLI's `report --min-success`, off there).
 */
export const DEFAULT_MIN_SUCCESS = 0.95;

/** The tickets behind a plot mark: its calls (ids → tickets through the points), or a latency range of one model. */
export function plotDrill(sel: PlotSelection, points: readonly LatencyPoint[], fallbackTask: TaskId): DrillQuery | null {
  const task = (sel.task && (TASK_IDS as readonly string[]).includes(sel.task) ? sel.task : fallbackTask) as TaskId;
  const model = sel.model;
  if (!model) return null;
  let ticketIds = sel.ticketIds;
  if (ticketIds.length === 0 && sel.callIds.length > 0) {
    const want = new Set(sel.callIds);
    ticketIds = points.filter((p) => want.has(p.callId)).map((p) => p.ticketId);
  }
  const where = `${model} · ${TASKS[task].label}`;
  if (ticketIds.length > 0) {
    const unique = [...new Set(ticketIds)];
    return {
      task,
      model,
      filter: 'all',
      ticketIds: unique,
      label: `${unique.length.toLocaleString('en-US')} ticket${unique.length === 1 ? '' : 's'} behind the mark · ${where}`,
    };
  }
  if (sel.latencyRange) {
    const [lo, hi] = sel.latencyRange;
    return {
      task,
      model,
      filter: 'slow',
      minLatencyMs: lo,
      maxLatencyMs: hi,
      label: `Calls of ${Math.round(lo)}–${Math.round(hi)} ms · ${where}`,
    };
  }
  return null;
}

export function createExperimentsStore(transport: Transport): ExperimentsStore {
  return createStore<ExperimentsState>()((set, get) => {
    const setup = createSetupActions(transport, {
      get: () => get().setup,
      set: (patch) => set({ setup: { ...get().setup, ...patch } }),
      started: (runId, live) => set({ live: { ...get().live, [runId]: live }, sections: { ...get().sections, [runId]: 'overview' } }),
    });

    const putReport = (runId: string, patch: Partial<ReportView>): void => {
      const cur = get().reports[runId] ?? { ...idle<ExperimentReport>(), baseline: null, stale: false };
      set({ reports: { ...get().reports, [runId]: { ...cur, ...patch } } });
    };
    const putPlan = (runId: string, patch: Partial<PlanView>): void => {
      const cur = get().plans[runId] ?? {
        ...idle<ExperimentPlanReport>(),
        floor: DEFAULT_FLOOR,
        minSuccess: DEFAULT_MIN_SUCCESS,
        picks: null,
        applying: false,
      };
      set({ plans: { ...get().plans, [runId]: { ...cur, ...patch } } });
    };
    const putDrill = (runId: string, patch: Partial<DrillView>): void => {
      const cur = get().drills[runId] ?? { ...idle<DrillView['data']>(), query: null };
      set({ drills: { ...get().drills, [runId]: { ...cur, ...patch } as DrillView } });
    };
    const putPlots = (runId: string, patch: Partial<PlotsView>): void => {
      const cur = get().plots[runId] ?? { ...idle<LatencyPoint[]>(), task: 'platform' as TaskId, mode: 'filtered' as PlotMode };
      set({ plots: { ...get().plots, [runId]: { ...cur, ...patch } } });
    };
    const planSoon = new Map<string, ReturnType<typeof debounce>>();
    const planLater = (runId: string): void => {
      let d = planSoon.get(runId);
      if (!d) planSoon.set(runId, (d = debounce(() => void actions.loadPlan(runId), 120)));
      d();
    };
    const seq = { report: new Map<string, number>(), plan: new Map<string, number>(), drill: new Map<string, number>() };
    const next = (m: Map<string, number>, k: string): number => {
      const n = (m.get(k) ?? 0) + 1;
      m.set(k, n);
      return n;
    };

    const actions: ExperimentsActions = {
      ...setup,

      async loadStatus(runId) {
        const r = await transport.request('experiments.status', { runId });
        if (r.ok) {
          // An event may have brought a newer snapshot while this was in flight.
          const cur = get().live[runId];
          if (!cur?.active || r.data.active) set({ live: { ...get().live, [runId]: r.data } });
          const { [runId]: _gone, ...rest } = get().liveErrors;
          set({ liveErrors: rest });
        } else set({ liveErrors: { ...get().liveErrors, [runId]: r.error } });
      },
      async stop(runId) {
        const r = await transport.request('experiments.stop', { runId });
        if (!r.ok) set({ liveErrors: { ...get().liveErrors, [runId]: r.error } });
        return r.ok && r.data.stopping;
      },
      async resume(runId) {
        const r = await transport.request('experiments.resume', { runId });
        if (!r.ok) {
          set({ liveErrors: { ...get().liveErrors, [runId]: r.error } });
          return false;
        }
        const { [runId]: _gone, ...rest } = get().liveErrors;
        set({ live: { ...get().live, [runId]: r.data.live }, liveErrors: rest });
        return true;
      },

      showSection(runId, section) {
        if (get().sections[runId] === section) return;
        set({ sections: { ...get().sections, [runId]: section } });
      },

      async loadReport(runId, opts = {}) {
        const cur = get().reports[runId];
        if (cur && !opts.force && (cur.load === 'ready' || cur.load === 'loading') && !cur.stale) return;
        const n = next(seq.report, runId);
        putReport(runId, { load: cur?.data ? cur.load : 'loading', error: null });
        if (!cur?.data) putReport(runId, { load: 'loading' });
        const baseline = get().reports[runId]?.baseline ?? undefined;
        const r = await transport.request('experiments.report', { runId, ...(baseline ? { baseline } : {}) });
        if (seq.report.get(runId) !== n) return;
        if (!r.ok) {
          putReport(runId, { load: 'error', error: r.error });
          return;
        }
        putReport(runId, { load: 'ready', data: r.data, error: null, stale: false });
        // The plan starts from the recommendation (or the baseline everywhere when none qualifies).
        const plan = get().plans[runId];
        if (!plan?.picks) putPlan(runId, { picks: r.data.plan.recommended?.assignment ?? r.data.plan.baseline.assignment });
        if (plan?.load === 'ready' || plan?.load === 'loading' || plan?.picks) void actions.loadPlan(runId);
      },
      setReportBaseline(runId, baseline) {
        putReport(runId, { baseline, stale: true });
        putPlan(runId, { picks: null });
        void actions.loadReport(runId, { force: true });
      },

      setFloor(runId, floor) {
        const f = Math.max(0, Math.min(1, Math.round(floor * 100) / 100));
        putPlan(runId, { floor: f });
        planLater(runId);
      },
      setMinSuccess(runId, rate) {
        const r = Math.max(0, Math.min(1, Math.round(rate * 100) / 100));
        putPlan(runId, { minSuccess: r });
        planLater(runId);
      },
      pick(runId, task, model) {
        const plan = get().plans[runId];
        const report = get().reports[runId]?.data;
        const base = plan?.picks ?? report?.plan.recommended?.assignment ?? report?.plan.baseline.assignment;
        if (!base) return;
        putPlan(runId, { picks: { ...base, [task]: model } });
        planLater(runId);
      },
      pickAll(runId, assignment) {
        putPlan(runId, { picks: { ...assignment } });
        planLater(runId);
      },
      async loadPlan(runId) {
        const p = get().plans[runId] ?? { floor: DEFAULT_FLOOR, minSuccess: DEFAULT_MIN_SUCCESS, picks: null };
        const n = next(seq.plan, runId);
        putPlan(runId, { load: get().plans[runId]?.data ? 'ready' : 'loading' });
        const baseline = get().reports[runId]?.data?.baseline;
        const r = await transport.request('experiments.plan', {
          runId,
          floor: p.floor,
          minSuccessRate: p.minSuccess,
          ...(p.picks ? { assignment: p.picks } : {}),
          ...(baseline ? { baseline } : {}),
        });
        if (seq.plan.get(runId) !== n) return;
        if (r.ok) putPlan(runId, { load: 'ready', data: r.data, error: null });
        else putPlan(runId, { load: 'error', error: r.error });
      },

      async drill(runId, query) {
        const n = next(seq.drill, runId);
        putDrill(runId, { query, load: 'loading', error: null });
        set({ sections: { ...get().sections, [runId]: 'tickets' } });
        const baseline = get().reports[runId]?.data?.baseline;
        const r = await transport.request('experiments.cellTickets', {
          runId,
          task: query.task,
          model: query.model,
          filter: query.filter,
          ...(baseline ? { baseline } : {}),
          ...(query.ticketIds ? { ticketIds: query.ticketIds } : {}),
          ...(query.minLatencyMs !== undefined ? { minLatencyMs: query.minLatencyMs } : {}),
          ...(query.maxLatencyMs !== undefined ? { maxLatencyMs: query.maxLatencyMs } : {}),
        });
        if (seq.drill.get(runId) !== n) return;
        if (r.ok) putDrill(runId, { load: 'ready', data: r.data, error: null });
        else putDrill(runId, { load: 'error', data: null, error: r.error });
      },
      clearDrill(runId) {
        next(seq.drill, runId);
        putDrill(runId, { query: null, load: 'idle', data: null, error: null });
      },
      async drillPlot(runId, sel) {
        const pv = get().plots[runId];
        const q = plotDrill(sel, pv?.data ?? [], pv?.task ?? 'platform');
        if (!q) return false;
        await actions.drill(runId, q);
        return true;
      },

      async loadPoints(runId, opts = {}) {
        const cur = get().plots[runId];
        if (cur && !opts.force && (cur.load === 'ready' || cur.load === 'loading')) return;
        putPlots(runId, { load: cur?.data ? 'ready' : 'loading', error: null });
        const r = await transport.request('experiments.latencyPoints', { runId });
        if (r.ok) putPlots(runId, { load: 'ready', data: r.data.points, error: null });
        else putPlots(runId, { load: 'error', error: r.error });
      },
      setPlotTask(runId, task) {
        putPlots(runId, { task });
      },
      setPlotMode(runId, mode) {
        putPlots(runId, { mode });
      },

      attach() {
        return transport.onEvent((e) => {
          // Shadow answers landed: an open live experiment's report is read again.
          if (e.type === 'shadow.changed') {
            for (const runId of Object.keys(get().reports))
              if (runId.startsWith('shadow-')) void actions.loadReport(runId, { force: true });
            return;
          }
          if (e.type !== 'experiment.progress') return;
          const prev = get().live[e.runId];
          set({ live: { ...get().live, [e.runId]: e.live } });
          // New results make a report read earlier stale; a finished run refreshes what is open.
          if (get().reports[e.runId] && prev && prev.doneTasks !== e.live.doneTasks) putReport(e.runId, { stale: true });
          if (prev?.active && !e.live.active) {
            if (get().reports[e.runId]) void actions.loadReport(e.runId, { force: true });
            if (get().plots[e.runId]) void actions.loadPoints(e.runId, { force: true });
          }
        });
      },
    };

    return { setup: blankSetup(), live: {}, liveErrors: {}, sections: {}, reports: {}, plans: {}, drills: {}, plots: {}, actions };
  });
}

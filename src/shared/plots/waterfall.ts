// The critical-path waterfall as a vega-lite spec: one bar per task on a shared time axis (ms from
// the ticket's start), arrows from each dependency's end to its dependent's start, and the chain
// that decided the ticket's time drawn solid with an outline while the rest is faded. Several
// lanes (the models of an experiment on one ticket, or plans) stack on the same axis. Exported as
// an image from the workbench (export.ts) and drawn in `casebench report --format html`.
import type { TopLevelSpec } from 'vega-lite';
import type { TaskResult } from '../results.ts';
import { TASK_IDS, TASKS, type TaskId } from '../tasks.ts';
import { fmtMs, themeOf, type PlotMeta } from './common.ts';
import { modelColorScale } from './palette.ts';
import { THEME_INK, themeConfig, type PlotTheme } from './theme.ts';

/** One task of one graph run. */
export interface WaterfallBar {
  task: TaskId;
  model: string;
  status: 'ok' | 'error' | 'skipped';
  /** Offsets from the ticket's start, ms. */
  startedMs: number;
  endedMs: number;
  attempts?: number;
  errorCode?: string | null;
  /** The calls behind the bar (every attempt), for click-through. */
  callIds?: number[];
}

/** One graph run of a ticket (or a plan), drawn as a group of five rows. */
export interface WaterfallLane {
  label: string;
  ticketId?: string | null;
  bars: WaterfallBar[];
  /** "median" for a plan built from per-task medians, where bars are not one ticket's calls. */
  basis?: 'ticket' | 'median';
}

/** The chain of tasks that decided a run's end, and that end in ms. */
export interface CriticalChain {
  tasks: TaskId[];
  ms: number;
}

/**
 * The observed critical path: from the task that ended last, walk back through the dependency
 * that ended last (the one that actually held it up). Skipped tasks never count.
 */
export function criticalChain(bars: readonly WaterfallBar[]): CriticalChain | null {
  const by = new Map<TaskId, WaterfallBar>();
  for (const b of bars) if (b.status !== 'skipped') by.set(b.task, b);
  if (by.size === 0) return null;
  let last: WaterfallBar | null = null;
  for (const b of by.values()) if (!last || b.endedMs > last.endedMs) last = b;
  const chain: TaskId[] = [last!.task];
  let cur = last!;
  for (;;) {
    let gate: WaterfallBar | null = null;
    for (const dep of TASKS[cur.task].dependsOn) {
      const d = by.get(dep);
      if (d && (!gate || d.endedMs > gate.endedMs)) gate = d;
    }
    if (!gate || chain.includes(gate.task)) break;
    chain.unshift(gate.task);
    cur = gate;
  }
  return { tasks: chain, ms: last!.endedMs };
}

/** A lane from a ticket's task results (TicketDetail.results or a run line's tasks), with the call ids per task when known. */
export function laneFromResults(
  label: string,
  results: Iterable<TaskResult> | Partial<Record<TaskId, TaskResult>>,
  extra: { ticketId?: string | null; callIds?: Partial<Record<TaskId, number[]>> } = {},
): WaterfallLane {
  const list: TaskResult[] =
    Symbol.iterator in Object(results) ? [...(results as Iterable<TaskResult>)] : Object.values(results as Record<string, TaskResult>);
  const bars: WaterfallBar[] = list.map((r) => ({
    task: r.task,
    model: `${r.provider}:${r.model}`,
    status: r.status === 'ok' || r.status === 'error' ? r.status : 'skipped',
    startedMs: r.startedMs,
    endedMs: r.endedMs,
    attempts: r.attempts,
    errorCode: r.error?.code ?? null,
    callIds: extra.callIds?.[r.task] ?? [],
  }));
  return { label, ticketId: extra.ticketId ?? null, bars, basis: 'ticket' };
}

/**
 * A plan's waterfall from per-task medians (contracts §1): each task starts when its dependencies'
 * medians have ended. Its critical path is the report's critical-path median. Null when a task's
 * model has no median.
 */
export function planLane(
  label: string,
  assignment: Readonly<Record<TaskId, string>>,
  medianMs: (task: TaskId, model: string) => number | null,
): WaterfallLane | null {
  const end = {} as Record<TaskId, number>;
  const bars: WaterfallBar[] = [];
  // TASK_IDS lists every task after its dependencies.
  for (const task of TASK_IDS) {
    const model = assignment[task];
    const m = medianMs(task, model);
    if (m === null) return null;
    const start = Math.max(0, ...TASKS[task].dependsOn.map((d) => end[d]));
    end[task] = start + m;
    bars.push({ task, model, status: 'ok', startedMs: start, endedMs: start + m });
  }
  return { label, bars, basis: 'median' };
}

export interface WaterfallOptions {
  theme?: PlotTheme;
  /** Every model the app shows, for stable colours. */
  allModels?: readonly string[];
  title?: string;
  subtitle?: string | string[];
  width?: number;
}

type Datum = Record<string, unknown>;

/** The waterfall of one or more lanes on a shared time axis, critical path highlighted. */
export function waterfallSpec(lanes: readonly WaterfallLane[], o: WaterfallOptions = {}): TopLevelSpec {
  const theme = themeOf(o.theme);
  const ink = THEME_INK[theme];
  const bars: Datum[] = [];
  const edges: Datum[] = [];
  const heads: Datum[] = [];
  const labels: string[] = [];
  const models = new Set<string>();
  const chains: Array<{ label: string; chain: CriticalChain | null }> = [];
  let row = 0;
  for (const lane of lanes) {
    const chain = criticalChain(lane.bars);
    chains.push({ label: lane.label, chain });
    const onPath = new Set(chain?.tasks ?? []);
    const path = chain ? `${chain.tasks.map((t) => TASKS[t].label.toLowerCase()).join(' → ')} = ${fmtMs(chain.ms)}` : 'no task finished';
    heads.push({
      y: row,
      text: `${lane.label}: ${path}`,
      tip: `${lane.label}: critical path ${path}${lane.basis === 'median' ? ' (from per-task medians)' : ''}`,
    });
    labels[row] = '';
    row++;
    const rowOf = new Map<TaskId, number>();
    const byTask = new Map<TaskId, WaterfallBar>();
    for (const b of lane.bars) byTask.set(b.task, b);
    for (const task of TASK_IDS) {
      rowOf.set(task, row);
      labels[row] = TASKS[task].label;
      const b = byTask.get(task);
      if (!b || b.status === 'skipped') {
        bars.push({
          kind: 'skipped',
          y: row,
          x: 0,
          lane: lane.label,
          task,
          text: b ? 'skipped: a dependency failed' : 'not run',
          tip: `${TASKS[task].label}: ${b ? 'skipped (a dependency failed)' : 'not run'}`,
        });
        row++;
        continue;
      }
      models.add(b.model);
      const critical = onPath.has(task);
      const lat = b.endedMs - b.startedMs;
      const what = lane.basis === 'median' ? `median ${fmtMs(lat)}` : `${fmtMs(b.startedMs)} → ${fmtMs(b.endedMs)} (${fmtMs(lat)})`;
      const tip =
        `${lane.label} · ${TASKS[task].label} · ${b.model} · ${what}` +
        (b.attempts && b.attempts > 1 ? ` · ${b.attempts} attempts` : '') +
        (b.status === 'error' ? ` · failed: ${b.errorCode ?? 'error'}` : '') +
        (critical ? ' · on the critical path' : '');
      bars.push({
        kind: 'bar',
        y: row,
        y0: row - 0.32,
        y1: row + 0.32,
        x: b.startedMs,
        x2: b.endedMs,
        lane: lane.label,
        task,
        model: b.model,
        ticketId: lane.ticketId ?? null,
        callIds: b.callIds ?? [],
        latLo: null,
        critical,
        op: critical ? 1 : 0.45,
        sw: critical ? 1.6 : b.status === 'error' ? 1.4 : 0,
        strokeColor: b.status === 'error' ? ink.error : ink.ink,
        text: `${b.status === 'error' ? `✗ ${b.errorCode ?? 'error'} · ` : ''}${fmtMs(lat)}`,
        tip,
      });
      row++;
    }
    for (const task of TASK_IDS) {
      const t = byTask.get(task);
      if (!t || t.status === 'skipped') continue;
      for (const dep of TASKS[task].dependsOn) {
        const d = byTask.get(dep);
        if (!d || d.status === 'skipped') continue;
        // Solid only for the link that held the dependent up on the critical path (consecutive in the chain).
        const i = chain ? chain.tasks.indexOf(task) : -1;
        const critical = i > 0 && chain!.tasks[i - 1] === dep;
        edges.push({
          x: d.endedMs,
          y: rowOf.get(dep)! + 0.32,
          x2: t.startedMs,
          y2: rowOf.get(task)! - 0.32,
          critical,
          color: critical ? ink.ink : ink.muted,
          width: critical ? 1.4 : 1,
          dash: critical ? [1, 0] : [3, 2],
          tip: `${TASKS[dep].label} → ${TASKS[task].label}${critical ? ' (critical path)' : ''}`,
        });
      }
    }
  }
  const shown = [...models];
  const meta: PlotMeta = {
    kind: 'waterfall',
    models: shown,
    criticalPaths: chains.map((c) => ({ lane: c.label, tasks: c.chain?.tasks ?? [], ms: c.chain?.ms ?? null })),
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: null,
    scale: { domain: [-0.6, row - 0.4], reverse: true, nice: false, zero: false },
    axis: {
      values: labels.map((_, i) => i).filter((i) => labels[i] !== ''),
      labelExpr: `${JSON.stringify(labels)}[datum.value]`,
      grid: false,
      ticks: false,
      domain: false,
    },
  };
  const x = { field: 'x', type: 'quantitative' as const, title: "ms from the ticket's start", scale: { zero: true, nice: true } };
  const tooltip = [{ field: 'tip', type: 'nominal' as const, title: 'task' }];
  const subtitle = o.subtitle ?? [
    'bars: each task from its start to its answer; solid with an outline: the critical path (the chain that decided the time)',
    'lines: dependencies (solid: the one that held the next task up on the critical path)',
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: o.title ?? 'Critical path', subtitle },
    width: o.width ?? 560,
    height: Math.max(60, row * 20),
    layer: [
      {
        data: { values: edges },
        mark: { type: 'rule' },
        encoding: {
          x,
          y: { ...y, field: 'y' },
          x2: { field: 'x2' },
          y2: { field: 'y2' },
          color: { field: 'color', type: 'nominal', scale: null },
          strokeWidth: { field: 'width', type: 'quantitative', scale: null },
          strokeDash: { field: 'dash', type: 'nominal', scale: null },
          tooltip,
          description: { field: 'tip' },
        },
      },
      {
        data: { values: bars },
        layer: [
          {
            transform: [{ filter: "datum.kind === 'bar'" }],
            mark: { type: 'rect', cornerRadius: 2 },
            encoding: {
              x,
              x2: { field: 'x2' },
              y: { ...y, field: 'y0' },
              y2: { field: 'y1' },
              color: {
                field: 'model',
                type: 'nominal',
                scale: modelColorScale(shown, o.allModels ?? shown),
                legend: { orient: 'bottom', title: null, columns: 2, symbolType: 'square', symbolOpacity: 1, symbolStrokeWidth: 0 },
              },
              opacity: { field: 'op', type: 'quantitative', scale: null },
              stroke: { field: 'strokeColor', type: 'nominal', scale: null },
              strokeWidth: { field: 'sw', type: 'quantitative', scale: null },
              tooltip,
              description: { field: 'tip' },
            },
          },
          {
            transform: [{ filter: "datum.kind === 'bar'" }],
            mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 10, color: ink.text },
            encoding: { x: { ...x, field: 'x2' }, y: { ...y, field: 'y' }, text: { field: 'text' } },
          },
          {
            transform: [{ filter: "datum.kind === 'skipped'" }],
            mark: { type: 'text', align: 'left', baseline: 'middle', dx: 2, fontSize: 10, fontStyle: 'italic', color: ink.muted },
            encoding: { x: { value: 0 }, y: { ...y, field: 'y' }, text: { field: 'text' }, tooltip, description: { field: 'tip' } },
          },
        ],
      },
      {
        data: { values: heads },
        mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 11, fontWeight: 600, color: ink.strong },
        encoding: {
          x: { value: 0 },
          y: { ...y, field: 'y' },
          text: { field: 'text' },
          tooltip: [{ field: 'tip', type: 'nominal', title: 'lane' }],
          description: { field: 'tip' },
        },
      },
    ],
    config: themeConfig(theme),
    usermeta: { casebench: meta },
  };
}

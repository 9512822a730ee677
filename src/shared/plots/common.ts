// What the plot builders share: the per-call input, grouping by model (sorted once per points
// array), number formats, and the conventions of the data behind each mark — every datum names
// its model and task and either the calls behind it (callIds / ticketIds) or the latency range it
// stands for, so the workbench can turn a click into the calls (see plotSelection in export.ts).
import { TASKS, type TaskId } from '../tasks.ts';
import { PLOT_THEMES, type PlotTheme } from './theme.ts';

/** One successful call, as the latency plots need it. */
export interface LatencyPoint {
  /** calls.id in the workspace. */
  callId: number;
  ticketId: string;
  task: TaskId;
  /** Model spec, provider:model. */
  model: string;
  latencyMs: number;
  /** Prompt length as the provider counted it; null when it did not say. */
  inputTokens: number | null;
}

/** Raw: every successful call. Filtered: the display filters of contracts §6 (each plot states which). */
export type PlotMode = 'filtered' | 'raw';
export const PLOT_MODES: readonly PlotMode[] = ['filtered', 'raw'];

export interface LatencyPlotOptions {
  task: TaskId;
  /** Models to draw, in this order; default: every model with calls on the task, sorted. */
  models?: readonly string[];
  /** Every model the app shows, for stable colours (palette.ts); default: models. */
  allModels?: readonly string[];
  theme?: PlotTheme;
  /** Default 'filtered'. */
  mode?: PlotMode;
  /** Plot width in px (default 560). */
  width?: number;
}

/** One model's calls on one task, sorted by latency (values[i] is points[i].latencyMs). */
export interface ModelSample {
  model: string;
  points: LatencyPoint[];
  values: Float64Array;
}

const groupCache = new WeakMap<readonly LatencyPoint[], Map<TaskId, Map<string, ModelSample>>>();

/**
 * The calls of a task grouped by model and sorted by latency. Cached per points array (treat it
 * as immutable), so the three or four plots of a task sort 25,000 calls once, not four times.
 */
export function samplesByModel(points: readonly LatencyPoint[], task: TaskId): Map<string, ModelSample> {
  let byTask = groupCache.get(points);
  if (!byTask) groupCache.set(points, (byTask = new Map()));
  const hit = byTask.get(task);
  if (hit) return hit;
  const lists = new Map<string, LatencyPoint[]>();
  for (const p of points) {
    if (p.task !== task || !Number.isFinite(p.latencyMs)) continue;
    let l = lists.get(p.model);
    if (!l) lists.set(p.model, (l = []));
    l.push(p);
  }
  const out = new Map<string, ModelSample>();
  for (const [model, l] of lists) {
    // Ties broken by call id so that the order (and so every index range) is the same everywhere.
    l.sort((a, b) => a.latencyMs - b.latencyMs || a.callId - b.callId);
    const values = new Float64Array(l.length);
    for (let i = 0; i < l.length; i++) values[i] = l[i]!.latencyMs;
    out.set(model, { model, points: l, values });
  }
  byTask.set(task, out);
  return out;
}

/** The models a plot draws: the given order (those with no calls still get a row), else sorted. */
export function plotModels(samples: Map<string, ModelSample>, o: { models?: readonly string[] }): string[] {
  return o.models ? [...o.models] : [...samples.keys()].sort();
}

/** "1,234 ms" (one decimal below 10 ms, where a whole number would hide the differences). */
export function fmtMs(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return `${Math.abs(x) < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US')} ms`;
}

/** "4,812". */
export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

/** The theme, checked (a bad value from a settings file falls back to light). */
export function themeOf(t: PlotTheme | undefined): PlotTheme {
  return t && PLOT_THEMES.includes(t) ? t : 'light';
}

/** Task label for titles. */
export function taskLabel(task: TaskId): string {
  return TASKS[task].label;
}

/** What a plot puts in usermeta.casebench: its kind and the numbers it states, for the UI and for tests. */
export interface PlotMeta {
  kind: 'violin' | 'histogram' | 'ecdf' | 'scatter' | 'waterfall';
  task?: TaskId;
  mode?: PlotMode;
  models: string[];
  [k: string]: unknown;
}

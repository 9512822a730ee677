// The plan (contracts §1, §6): for an assignment of models to tasks, the critical path of a
// ticket; and the recommended assignment — the one with the shortest critical path whose every
// task meets a quality floor. The median comes from per-task medians (the article's formula);
// tail percentiles come from per-ticket critical paths, because p95s do not add up.
import { AppError } from '#shared/errors.ts';
import { TASK_IDS, isTaskId, type TaskId } from '#shared/tasks.ts';
import { criticalPathMs } from '../graph/engine.ts';
import { quantileSorted, sortedSample } from './quantiles.ts';

/** A model per task (model specs as the data names them). */
export type PlanAssignment = Record<TaskId, string>;

/** What the planner knows about one model on one task. */
export interface PlanCell {
  medianMs: number | null;
  /** Agreement with the baseline, or a review score where reviews exist (0…1); null when unknown. */
  quality: number | null;
  /** Mean cost per call × 1000, USD; null when the price is unknown. */
  costPer1kUsd: number | null;
  /** Final success rate (0…1), for the optional success floor. */
  successRate?: number | null;
}

/** Per task, per model spec. */
export type PlanTable = Record<TaskId, Readonly<Record<string, PlanCell>>>;

/** Minimum quality per task (0 = no floor: models of unknown quality qualify too). */
export type Floors = Record<TaskId, number>;

/** One ticket's successful-call latencies: task → model spec → ms. */
export type TicketLatencies = Partial<Record<TaskId, Readonly<Record<string, number>>>>;

export interface PlanOptions {
  /** Models below this final success rate on a task never qualify for it. Default 0 (off). */
  minSuccessRate?: number;
  /** Models never recommended whatever their figures (retired: they can no longer be called). */
  exclude?: ReadonlySet<string>;
  /** Assignments dearer than this (USD per 1K tickets) are never recommended; unknown cost counts as dearer. */
  maxCostPer1kTickets?: number;
}

export interface Recommendation {
  assignment: PlanAssignment;
  medianMs: number;
  costPer1kTicketsUsd: number | null;
}

export type RecommendResult = { ok: true; plan: Recommendation } | { ok: false; reason: string };

/** The floors the floor sweep tries: 0.50, 0.55, …, 0.95. */
export const SWEEP_FLOORS: readonly number[] = Array.from({ length: 10 }, (_, i) => Math.round((0.5 + i * 0.05) * 100) / 100);

/** Default quality floor per task when the user names none. */
export const DEFAULT_FLOOR = 0.8;

/** The same model for every task. */
export function uniformAssignment(model: string): PlanAssignment {
  return Object.fromEntries(TASK_IDS.map((t) => [t, model])) as PlanAssignment;
}

/** Critical-path median of an assignment from per-task medians (contracts §1); null when a task has no median. */
export function planMedianMs(a: Readonly<PlanAssignment>, table: PlanTable): number | null {
  const lat = {} as Record<TaskId, number>;
  for (const t of TASK_IDS) {
    const m = table[t][a[t]]?.medianMs;
    if (m === null || m === undefined) return null;
    lat[t] = m;
  }
  return criticalPathMs(lat);
}

/** Cost of one ticket's five calls × 1000, USD; null when any task's price is unknown. */
export function planCostPer1kTickets(a: Readonly<PlanAssignment>, table: PlanTable): number | null {
  let sum = 0;
  for (const t of TASK_IDS) {
    const c = table[t][a[t]]?.costPer1kUsd;
    if (c === null || c === undefined) return null;
    sum += c;
  }
  return sum;
}

/**
 * The p-quantile of per-ticket critical paths for an assignment, over the tickets where all five
 * assigned calls succeeded (n says how many).
 */
export function planTicketQuantile(
  a: Readonly<PlanAssignment>,
  tickets: Iterable<TicketLatencies>,
  p: number,
): { ms: number | null; n: number } {
  const paths: number[] = [];
  const lat = {} as Record<TaskId, number>;
  outer: for (const tk of tickets) {
    for (const t of TASK_IDS) {
      const v = tk[t]?.[a[t]];
      if (v === undefined) continue outer;
      lat[t] = v;
    }
    paths.push(criticalPathMs(lat));
  }
  const s = sortedSample(paths);
  return { ms: quantileSorted(s, p), n: s.length };
}

function qualifies(cell: PlanCell | undefined, floor: number, o: PlanOptions): cell is PlanCell & { medianMs: number } {
  if (!cell || cell.medianMs === null) return false;
  const minSuccess = o.minSuccessRate ?? 0;
  if (minSuccess > 0 && !(cell.successRate != null && cell.successRate >= minSuccess - 1e-12)) return false;
  if (floor <= 0) return true;
  return cell.quality !== null && cell.quality >= floor - 1e-12;
}

/** Tasks of an assignment whose model is below its floor (or has no latency data). */
export function belowFloor(a: Readonly<PlanAssignment>, table: PlanTable, floors: Floors, o: PlanOptions = {}): TaskId[] {
  return TASK_IDS.filter((t) => !qualifies(table[t][a[t]], floors[t], o));
}

/**
 * The assignment with the shortest critical-path median whose every task meets its floor. Ties
 * (a faster model on a task off the critical path changes nothing) go to the lower cost per 1K
 * tickets (unknown cost last), then the lower sum of medians, then model names, so the answer is
 * deterministic.
 */
export function recommend(table: PlanTable, floors: Floors, o: PlanOptions = {}): RecommendResult {
  const cands = {} as Record<TaskId, Array<{ model: string; ms: number; cost: number }>>;
  for (const t of TASK_IDS) {
    cands[t] = Object.entries(table[t])
      .filter(([model, c]) => !o.exclude?.has(model) && qualifies(c, floors[t], o))
      .map(([model, c]) => ({ model, ms: c.medianMs!, cost: c.costPer1kUsd ?? Number.POSITIVE_INFINITY }))
      .sort((x, y) => (x.model < y.model ? -1 : x.model > y.model ? 1 : 0));
    if (cands[t].length === 0) {
      const retired = Object.keys(table[t]).filter((m) => o.exclude?.has(m));
      return {
        ok: false,
        reason: `no model reaches the floor ${floors[t]} for ${t}${retired.length ? ` (retired, never recommended: ${retired.join(', ')})` : ''}`,
      };
    }
  }
  let best: { path: number; cost: number; sum: number; pick: Record<TaskId, string> } | null = null;
  const cap = o.maxCostPer1kTickets;
  const better = (path: number, cost: number, sum: number): boolean => {
    if (best === null) return true;
    if (path !== best.path) return path < best.path;
    if (Math.abs(cost - best.cost) > 1e-9 * Math.max(1, Math.abs(cost))) return cost < best.cost;
    return sum < best.sum;
  };
  for (const p of cands.platform)
    for (const pr of cands.product)
      for (const td of cands.technical_details)
        for (const a of cands.asset_ids)
          for (const s of cands.severity) {
            const path = Math.max(p.ms + pr.ms + td.ms, p.ms + a.ms, s.ms);
            const cost = p.cost + pr.cost + td.cost + a.cost + s.cost;
            const sum = p.ms + pr.ms + td.ms + a.ms + s.ms;
            if (cap !== undefined && !(cost <= cap + 1e-9 * Math.max(1, cap))) continue;
            // Candidates are in name order, so the first of equals wins: deterministic.
            if (better(path, cost, sum)) {
              best = {
                path,
                cost,
                sum,
                pick: { platform: p.model, product: pr.model, technical_details: td.model, asset_ids: a.model, severity: s.model },
              };
            }
          }
  const b = best as { path: number; cost: number; pick: Record<TaskId, string> } | null;
  if (b === null) return { ok: false, reason: `no assignment that meets the floors costs at most $${cap} per 1K tickets` };
  return { ok: true, plan: { assignment: b.pick, medianMs: b.path, costPer1kTicketsUsd: Number.isFinite(b.cost) ? b.cost : null } };
}

/** The recommendation under one uniform floor per value of `floors` (how the answer moves with the floor). */
export function floorSweep(
  table: PlanTable,
  floors: readonly number[] = SWEEP_FLOORS,
  o: PlanOptions = {},
): Array<{ floor: number; result: RecommendResult }> {
  return floors.map((f) => ({ floor: f, result: recommend(table, uniformFloors(f), o) }));
}

/** The same floor for every task. */
export function uniformFloors(f: number): Floors {
  return Object.fromEntries(TASK_IDS.map((t) => [t, f])) as Floors;
}

/** Parses `0.8`, `platform=0.9,severity=0.8` or `0.7,platform=0.9` (unnamed tasks get the bare number, else the default). */
export function parseFloors(spec: string | undefined, fallback: number = DEFAULT_FLOOR): Floors {
  const out = uniformFloors(fallback);
  if (spec === undefined || spec.trim() === '') return out;
  const value = (s: string, where: string): number => {
    const n = Number(s.trim());
    if (s.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
      throw new AppError('BAD_INPUT', `--floor ${where}: "${s.trim()}" is not a number from 0 to 1`);
    return n;
  };
  const named = new Set<TaskId>();
  for (const part of spec.split(',')) {
    const p = part.trim();
    if (p === '') throw new AppError('BAD_INPUT', `--floor "${spec}": empty entry`);
    const eq = p.indexOf('=');
    if (eq < 0) {
      const f = value(p, 'default');
      for (const t of TASK_IDS) if (!named.has(t)) out[t] = f;
      continue;
    }
    const task = p.slice(0, eq).trim();
    if (!isTaskId(task)) throw new AppError('BAD_INPUT', `--floor: unknown task "${task}" (tasks: ${TASK_IDS.join(', ')})`);
    out[task] = value(p.slice(eq + 1), task);
    named.add(task);
  }
  return out;
}

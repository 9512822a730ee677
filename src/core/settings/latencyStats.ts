// Median latency per model and task, for the predicted critical path in Settings: recorded
// successful calls first; where a model has none, the seed article's measurement (the demo's
// latency profiles, for the demo model and the real model it simulates).
import type { LatencyEntry } from '#shared/routes.ts';
import { isTaskId, TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { ModelsRegistry } from '../models.ts';
import type { LatencyProfiles } from '../providers/demoProvider.ts';
import type { Store } from '../store/store.ts';

export type LatencyTable = Record<string, Partial<Record<TaskId, LatencyEntry>>>;

/** Most recent successful calls per model and task taken into a median. */
export const RECENT_PER_CELL = 500;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Medians of recorded successful results, per model spec and task. */
export function recordedLatencies(store: Store): LatencyTable {
  const rows = store
    .prepare(
      `SELECT model_spec, task, latency_ms FROM (
         SELECT model_spec, task, latency_ms,
           row_number() OVER (PARTITION BY model_spec, task ORDER BY recorded_at DESC) AS k
         FROM results WHERE status = 'ok' AND latency_ms IS NOT NULL AND latency_ms > 0
       ) WHERE k <= ${RECENT_PER_CELL}`,
    )
    .all() as Array<{ model_spec: string; task: string; latency_ms: number }>;
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    if (!isTaskId(r.task)) continue;
    const key = `${r.model_spec}\u0000${r.task}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(Number(r.latency_ms));
  }
  const out: LatencyTable = {};
  for (const [key, xs] of groups) {
    const [spec, task] = key.split('\u0000') as [string, TaskId];
    (out[spec] ??= {})[task] = { medianMs: Math.round(median(xs) * 10) / 10, n: xs.length, source: 'recorded' };
  }
  return out;
}

/** The article's medians for demo models and the real models they simulate (scaled by the demo speed for demo models). */
export function articleLatencies(profiles: LatencyProfiles, models: ModelsRegistry, demoSpeed = 1): LatencyTable {
  const out: LatencyTable = {};
  for (const [name, p] of Object.entries(profiles.models)) {
    const demoSpec = `demo:${name}`;
    const entry = (scale: number): Partial<Record<TaskId, LatencyEntry>> =>
      Object.fromEntries(TASK_IDS.map((t) => [t, { medianMs: Math.round(p.tasks[t].medianMs * scale), n: 0, source: 'article' as const }]));
    out[demoSpec] = entry(demoSpeed);
    const real = models.byId.get(demoSpec)?.simulates;
    if (real) out[real] = entry(1);
  }
  return out;
}

/** Recorded medians where there are some, the article's elsewhere. */
export function latencyTable(recorded: LatencyTable, article: LatencyTable): LatencyTable {
  const out: LatencyTable = {};
  for (const spec of new Set([...Object.keys(article), ...Object.keys(recorded)])) {
    out[spec] = { ...(article[spec] ?? {}), ...(recorded[spec] ?? {}) };
  }
  return out;
}

// The shadow set of a workspace: per task, the candidate models that answer every incoming ticket
// beside production, with the rate, concurrency and spend limits they run within. Kept in the
// workspace's settings table (key "shadow.set") so `casebench shadow …` and the workbench on the
// same database see the same set; the workbench re-reads it for every ticket.
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS, TASKS, isTaskId, type TaskId } from '#shared/tasks.ts';
import { findModel, parseModelSpec, retiredInfo, type ModelsRegistry } from '../models.ts';
import type { Store } from '../store/store.ts';

export interface ShadowSet {
  /** Candidate model specs per task (provider:model), in the order they were added. */
  candidates: Record<TaskId, string[]>;
  /** Shadow calls per minute, over every candidate together. */
  rpm: number;
  /** Shadow calls in flight at once, over every candidate together. */
  concurrency: number;
  /**
   * USD per local day the shadow set may spend; null = no limit of its own. (The workspace's daily
   * limit, where one is set, applies to shadow calls too.)
   */
  spendLimitUsd: number | null;
  /** Shadow calls waiting at most; beyond it the newest tickets are not shadowed (counted as dropped). */
  maxBacklog: number;
}

export const SHADOW_DEFAULTS: Readonly<Omit<ShadowSet, 'candidates'>> = Object.freeze({
  rpm: 60,
  concurrency: 4,
  spendLimitUsd: 1,
  maxBacklog: 500,
});

export const SHADOW_LIMITS = { rpm: [1, 10_000], concurrency: [1, 64], maxBacklog: [1, 100_000] } as const;

const KEY = 'shadow.set';

const emptyCandidates = (): Record<TaskId, string[]> =>
  Object.fromEntries(TASK_IDS.map((t) => [t, [] as string[]])) as Record<TaskId, string[]>;

const stored = z
  .object({
    candidates: z.record(z.string(), z.array(z.string())).catch({}),
    rpm: z.number().int().min(SHADOW_LIMITS.rpm[0]).max(SHADOW_LIMITS.rpm[1]).catch(SHADOW_DEFAULTS.rpm),
    concurrency: z.number().int().min(SHADOW_LIMITS.concurrency[0]).max(SHADOW_LIMITS.concurrency[1]).catch(SHADOW_DEFAULTS.concurrency),
    spendLimitUsd: z.number().finite().nonnegative().nullable().catch(SHADOW_DEFAULTS.spendLimitUsd),
    maxBacklog: z.number().int().min(SHADOW_LIMITS.maxBacklog[0]).max(SHADOW_LIMITS.maxBacklog[1]).catch(SHADOW_DEFAULTS.maxBacklog),
  })
  .partial();

/** The saved set (no candidates and the defaults when none was saved; unreadable fields fall back). */
export function loadShadowSet(store: Store): ShadowSet {
  const r = store.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value?: unknown } | undefined;
  let raw: unknown = {};
  if (r && typeof r.value === 'string') {
    try {
      raw = JSON.parse(r.value);
    } catch {
      raw = {};
    }
  }
  const p = stored.safeParse(raw);
  const v = p.success ? p.data : {};
  const candidates = emptyCandidates();
  for (const [task, specs] of Object.entries(v.candidates ?? {})) if (isTaskId(task)) candidates[task] = [...new Set(specs)];
  return {
    candidates,
    rpm: v.rpm ?? SHADOW_DEFAULTS.rpm,
    concurrency: v.concurrency ?? SHADOW_DEFAULTS.concurrency,
    spendLimitUsd: v.spendLimitUsd === undefined ? SHADOW_DEFAULTS.spendLimitUsd : v.spendLimitUsd,
    maxBacklog: v.maxBacklog ?? SHADOW_DEFAULTS.maxBacklog,
  };
}

export function saveShadowSet(store: Store, set: ShadowSet): void {
  store
    .prepare(
      'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    .run(KEY, JSON.stringify(set), Date.now());
}

/** Every candidate as (task, spec) pairs, task order first. */
export function shadowPairs(set: ShadowSet): Array<{ task: TaskId; spec: string }> {
  return TASK_IDS.flatMap((task) => set.candidates[task].map((spec) => ({ task, spec })));
}

export const hasCandidates = (set: ShadowSet): boolean => TASK_IDS.some((t) => set.candidates[t].length > 0);

/** Reads "product", "technical_details", "technical details", "all" into tasks; BAD_INPUT naming the choices otherwise. */
export function parseShadowTasks(text: string): TaskId[] {
  const words = text
    .split(',')
    .map((w) =>
      w
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_'),
    )
    .filter(Boolean);
  if (words.length === 0) throw new AppError('BAD_INPUT', `name a task: ${TASK_IDS.join(', ')} or all`);
  const out = new Set<TaskId>();
  for (const w of words) {
    if (w === 'all') TASK_IDS.forEach((t) => out.add(t));
    else if (isTaskId(w)) out.add(w);
    else throw new AppError('BAD_INPUT', `unknown task "${w}" (tasks: ${TASK_IDS.join(', ')}, or all)`);
  }
  return [...out];
}

/** The canonical spec of a model that can shadow: known (or on an OpenAI-compatible endpoint) and not shut down. */
export function checkCandidate(spec: string, registry: ModelsRegistry, today?: string): string {
  const { provider, model } = parseModelSpec(spec);
  const canon = `${provider}:${model}`;
  if (provider !== 'openai-compatible' && !findModel(canon, registry)) {
    const same = registry.models.filter((m) => m.provider === provider && m.status !== 'retired').map((m) => m.model);
    throw new AppError(
      'BAD_INPUT',
      `unknown model ${canon}: not in resources/models.json (${provider} models: ${same.join(', ') || 'none'}); other endpoints: openai-compatible:<model>`,
    );
  }
  const retired = retiredInfo(provider, model, today, registry);
  if (retired)
    throw new AppError(
      'MODEL_RETIRED',
      `${canon} was shut down on ${retired.retiredOn}${retired.replacement ? `; use ${retired.replacement} instead` : ''}`,
    );
  return canon;
}

/** Adds a candidate to tasks; returns the new set and what changed (already present ones are said, not an error). */
export function addCandidate(
  set: ShadowSet,
  tasks: readonly TaskId[],
  spec: string,
  registry: ModelsRegistry,
  today?: string,
): { set: ShadowSet; spec: string; added: TaskId[]; already: TaskId[] } {
  const canon = checkCandidate(spec, registry, today);
  const candidates = { ...set.candidates };
  const added: TaskId[] = [];
  const already: TaskId[] = [];
  for (const t of tasks) {
    if (candidates[t].includes(canon)) already.push(t);
    else {
      candidates[t] = [...candidates[t], canon];
      added.push(t);
    }
  }
  return { set: { ...set, candidates }, spec: canon, added, already };
}

/** Removes a candidate from tasks (every task when none is named); BAD_INPUT when it shadows none of them. */
export function removeCandidate(set: ShadowSet, tasks: readonly TaskId[] | null, spec: string): { set: ShadowSet; removed: TaskId[] } {
  let canon: string;
  try {
    const { provider, model } = parseModelSpec(spec);
    canon = `${provider}:${model}`;
  } catch (e) {
    throw new AppError('BAD_INPUT', (e as Error).message);
  }
  const candidates = { ...set.candidates };
  const removed: TaskId[] = [];
  for (const t of tasks ?? TASK_IDS) {
    if (!candidates[t].includes(canon)) continue;
    candidates[t] = candidates[t].filter((s) => s !== canon);
    removed.push(t);
  }
  if (removed.length === 0) {
    const where = tasks ? ` on ${tasks.map((t) => TASKS[t].label.toLowerCase()).join(', ')}` : '';
    throw new AppError('BAD_INPUT', `${canon} is not shadowing${where} (see casebench shadow list)`);
  }
  return { set: { ...set, candidates }, removed };
}

/** Validates and applies limit changes (rpm, concurrency, spend limit, backlog). */
export function withLimits(
  set: ShadowSet,
  patch: Partial<Pick<ShadowSet, 'rpm' | 'concurrency' | 'spendLimitUsd' | 'maxBacklog'>>,
): ShadowSet {
  const intIn = (name: string, v: number, [lo, hi]: readonly [number, number]): number => {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new AppError('BAD_INPUT', `${name} must be a whole number from ${lo} to ${hi} (got ${v})`);
    return v;
  };
  const next = { ...set };
  if (patch.rpm !== undefined) next.rpm = intIn('shadow rpm', patch.rpm, SHADOW_LIMITS.rpm);
  if (patch.concurrency !== undefined) next.concurrency = intIn('shadow concurrency', patch.concurrency, SHADOW_LIMITS.concurrency);
  if (patch.maxBacklog !== undefined) next.maxBacklog = intIn('shadow backlog', patch.maxBacklog, SHADOW_LIMITS.maxBacklog);
  if (patch.spendLimitUsd !== undefined) {
    const v = patch.spendLimitUsd;
    if (v !== null && !(Number.isFinite(v) && v >= 0))
      throw new AppError('BAD_INPUT', `a shadow spend limit is USD per day, 0 or more (got ${v})`);
    next.spendLimitUsd = v;
  }
  return next;
}

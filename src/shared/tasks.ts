// The five extraction tasks, declared once as data (contracts.md §1–§2).
// Everything else (graph scheduling, prompts, UI cards, reports) derives from this registry.

export const TASK_IDS = ['platform', 'product', 'technical_details', 'asset_ids', 'severity'] as const;
export type TaskId = (typeof TASK_IDS)[number];

export const SEVERITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Normalised values kept per task (contracts.md §2). */
export interface TaskValues {
  platform: string | null;
  product: string | null;
  technical_details: { present: string[]; missing: string[] };
  asset_ids: string[];
  severity: Severity;
}
export type TaskValue = TaskValues[TaskId];

export interface TaskDecl {
  id: TaskId;
  label: string;
  question: string;
  dependsOn: readonly TaskId[];
  /** JSON Schema sent as response_format.json_schema.schema (strict-mode compatible). */
  jsonSchema: Record<string, unknown>;
}

const str = { type: 'string' };
const strArr = { type: 'array', items: str };

export const TASKS: Record<TaskId, TaskDecl> = {
  platform: {
    id: 'platform',
    label: 'Platform',
    question: 'Which cloud/vendor platform has the problem?',
    dependsOn: [],
    jsonSchema: {
      type: 'object',
      properties: { platform: { type: ['string', 'null'], description: 'aws | gcp | azure | other:<vendor> | null' } },
      required: ['platform'],
      additionalProperties: false,
    },
  },
  product: {
    id: 'product',
    label: 'Product',
    question: 'Which service of that platform?',
    dependsOn: ['platform'],
    jsonSchema: {
      type: 'object',
      properties: { product: { type: ['string', 'null'] } },
      required: ['product'],
      additionalProperties: false,
    },
  },
  technical_details: {
    id: 'technical_details',
    label: 'Technical details',
    question: 'Which technical details does the ticket carry, and which does an engineer still need?',
    dependsOn: ['platform', 'product'],
    jsonSchema: {
      type: 'object',
      properties: { present: strArr, missing: strArr },
      required: ['present', 'missing'],
      additionalProperties: false,
    },
  },
  asset_ids: {
    id: 'asset_ids',
    label: 'Asset ids',
    question: 'Which project/account/subscription/resource identifiers does it name?',
    dependsOn: ['platform'],
    jsonSchema: {
      type: 'object',
      properties: { asset_ids: strArr },
      required: ['asset_ids'],
      additionalProperties: false,
    },
  },
  severity: {
    id: 'severity',
    label: 'Severity',
    question: 'How urgent is it?',
    dependsOn: [],
    jsonSchema: {
      type: 'object',
      properties: { severity: { type: 'string', enum: [...SEVERITIES] } },
      required: ['severity'],
      additionalProperties: false,
    },
  },
};

export function isTaskId(s: string): s is TaskId {
  return (TASK_IDS as readonly string[]).includes(s);
}

/**
 * The graph's chains, derived from `dependsOn`: every path from a task with no dependency to a task
 * nothing depends on, leaving out a path whose tasks all lie on a longer one (platform →
 * technical_details is inside platform → product → technical_details). Ordered by their last
 * task's place in TASK_IDS. Today: platform → product → technical_details, platform → asset_ids,
 * severity.
 */
export const TASK_CHAINS: readonly (readonly TaskId[])[] = (() => {
  const paths: TaskId[][] = [];
  const walk = (t: TaskId, tail: TaskId[]): void => {
    const deps = TASKS[t].dependsOn;
    if (deps.length === 0) paths.push([t, ...tail]);
    for (const d of deps) walk(d, [t, ...tail]);
  };
  const sinks = TASK_IDS.filter((t) => !TASK_IDS.some((u) => TASKS[u].dependsOn.includes(t)));
  for (const s of sinks) walk(s, []);
  return paths.filter((p, i) => !paths.some((q, j) => j !== i && q.length > p.length && p.every((t) => q.includes(t))));
})();

/** The chain that sets a ticket's total for these per-task latencies (the first of equals), and that total. */
export function longestChain(lat: Record<TaskId, number>): { ms: number; path: readonly TaskId[] } {
  let best: { ms: number; path: readonly TaskId[] } | null = null;
  for (const chain of TASK_CHAINS) {
    const ms = chain.reduce((s, t) => s + lat[t], 0);
    if (!best || ms > best.ms) best = { ms, path: chain };
  }
  return best!;
}

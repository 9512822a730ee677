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

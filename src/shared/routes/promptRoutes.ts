// Routes of prompt versions (issue 17 §3): each task's prompt versions (shipped files and versions
// saved in the workspace), checking and saving an edit as a new version, a line diff of two
// versions, promoting one (after the few-shot leak check) and rolling back to the one before.
// Merged into the route contract by src/shared/routes.ts; handlers in src/core/handlers/promptHandlers.ts.
import { PROMPT_MAX_CHARS } from '../limits.ts';
import { z } from 'zod';
import { TASK_IDS, type TaskId } from '../tasks.ts';

const task = z.enum(TASK_IDS);
const version = z.string().regex(/^v\d{1,6}$/, 'expected v<number>');
const spec = z.string().trim().min(3).max(200);
export { PROMPT_MAX_CHARS };
const template = z.string().max(PROMPT_MAX_CHARS, `a prompt holds at most ${PROMPT_MAX_CHARS.toLocaleString('en-US')} characters`);

export const promptRouteInputs = {
  /** Every task's versions, the active one (for every model and per model), history and the model each task runs on. */
  'prompts.list': z.object({}).optional(),
  /** What is wrong with a template as typed (the same rules as shipped files) and the example ids that could leak. */
  'prompts.check': z.object({ task, template }),
  /** Saves the template as the task's next version (never changes an existing one). */
  'prompts.save': z.object({
    task,
    template,
    parentVersion: version.optional(),
    modelScope: spec.nullable().optional(),
    note: z.string().max(500).optional(),
  }),
  'prompts.diff': z.object({ task, from: version, to: version }),
  /** Runs the few-shot leak check of a version on a model (default: the model the task runs on). */
  'prompts.leakCheck': z.object({ task, version, model: spec.optional() }),
  /** Makes a version active (for every model, or for `scope` only) once it passes the leak check. */
  'prompts.promote': z.object({ task, version, scope: spec.nullable().optional(), note: z.string().max(500).optional() }),
  /** Returns to the version active before the last promotion (for every model, or for `scope`). */
  'prompts.rollback': z.object({ task, scope: spec.nullable().optional() }),
} satisfies Record<string, z.ZodType>;

export interface PromptProblemView {
  line: number | null;
  message: string;
}

export interface PromptVersionView {
  task: TaskId;
  version: string;
  source: 'shipped' | 'workspace';
  template: string;
  hash: string;
  modelScope: string | null;
  parentVersion: string | null;
  author: string | null;
  note: string | null;
  createdAt: number | null;
  /** Recorded calls made with this version (every run). */
  calls: number;
}

export interface PromotionView {
  id: number;
  task: TaskId;
  scope: string | null;
  action: 'promote' | 'rollback';
  version: string;
  fromVersion: string;
  note: string | null;
  at: number;
}

export interface PromptTaskView {
  task: TaskId;
  /** Active for every model. */
  active: string;
  /** The model the workbench's assignment runs this task on, and the version it uses. */
  model: string;
  modelActive: string;
  shippedDefault: string;
  versions: PromptVersionView[];
  /** Models with a version of their own. */
  scoped: Array<{ scope: string; version: string; canRollback: boolean }>;
  canRollback: boolean;
  /** Newest first. */
  history: PromotionView[];
  /** Whether promoting a version of this task runs the few-shot leak check. */
  leakChecked: boolean;
}

export interface LeakProbeView {
  task: TaskId;
  version: string;
  model: string;
  passed: boolean;
  probes: number;
  findings: Array<{ ticketId: string; ticket: string; leaked: string[]; answer: unknown }>;
  failed: Array<{ ticketId: string; code: string; message: string }>;
  costUsd: number;
  message: string;
  /** The run its probe calls are recorded under. */
  runId: string;
}

export interface PromptRouteOutputs {
  'prompts.list': { tasks: PromptTaskView[] };
  'prompts.check': { problems: PromptProblemView[]; exampleIds: Array<{ id: string; line: number }>; hash: string; sameAs: string | null };
  'prompts.save': PromptVersionView;
  'prompts.diff': {
    task: TaskId;
    from: string;
    to: string;
    lines: Array<{ op: 'same' | 'add' | 'del'; text: string; oldLine: number | null; newLine: number | null }>;
    added: number;
    removed: number;
  };
  'prompts.leakCheck': LeakProbeView;
  'prompts.promote': { promotion: PromotionView; check: LeakProbeView | null };
  'prompts.rollback': { promotion: PromotionView };
}

/** A version was saved, promoted or rolled back (any window): refresh the Prompts view. */
export type PromptEvent = { type: 'prompts.changed'; task: TaskId };

// Route handlers of prompt versions (src/shared/routes/promptRoutes.ts). The workspace's prompt
// library (core/prompts/promptLibrary.ts) becomes the runtime's prompt source here, so live
// triage, batches and experiments of this process use the active version from the next call on.
// Promoting a version of a leak-checked task (asset ids) first runs the few-shot leak probe on the
// model that would use it; a leak refuses the promotion with the id, the ticket and the model.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { AppError } from '#shared/errors.ts';
import type { LeakProbeView, PromptRouteOutputs, PromptTaskView, PromptVersionView, PromotionView } from '#shared/routes/promptRoutes.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { callRecordOf } from '../experiments/batchRun.ts';
import { promptHash } from '../graph/prompts.ts';
import { exampleIds, LEAK_CHECKED_TASKS, runLeakProbe } from '../prompts/leakCheck.ts';
import { lineDiff } from '../prompts/lineDiff.ts';
import { PromptLibrary, withoutPromptVariant, type PromotionRow, type PromptVersion } from '../prompts/promptLibrary.ts';
import type { Runtime } from '../runtime.ts';
import type { Store } from '../store/store.ts';
import type { HandlerContext } from './context.ts';

type Handlers = { [R in keyof PromptRouteOutputs]: (input: never) => Promise<PromptRouteOutputs[R]> };

/** Who saved a version: the OS account (the workbench has no sign-in). */
export function localAuthor(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

/** Makes the workspace's prompt versions the runtime's prompt source; returns the library. */
export function useWorkspacePrompts(rt: Runtime, store: Store, resourcesDir?: string): PromptLibrary {
  const library = new PromptLibrary(store, resourcesDir);
  rt.usePrompts((task, spec) => library.resolve(task, spec));
  return library;
}

export const versionView = (v: PromptVersion, calls: Record<string, number>): PromptVersionView => ({
  task: v.task,
  version: v.version,
  source: v.source,
  template: v.template,
  hash: v.hash,
  modelScope: v.modelScope,
  parentVersion: v.parentVersion,
  author: v.author,
  note: v.note,
  createdAt: v.createdAt,
  calls: calls[v.version] ?? 0,
});

export const promotionView = (p: PromotionRow): PromotionView => ({ ...p });

/** Runs the leak probe of a version on a model, its calls recorded under a run of kind 'prompt-check'. */
export async function leakCheck(o: {
  library: PromptLibrary;
  rt: Runtime;
  store: Store;
  task: TaskId;
  version: string;
  model: string;
  signal?: AbortSignal;
}): Promise<LeakProbeView> {
  const v = o.library.get(o.task, o.version);
  const model = withoutPromptVariant(o.model);
  const runId = `prompt-check-${randomUUID()}`;
  o.store.createRun({
    id: runId,
    kind: 'prompt-check',
    label: `leak check: ${o.task} ${o.version} on ${model}`,
    assignment: { [o.task]: model },
    config: { task: o.task, version: o.version, model },
  });
  try {
    const r = await runLeakProbe({
      deps: o.rt.deps,
      task: o.task,
      version: o.version,
      template: v.template,
      model,
      signal: o.signal,
      onAttempt: (a) => o.store.insertCall(callRecordOf(runId, a)),
    });
    return { ...r, runId };
  } finally {
    o.store.setRunStatus(runId, 'done');
  }
}

export function promptHandlers(ctx: HandlerContext, d: { resourcesDir?: string }): Handlers {
  const library = useWorkspacePrompts(ctx.runtime(), ctx.store, d.resourcesDir);
  const ac = new AbortController();
  ctx.onClose(() => ac.abort());
  const changed = (task: TaskId): void => {
    if (!ctx.closed()) ctx.emit({ type: 'prompts.changed', task });
  };
  const modelOf = (task: TaskId): string => withoutPromptVariant(ctx.currentAssignment()[task]);

  const taskView = (task: TaskId): PromptTaskView => {
    const calls = library.callCounts(task);
    const model = modelOf(task);
    const canRollback = library.canRollback(task, null);
    return {
      task,
      active: library.active(task, null),
      model,
      modelActive: library.active(task, model),
      shippedDefault: library.shippedDefault(task),
      versions: library.versions(task).map((v) => versionView(v, calls)),
      scoped: library
        .scopes(task)
        .map((scope) => ({ scope, version: library.active(task, scope), canRollback: library.canRollback(task, scope) })),
      canRollback,
      history: library.history(task).map(promotionView),
      leakChecked: LEAK_CHECKED_TASKS.includes(task),
    };
  };

  return {
    'prompts.list': async () => ({ tasks: TASK_IDS.map(taskView) }),
    'prompts.check': async (input: { task: TaskId; template: string }) => {
      const template = input.template.replace(/\r\n/g, '\n').trim();
      const hash = promptHash(template);
      return {
        problems: library.problems(input.task, template),
        exampleIds: exampleIds(template),
        hash,
        sameAs: library.versions(input.task).find((v) => v.hash === hash)?.version ?? null,
      };
    },
    'prompts.save': async (input: {
      task: TaskId;
      template: string;
      parentVersion?: string;
      modelScope?: string | null;
      note?: string;
    }) => {
      // A key pasted into a prompt would be sent with every call and stored: refused, without echoing it.
      if (ctx.runtime().scrubber.scrub(input.template) !== input.template) {
        throw new AppError('BAD_INPUT', 'the prompt contains one of your API keys; remove it before saving');
      }
      const v = library.save({ ...input, author: localAuthor() });
      changed(input.task);
      return versionView(v, library.callCounts(input.task));
    },
    'prompts.diff': async (input: { task: TaskId; from: string; to: string }) => {
      const a = library.get(input.task, input.from);
      const b = library.get(input.task, input.to);
      const lines = lineDiff(a.template, b.template);
      return {
        task: input.task,
        from: a.version,
        to: b.version,
        lines,
        added: lines.filter((l) => l.op === 'add').length,
        removed: lines.filter((l) => l.op === 'del').length,
      };
    },
    'prompts.leakCheck': async (input: { task: TaskId; version: string; model?: string }) =>
      leakCheck({
        library,
        rt: ctx.runtime(),
        store: ctx.store,
        task: input.task,
        version: input.version,
        model: input.model ?? modelOf(input.task),
        signal: ac.signal,
      }),
    'prompts.promote': async (input: { task: TaskId; version: string; scope?: string | null; note?: string }) => {
      library.get(input.task, input.version);
      if (library.ownActive(input.task, input.scope ?? null) === input.version) {
        throw new AppError('BAD_INPUT', `${input.task} ${input.version} is already active${input.scope ? ` for ${input.scope}` : ''}`);
      }
      let check: LeakProbeView | null = null;
      if (LEAK_CHECKED_TASKS.includes(input.task)) {
        check = await leakCheck({
          library,
          rt: ctx.runtime(),
          store: ctx.store,
          task: input.task,
          version: input.version,
          model: input.scope ?? modelOf(input.task),
          signal: ac.signal,
        });
        if (!check.passed) throw new AppError('BAD_INPUT', `not promoted: ${check.message}`);
      }
      const promotion = library.promote(input.task, input.version, { scope: input.scope ?? null, note: input.note ?? null });
      changed(input.task);
      ctx.notice(
        'info',
        `${input.task} prompt ${promotion.version} is active${promotion.scope ? ` for ${promotion.scope}` : ''} (was ${promotion.fromVersion})`,
      );
      return { promotion: promotionView(promotion), check };
    },
    'prompts.rollback': async (input: { task: TaskId; scope?: string | null }) => {
      const promotion = library.rollback(input.task, { scope: input.scope ?? null });
      changed(input.task);
      ctx.notice(
        'info',
        `${input.task} prompt rolled back to ${promotion.version}${promotion.scope ? ` for ${promotion.scope}` : ''} (was ${promotion.fromVersion})`,
      );
      return { promotion: promotionView(promotion) };
    },
  };
}

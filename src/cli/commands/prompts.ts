// `casebench prompts`: the workspace's prompt versions from the command line — list them (active
// marked), show one, diff two, save a file as the next version, run the few-shot leak check,
// promote (after that check, for asset ids) and roll back. `run`, `experiment` and
// `triage` (unless `--no-record`) use the active versions; an experiment compares versions with model specs
// carrying a prompt variant (`--models groq:m,groq:m@asset_ids=v2`).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { PROMPT_MAX_CHARS } from '#shared/limits.ts';
import { readSmallText } from '#core/smallFile.ts';
import { DEFAULT_ASSIGNMENT } from '#core/assignment.ts';
import { leakCheck, localAuthor, useWorkspacePrompts } from '#core/handlers/promptHandlers.ts';
import { LEAK_CHECKED_TASKS } from '#core/prompts/leakCheck.ts';
import { formatDiff, lineDiff } from '#core/prompts/lineDiff.ts';
import { taskArg, type PromptLibrary } from '#core/prompts/promptLibrary.ts';
import { loadSettings } from '#core/settings/settingsStore.ts';
import { openStore, type Store } from '#core/store/store.ts';
import { cliRuntime } from '../context.ts';
import { useSpendLimit } from '../spend.ts';
import { onStop } from '../stop.ts';

const out = (s: string): void => void process.stdout.write(`${s}\n`);
const err = (s: string): void => void process.stderr.write(`${s}\n`);

interface DbFlag {
  db: string;
}

/**
 * Opens the workspace (created when missing only for commands that write). A command that only
 * reads, given no database, reads the shipped versions from an empty in-memory workspace: the first
 * thing a user does is look at the prompt they mean to edit, and that creates no file.
 */
function withLibrary<T>(db: string, create: boolean, fn: (lib: PromptLibrary, store: Store) => T | Promise<T>): Promise<T> {
  const shippedOnly = !create && !existsSync(db);
  if (shippedOnly && db !== './casebench.db')
    throw new AppError('BAD_INPUT', `no database at ${db} (give --db, or run \`casebench run\` first)`);
  return (async () => {
    const rt = await cliRuntime();
    const store = openStore(shippedOnly ? ':memory:' : db, { scrubber: rt.scrubber });
    try {
      const lib = useWorkspacePrompts(rt, store);
      return await fn(lib, store);
    } finally {
      store.close();
    }
  })();
}

/** The model a task runs on in this workspace: its settings' assignment, else the default. */
function workspaceModel(store: Store, task: (typeof TASK_IDS)[number]): string {
  return loadSettings(store).assignment?.[task] ?? DEFAULT_ASSIGNMENT[task];
}

const when = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

/** Adds `casebench prompts` to the program. */
export function registerPrompts(program: Command): void {
  const cmd = program
    .command('prompts')
    .description("prompt versions: list, show, diff, save, leak-check, promote and roll back (the workspace's active versions)");
  const db = (c: Command): Command => c.option('--db <path>', 'workspace database', './casebench.db');

  db(
    cmd
      .command('list')
      .description("every task's versions; * marks the active one")
      .option('--task <task>', 'one task only')
      .option('--json', 'as JSON'),
  ).action((o: DbFlag & { task?: string; json?: boolean }) =>
    withLibrary(o.db, false, (lib) => {
      const tasks = o.task ? [taskArg(o.task)] : [...TASK_IDS];
      const rows = tasks.map((task) => {
        const calls = lib.callCounts(task);
        return {
          task,
          active: lib.active(task),
          scoped: lib.scopes(task).map((s) => ({ model: s, version: lib.active(task, s) })),
          versions: lib.versions(task).map((v) => ({
            version: v.version,
            source: v.source,
            hash: v.hash,
            parent: v.parentVersion,
            author: v.author,
            note: v.note,
            createdAt: v.createdAt,
            calls: calls[v.version] ?? 0,
          })),
        };
      });
      if (o.json) return out(JSON.stringify({ tasks: rows }, null, 2));
      for (const r of rows) {
        out(`${r.task}${r.scoped.length ? `  (per model: ${r.scoped.map((s) => `${s.model} → ${s.version}`).join(', ')})` : ''}`);
        for (const v of r.versions) {
          out(
            `  ${v.version === r.active ? '*' : ' '} ${v.version.padEnd(4)} ${v.source.padEnd(9)} ${when(v.createdAt).padEnd(16)} ${String(v.calls).padStart(7)} calls  ${v.hash}${v.parent ? `  from ${v.parent}` : ''}${v.author ? `  by ${v.author}` : ''}${v.note ? `  — ${v.note}` : ''}`,
          );
        }
      }
    }),
  );

  db(cmd.command('show <task> [version]').description("print a version's template (default: the active one)")).action(
    (task: string, version: string | undefined, o: DbFlag) =>
      withLibrary(o.db, false, (lib) => {
        const t = taskArg(task);
        out(lib.get(t, version ?? lib.active(t)).template);
      }),
  );

  db(cmd.command('diff <task> <from> <to>').description('line diff between two versions (- removed, + added)')).action(
    (task: string, from: string, to: string, o: DbFlag) =>
      withLibrary(o.db, false, (lib) => {
        const t = taskArg(task);
        const [a, b] = [lib.get(t, from).template, lib.get(t, to).template]; // both exist before anything is printed
        out(`--- ${t} ${from}\n+++ ${t} ${to}`);
        out(formatDiff(lineDiff(a, b)));
      }),
  );

  db(
    cmd
      .command('save <task> <file>')
      .description("save a template file (- = stdin) as the task's next version; checked like shipped prompts")
      .option('--from <version>', 'the version it was edited from')
      .option('--model <provider:model>', 'written for this model (informational; promote --model makes it active for it)')
      .option('--note <text>', 'what changed'),
  ).action((task: string, file: string, o: DbFlag & { from?: string; model?: string; note?: string }) =>
    withLibrary(o.db, true, (lib) => {
      // UTF-8 takes at most 4 bytes a character: anything longer than that is over the limit anyway.
      const template = readSmallText(file === '-' ? 0 : file, 'prompt file', PROMPT_MAX_CHARS * 4);
      const v = lib.save({
        task: taskArg(task),
        template,
        parentVersion: o.from ?? null,
        modelScope: o.model ?? null,
        note: o.note ?? null,
        author: localAuthor(),
      });
      out(`saved ${v.task} ${v.version} (${v.hash}); make it active with: casebench prompts promote ${v.task} ${v.version}`);
    }),
  );

  const probe = async (lib: PromptLibrary, store: Store, task: string, version: string, model?: string) => {
    const t = taskArg(task);
    const rt = await cliRuntime();
    useSpendLimit(rt, store);
    rt.usePrompts((x, s) => lib.resolve(x, s));
    const ac = new AbortController();
    const off = onStop(() => ac.abort());
    try {
      const m = model ?? workspaceModel(store, t);
      err(`casebench prompts: few-shot leak check of ${t} ${version} on ${m} (4 calls)`);
      return await leakCheck({ library: lib, rt, store, task: t, version, model: m, signal: ac.signal });
    } finally {
      off();
    }
  };

  db(
    cmd
      .command('check <task> <version>')
      .description('run the few-shot leak check of a version (asset ids) on a model, without promoting')
      .option('--model <provider:model>', "the model to check on (default: the workspace's model for the task)"),
  ).action((task: string, version: string, o: DbFlag & { model?: string }) =>
    withLibrary(o.db, false, async (lib, store) => {
      const r = await probe(lib, store, task, version, o.model);
      out(r.message);
      if (!r.passed) process.exitCode = 1;
    }),
  );

  db(
    cmd
      .command('promote <task> <version>')
      .description('make a version active (asset-id versions must pass the few-shot leak check first)')
      .option('--model <provider:model>', 'for this model only (default: every model)')
      .option('--note <text>', 'why'),
  ).action((task: string, version: string, o: DbFlag & { model?: string; note?: string }) =>
    withLibrary(o.db, false, async (lib, store) => {
      const t = taskArg(task);
      lib.get(t, version);
      if (lib.ownActive(t, o.model ?? null) === version)
        throw new AppError('BAD_INPUT', `${t} ${version} is already active${o.model ? ` for ${o.model}` : ''}`);
      if (LEAK_CHECKED_TASKS.includes(t)) {
        const r = await probe(lib, store, t, version, o.model);
        if (!r.passed) throw new AppError('BAD_INPUT', `not promoted: ${r.message}`);
        err(r.message);
      }
      const p = lib.promote(t, version, { scope: o.model ?? null, note: o.note ?? null });
      out(
        `${t} ${p.version} is active${p.scope ? ` for ${p.scope}` : ''} (was ${p.fromVersion}); undo with: casebench prompts rollback ${t}${p.scope ? ` --model ${p.scope}` : ''}`,
      );
    }),
  );

  db(
    cmd
      .command('rollback <task>')
      .description('return to the version active before the last promotion')
      .option('--model <provider:model>', "the model's own version (default: the one for every model)"),
  ).action((task: string, o: DbFlag & { model?: string }) =>
    withLibrary(o.db, false, (lib) => {
      const t = taskArg(task);
      const p = lib.rollback(t, { scope: o.model ?? null });
      out(`${t} rolled back to ${p.version}${p.scope ? ` for ${p.scope}` : ''} (was ${p.fromVersion})`);
    }),
  );
}

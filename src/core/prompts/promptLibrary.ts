// Prompt versions in a workspace (issue 17 §3): the shipped files under resources/prompts (read-only)
// plus versions saved in the workbench (prompt_versions, migration 16), and which one is active per
// task — for every model, or for one model — as a log of promotions and rollbacks (prompt_promotions).
// The runtime asks `resolve(task, spec)` before every call; a model spec may carry a prompt variant
// (`groq:openai/gpt-oss-20b@asset_ids=v3`), which an experiment uses to run a candidate version
// beside the active one on the same model.
import { AppError } from '#shared/errors.ts';
import { isTaskId, TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { loadShippedPrompts, promptHash, promptProblems, type PromptTemplate } from '../graph/prompts.ts';
import type { Store } from '../store/store.ts';

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);

/** A version of a task's prompt, shipped or saved in this workspace. */
export interface PromptVersion extends PromptTemplate {
  source: 'shipped' | 'workspace';
  /** provider:model it was written for, or null (any model). */
  modelScope: string | null;
  parentVersion: string | null;
  author: string | null;
  note: string | null;
  /** Epoch ms it was saved; null for shipped files. */
  createdAt: number | null;
}

/** One promotion or rollback. */
export interface PromotionRow {
  id: number;
  task: TaskId;
  /** provider:model, or null: every model. */
  scope: string | null;
  action: 'promote' | 'rollback';
  version: string;
  fromVersion: string;
  note: string | null;
  at: number;
}

/** `provider:model@task=vN`: a model spec that runs `task` with prompt version vN. */
const VARIANT = /@([a-z_]+)=(v\d+)$/;

/** Splits a prompt variant off a model spec (null when it has none). */
export function promptVariant(spec: string): { base: string; task: TaskId; version: string } | null {
  const m = VARIANT.exec(spec.trim());
  if (!m || !isTaskId(m[1] ?? '')) return null;
  return { base: spec.trim().slice(0, m.index), task: m[1] as TaskId, version: m[2]! };
}

/** The model spec without its prompt variant. */
export function withoutPromptVariant(spec: string): string {
  return promptVariant(spec)?.base ?? spec;
}

/** The spec an experiment uses to run `task` with `version` on `spec`'s model. */
export function variantSpec(spec: string, task: TaskId, version: string): string {
  return `${withoutPromptVariant(spec)}@${task}=${version}`;
}

const vNum = (v: string): number => Number(v.slice(1));
const scopeKey = (scope: string | null | undefined): string => (scope ? withoutPromptVariant(scope) : '');

export class PromptLibrary {
  private readonly shipped: Record<TaskId, PromptTemplate[]>;
  private readonly store: Store;
  /** resolve() answers per (task, spec), valid while the database is unchanged (every call asks). */
  private readonly cache = new Map<string, PromptTemplate>();
  private seen: { dataVersion: number; own: number } = { dataVersion: -1, own: -1 };
  /** Bumped by this library's own writes (PRAGMA data_version only counts other connections'). */
  private writes = 0;

  constructor(store: Store, resourcesDir?: string) {
    this.store = store;
    this.shipped = loadShippedPrompts(resourcesDir);
  }

  /** Drops cached answers when this or another process (a CLI promote) changed the workspace. */
  private fresh(): void {
    const dataVersion = Number((this.store.prepare('PRAGMA data_version').get() as Row).data_version);
    if (dataVersion !== this.seen.dataVersion || this.writes !== this.seen.own) {
      this.cache.clear();
      this.seen = { dataVersion, own: this.writes };
    }
  }

  /** Every version of a task, oldest first (shipped, then saved). */
  versions(task: TaskId): PromptVersion[] {
    const out = new Map<string, PromptVersion>();
    for (const p of this.shipped[task]) {
      out.set(p.version, { ...p, source: 'shipped', modelScope: null, parentVersion: null, author: null, note: null, createdAt: null });
    }
    // A saved version of the same number as a shipped one (a later release shipped it) wins: it is what calls recorded.
    const rows = this.store.prepare('SELECT * FROM prompt_versions WHERE task = ?').all(task) as Row[];
    for (const r of rows) out.set(String(r.version), this.fromRow(r));
    return [...out.values()].sort((a, b) => vNum(a.version) - vNum(b.version));
  }

  private fromRow(r: Row): PromptVersion {
    const task = String(r.task) as TaskId;
    return {
      task,
      version: String(r.version),
      template: String(r.template),
      hash: String(r.hash),
      file: `workspace:${task}/${String(r.version)}`,
      source: 'workspace',
      modelScope: str(r.model_scope),
      parentVersion: str(r.parent_version),
      author: str(r.author),
      note: str(r.note),
      createdAt: num(r.created_at),
    };
  }

  /** One version; BAD_INPUT naming the versions there are when it does not exist. */
  get(task: TaskId, version: string): PromptVersion {
    const all = this.versions(task);
    const v = all.find((x) => x.version === version);
    if (!v) throw new AppError('BAD_INPUT', `no ${task} prompt ${version} (have ${all.map((x) => x.version).join(', ')})`);
    return v;
  }

  /** The newest shipped version: active when nothing was promoted. */
  shippedDefault(task: TaskId): string {
    const s = this.shipped[task].at(-1);
    if (!s) throw new AppError('BAD_INPUT', `no shipped prompt for task "${task}"`);
    return s.version;
  }

  private lastRow(task: TaskId, scope: string): { version: string; stack: string[] } | null {
    const r = this.store
      .prepare('SELECT version, stack FROM prompt_promotions WHERE task = ? AND model_scope = ? ORDER BY id DESC LIMIT 1')
      .get(task, scope) as Row | undefined;
    if (!r) return null;
    let stack: string[] = [];
    try {
      const s = JSON.parse(String(r.stack)) as unknown;
      if (Array.isArray(s)) stack = s.map(String);
    } catch {
      stack = [];
    }
    return { version: String(r.version), stack };
  }

  /**
   * The version promoted for exactly this scope: a version, or null when the scope follows the task's
   * default (for a model: whatever is active for every model; for every model: the newest shipped).
   */
  ownActive(task: TaskId, scope?: string | null): string | null {
    const v = this.lastRow(task, scopeKey(scope))?.version ?? '';
    return v === '' ? null : v;
  }

  /** The version a call of `task` on `spec` uses (spec null: the version for every model). */
  active(task: TaskId, spec?: string | null): string {
    const key = scopeKey(spec);
    return (key ? this.ownActive(task, key) : null) ?? this.ownActive(task, null) ?? this.shippedDefault(task);
  }

  /** The prompt a call uses: a variant's version for its task, else the active one. */
  resolve(task: TaskId, spec?: string | null): PromptTemplate {
    this.fresh();
    const key = `${task}\u0000${spec ?? ''}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const variant = spec ? promptVariant(spec) : null;
    const t = variant && variant.task === task ? this.get(task, variant.version) : this.get(task, this.active(task, spec));
    this.cache.set(key, t);
    return t;
  }

  /** Checks a template as shipped files are checked; the problems (empty: valid). */
  problems(task: TaskId, template: string): ReturnType<typeof promptProblems> {
    return promptProblems(task, template);
  }

  /** Saves a new version (the next number); refuses an invalid or unchanged template with the reason. */
  save(input: {
    task: TaskId;
    template: string;
    parentVersion?: string | null;
    modelScope?: string | null;
    author?: string | null;
    note?: string | null;
    now?: number;
  }): PromptVersion {
    const template = input.template.replace(/\r\n/g, '\n').trim();
    const problems = promptProblems(input.task, template);
    if (problems.length) {
      throw new AppError(
        'BAD_INPUT',
        `the ${input.task} prompt is not valid: ${problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message)).join('; ')}`,
      );
    }
    const all = this.versions(input.task);
    const hash = promptHash(template);
    const same = all.find((v) => v.hash === hash);
    if (same) throw new AppError('BAD_INPUT', `nothing changed: this text is ${input.task} ${same.version} already`);
    if (input.parentVersion && !all.some((v) => v.version === input.parentVersion)) {
      throw new AppError('BAD_INPUT', `no ${input.task} prompt ${input.parentVersion} to base a version on`);
    }
    const version = `v${Math.max(0, ...all.map((v) => vNum(v.version))) + 1}`;
    const scope = input.modelScope ? withoutPromptVariant(input.modelScope.trim()) : null;
    this.store
      .prepare(`INSERT INTO prompt_versions (task, version, model_scope, template, hash, parent_version, author, note, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        input.task,
        version,
        scope,
        template,
        hash,
        input.parentVersion ?? null,
        input.author ?? null,
        input.note?.trim() || null,
        input.now ?? Date.now(),
      );
    this.writes++;
    return this.get(input.task, version);
  }

  /** Makes `version` active for the scope (every model when absent); the one it replaces is kept for rollback. */
  promote(task: TaskId, version: string, opts: { scope?: string | null; note?: string | null; now?: number } = {}): PromotionRow {
    this.get(task, version);
    const key = scopeKey(opts.scope);
    const last = this.lastRow(task, key);
    const current = last?.version ?? '';
    if (current === version) {
      throw new AppError('BAD_INPUT', `${task} ${version} is already active${key ? ` for ${key}` : ''}`);
    }
    const stack = [...(last?.stack ?? []), current];
    return this.write(task, key, 'promote', version, current, stack, opts.note ?? null, opts.now);
  }

  /** Returns the scope to the version active before the last promotion; BAD_INPUT when there is none. */
  rollback(task: TaskId, opts: { scope?: string | null; note?: string | null; now?: number } = {}): PromotionRow {
    const key = scopeKey(opts.scope);
    const last = this.lastRow(task, key);
    if (!last || last.stack.length === 0) {
      throw new AppError(
        'BAD_INPUT',
        `nothing to roll back: ${task}${key ? ` for ${key}` : ''} uses ${this.active(task, key || null)}, and no promotion came before it`,
      );
    }
    const stack = last.stack.slice(0, -1);
    return this.write(task, key, 'rollback', last.stack.at(-1)!, last.version, stack, opts.note ?? null, opts.now);
  }

  private write(
    task: TaskId,
    key: string,
    action: 'promote' | 'rollback',
    version: string,
    from: string,
    stack: string[],
    note: string | null,
    now?: number,
  ): PromotionRow {
    const at = now ?? Date.now();
    const r = this.store
      .prepare(
        `INSERT INTO prompt_promotions (task, model_scope, action, version, from_version, stack, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      )
      .get(task, key, action, version, from, JSON.stringify(stack), note, at) as Row;
    this.writes++;
    return {
      id: num(r.id),
      task,
      scope: key || null,
      action,
      version: this.shown(task, key, version),
      fromVersion: this.shown(task, key, from),
      note,
      at,
    };
  }

  /** '' in the log means "the default": the version that is, as a version name. */
  private shown(task: TaskId, key: string, v: string): string {
    if (v !== '') return v;
    return key ? (this.ownActive(task, null) ?? this.shippedDefault(task)) : this.shippedDefault(task);
  }

  /** Promotions and rollbacks of a task, newest first (every scope). */
  history(task: TaskId, limit = 50): PromotionRow[] {
    const rows = this.store.prepare('SELECT * FROM prompt_promotions WHERE task = ? ORDER BY id DESC LIMIT ?').all(task, limit) as Row[];
    return rows.map((r) => {
      const key = String(r.model_scope);
      return {
        id: num(r.id),
        task,
        scope: key || null,
        action: String(r.action) === 'rollback' ? 'rollback' : 'promote',
        version: this.shown(task, key, String(r.version)),
        fromVersion: this.shown(task, key, String(r.from_version)),
        note: str(r.note),
        at: num(r.at),
      };
    });
  }

  /** Scopes (models) with a promotion of their own for a task. */
  scopes(task: TaskId): string[] {
    const rows = this.store
      .prepare(`SELECT DISTINCT model_scope FROM prompt_promotions WHERE task = ? AND model_scope <> '' ORDER BY model_scope`)
      .all(task) as Row[];
    return rows.map((r) => String(r.model_scope)).filter((s) => this.ownActive(task, s) !== null);
  }

  /** Whether a rollback is possible for the scope now. */
  canRollback(task: TaskId, scope?: string | null): boolean {
    return (this.lastRow(task, scopeKey(scope))?.stack.length ?? 0) > 0;
  }

  /** Recorded calls per version of a task (every run). */
  callCounts(task: TaskId): Record<string, number> {
    const rows = this.store
      .prepare('SELECT prompt_version AS v, count(*) AS n FROM calls WHERE task = ? GROUP BY prompt_version')
      .all(task) as Row[];
    return Object.fromEntries(rows.filter((r) => typeof r.v === 'string').map((r) => [String(r.v), num(r.n)]));
  }
}

/** Checks a task name from outside (routes validate it already; the CLI does not). */
export function taskArg(t: string): TaskId {
  if (!isTaskId(t)) throw new AppError('BAD_INPUT', `unknown task "${t}" (tasks: ${TASK_IDS.join(', ')})`);
  return t;
}

// Prompt versions: saving (validated like shipped files, numbered after them, never changed),
// promotion and rollback as a stack (undoable), per-model scopes, prompt variants on model specs,
// the line diff, and the few-shot leak check — statically and against the fake provider server,
// through the real core: a leaky version is refused with the id it leaked, the shipped one passes,
// and a promoted version is what the next triage's calls record.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeKey } from '#test/fakes/keys.ts';
import { startFakeServer, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { leakyAnswer } from '#test/fakes/leakyModel.ts';
import type { RouteName, RouteOutputs } from '#shared/routes.ts';
import { createCoreServices, type CoreServices } from '../app.ts';
import { loadShippedPrompts } from '../graph/prompts.ts';
import { parseModelSpec } from '../models.ts';
import { openStore, type Store } from '../store/store.ts';
import { exampleIds, leakedIds } from './leakCheck.ts';
import { formatDiff, lineDiff } from './lineDiff.ts';
import { PromptLibrary, promptVariant, variantSpec } from './promptLibrary.ts';

const KEY = fakeKey('groq', 'prompts');

const dir = (): string => mkdtempSync(join(tmpdir(), 'cb-prompts-'));
const v1 = loadShippedPrompts().asset_ids[0]!.template;
/** The article's leaky few-shot prompt: a real-looking example id and no rule against copying it. */
const leaky = v1
  .replace(/^The examples below are illustrations only\..*$/m, '')
  .replace(/example-bucket-a1/g, 'my-bucket-123')
  .replace(/example-proj-a1/g, 'my-project-123');

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});
const library = (): PromptLibrary => {
  const s = openStore(join(dir(), 'cb.db'));
  stores.push(s);
  return new PromptLibrary(s);
};

describe('prompt library', () => {
  it('numbers saved versions after the shipped ones and never saves an invalid or unchanged text', () => {
    const lib = library();
    expect(lib.versions('asset_ids').map((v) => [v.version, v.source])).toEqual([['v1', 'shipped']]);
    expect(() => lib.save({ task: 'asset_ids', template: v1 })).toThrow(/nothing changed: this text is asset_ids v1 already/);
    expect(() => lib.save({ task: 'asset_ids', template: v1.replace('Task: asset_ids', 'Task: severity') })).toThrow(
      /must contain the line "Task: asset_ids"/,
    );
    expect(() => lib.save({ task: 'asset_ids', template: `${v1}\n{{platfrom}}` })).toThrow(
      /line \d+: unknown placeholder \{\{platfrom\}\}/,
    );
    expect(() => lib.save({ task: 'asset_ids', template: `${v1}\n<example_ticket>\nx\n</example_ticket>` })).toThrow(
      /needs one <example_answer>/,
    );
    const v2 = lib.save({
      task: 'asset_ids',
      template: `${v1}\n- Prefer full resource paths.`,
      parentVersion: 'v1',
      author: 'ana',
      note: 'paths',
    });
    expect([v2.version, v2.source, v2.parentVersion, v2.author, v2.note]).toEqual(['v2', 'workspace', 'v1', 'ana', 'paths']);
    expect(lib.save({ task: 'asset_ids', template: `${v1}\n- Another rule.` }).version).toBe('v3');
    // Saving does not make a version active.
    expect(lib.active('asset_ids')).toBe('v1');
  });

  it('promotes and rolls back as a stack: rollback returns to the version before, twice in a row goes further back', () => {
    const lib = library();
    lib.save({ task: 'severity', template: `${loadShippedPrompts().severity[0]!.template}\n- v2 rule` });
    lib.save({ task: 'severity', template: `${loadShippedPrompts().severity[0]!.template}\n- v3 rule` });
    expect(lib.canRollback('severity')).toBe(false);
    expect(() => lib.rollback('severity')).toThrow(/nothing to roll back: severity uses v1/);
    expect(lib.promote('severity', 'v2')).toMatchObject({ action: 'promote', version: 'v2', fromVersion: 'v1' });
    expect(lib.promote('severity', 'v3')).toMatchObject({ version: 'v3', fromVersion: 'v2' });
    expect(() => lib.promote('severity', 'v3')).toThrow(/already active/);
    expect(lib.rollback('severity')).toMatchObject({ action: 'rollback', version: 'v2', fromVersion: 'v3' });
    expect(lib.active('severity')).toBe('v2');
    expect(lib.rollback('severity')).toMatchObject({ version: 'v1', fromVersion: 'v2' });
    expect(lib.canRollback('severity')).toBe(false);
    // Undo of a rollback is promoting the version again.
    lib.promote('severity', 'v2');
    expect(lib.active('severity')).toBe('v2');
    expect(lib.history('severity').map((h) => `${h.action} ${h.fromVersion}→${h.version}`)).toEqual([
      'promote v1→v2',
      'rollback v2→v1',
      'rollback v3→v2',
      'promote v2→v3',
      'promote v1→v2',
    ]);
    expect(() => lib.promote('severity', 'v9')).toThrow(/no severity prompt v9 \(have v1, v2, v3\)/);
  });

  it('a model may have its own version; others follow the task default; variants pick a version for one task', () => {
    const lib = library();
    lib.save({ task: 'asset_ids', template: `${v1}\n- v2 rule` });
    lib.promote('asset_ids', 'v2', { scope: 'groq:fast' });
    expect(lib.active('asset_ids', 'groq:fast')).toBe('v2');
    expect(lib.active('asset_ids', 'groq:other')).toBe('v1');
    expect(lib.active('asset_ids')).toBe('v1');
    expect(lib.scopes('asset_ids')).toEqual(['groq:fast']);
    expect(lib.resolve('asset_ids', 'groq:other@asset_ids=v2').version).toBe('v2');
    expect(lib.resolve('platform', 'groq:other@asset_ids=v2').version).toBe('v1');
    lib.rollback('asset_ids', { scope: 'groq:fast' });
    expect(lib.active('asset_ids', 'groq:fast')).toBe('v1');
    expect(lib.scopes('asset_ids')).toEqual([]);
    expect(promptVariant('groq:openai/gpt-oss-20b@asset_ids=v3')).toEqual({
      base: 'groq:openai/gpt-oss-20b',
      task: 'asset_ids',
      version: 'v3',
    });
    expect(variantSpec('groq:m@asset_ids=v2', 'asset_ids', 'v4')).toBe('groq:m@asset_ids=v4');
    expect(parseModelSpec('groq:openai/gpt-oss-20b@asset_ids=v3')).toEqual({ provider: 'groq', model: 'openai/gpt-oss-20b' });
  });
});

describe('prompt library across processes', () => {
  it('a promotion written by another connection (the CLI while the workbench runs) is used from the next call on', () => {
    const db = join(dir(), 'cb.db');
    const a = openStore(db);
    const b = openStore(db);
    stores.push(a, b);
    const workbench = new PromptLibrary(a);
    const cli = new PromptLibrary(b);
    expect(workbench.resolve('asset_ids', 'groq:m').version).toBe('v1');
    cli.save({ task: 'asset_ids', template: `${v1}\n- from the CLI` });
    cli.promote('asset_ids', 'v2');
    expect(workbench.resolve('asset_ids', 'groq:m').version).toBe('v2');
    cli.rollback('asset_ids');
    expect(workbench.resolve('asset_ids', 'groq:m').version).toBe('v1');
  });
});

describe('line diff', () => {
  it('keeps common lines and marks removals and additions in reading order', () => {
    const d = lineDiff('a\nb\nc\nd', 'a\nc\nx\nd');
    expect(formatDiff(d)).toBe('  a\n- b\n  c\n+ x\n  d');
    expect(d.find((l) => l.op === 'add')).toMatchObject({ text: 'x', oldLine: null, newLine: 3 });
    // A changed line reads as its removal, then its addition.
    expect(formatDiff(lineDiff('a\nold\nz', 'a\nnew\nz'))).toBe('  a\n- old\n+ new\n  z');
    expect(lineDiff('', 'a')).toEqual([{ op: 'add', text: 'a', oldLine: null, newLine: 1 }]);
    expect(lineDiff('same\ntext', 'same\ntext').every((l) => l.op === 'same')).toBe(true);
  });
});

describe('few-shot leak check (static)', () => {
  it('lists the ids of example answers with their lines, and flags answer ids found in the prompt but not the ticket', () => {
    expect(exampleIds(v1).map((e) => e.id)).toEqual(['example-bucket-a1', 'example-proj-a1']);
    expect(exampleIds(leaky).map((e) => e.id)).toEqual(['my-bucket-123', 'my-project-123']);
    expect(exampleIds(leaky)[0]!.line).toBe(leaky.split('\n').findIndex((l) => l.includes('"my-bucket-123"')) + 1);
    expect(leakedIds({ asset_ids: ['my-project-123', 'shop-prod-4411'] }, 'project shop-prod-4411 is down', leaky)).toEqual([
      'my-project-123',
    ]);
    expect(leakedIds({ asset_ids: ['my-project-123'] }, 'my-project-123 is down', leaky)).toEqual([]);
  });
});

describe('prompt versions through the core (fake providers)', () => {
  let fake: FakeServer;
  let core: CoreServices;
  const dbPath = join(dir(), 'cb.db');
  beforeAll(async () => {
    fake = await startFakeServer({ latencyMs: 2, answer: leakyAnswer });
    core = await createCoreServices({
      dbPath,
      secretStore: null,
      env: { GROQ_API_KEY: KEY, GROQ_BASE_URL: fake.groqBaseURL },
    });
  });
  afterAll(async () => {
    await core?.close();
    await fake?.close();
  });
  const call = async <R extends RouteName>(route: R, input: unknown): Promise<RouteOutputs[R]> => {
    const r = await core.request(route, input);
    if (!r.ok) throw new Error(`${route}: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  const refusal = async (route: RouteName, input: unknown): Promise<string> => {
    const r = await core.request(route, input);
    if (r.ok) throw new Error(`${route} was not refused`);
    return `${r.error.code}: ${r.error.message}`;
  };

  it('refuses to promote a leaky asset-id version on a copying model, says which id leaked; the shipped one passes', async () => {
    await call('settings.set', { assignment: { asset_ids: 'groq:fake-leaky-1' } });
    const shipped = await call('prompts.leakCheck', { task: 'asset_ids', version: 'v1' });
    expect(shipped).toMatchObject({ passed: true, model: 'groq:fake-leaky-1', probes: 4, findings: [] });
    const check = await call('prompts.check', { task: 'asset_ids', template: leaky });
    expect(check.problems).toEqual([]);
    expect(check.exampleIds.map((e) => e.id)).toContain('my-project-123');
    const v2 = await call('prompts.save', { task: 'asset_ids', template: leaky, parentVersion: 'v1' });
    expect(v2.version).toBe('v2');
    const before = fake.stats.total;
    const why = await refusal('prompts.promote', { task: 'asset_ids', version: 'v2' });
    expect(why).toMatch(
      /^BAD_INPUT: not promoted: asset_ids v2 leaks its examples: on a ticket that names no such id, groq:fake-leaky-1 answered "my-bucket-123", "my-project-123", which is only in the prompt/,
    );
    expect(fake.stats.total - before).toBe(4);
    const list = await call('prompts.list', {});
    expect(list.tasks.find((t) => t.task === 'asset_ids')).toMatchObject({ active: 'v1', canRollback: false });
    // The probe calls are recorded (they cost money) under a prompt-check run, not in the runs list.
    expect(list.tasks.find((t) => t.task === 'asset_ids')!.versions.find((v) => v.version === 'v2')!.calls).toBe(4);
    expect((await call('runs.list', {})).some((r) => r.id.startsWith('prompt-check-'))).toBe(false);
  });

  it('a promoted version is what the next triage uses and records; rollback returns to the one before', async () => {
    await call('settings.set', { assignment: { asset_ids: 'groq:openai/gpt-oss-120b' } });
    const guarded = `${v1}\n- Never guess an identifier.`;
    const v = await call('prompts.save', { task: 'asset_ids', template: guarded, parentVersion: 'v1' });
    const diff = await call('prompts.diff', { task: 'asset_ids', from: 'v1', to: v.version });
    expect([diff.added, diff.removed]).toEqual([1, 0]);
    const promoted = await call('prompts.promote', { task: 'asset_ids', version: v.version });
    expect(promoted.check?.passed).toBe(true);
    expect(promoted.promotion).toMatchObject({ version: v.version, fromVersion: 'v1' });
    const triage = async (): Promise<string> => {
      const { ticketId, runId } = await call('triage.start', {
        text: 'Cloud SQL instance orders-db-eu1 in project shop-prod-4411 restarts every night since Monday.',
      });
      for (let i = 0; i < 500; i++) {
        const d = await call('tickets.get', { ticketId, runId });
        const r = d.results.find((x) => x.task === 'asset_ids');
        if (d.state === 'done' && r) {
          expect(r.status).toBe('ok');
          // The call record says the same (reports group calls by it).
          const db = new DatabaseSync(dbPath, { readOnly: true });
          const recorded = db
            .prepare(`SELECT prompt_version AS v FROM calls WHERE run_id = ? AND task = 'asset_ids'`)
            .all(runId)
            .map((x) => x.v);
          db.close();
          expect(recorded).toEqual([r.promptVersion]);
          return r.promptVersion;
        }
        await new Promise((res) => setTimeout(res, 20));
      }
      throw new Error('triage did not finish');
    };
    expect(await triage()).toBe(v.version);
    const back = await call('prompts.rollback', { task: 'asset_ids' });
    expect(back.promotion).toMatchObject({ action: 'rollback', version: 'v1', fromVersion: v.version });
    expect(await triage()).toBe('v1');
    expect(await refusal('prompts.rollback', { task: 'asset_ids' })).toMatch(/nothing to roll back/);
  });

  it('refuses a prompt holding an API key without storing or echoing it', async () => {
    const why = await refusal('prompts.save', {
      task: 'severity',
      template: `${loadShippedPrompts().severity[0]!.template}\nkey ${KEY}`,
    });
    expect(why).toBe('BAD_INPUT: the prompt contains one of your API keys; remove it before saving');
  });
});

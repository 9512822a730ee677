// `casebench shadow` as a user runs it: the set is edited in the workspace the workbench reads, bad
// input is refused with the reason (exit 2), and a live experiment recorded by the workbench is
// listed with its agreement and reported by `casebench report --run` against production per task.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { createCoreServices } from '#core/app.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { fakeCliEnv, runCli, tempDir } from './helpers.ts';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 10 });
});
afterAll(async () => fake?.close());

const G20 = 'groq:openai/gpt-oss-20b';
const G120 = 'groq:openai/gpt-oss-120b';

describe('casebench shadow', () => {
  it('adds, lists and removes candidates; refuses unknown models and tasks', async () => {
    const db = join(tempDir(), 'cb.db');
    const env = fakeCliEnv(fake);
    const add = await runCli(['shadow', 'add', G120, '--task', 'product,severity', '--db', db], env);
    expect(add.code).toBe(0);
    expect(add.stdout).toBe(`${G120} now shadows product, severity\n`);
    const bad = await runCli(['shadow', 'add', 'groq:nope', '--task', 'product', '--db', db], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^casebench: unknown model groq:nope: not in resources\/models.json/);
    const badTask = await runCli(['shadow', 'add', G120, '--task', 'prodct', '--db', db], env);
    expect(badTask.code).toBe(2);
    expect(badTask.stderr).toMatch(/unknown task "prodct"/);
    const limits = await runCli(['shadow', 'limits', '--spend-limit', '0.5', '--rpm', '30', '--db', db], env);
    expect(limits.stdout).toBe('rpm 30 · concurrency 4 · spend limit $0.50 a day · backlog 500\n');
    const rm = await runCli(['shadow', 'remove', G120, '--task', 'severity', '--db', db], env);
    expect(rm.stdout).toBe(`${G120} no longer shadows severity\n`);
    const list = JSON.parse((await runCli(['shadow', 'list', '--json', '--db', db], env)).stdout);
    expect(list.candidates.map((c: { task: string; model: string }) => `${c.task} ${c.model}`)).toEqual([`product ${G120}`]);
    expect(list.limits).toEqual({ rpm: 30, concurrency: 4, spend_limit_usd: 0.5, max_backlog: 500 });
  });

  it('lists the live experiment the workbench recorded, and report --run reads it against production', async () => {
    const db = join(tempDir(), 'cb.db');
    const env = fakeCliEnv(fake);
    expect((await runCli(['shadow', 'add', G120, '--task', 'product', '--db', db], env)).code).toBe(0);
    expect((await runCli(['shadow', 'limits', '--rpm', '10000', '--db', db], env)).code).toBe(0);
    const keys = new Map([['groq', env.GROQ_API_KEY!]]);
    const core = await createCoreServices({
      dbPath: db,
      env: { GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
      secretStore: { get: async (p) => keys.get(p) ?? null, set: async () => undefined, delete: async () => false },
    });
    try {
      await core.request('settings.set', { assignment: Object.fromEntries(TASK_IDS.map((t) => [t, G20])) });
      for (const text of [
        'Our GKE cluster gke-prod-eu-1 stopped scheduling pods after the upgrade.',
        'S3 bucket logs-7 in 123456789012 returns AccessDenied since 09:00.',
      ]) {
        const r = await core.request('triage.start', { text });
        expect(r.ok).toBe(true);
      }
      for (let i = 0; i < 500; i++) {
        const s = await core.request('shadow.status', {});
        if (s.ok && s.data.candidates[0]!.answered === 2) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await core.close();
    }
    const list = JSON.parse((await runCli(['shadow', 'list', '--json', '--db', db], env)).stdout);
    expect(list.candidates[0]).toMatchObject({ task: 'product', model: G120, production: G20, answered: 2, n_compared: 2 });
    const runId = list.live_run.id as string;
    const rep = await runCli(['report', '--run', runId, '--format', 'json', '--db', db], env);
    expect(rep.code).toBe(0);
    const report = JSON.parse(rep.stdout);
    expect(report.run.kind).toBe('shadow');
    expect(report.baseline_by_task.product).toBe(G20);
    expect(report.tasks.product[G120].n_compared).toBe(2);
    expect(report.tasks.product[G20].median_ms).not.toBeNull();
    const md = await runCli(['report', '--run', runId, '--db', db], env);
    expect(md.stdout).toContain(`baseline production (platform \`${G20}\``);
  });
});

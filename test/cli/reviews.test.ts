// `casebench reviews` as a user runs it: queues, offline labelling on two machines merged through
// JSONL, bad lines reported with their numbers, and the results table.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '#core/store/store.ts';
import { submitScore } from '#core/review/reviewsRepo.ts';
import { BASE, fixtureStore, LARGE, RUN, SMALL } from '#core/review/workspace.fixture.ts';
import { cliEnv, runCli, tempDir } from './helpers.ts';

const env = cliEnv({});
let dir: string;
let mine: string;
let theirs: string;

beforeAll(() => {
  dir = tempDir('cb-reviews-');
  mine = join(dir, 'mine.db');
  theirs = join(dir, 'theirs.db');
  fixtureStore(mine).close();
  fixtureStore(theirs).close();
});

const at = (m: number) => ({ now: () => new Date(Date.UTC(2026, 10, 25, 9, m)) });

describe('casebench reviews', () => {
  it('creates a stratified, blind review queue dealt to reviewers and lists progress', async () => {
    const r = await runCli(
      ['reviews', 'queue', 'create', '--db', mine, '--run', RUN, '--sample', '10', '--seed', '9', '--k', '2', '--reviewers', 'alice,bob'],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^created review queue q1 {2}sample of 10 from run experiment-fixture · 10 items \(\d+ answers\) · 3 models · k 2 · blind · seed 9 · 0\/10 complete · alice 0\/10, bob 0\/10\n$/,
    );

    const assign = await runCli(['reviews', 'queue', 'assign', 'q1', 'carol', '--db', mine], env);
    expect(assign.code).toBe(0);
    expect(assign.stdout).toMatch(/alice \d+\/\d+, bob \d+\/\d+, carol \d+\/\d+/);

    const list = await runCli(['reviews', 'queue', 'list', '--db', mine, '--json'], env);
    const queues = JSON.parse(list.stdout) as Array<{
      id: string;
      items: number;
      reviewers: Array<{ reviewer: string; assigned: number }>;
    }>;
    expect(queues).toHaveLength(1);
    // Ten items, two reviewers each, shared by three reviewers.
    expect(queues[0]!.reviewers.reduce((n, x) => n + x.assigned, 0)).toBe(20);
  });

  it('merges scores labelled offline on another machine and lists conflicts; bad lines are reported by number', async () => {
    // On "their" machine bob scores three answers; on mine alice scores one of the same.
    const t = openStore(theirs);
    submitScore(t, { ticketId: 'T1', task: 'severity', model: SMALL, runId: RUN, reviewer: 'bob', correctValue: 'high' }, at(1));
    submitScore(
      t,
      { ticketId: 'T1', task: 'platform', model: LARGE, runId: RUN, reviewer: 'bob', score: 0, note: 'should be other:cloudflare' },
      at(2),
    );
    submitScore(t, { ticketId: 'T2', task: 'platform', model: BASE, runId: RUN, reviewer: 'bob', score: 1 }, at(3));
    t.close();
    const m = openStore(mine);
    submitScore(m, { ticketId: 'T1', task: 'platform', model: LARGE, runId: RUN, reviewer: 'alice', score: 1 }, at(4));
    m.close();

    const file = join(dir, 'bob.jsonl');
    const ex = await runCli(['reviews', 'export', '--out', file, '--db', theirs], env);
    expect(ex.code).toBe(0);
    expect(ex.stderr).toContain(`exported 3 reviews to ${file}`);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toEqual({
      ticket_id: 'T1',
      task: 'severity',
      model: SMALL,
      reviewer: 'bob',
      score: 0.5,
      correct_value: 'high',
      scored_at: '2026-11-25T09:01:00.000Z',
    });

    appendFileSync(
      file,
      [
        JSON.stringify({ ticket_id: 'T42', task: 'platform', model: LARGE, reviewer: 'bob', score: 1, scored_at: '2026-11-25T10:00:00Z' }),
        JSON.stringify({ ticket_id: 'T3', task: 'platform', model: LARGE, reviewer: 'bob', score: 0.5, scored_at: '2026-11-25T10:00:00Z' }),
        '{"ticket_id": "T3", "task":',
      ].join('\n') + '\n',
    );

    const im = await runCli(['reviews', 'import', file, '--db', mine], env);
    expect(im.code).toBe(0);
    expect(im.stderr.trimEnd().split('\n')).toEqual([
      `${file}:4: ticket T42 is not in this workspace; skipped`,
      `${file}:5: platform is scored 0 or 1; skipped`,
      expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6: not JSON .*; skipped$`)),
    ]);
    expect(im.stdout).toContain(`imported 3 reviews from ${file}: 0 already there, 3 bad lines skipped, 1 gold label written, 1 conflict`);
    expect(im.stdout).toMatch(
      /conflict: T1 platform groq:llama-3\.3-70b-versatile: bob 0 \(2026-11-25T09:02:00\.000Z\), alice 1 \(2026-11-25T09:04:00\.000Z\) — reviewers differ/,
    );

    // Importing the same file again adds nothing.
    const again = await runCli(['reviews', 'import', file, '--db', mine], env);
    expect(again.stdout).toContain('imported 0 reviews');
    expect(again.stdout).toContain('3 already there');
  });

  it('prints the manual-review table, reviewer agreement and the baseline check', async () => {
    const md = await runCli(['reviews', 'results', '--db', mine], env);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('# Manual review (4 scores by 2 reviewers: alice, bob)');
    expect(md.stdout).toContain('| model | Platform | Severity |');
    // T1 platform, large model: alice 1, bob 0 → one answer at 0.5.
    expect(md.stdout).toMatch(/\| groq:llama-3\.3-70b-versatile \| 0\.50 \[\d\.\d\d–\d\.\d\d\] n=1 \| — \|/);
    expect(md.stdout).toContain("Krippendorff's α with the interval metric");
    expect(md.stdout).toContain('## Conflicts (1)');

    const js = await runCli(['reviews', 'results', '--db', mine, '--format', 'json'], env);
    const r = JSON.parse(js.stdout) as {
      scores: Array<{ task: string; model: string; mean: number; n: number; ci95: [number, number] }>;
      agreement: Array<{ task: string; alpha_metric: string; units: number }>;
      baseline: Array<{ task: string; model: string; agreement_rate: number; review_mean: number }>;
    };
    expect(r.scores.find((s) => s.task === 'severity' && s.model === SMALL)).toMatchObject({ mean: 0.5, n: 1 });
    expect(r.agreement.find((a) => a.task === 'platform')).toMatchObject({ alpha_metric: 'interval', units: 1 });
    // The large model agrees with gpt-4o on T1's platform (automated: 100 %), reviewers split 1 / 0.
    expect(r.baseline.find((b) => b.task === 'platform' && b.model === LARGE)).toMatchObject({ agreement_rate: 1, review_mean: 0.5 });
  });

  it('refuses a missing workspace or queue with a one-line reason', async () => {
    const none = await runCli(['reviews', 'results', '--db', join(dir, 'nope.db')], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`casebench: no casebench workspace at ${join(dir, 'nope.db')} (give --db, or run tickets first)\n`);
    const q = await runCli(['reviews', 'queue', 'assign', 'q9', 'dave', '--db', mine], env);
    expect(q.code).toBe(2);
    expect(q.stderr).toBe('casebench: review queue q9 is not in this workspace\n');
    const many = await runCli(['reviews', 'queue', 'create', '--db', mine, '--tasks', 'platform,mood'], env);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('unknown task `mood`');
    const fmt = await runCli(['reviews', 'results', '--db', mine, '--format', 'csv'], env);
    expect(fmt.stderr).toBe('casebench: --format must be md or json, not csv\n');
  });
});

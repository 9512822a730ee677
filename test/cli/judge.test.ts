// `casebench judge` as a user runs it against the fake provider server: the estimate and progress
// on stderr, a summary of judge vs humans on stdout, resumable, clear refusals, and `report` showing
// the judge beside the human review scores.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { openStore } from '#core/store/store.ts';
import { recordScore } from '#core/review/reviewsRepo.ts';
import { fixtureStore, RUN } from '#core/review/workspace.fixture.ts';
import { judgeTargets } from '#core/judge/judgeRepo.ts';
import { heuristicVerdict } from '#core/judge/heuristicJudge.ts';
import { fakeCliEnv, runCli, tempDir } from './helpers.ts';

let fake: FakeServer;
let db: string;
beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 5, judge: { disagreeRate: 0.25, seed: 5 } });
  db = join(tempDir('cb-judge-'), 'cb.db');
  const store = fixtureStore(db);
  // A reviewer scored every severity answer by the rubric.
  for (const t of judgeTargets(store, RUN, ['severity'])) {
    recordScore(store, {
      ticketId: t.ticketId,
      task: t.task,
      model: t.model,
      runId: RUN,
      reviewer: 'ana',
      score: Number(heuristicVerdict({ task: t.task, ticket: t.text, answer: t.answer }).score),
    });
  }
  store.close();
});
afterAll(async () => fake?.close());

describe('casebench judge', () => {
  it('judges a run with an estimate first, progress, and a judge-vs-human summary; a re-run resumes', async () => {
    const env = fakeCliEnv(fake);
    const r = await runCli(['judge', '--db', db, '--run', RUN, '--model', 'openai:gpt-4o', '--tasks', 'severity,platform'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`casebench judge: openai:gpt-4o (prompt judge/v1) on run ${RUN} · severity, platform · 35 answers`);
    expect(r.stderr).toMatch(/35 calls \(\+ retries\) · estimated cost ≈ \$/);
    expect(r.stderr).toMatch(/casebench judge: 35\/35 · 0 failed · \$/);
    expect(r.stdout).toMatch(/^Judged 35 answers \(0 earlier\) with openai:gpt-4o, prompt judge\/v1; 0 failed; \$[\d.e-]+ spent\./);
    // Severity was reviewed on 18 answers: measured, with α; platform was not.
    expect(r.stdout).toMatch(/Severity \| 18 \| [\d.]+ % \| α -?[\d.]+ \| (trusted|not trusted)/);
    expect(r.stdout).toMatch(/Platform \| 0 \| — \| — \| not trusted: no answer was scored by both/);
    // Keys never reach the output.
    expect(r.stdout + r.stderr).not.toContain('TESTKEY');

    const again = await runCli(['judge', '--db', db, '--run', RUN, '--model', 'openai:gpt-4o', '--tasks', 'severity,platform'], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('resuming: 35 already judged by this judge and prompt; 0 to go');
    expect(again.stdout).toMatch(/^Judged 0 answers \(35 earlier\)/);

    // The verdicts are stored with the judge model, prompt version, reasoning and the call.
    const store = openStore(db, { readOnly: true });
    const row = store
      .prepare(
        'SELECT count(*) AS n, count(call_id) AS calls, count(reasoning) AS why FROM judge_verdicts WHERE judge_model = ? AND prompt_version = ?',
      )
      .get('openai:gpt-4o', 'judge/v1') as Record<string, number>;
    store.close();
    expect(row).toEqual({ n: 35, calls: 35, why: 35 });
  });

  it('shows the judge in `report`: a column beside the reviews and a judge-vs-human section', async () => {
    const r = await runCli(['report', '--db', db, '--run', RUN], fakeCliEnv(fake));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('## Review scores (human · judge)');
    expect(r.stdout).toContain('Judge: `openai:gpt-4o`, prompt judge/v1, 35 answers scored with the review rubric, blind to the model.');
    expect(r.stdout).toContain('## Judge vs humans');
    expect(r.stdout).toMatch(/\| Severity \| 18 \| 18 \| [\d.]+ % \| α /);
    const json = JSON.parse((await runCli(['report', '--db', db, '--run', RUN, '--format', 'json'], fakeCliEnv(fake))).stdout) as {
      judge: { model: string; vs_humans: Array<{ task: string; answers: number }> };
      plan: { quality_source: Record<string, string> };
    };
    expect(json.judge.model).toBe('openai:gpt-4o');
    expect(json.judge.vs_humans.find((h) => h.task === 'severity')!.answers).toBe(18);
    expect(json.plan.quality_source.severity).toBe('review');
  });

  it('refuses bad input in one line before any call', async () => {
    const env = fakeCliEnv(fake);
    const noRun = await runCli(['judge', '--db', db, '--run', 'nope', '--model', 'openai:gpt-4o'], env);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/^casebench: no run "nope" in .*\(judgeable runs: experiment-fixture\)\n$/);
    const badTask = await runCli(['judge', '--db', db, '--model', 'openai:gpt-4o', '--tasks', 'colour'], env);
    expect(badTask.code).toBe(2);
    expect(badTask.stderr).toContain('--tasks: unknown task "colour"');
    const noKey = await runCli(['judge', '--db', db, '--run', RUN, '--model', 'openai:gpt-4o'], { ...env, OPENAI_API_KEY: '' });
    expect(noKey.code).not.toBe(0);
    expect(noKey.stderr).toMatch(/OpenAI/);
  });
});

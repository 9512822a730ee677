// `casebench traces`: generic traces from the command line — listed with the Traces view's
// filters, one printed as a span tree with its calls, a review queue with a rubric file, and
// trace reviews out and back in (LangSmith feedback too), bad input refused with a reason.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from './helpers.ts';

const FIX = resolve(import.meta.dirname, '../fixtures/traces');
const env = cliEnv({});

describe('casebench traces', () => {
  it('lists, shows, queues and exchanges reviews of generic traces', async () => {
    const dir = tempDir('cb-traces-cmd-');
    const db = join(dir, 'cb.db');
    const imp = await runCli(
      ['import', join(FIX, 'promptfoo-output.sample-export.json'), join(FIX, 'langsmith-runs.langsmith-fetch-fixture.json'), '--db', db],
      env,
    );
    expect(imp.code, imp.stderr).toBe(0);
    const list = await runCli(['traces', 'list', '--db', db], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.match(/^\s+\d+ {2}/gm)).toHaveLength(3);
    expect(list.stdout).toMatch(/handleEpicChat · anthropic:claude-sonnet-4-20250514 · 1 call/);
    expect((await runCli(['traces', 'list', '--db', db, '--search', 'riddle'], env)).stdout.match(/^\s+\d+ {2}/gm)).toHaveLength(2);
    const id = /^\s+(\d+) {2}handleEpicChat/m.exec(list.stdout)![1]!;
    const show = await runCli(['traces', 'show', id, '--db', db], env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(
      /○ handleEpicChat.*\n {2}○ generateEpicResponse.*\n {4}◆ handleEpicChat {2}\[anthropic:claude-sonnet-4-20250514\].*\n {2}○ processToolCalls/,
    );
    expect(show.stdout).toMatch(/\$0\.1500/);

    const rubric = join(dir, 'rubric.json');
    writeFileSync(
      rubric,
      JSON.stringify([
        { id: 'ok', label: 'Right answer', kind: 'pass_fail' },
        { id: 'tone', label: 'Tone', kind: 'label', labels: ['plain', 'odd'] },
      ]),
    );
    const q = await runCli(
      [
        'traces',
        'queue',
        'create',
        '--name',
        'riddles',
        '--search',
        'riddle',
        '--sample',
        '3',
        '--seed',
        '4',
        '--rubric',
        rubric,
        '--db',
        db,
      ],
      env,
    );
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout).toMatch(/riddles · 3 calls · blind · rubric ok:pass_fail, tone:label/);
    writeFileSync(rubric, JSON.stringify([{ id: 'x', label: 'X', kind: 'label', labels: ['one'] }]));
    const bad = await runCli(['traces', 'queue', 'create', '--name', 'bad', '--rubric', rubric, '--db', db], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/rubric.json: .*labels/);

    // promptfoo's verdicts are the source's reviews: out and into another workspace
    const out = join(dir, 'reviews.jsonl');
    const exp = await runCli(['traces', 'export', '--out', out, '--db', db], env);
    expect(exp.code, exp.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/"reviewer":"promptfoo"/);
    const db2 = join(dir, 'other.db');
    await runCli(
      ['import', join(FIX, 'promptfoo-output.sample-export.json'), join(FIX, 'langsmith-runs.langsmith-fetch-fixture.json'), '--db', db2],
      env,
    );
    const fb = join(dir, 'feedback.json');
    writeFileSync(
      fb,
      JSON.stringify([
        {
          run_id: 'grandchild-uuid-1',
          key: 'correctness',
          score: 0,
          comment: 'wrong',
          created_at: '2025-01-10T13:00:00',
          feedback_source: { type: 'api' },
        },
        { nope: 1 },
      ]),
    );
    const back = await runCli(['traces', 'import', out, fb, '--db', db2], env);
    expect(back.code, back.stderr).toBe(0);
    // the source's own verdicts came with the same file into both: already there, not doubled
    expect(back.stdout).toMatch(/reviews\.jsonl: 0 imported, 8 already there, 0 skipped/);
    expect(back.stdout).toMatch(/feedback\.json: 1 imported, 0 already there, 1 skipped/);
    expect(back.stderr).toMatch(/feedback\.json:2: neither a casebench trace_review line nor a LangSmith feedback record; skipped/);
    const res = await runCli(['traces', 'results', '--db', db2], env);
    expect(res.stdout).toMatch(/## correctness \(score\)[\s\S]*anthropic:claude-sonnet-4-20250514 \| 1 \| mean 0\.00/);
    expect((await runCli(['traces', 'show', 'x', '--db', db2], env)).code).toBe(2);
  }, 180_000); // a dozen CLI processes; slow only on a loaded machine
});

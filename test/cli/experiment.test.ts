import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type AnswerInfo, type FakeServer, type FaultKind } from '../fakes/fakeProviderServer.ts';
import { seededRandom } from '#core/random.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { fakeCliEnv, runCli, startCli, tempDir, writeTickets } from './helpers.ts';

const BASE = 'openai:gpt-4o';
const A = 'groq:openai/gpt-oss-20b';
const B = 'groq:openai/gpt-oss-120b';
const MODELS = `${BASE},${A},${B}`;
let fake: FakeServer;
let env: Record<string, string>;

// gpt-oss-20b calls every ticket "low", so its severity disagrees with the baseline on some.
const lowSeverity = (info: AnswerInfo): unknown =>
  info.model === 'openai/gpt-oss-20b' && info.task === 'severity' ? { severity: 'low' } : undefined;

beforeAll(async () => {
  fake = await startFakeServer({
    latencyMs: (model) => (model === 'gpt-4o' ? 12 : model === 'openai/gpt-oss-20b' ? 3 : 6),
    answer: lowSeverity,
  });
  env = fakeCliEnv(fake);
});
afterAll(() => fake.close());

type Json = Record<string, any>;
const sqlCount = (db: string, sql: string, ...args: string[]): number => {
  const s = new DatabaseSync(db);
  try {
    return Number((s.prepare(sql).get(...args) as { n: number }).n);
  } finally {
    s.close();
  }
};
const experiment = (tickets: string, db: string, extra: string[] = []): string[] => [
  'experiment',
  '--tickets',
  tickets,
  '--models',
  MODELS,
  '--baseline',
  BASE,
  '--db',
  db,
  ...extra,
];

describe('casebench experiment', () => {
  it('records every ticket × model × task under injected faults, and the report counts every failure', async () => {
    const dir = tempDir();
    const tickets = writeTickets(dir, 12);
    const db = join(dir, 'cb.db');
    // A fifth of all requests fail at random (retried once: most recover), and every severity call of
    // gpt-oss-120b answers 500 — so some results fail for good whatever order the calls arrive in.
    const kinds: FaultKind[] = ['429', '500', '503', 'invalid-json', 'schema-violation', 'reset'];
    const rng = seededRandom(5);
    fake.configure({
      faults: (info) => {
        const roll = rng();
        const kind = kinds[Math.floor(rng() * kinds.length)] as FaultKind;
        if (info.model === 'openai/gpt-oss-120b' && info.task === 'severity') return '500';
        return roll < 0.2 ? kind : null;
      },
    });
    const r = await runCli(experiment(tickets, db, ['--concurrency', '3', '--rpm', 'groq=6000']), { ...env, CASEBENCH_MAX_RETRIES: '1' });
    fake.configure({ faults: null });
    expect(r.code, r.stderr).toBe(0);
    // The estimate comes first, then progress, then the summary with the next step.
    const lines = r.stderr.split('\n');
    expect(lines[0]).toMatch(
      /^casebench experiment: 12 tickets × 3 models × 5 tasks = 180 calls \(\+ retries\) · baseline openai:gpt-4o · upstream own · run experiment-[0-9a-f]{16} · db /,
    );
    expect(lines[1]).toMatch(
      /^ {2}estimated cost ≈ \$[\d.]+ \(openai:gpt-4o \$[\d.]+, groq:openai\/gpt-oss-20b \$[\d.e-]+, groq:openai\/gpt-oss-120b \$[\d.e-]+\): prompts ≈ \d+ tokens a call/,
    );
    expect(r.stderr).toMatch(/at least 1s at the --rpm limits \(groq: 120 calls at 6000\/min\)/);
    expect(r.stderr).toMatch(/casebench experiment: 180\/180 tasks done \(0 before this session\), \d+ failed, .* \$[\d.]+ spent/);
    expect(r.stderr).toMatch(/next: casebench report --db .* --run experiment-/);

    expect(sqlCount(db, 'SELECT count(*) AS n FROM results')).toBe(180);
    const failedCalls = sqlCount(db, "SELECT count(*) AS n FROM calls WHERE status = 'error'");
    expect(failedCalls).toBeGreaterThan(0);
    const failedResults = sqlCount(db, "SELECT count(*) AS n FROM results WHERE status = 'error'");
    expect(failedResults).toBeGreaterThanOrEqual(12);

    const rep = await runCli(['report', '--db', db, '--format', 'json'], env);
    expect(rep.code, rep.stderr).toBe(0);
    const report = JSON.parse(rep.stdout) as Json;
    let reportedFailures = 0;
    for (const task of TASK_IDS) {
      for (const model of [BASE, A, B]) {
        const s = report.tasks[task][model];
        const ok = sqlCount(db, "SELECT count(*) AS n FROM results WHERE task = ? AND model_spec = ? AND status = 'ok'", task, model);
        const err = sqlCount(db, "SELECT count(*) AS n FROM results WHERE task = ? AND model_spec = ? AND status = 'error'", task, model);
        // Failures are in the denominator: success = ok / (ok + failed), never ok / ok.
        expect(s.n).toBe(ok + err);
        expect(s.n_failed).toBe(err);
        expect(s.success_rate).toBeCloseTo(ok / (ok + err), 4);
        expect(s.first_try_success_rate).toBeLessThanOrEqual(s.success_rate);
        reportedFailures += s.n_failed;
      }
    }
    expect(reportedFailures).toBe(failedResults);
  });

  it('stops on Ctrl-C and after a kill, and a re-run finishes without repeating a finished call', async () => {
    const dir = tempDir();
    const tickets = writeTickets(dir, 30);
    const db = join(dir, 'cb.db');
    fake.configure({ latencyMs: 40 });
    const args = experiment(tickets, db, ['--concurrency', '2']);
    const waitForResults = async (n: number): Promise<void> => {
      for (let i = 0; i < 600; i++) {
        await new Promise((res) => setTimeout(res, 25));
        try {
          if (sqlCount(db, 'SELECT count(*) AS n FROM results') >= n) return;
        } catch {}
      }
    };

    const first = startCli(args, env);
    await waitForResults(40);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain('casebench experiment: stopping (finished results are kept');
    expect(stopped.stderr).toContain('casebench experiment: interrupted; run the same command again to resume');
    const afterSigint = sqlCount(db, 'SELECT count(*) AS n FROM results');
    expect(afterSigint).toBeLessThan(450);
    expect(sqlCount(db, "SELECT count(*) AS n FROM results WHERE error_code = 'CANCELLED'")).toBe(0);

    const second = startCli(args, env);
    await waitForResults(afterSigint + 40);
    second.child.kill('SIGKILL');
    expect((await second.done).signal).toBe('SIGKILL');
    fake.configure({ latencyMs: (model) => (model === 'gpt-4o' ? 12 : 3) });

    const raw = new DatabaseSync(db);
    expect((raw.prepare('PRAGMA integrity_check').get() as Json).integrity_check).toBe('ok');
    raw.close();
    const before = sqlCount(db, 'SELECT count(*) AS n FROM results');
    const third = await runCli(args, env);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(new RegExp(`resuming: ${before} of 450 tasks already done`));
    expect(sqlCount(db, 'SELECT count(*) AS n FROM results')).toBe(450);
    // No finished task was called twice across the three sessions.
    const s = new DatabaseSync(db);
    expect(
      s.prepare("SELECT ticket_id, task, model_spec, count(*) AS n FROM calls WHERE status = 'ok' GROUP BY 1, 2, 3 HAVING n > 1").all(),
    ).toEqual([]);
    expect((s.prepare("SELECT status FROM runs WHERE kind = 'experiment'").get() as Json).status).toBe('done');
    s.close();
  });

  it("judges the other models on the baseline's platform with --upstream baseline, and on their own by default", async () => {
    const dir = tempDir();
    const tickets = writeTickets(dir, 4);
    const seen: Array<string | null> = [];
    fake.configure({
      answer: (info) => {
        if (info.model !== 'openai/gpt-oss-20b') return undefined;
        if (info.task === 'platform') return { platform: 'azure' };
        if (info.task === 'product') seen.push(info.platform);
        return undefined;
      },
    });
    try {
      const own = await runCli(experiment(tickets, join(dir, 'own.db')), env);
      expect(own.code, own.stderr).toBe(0);
      expect(seen).toEqual(['azure', 'azure', 'azure', 'azure']);
      seen.length = 0;
      const base = await runCli(experiment(tickets, join(dir, 'base.db'), ['--upstream', 'baseline']), env);
      expect(base.code, base.stderr).toBe(0);
      expect(base.stderr).toContain('upstream baseline');
      expect(seen.sort()).toEqual(['aws', 'azure', 'gcp', 'gcp'].sort()); // the baseline's answers for the four ticket kinds
    } finally {
      fake.configure({ answer: lowSeverity });
    }
  });

  it('refuses bad input with one line before any call is made', async () => {
    const dir = tempDir();
    const tickets = writeTickets(dir, 2);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const newer = join(dir, 'newer.db');
    const raw = new DatabaseSync(newer);
    raw.exec('PRAGMA user_version = 999');
    raw.close();
    const cases: Array<[string[], RegExp]> = [
      [
        ['experiment', '--tickets', tickets, '--models', `${BASE},groq:llama-9-huge`, '--baseline', BASE],
        /unknown model groq:llama-9-huge: not in resources\/models\.json/,
      ],
      [
        ['experiment', '--tickets', tickets, '--models', `${BASE},groq:llama-3.3-70b-versatile`, '--baseline', BASE],
        /groq:llama-3\.3-70b-versatile was shut down on 2026-08-16; use groq:openai\/gpt-oss-120b instead/,
      ],
      [
        ['experiment', '--tickets', tickets, '--models', `${A},${B}`, '--baseline', BASE],
        /--baseline openai:gpt-4o is not among --models \(groq:openai\/gpt-oss-20b, groq:openai\/gpt-oss-120b\)/,
      ],
      [['experiment', '--tickets', empty, '--models', MODELS, '--baseline', BASE], /empty\.jsonl holds no tickets/],
      [
        ['experiment', '--tickets', tickets, '--models', MODELS, '--baseline', BASE, '--db', newer],
        /was written by a newer casebench \(schema 999/,
      ],
      [
        ['experiment', '--tickets', tickets, '--models', MODELS, '--baseline', BASE, '--upstream', 'theirs'],
        /--upstream must be own or baseline/,
      ],
      [
        ['experiment', '--tickets', tickets, '--models', MODELS, '--baseline', BASE, '--rpm', 'groq=lots'],
        /--rpm groq: "lots" is not a positive number/,
      ],
    ];
    const before = fake.stats.total;
    for (const [args, message] of cases) {
      const r = await runCli([...args, ...(args.includes('--db') ? [] : ['--db', join(dir, 'x.db')])], env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const { OPENAI_API_KEY: _, ...noOpenAI } = env;
    const noKey = await runCli(experiment(tickets, join(dir, 'k.db')), noOpenAI);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr.trim()).toMatch(/^casebench: no OpenAI API key/);
    expect(fake.stats.total).toBe(before);
  });
});

describe('casebench report', () => {
  let db: string;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    const tickets = join(dir, 'labelled.jsonl');
    const texts = readFileSync(writeTickets(dir, 8), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    // Gold labels on half the tickets: T1 is GKE (gcp), T2 is S3 (aws).
    texts[0]!.labels = { platform: 'gcp', severity: 'urgent' };
    texts[1]!.labels = { platform: 'AWS', product: 'Amazon S3' };
    writeFileSync(tickets, texts.map((t) => JSON.stringify(t)).join('\n') + '\n');
    db = join(dir, 'cb.db');
    const r = await runCli(experiment(tickets, db), env);
    expect(r.code, r.stderr).toBe(0);
  });

  it('prints the article-style table per task, failures and all, then the plan and how it moves with the floor (md)', async () => {
    const r = await runCli(['report', '--db', db], env);
    expect(r.code, r.stderr).toBe(0);
    for (const h of [
      '## Platform',
      '## Product',
      '## Technical details',
      '## Asset ids',
      '## Severity',
      '## Plan',
      '### As the floor moves',
    ])
      expect(r.stdout).toContain(h);
    expect(r.stdout).toContain(
      '| model | agreement (95 % CI) | κ | accuracy (n) | success 1st / final | median ms (95 % CI) | p95 ms | p99 ms | speed-up | cost per 1K | cost ratio | n |',
    );
    expect(r.stdout).toMatch(/\| `openai:gpt-4o` \(baseline\) \| — \| — \| /);
    expect(r.stdout).toMatch(
      /\| baseline \| `openai:gpt-4o` \| `openai:gpt-4o` \| `openai:gpt-4o` \| `openai:gpt-4o` \| `openai:gpt-4o` \| [\d,]+ ms \| [\d,]+ ms \(8\) \| 1\.00× \| \$[\d.]+ \|/,
    );
    expect(r.stdout).toMatch(/\| \*\*recommended\*\* \|/);
    expect(r.stdout.match(/^\| 0\.\d\d \|/gm)).toHaveLength(10);
  });

  it('holds, per task and model, the contract keys, an empty reviews hook and the plan (json)', async () => {
    const r = await runCli(['report', '--db', db, '--format', 'json', '--assign', `severity=${A}`, '--floor', '0.7,severity=0.9'], env);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as Json;
    expect(rep.baseline).toBe(BASE);
    expect(rep.run).toMatchObject({ kind: 'experiment', models: [BASE, A, B], baseline: BASE, upstream: 'own', tickets: 8 });
    for (const task of TASK_IDS) {
      expect(Object.keys(rep.tasks[task])).toEqual([BASE, A, B]);
      for (const model of [BASE, A, B]) {
        for (const k of [
          'n',
          'agreement_rate',
          'kappa',
          'success_rate',
          'median_ms',
          'p95_ms',
          'p99_ms',
          'speedup',
          'cost_per_1k_usd',
          'cost_ratio',
        ]) {
          expect(rep.tasks[task][model], `${task} ${model}`).toHaveProperty(k);
        }
      }
    }
    expect(rep.tasks.platform[BASE]).toMatchObject({ agreement_rate: null, speedup: 1, cost_ratio: 1, n: 8 });
    expect(rep.tasks.platform[A].agreement_rate).toBe(1);
    expect(rep.tasks.severity[A].agreement_rate).toBeLessThan(1); // it says "low" to everything
    expect(rep.tasks.platform[A].kappa).toBe(1);
    expect(rep.tasks.asset_ids[A].kappa).toBeNull();
    expect(rep.tasks.platform[A].cost_per_1k_usd).toBeGreaterThan(0);
    expect(rep.tasks.platform[A].cost_ratio).toBeGreaterThan(1);
    // Gold labels: accuracy beside agreement.
    expect(rep.tasks.platform[BASE]).toMatchObject({ accuracy: 1, n_labelled: 2 });
    expect(rep.tasks.product[BASE]).toMatchObject({ accuracy: 1, n_labelled: 1 });
    expect(rep.reviews).toEqual({});
    expect(rep.plan.floors).toEqual({ platform: 0.7, product: 0.7, technical_details: 0.7, asset_ids: 0.7, severity: 0.9 });
    expect(rep.plan.baseline.critical_path_median_ms).toBeGreaterThan(0);
    expect(rep.plan.assignment.assignment).toEqual({
      platform: BASE,
      product: BASE,
      technical_details: BASE,
      asset_ids: BASE,
      severity: A,
    });
    expect(rep.plan.recommended.assignment.severity).not.toBe(A);
    expect(rep.plan.recommended.critical_path_median_ms).toBeLessThan(rep.plan.baseline.critical_path_median_ms);
    expect(rep.plan.floor_sweep).toHaveLength(10);
  });

  it('writes one CSV row per task and model', async () => {
    const r = await runCli(['report', '--db', db, '--format', 'csv'], env);
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Json[];
    expect(rows).toHaveLength(15);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([
        'task',
        'model',
        'agreement_rate',
        'kappa',
        'success_rate',
        'median_ms',
        'p95_ms',
        'p99_ms',
        'speedup',
        'cost_per_1k_usd',
        'cost_ratio',
      ]),
    );
    expect(rows.filter((x) => x.is_baseline === 'true')).toHaveLength(5);
  });

  it('says in one line what is wrong with its input', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['report', '--db', join(dir, 'nope.db')], /no database at .*nope\.db/],
      [['report', '--db', db, '--run', 'run-x'], /no run "run-x" in .* \(newest: experiment-/],
      [['report', '--db', db, '--baseline', 'openai:gpt-4.1-mini'], /--baseline openai:gpt-4\.1-mini was not run in experiment-/],
      [['report', '--db', db, '--assign', 'product=openai:gpt-5-mini'], /--assign: openai:gpt-5-mini \(product\) was not run/],
      [['report', '--db', db, '--format', 'xml'], /--format must be md, json, csv/],
      [['report', '--db', db, '--floor', 'severity=2'], /--floor severity: "2" is not a number from 0 to 1/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});

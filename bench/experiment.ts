// Benchmarks for `casebench experiment` and `casebench report` (called at the end of bench/run.ts,
// or alone: node bench/experiment.ts [--quick]). Every figure is printed beside a bound measured
// in the same run:
//   1. report over 25,000 recorded calls: wall time of the real command vs the 1 s target, with the
//      command's bare start-up and the raw SQL reads measured alongside;
//   2. rpm pacing: two models on a fake Groq that allows 600 requests/min per model, with
//      `--rpm groq:*=600`: the request rate each model reaches vs the allowed 600/min, and the 429s
//      it drew; plus the same workload with no limit, to show the limit was the bottleneck.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { openStore } from '#core/store/store.ts';
import { findReportRun } from '#core/store/reportQueries.ts';
import { loadReportData } from '#core/experiments/reportData.ts';
import { buildReport } from '#core/metrics/report.ts';
import { renderMarkdown } from '#core/metrics/reportFormat.ts';
import { uniformFloors } from '#core/metrics/planner.ts';
import { mulberry32 } from '#core/metrics/bootstrap.ts';
import { startFakeServer } from '#test/fakes/fakeProviderServer.ts';

const BIN = new URL('../bin/casebench.mjs', import.meta.url).pathname;
const fmt = (n: number, d = 1): string => n.toFixed(d);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function runCli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; ms: number; stdout: string; stderr: string }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => child.on('close', (code) => res({ code, ms: performance.now() - t0, stdout, stderr })));
}

const MODELS = ['openai:gpt-4o', 'groq:openai/gpt-oss-20b', 'groq:openai/gpt-oss-120b', 'groq:qwen/qwen3.8-27b', 'openai:gpt-4.1-mini'];
const MEDIAN_MS: Record<string, number> = {
  'openai:gpt-4o': 700,
  'groq:openai/gpt-oss-20b': 150,
  'groq:openai/gpt-oss-120b': 250,
  'groq:qwen/qwen3.8-27b': 300,
  'openai:gpt-4.1-mini': 550,
};

/** A workspace holding one experiment of `tickets` × 5 models × 5 tasks = one call per task (2 % of them failed). */
function syntheticDb(path: string, tickets: number): { calls: number } {
  const store = openStore(path);
  const rng = mulberry32(42);
  const runId = 'experiment-bench';
  store.createRun({ id: runId, kind: 'experiment', assignment: {}, config: { models: MODELS, baseline: MODELS[0], upstream: 'own' } });
  const values: Record<TaskId, (i: number, m: number) => unknown> = {
    platform: (i, m) => ['aws', 'gcp', 'azure'][(i + (rng() < 0.1 * m ? 1 : 0)) % 3],
    product: (i, m) => ['S3', 'GKE', 'AKS', 'BigQuery'][(i + (rng() < 0.15 * m ? 1 : 0)) % 4],
    technical_details: (i, m) => ({ present: (i + (rng() < 0.1 * m ? 1 : 0)) % 2 ? ['error message'] : [], missing: ['region'] }),
    asset_ids: (i, m) => (rng() < 0.1 * m ? [`id-${i}`, 'x'] : [`id-${i}`]),
    severity: (i, m) => ['low', 'normal', 'high', 'urgent'][(i + (rng() < 0.2 * m ? 1 : 0)) % 4],
  };
  let calls = 0;
  store.transaction(() => {
    for (let i = 0; i < tickets; i++) {
      const id = `T${i + 1}`;
      store.upsertTicket({ id, text: `ticket ${i}`, ...(i % 10 === 0 ? { labels: { platform: 'aws' } } : {}) }, 'bench');
      store.setRunTicket(runId, id, 'done', 1000);
      MODELS.forEach((spec, m) => {
        const [provider, ...rest] = spec.split(':');
        const model = rest.join(':');
        for (const task of TASK_IDS) {
          const failed = rng() < 0.02;
          const ms = MEDIAN_MS[spec]! * Math.exp(0.3 * (rng() + rng() + rng() - 1.5));
          const cost = 0.00001 * (m + 1) * (1 + rng());
          store.insertCall({
            runId,
            ticketId: id,
            task,
            modelSpec: spec,
            provider: provider!,
            model,
            attempt: 1,
            promptVersion: 'v1',
            startedAt: Date.now(),
            latencyMs: ms,
            ttftMs: null,
            queueTimeMs: null,
            providerTotalMs: null,
            status: failed ? 'error' : 'ok',
            errorCode: failed ? 'INVALID_OUTPUT' : null,
            errorMessage: failed ? 'not JSON' : null,
            httpStatus: null,
            requestId: null,
            inputTokens: 400,
            outputTokens: 10,
            cachedTokens: 0,
            reasoningTokens: null,
            costUsd: cost,
            raw: null,
          });
          calls++;
          store.saveResult(runId, id, spec, {
            task,
            status: failed ? 'error' : 'ok',
            value: failed ? null : values[task](i, m),
            raw: null,
            provider: provider!,
            model,
            promptVersion: 'v1',
            startedMs: 0,
            endedMs: ms,
            latencyMs: ms,
            ttftMs: null,
            queueTimeMs: null,
            providerTotalMs: null,
            inputTokens: 400,
            outputTokens: 10,
            cachedTokens: 0,
            reasoningTokens: null,
            costUsd: failed ? null : cost,
            attempts: 1,
            error: failed ? { code: 'INVALID_OUTPUT', message: 'not JSON' } : null,
          });
        }
      });
    }
  });
  store.setRunStatus(runId, 'done');
  store.close();
  return { calls };
}

async function benchReport(quick: boolean): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-report-'));
  const db = join(dir, 'report.db');
  const { calls } = syntheticDb(db, 1000);
  const env = { ...process.env, CASEBENCH_NO_KEYCHAIN: '1' };
  const reps = quick ? 3 : 5;
  const cli: number[] = [];
  const start: number[] = [];
  for (let i = 0; i < reps; i++) {
    const r = await runCli(['report', '--db', db, '--format', 'json'], env);
    if (r.code !== 0) throw new Error(`casebench report failed: ${r.stderr}`);
    cli.push(r.ms);
    start.push((await runCli(['--help'], env)).ms);
  }
  const store = openStore(db);
  const inproc: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    store
      .prepare('SELECT ticket_id, task, model_spec, status, value, attempts, error_code FROM results WHERE run_id = ?')
      .all('experiment-bench');
    store
      .prepare(
        "SELECT ticket_id, task, model_spec, latency_ms, cost_usd FROM calls WHERE run_id = ? AND status = 'ok' AND latency_ms IS NOT NULL",
      )
      .all('experiment-bench');
    raw.push(performance.now() - t0);
    t0 = performance.now();
    const run = findReportRun(store);
    const rep = buildReport(loadReportData(store, run), { baseline: MODELS[0]!, assignment: null, floors: uniformFloors(0.8) });
    renderMarkdown(rep);
    inproc.push(performance.now() - t0);
  }
  store.close();
  const out = {
    calls,
    cli_ms: median(cli),
    start_ms: median(start),
    in_process_ms: median(inproc),
    raw_sql_ms: median(raw),
    target_ms: 1000,
  };
  console.log(
    `\n3. casebench report over ${calls.toLocaleString('en-US')} recorded calls (1,000 tickets × 5 models × 5 tasks, 2 % failed; median of ${reps})`,
  );
  console.log(
    `   casebench report --format json (wall, process start included)  ${fmt(out.cli_ms, 0)} ms → ${fmt(out.cli_ms / out.target_ms, 2)} of the 1 s target`,
  );
  console.log(`   of which bare process start (casebench --help)                 ${fmt(out.start_ms, 0)} ms`);
  console.log(
    `   in process: load + metrics + bootstrap CIs + plan + markdown    ${fmt(out.in_process_ms, 0)} ms; the raw SQL reads alone ${fmt(out.raw_sql_ms, 0)} ms (×${fmt(out.in_process_ms / out.raw_sql_ms, 1)})`,
  );
  return out;
}

async function benchPacing(quick: boolean): Promise<Record<string, number>> {
  const rpm = 600;
  const models = ['groq:openai/gpt-oss-20b', 'groq:openai/gpt-oss-120b'];
  const ids = models.map((m) => m.slice('groq:'.length));
  const tickets = quick ? 20 : 40;
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-rpm-'));
  const ticketFile = join(dir, 'tickets.jsonl');
  writeFileSync(
    ticketFile,
    Array.from({ length: tickets }, (_, i) =>
      JSON.stringify({
        id: `T${i + 1}`,
        text: `Our GKE cluster in project acme-${i} is down since 09:00 UTC; pods fail with ImagePullBackOff (case ${i}).`,
      }),
    ).join('\n') + '\n',
  );
  // The fake server runs here; the client is the casebench child process.
  const fake = await startFakeServer({ latencyMs: 20, logLimit: 100_000 });
  const env = {
    ...process.env,
    CASEBENCH_NO_KEYCHAIN: '1',
    GROQ_API_KEY: 'gsk_bench_not_a_real_key_000000',
    GROQ_BASE_URL: fake.groqBaseURL,
  };
  const args = (db: string, extra: string[]): string[] => [
    'experiment',
    '--tickets',
    ticketFile,
    '--models',
    models.join(','),
    '--baseline',
    models[0]!,
    '--db',
    join(dir, db),
    '--concurrency',
    '8',
    '--yes',
    ...extra,
  ];

  // Unlimited: how fast this workload goes when the rate limit is not the bottleneck.
  const free = await runCli(args('free.db', []), env);
  if (free.code !== 0) throw new Error(`experiment failed: ${free.stderr}`);
  const freeLog = fake.stats.log.filter((e) => e.status === 200);
  const freeRate = (freeLog.length - 1) / ((freeLog.at(-1)!.t - freeLog[0]!.t) / 60_000);

  fake.resetStats();
  fake.resetLimits();
  fake.configure({ rpm });
  const limited = await runCli(args('rpm.db', ['--rpm', `groq:*=${rpm}`]), env);
  if (limited.code !== 0) throw new Error(`experiment failed: ${limited.stderr}`);
  const log = fake.stats.log;
  const perModel = ids.map((id) => {
    const reqs = log.filter((e) => e.model === id);
    const ok = reqs.filter((e) => e.status === 200);
    const span = (ok.at(-1)!.t - ok[0]!.t) / 60_000;
    return { id, requests: reqs.length, ok: ok.length, rate: (ok.length - 1) / span, r429: reqs.filter((e) => e.status === 429).length };
  });
  await fake.close();
  const worst = Math.min(...perModel.map((m) => m.rate));
  console.log(
    `\n4. rpm pacing: ${tickets} tickets × ${models.length} Groq models × 5 tasks; fake Groq allows ${rpm} requests/min per model; --rpm groq:*=${rpm}`,
  );
  console.log(`   without a limit the same workload ran at ${fmt(freeRate, 0)} requests/min (so ${rpm}/min is the bottleneck)`);
  for (const m of perModel) {
    console.log(
      `   ${m.id.padEnd(22)} ${fmt(m.rate, 1)} requests/min over ${m.ok} answered requests → ${fmt((m.rate / rpm) * 100, 1)} % of the allowed rate (target ≥ 90 %); ${m.r429} × 429`,
    );
  }
  console.log(
    `   wall time ${fmt(limited.ms / 1000, 1)} s (ideal ${fmt(((tickets * 5) / rpm) * 60, 1)} s per model, process start included)`,
  );
  return {
    rpm,
    tickets,
    unlimited_rate_per_min: freeRate,
    worst_rate_per_min: worst,
    worst_ratio: worst / rpm,
    rate_20b: perModel[0]!.rate,
    rate_120b: perModel[1]!.rate,
    r429: perModel.reduce((a, m) => a + m.r429, 0),
    wall_ms: limited.ms,
  };
}

/** Runs both benchmarks, prints them, and returns the figures for bench/results/latest.json. */
export async function benchExperiment(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const report = await benchReport(opts.quick);
  const pacing = await benchPacing(opts.quick);
  return { report, pacing };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchExperiment({ quick: process.argv.includes('--quick') });
}

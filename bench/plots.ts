// Latency-plot benchmark (`node bench/plots.ts [--calls N] [--reps R]`): figures only, never a test.
//
// 1. KDE: gaussianKde over N = 25,000 latencies on the 200-point grid (the sort is not counted:
//    the plots sort each model's calls once and share them).
// 2. One task's plots over N calls (5 models × N/5): spec build (grouping, sorting, IQR filter,
//    capping + trimming, KDEs, bins, ECDF) + vega-lite compile + SVG render in Node, for the
//    violin, the histogram + KDE and the ECDF together — what a reader waits for when opening a
//    task. Each repetition gets a fresh copy of the calls, so the per-array sort cache never helps.
// 3. For context: the prompt-length scatter (≤ 1,500 dots a model) and a whole HTML report over N
//    calls (5 tasks × 5 models, light and dark: 44 SVGs), built in process from synthetic rows.
// 4. The real command: `casebench report --format html` over a workspace of N recorded calls
//    (wall time, process start included), beside `--format md` over the same workspace.
// Targets (issue #7): KDE < 50 ms; violin + histogram/KDE + ECDF < 300 ms.
import { gaussianKde } from '#shared/stats/kde.ts';
import { sortedSample } from '#shared/stats/quantiles.ts';
import type { LatencyPoint } from '#shared/plots/common.ts';
import { ecdfSpec, histogramKdeSpec, tokensScatterSpec, violinSpec } from '#shared/plots/latency.ts';
import { renderSvg } from '#core/plots/render.ts';
import { renderHtmlReport } from '#core/plots/htmlReport.ts';
import { buildReport, type ReportData, type ReportResultRow } from '#core/metrics/report.ts';
import { renderMarkdown } from '#core/metrics/reportFormat.ts';
import { parseFloors } from '#core/metrics/planner.ts';
import { seededRandom } from '#core/random.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '#core/store/store.ts';
import { TASKS } from '#shared/tasks.ts';
import { fmt, median } from './lib.ts';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const N = arg('--calls', 25_000);
const REPS = arg('--reps', 7);
const MODELS = [
  'openai:gpt-4o',
  'openai:gpt-4.1-mini',
  'groq:llama-3.1-8b-instant',
  'groq:llama-3.3-70b-versatile',
  'groq:meta-llama/llama-4-scout-17b',
];
const MEDIANS = [851, 691, 406, 761, 508];

/** Calls like the article's product task: log-normal around each model's median, Groq slower on longer prompts, 2 % stragglers. */
function calls(n: number, tasks: readonly TaskId[], seed = 1): LatencyPoint[] {
  const rnd = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const per = Math.floor(n / (MODELS.length * tasks.length));
  const out: LatencyPoint[] = [];
  let id = 1;
  for (const task of tasks) {
    MODELS.forEach((model, m) => {
      for (let i = 0; i < per; i++) {
        const tokens = 600 + (i % 3) * 900 + Math.floor(rnd() * 150);
        const slope = model.startsWith('groq:') ? 0.25 : 0.02;
        const latency = (MEDIANS[m]! + slope * (tokens - 1500)) * Math.exp(0.35 * normal()) + (rnd() < 0.02 ? 4000 * rnd() : 0);
        out.push({ callId: id++, ticketId: `T${i}`, task, model, latencyMs: Math.max(20, latency), inputTokens: tokens });
      }
    });
  }
  return out;
}

async function timed(f: () => Promise<unknown> | unknown, reps = REPS): Promise<number[]> {
  await f(); // warm-up: JIT and vega's own caches
  const out: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return out;
}

const line = (what: string, ms: number[], target?: number): void => {
  const m = median(ms);
  const verdict = target === undefined ? '' : m < target ? `  (target < ${target} ms: met)` : `  (target < ${target} ms: NOT met)`;
  console.log(
    `${what.padEnd(74)} median ${fmt(m).padStart(7)} ms  min ${fmt(Math.min(...ms)).padStart(7)}  max ${fmt(Math.max(...ms)).padStart(7)}${verdict}`,
  );
};

console.log(
  `casebench plots benchmark · Node ${process.version} · ${N.toLocaleString('en-US')} calls · ${REPS} repetitions after a warm-up\n`,
);

// 1. KDE
const one = calls(N, ['product']);
const sorted = sortedSample(one.map((p) => p.latencyMs));
const k = gaussianKde(sorted)!;
line(
  `KDE of ${sorted.length.toLocaleString('en-US')} latencies on a 200-point grid (${k.method}, h = ${fmt(k.bandwidth)} ms)`,
  await timed(() => gaussianKde(sorted)),
  50,
);
line(`  same, exact sum (n × 200 exp(), for comparison)`, await timed(() => gaussianKde(sorted, { method: 'exact' }), 3));

// 2. One task's three distribution plots, spec build + SVG render
const o = { task: 'product' as const, models: MODELS };
let svgBytes = 0;
const three = async (): Promise<void> => {
  const pts = one.slice(); // a fresh array: no sort cached from the previous repetition
  svgBytes = 0;
  for (const spec of [violinSpec(pts, o), histogramKdeSpec(pts, o), ecdfSpec(pts, o)]) svgBytes += (await renderSvg(spec)).length;
};
line(`violin + histogram/KDE + ECDF of one task, ${N.toLocaleString('en-US')} calls: build + SVG`, await timed(three), 300);
console.log(`${''.padEnd(4)}(three SVGs, ${(svgBytes / 1024).toFixed(0)} KB together)`);
const buildOnly = (): void => {
  const pts = one.slice();
  violinSpec(pts, o);
  histogramKdeSpec(pts, o);
  ecdfSpec(pts, o);
};
line('  of which spec build alone (stats included)', await timed(buildOnly));
line(
  `prompt-length scatter of one task (≤ 1,500 dots a model): build + SVG`,
  await timed(async () => renderSvg(tokensScatterSpec(one.slice(), o))),
);

// 3. A whole HTML report over N calls across the five tasks.
const all = calls(N, TASK_IDS, 2);
const results: ReportResultRow[] = all.map((p) => ({
  ticketId: p.ticketId,
  task: p.task,
  model: p.model,
  status: 'ok',
  value: null,
  attempts: 1,
  errorCode: null,
}));
const data: ReportData = {
  run: {
    id: 'bench',
    kind: 'experiment',
    status: 'done',
    created_at: new Date(0).toISOString(),
    models: MODELS,
    baseline: MODELS[0]!,
    upstream: 'own',
    tickets: all.length / 25,
  },
  results,
  okCalls: all.map((p) => ({ ticketId: p.ticketId, task: p.task, model: p.model, latencyMs: p.latencyMs, costUsd: 0.0001 })),
  callCounts: new Map(),
  labels: new Map(),
  reviews: {},
};
const report = buildReport(data, { baseline: MODELS[0]!, assignment: null, floors: parseFloors(undefined) });
let htmlBytes = 0;
const html = await timed(async () => {
  const r = await renderHtmlReport({
    report,
    markdown: renderMarkdown(report),
    points: all.slice(),
    ticket: null,
    themes: ['light', 'dark'],
  });
  htmlBytes = r.html.length;
}, 3);
line(`HTML report, ${N.toLocaleString('en-US')} calls over 5 tasks × 5 models, light + dark (42 SVGs)`, html);
console.log(`${''.padEnd(4)}(${(htmlBytes / 1024 / 1024).toFixed(1)} MB)`);

// 4. The CLI over a recorded workspace: each ticket × model runs the graph (offsets from the
// ticket's start follow the dependencies), one call per task.
const dir = mkdtempSync(join(tmpdir(), 'cb-bench-plots-'));
const db = join(dir, 'plots.db');
{
  const store = openStore(db);
  const runId = 'experiment-plots';
  store.createRun({ id: runId, kind: 'experiment', assignment: {}, config: { models: MODELS, baseline: MODELS[0], upstream: 'own' } });
  const byTicket = new Map<string, LatencyPoint[]>();
  for (const p of all) {
    const key = `${p.ticketId}\u0000${p.model}`;
    let l = byTicket.get(key);
    if (!l) byTicket.set(key, (l = []));
    l.push(p);
  }
  store.transaction(() => {
    const seen = new Set<string>();
    for (const [key, pts] of byTicket) {
      const [ticketId, spec] = key.split('\u0000') as [string, string];
      if (!seen.has(ticketId)) {
        seen.add(ticketId);
        store.upsertTicket({ id: ticketId, text: `ticket ${ticketId}` }, 'bench');
        store.setRunTicket(runId, ticketId, 'done', 1000);
      }
      const [provider, ...rest] = spec.split(':');
      const model = rest.join(':');
      const end = {} as Record<TaskId, number>;
      for (const task of TASK_IDS) {
        const p = pts.find((x) => x.task === task)!;
        const start = Math.max(0, ...TASKS[task].dependsOn.map((d) => end[d]));
        end[task] = start + p.latencyMs;
        store.insertCall({
          runId,
          ticketId,
          task,
          modelSpec: spec,
          provider: provider!,
          model,
          attempt: 1,
          promptVersion: 'v1',
          startedAt: Date.now(),
          latencyMs: p.latencyMs,
          ttftMs: null,
          queueTimeMs: null,
          providerTotalMs: null,
          status: 'ok',
          errorCode: null,
          errorMessage: null,
          httpStatus: null,
          requestId: null,
          inputTokens: p.inputTokens,
          outputTokens: 10,
          cachedTokens: 0,
          reasoningTokens: null,
          costUsd: 0.0001,
          raw: null,
        });
        store.saveResult(runId, ticketId, spec, {
          task,
          status: 'ok',
          value: null,
          raw: null,
          provider: provider!,
          model,
          promptVersion: 'v1',
          startedMs: start,
          endedMs: end[task],
          latencyMs: p.latencyMs,
          ttftMs: null,
          queueTimeMs: null,
          providerTotalMs: null,
          inputTokens: p.inputTokens,
          outputTokens: 10,
          cachedTokens: 0,
          reasoningTokens: null,
          costUsd: 0.0001,
          attempts: 1,
          error: null,
        });
      }
    }
  });
  store.setRunStatus(runId, 'done');
  store.close();
}
const bin = new URL('../bin/casebench.mjs', import.meta.url).pathname;
const env = { ...process.env, CASEBENCH_NO_KEYCHAIN: '1' };
const cli = (args: string[]): number => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'report', '--db', db, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`casebench report ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return performance.now() - t0;
};
const out = join(dir, 'report.html');
const htmlCli: number[] = [];
const mdCli: number[] = [];
for (let r = 0; r < 3; r++) {
  htmlCli.push(cli(['--format', 'html', '--out', out]));
  mdCli.push(cli(['--format', 'md', '--out', join(dir, 'report.md')]));
}
line(`casebench report --format html, ${all.length.toLocaleString('en-US')} recorded calls (wall, process start included)`, htmlCli);
console.log(
  `${''.padEnd(4)}(${(statSync(out).size / 1024 / 1024).toFixed(1)} MB; --format md over the same workspace: median ${fmt(median(mdCli))} ms)`,
);
rmSync(dir, { recursive: true, force: true });

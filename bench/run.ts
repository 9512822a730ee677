// npm run bench: casebench's engine against a plain-fetch reference runner in the same run, on
// the same loopback fake server (in its own process). Figures are ratios to that same-run bound.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '#core/runtime.ts';
import { triageTicket, type Assignment } from '#core/graph/engine.ts';
import { referenceBatch, referenceTicket } from './referenceRunner.ts';
import { TEXTS, fmt, median, runCliSampled, startFake, stopFake, writeTicketFile } from './lib.ts';

const ASSIGN: Assignment = {
  platform: 'groq:openai/gpt-oss-120b',
  product: 'groq:openai/gpt-oss-20b',
  technical_details: 'groq:openai/gpt-oss-20b',
  asset_ids: 'groq:openai/gpt-oss-120b',
  severity: 'groq:openai/gpt-oss-20b',
};
const ASSIGN_SPEC = Object.entries(ASSIGN)
  .map(([t, m]) => `${t}=${m}`)
  .join(',');
const quick = process.argv.includes('--quick');
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cores: 2 };

// ---- 1. Engine overhead per ticket, and time to first fact --------------------------------
{
  const lat = { platform: 100, product: 100, technical_details: 100, asset_ids: 80, severity: 50 };
  const critical = Math.max(lat.platform + lat.product + lat.technical_details, lat.platform + lat.asset_ids, lat.severity);
  const { url, proc } = await startFake({ latency: lat });
  const env = { GROQ_API_KEY: 'gsk_bench_not_a_real_key_000000', GROQ_BASE_URL: url };
  const rt = await createRuntime({ env, secretStore: null });
  const n = quick ? 12 : 40;
  const ref: number[] = [],
    cb: number[] = [],
    refFirst: number[] = [],
    cbFirst: number[] = [];
  for (let i = -3; i < n; i++) {
    const text = TEXTS[(i + 4) % TEXTS.length]!;
    // Interleaved, so drift on a noisy machine hits both alike.
    const a = await referenceTicket(url, text);
    const t0 = performance.now();
    let first = Infinity;
    const r = await triageTicket(rt.deps, { id: `b${i}`, text }, ASSIGN, {
      onResult: () => (first = Math.min(first, performance.now() - t0)),
    });
    if (i < 0) continue; // warm-up
    ref.push(a.totalMs);
    refFirst.push(a.firstMs);
    cb.push(r.totalMs);
    cbFirst.push(first);
  }
  await stopFake(proc);
  const ratio = median(cb) / median(ref);
  results.overhead = {
    tickets: n,
    critical_path_ms: critical,
    reference_median_ms: median(ref),
    casebench_median_ms: median(cb),
    ratio,
    first_fact_ms: median(cbFirst),
    reference_first_ms: median(refFirst),
    severity_latency_ms: lat.severity,
  };
  console.log('\n1. Engine overhead per ticket (sequential tickets, fixed per-task latencies)');
  console.log(`   theoretical critical path     ${critical} ms`);
  console.log(`   reference runner (plain fetch) median ${fmt(median(ref))} ms`);
  console.log(
    `   casebench engine (SDKs)        median ${fmt(median(cb))} ms   → ${fmt((ratio - 1) * 100, 2)} % over the reference (target ≤ 2 %)`,
  );
  console.log(
    `   first fact on screen           median ${fmt(median(cbFirst))} ms (severity's own latency ${lat.severity} ms; reference ${fmt(median(refFirst))} ms)`,
  );
}

// ---- 2. 1,000 tickets through `casebench run` at concurrency 32 ----------------------------
{
  const n = Number(process.env.BENCH_TICKETS ?? (quick ? 200 : 1000));
  const conc = 32;
  const { url, proc } = await startFake({ latency: 100 });
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-'));
  const { path: tickets, texts } = writeTicketFile(dir, n);
  const refMs = await referenceBatch(url, texts, conc);
  const env = { ...process.env, GROQ_API_KEY: 'gsk_bench_not_a_real_key_000000', GROQ_BASE_URL: url, CASEBENCH_NO_KEYCHAIN: '1' };
  // The reference runs the graph sequentially; so does casebench here (speculation: section 9).
  const run = await runCliSampled(
    [
      'run',
      '--tickets',
      tickets,
      '--assign',
      ASSIGN_SPEC,
      '--concurrency',
      String(conc),
      '--db',
      join(dir, 'cb.db'),
      '--out',
      join(dir, 'out.jsonl'),
      '--no-speculate',
    ],
    env,
    join(dir, 'out.jsonl'),
    n,
  );
  const cbMs = run.ms;
  await stopFake(proc);
  if (run.code !== 0) throw new Error(`casebench run failed: ${run.stderr}`);
  const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').length;
  const ideal = (n / conc) * 300;
  const peak = run.peakRssMb * 1024;
  const thirds = run.rssThirdsMb;
  const ratio = cbMs / refMs;
  results.batch = {
    tickets: n,
    concurrency: conc,
    lines,
    ideal_ms: ideal,
    reference_ms: refMs,
    casebench_ms: cbMs,
    ratio,
    peak_rss_mb: peak / 1024,
    peak_rss_by_third_mb: thirds,
  };
  console.log(`\n2. ${n} tickets × 5 tasks through \`casebench run\`, concurrency ${conc}, 100 ms fake (wall time includes process start)`);
  console.log(`   ideal (n/${conc} × 300 ms)            ${fmt(ideal / 1000, 2)} s (not reachable on 2 cores)`);
  console.log(`   reference runner (plain fetch)   ${fmt(refMs / 1000, 2)} s`);
  console.log(
    `   casebench run                    ${fmt(cbMs / 1000, 2)} s   → ${fmt((ratio - 1) * 100, 1)} % over the reference (target ≤ 10 %); ${lines} lines written`,
  );
  console.log(
    `   peak RSS                         ${fmt(peak / 1024)} MB; by third of the tickets: ${thirds.map((x) => fmt(x)).join(' / ')} MB`,
  );
}

// ---- 3–4. `casebench report` over 25,000 calls, and rpm pacing of `casebench experiment` ----
results.experiment = await (await import('./experiment.ts')).benchExperiment({ quick });

// ---- 5. Trace import: casebench JSONL and OTLP, against bounds measured in the same run ----
{
  const calls = quick ? 40_000 : 200_000;
  console.log(`\n5. Trace import (node bench/traces.ts --calls ${calls}; --calls 700000 for ~1 GB files)`);
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./traces.ts', import.meta.url)), '--calls', String(calls)], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`bench/traces.ts failed: ${r.stderr}`);
  const out = r.stdout.trimEnd().split('\n');
  for (const l of out.slice(1, -1)) console.log(`   ${l}`);
  results.traces = JSON.parse(out.at(-1)!) as unknown;
}

// ---- 6. Latency fidelity: recorded call time vs the delay the server applied (bench/latency.ts) ----
results.latency = await (await import('./latency.ts')).benchLatency({ quick });

// ---- 7. Rate limits: a 429 storm vs a plain client honouring Retry-After; a rate window ----
results.rateLimits = await (await import('./ratelimit.ts')).benchRateLimits({ quick });

// ---- 8. Hedged calls: p99 with and without, extra calls, on a heavy-tailed server ----------
results.hedge = await (await import('./hedge.ts')).benchHedge({ quick });
// ---- 9. Speculative execution: median ticket vs the slowest single task, hit rate, extra calls ----
results.speculation = await (await import('./speculation.ts')).benchSpeculation({ quick });
// ---- 10. Shadow models: production latency with and without 3 shadow models (bench/shadow.ts) ----
{
  const { benchShadow, printShadow } = await import('./shadow.ts');
  console.log('\n10. Shadow models: production latency with and without 3 shadow models (node bench/shadow.ts)');
  const r = await benchShadow({ quick });
  printShadow(r);
  results.shadow = r;
}
// ---- 11. Redaction before the call and the information gate (bench/privacy.ts) ----
{
  const { benchPrivacy, printPrivacy } = await import('./privacy.ts');
  console.log('\n11. Redaction before the call and the information gate (node bench/privacy.ts)');
  const r = await benchPrivacy();
  printPrivacy(r);
  results.privacy = r;
}

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify(results, null, 2));
console.log('\nwritten to bench/results/latest.json');

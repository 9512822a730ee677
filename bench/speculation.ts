// Speculative execution (issue 15 §1): with the article's final assignment and its per-task medians
// on the loopback fake (in its own process), the median ticket against the slowest single task and
// against the sequential chain (the article's design), all measured in the same run; the keyword
// guess's hit rate on the labelled demo tickets (the fake's platform model answers each ticket's gold
// label); the extra calls and spend per 1,000 tickets; and whether every ticket's facts equal a
// sequential run's. `node bench/speculation.ts [--quick]`, or section 9 of `npm run bench`.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRuntime } from '#core/runtime.ts';
import { triageTicket, type Assignment } from '#core/graph/engine.ts';
import { predictPlatform, predictProduct } from '#core/providers/demo/heuristicAnswers.ts';
import { DEFAULT_MIN_PLATFORM_CONFIDENCE, DEFAULT_MIN_PRODUCT_CONFIDENCE } from '#core/graph/speculate.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { TicketResult } from '#shared/results.ts';
import { fmt, median, stopFake } from './lib.ts';

interface ArticleRow {
  model: string;
  median_ms: number;
}
interface Tables {
  tasks: Record<TaskId, ArticleRow[]>;
  article_plans: { recommended: { ms: number; assignment: Record<TaskId, string> } };
}
interface DemoTicket {
  id: string;
  text: string;
  labels: { platform: string | null; product?: string | null };
}

// The article's Groq models are retired (404 since 2026-08-16); the fake serves their medians under
// two current Groq ids so the runtime's model checks pass. Only the delays matter here.
const STAND_IN: Record<string, string> = { 'llama-3.3-70b-versatile': 'openai/gpt-oss-120b', 'llama-3.1-8b-instant': 'openai/gpt-oss-20b' };

async function startSpeculationFake(cfg: object): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [fileURLToPath(new URL('./speculationFake.ts', import.meta.url)), JSON.stringify(cfg)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) => createInterface({ input: proc.stdout! }).once('line', resolve));
  return { url, proc };
}

const factsOf = (r: TicketResult): string => JSON.stringify(TASK_IDS.map((t) => [t, r.tasks[t].status, r.tasks[t].value]));

export async function benchSpeculation(o: { quick: boolean }): Promise<Record<string, unknown>> {
  const tables = JSON.parse(readFileSync(new URL('../test/fixtures/seed-article-tables.json', import.meta.url), 'utf8')) as Tables;
  const plan = tables.article_plans.recommended.assignment;
  const articleMs = {} as Record<TaskId, number>;
  const latency: Record<string, number> = {};
  const assignment = {} as Assignment;
  for (const t of TASK_IDS) {
    const m = plan[t]!;
    articleMs[t] = tables.tasks[t].find((r) => r.model === m)!.median_ms;
    latency[`${STAND_IN[m]} ${t}`] = articleMs[t];
    assignment[t] = `groq:${STAND_IN[m]}`;
  }
  const demo = readFileSync(new URL('../resources/demo/tickets.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as DemoTicket);
  const gold = Object.fromEntries(demo.map((d) => [d.text.slice(0, 80), d.labels.platform]));
  const { url, proc } = await startSpeculationFake({ latency, gold });
  const rt = await createRuntime({ env: { GROQ_API_KEY: 'gsk_bench_not_a_real_key_000000', GROQ_BASE_URL: url }, secretStore: null });

  // The keyword predictor on the labelled tickets, in the tasks' own value space.
  const norm = (task: 'platform' | 'product', v: string | null | undefined, platform: string | null): string | null => {
    const p = rt.deps.parseAnswer(task, JSON.stringify({ [task]: v ?? null }), { platform });
    return p.ok ? (p.value as string | null) : null;
  };
  let platformRight = 0,
    platformUsed = 0,
    platformUsedRight = 0,
    productN = 0,
    productRight = 0,
    productUsed = 0,
    productUsedRight = 0;
  for (const d of demo) {
    const g = predictPlatform(d.text);
    const right = norm('platform', g.value, null) === norm('platform', d.labels.platform, null);
    platformRight += right ? 1 : 0;
    if (g.value !== null && g.confidence >= DEFAULT_MIN_PLATFORM_CONFIDENCE) {
      platformUsed++;
      platformUsedRight += right ? 1 : 0;
    }
    if (d.labels.product == null || d.labels.platform == null) continue;
    const gp = predictProduct(d.text, d.labels.platform);
    const ok = norm('product', gp.value, d.labels.platform) === norm('product', d.labels.product, d.labels.platform);
    productN++;
    productRight += ok ? 1 : 0;
    if (gp.value !== null && gp.confidence >= DEFAULT_MIN_PRODUCT_CONFIDENCE) {
      productUsed++;
      productUsedRight += ok ? 1 : 0;
    }
  }

  const rounds = o.quick ? 1 : 6;
  const tickets = Array.from({ length: rounds }, (_, k) =>
    demo.map((d) => ({ id: `${d.id}-${k}`, text: `${d.text} (case ${k + 1})` })),
  ).flat();
  const seqMs: number[] = [],
    specMs: number[] = [],
    missMs: number[] = [],
    missSeqMs: number[] = [];
  const taskMs = Object.fromEntries(TASK_IDS.map((t) => [t, [] as number[]])) as Record<TaskId, number[]>;
  let same = 0,
    guesses = 0,
    hits = 0,
    extraCalls = 0,
    extraUsd = 0,
    extraUnpriced = 0,
    seqUsd = 0,
    speculated = 0;
  for (let i = -2; i < tickets.length; i++) {
    const t = tickets[Math.max(0, i)]!;
    // Interleaved, so drift on a noisy machine hits both alike.
    const seq = await triageTicket(rt.deps, t, assignment, {});
    const spec = await triageTicket(rt.deps, t, assignment, { speculate: {} });
    if (i < 0) continue; // warm-up
    seqMs.push(seq.totalMs);
    specMs.push(spec.totalMs);
    for (const task of TASK_IDS) if (seq.tasks[task].status === 'ok') taskMs[task].push(seq.tasks[task].latencyMs);
    if (factsOf(seq) === factsOf(spec)) same++;
    for (const task of TASK_IDS) seqUsd += seq.tasks[task].costUsd ?? 0;
    const s = spec.speculation!;
    if (s.speculativeRuns > 0) speculated++;
    let missed = false;
    for (const g of s.guesses) {
      if (!g.used || g.hit === null) continue;
      guesses++;
      if (g.hit) hits++;
      else missed = true;
    }
    if (missed) {
      missMs.push(spec.totalMs);
      missSeqMs.push(seq.totalMs);
    }
    extraCalls += s.discardedCalls;
    extraUsd += s.discardedCostUsd;
    extraUnpriced += s.discardedCostUnknown;
  }
  await rt.close();
  await stopFake(proc);

  const n = tickets.length;
  const perTask = Object.fromEntries(TASK_IDS.map((t) => [t, median(taskMs[t])])) as Record<TaskId, number>;
  const slowest = Math.max(...TASK_IDS.map((t) => perTask[t]));
  const slowestTask = TASK_IDS.find((t) => perTask[t] === slowest)!;
  const chain = perTask.platform + perTask.product + perTask.technical_details;
  const ratio = median(specMs) / slowest;
  const r = {
    tickets: n,
    article_medians_ms: articleMs,
    article_chain_ms: tables.article_plans.recommended.ms,
    task_medians_ms: perTask,
    slowest_task: slowestTask,
    slowest_task_ms: slowest,
    chain_ms: chain,
    sequential_median_ms: median(seqMs),
    speculative_median_ms: median(specMs),
    ratio_to_slowest_task: ratio,
    speedup_vs_sequential: median(seqMs) / median(specMs),
    facts_identical: same,
    guesses,
    hits,
    hit_rate: guesses ? hits / guesses : null,
    tickets_speculated: speculated,
    miss_tickets: missMs.length,
    miss_median_ms: missMs.length ? median(missMs) : null,
    miss_sequential_median_ms: missSeqMs.length ? median(missSeqMs) : null,
    extra_calls_per_1k_tickets: (extraCalls / n) * 1000,
    extra_usd_per_1k_tickets: (extraUsd / n) * 1000,
    base_usd_per_1k_tickets: (seqUsd / n) * 1000,
    extra_unpriced_calls: extraUnpriced,
    predictor: {
      labelled: demo.length,
      platform_accuracy: platformRight / demo.length,
      platform_used: platformUsed,
      platform_used_accuracy: platformUsed ? platformUsedRight / platformUsed : null,
      product_labelled: productN,
      product_accuracy: productN ? productRight / productN : null,
      product_used: productUsed,
      product_used_accuracy: productUsed ? productUsedRight / productUsed : null,
    },
  };
  const pct = (x: number | null): string => (x === null ? '—' : `${fmt(x * 100)} %`);
  console.log(
    `\n9. Speculative execution: the article's final assignment (${TASK_IDS.map((t) => `${t} ${articleMs[t]} ms`).join(', ')}), ${n} labelled tickets, each run sequentially and speculatively`,
  );
  console.log(
    `   keyword predictor on the ${demo.length} labelled demo tickets: platform ${pct(r.predictor.platform_accuracy)} right (${platformUsed} confident enough to speculate on, ${pct(r.predictor.platform_used_accuracy)} of those right); product (on the gold platform) ${pct(r.predictor.product_accuracy)} right of ${productN} (${productUsed} confident, ${pct(r.predictor.product_used_accuracy)} right)`,
  );
  console.log(
    `   slowest single task (${slowestTask}, its median call this run)   ${fmt(slowest)} ms; sequential chain of medians ${fmt(chain)} ms (the article: ${tables.article_plans.recommended.ms} ms)`,
  );
  console.log(`   median ticket, sequential (the article's design)   ${fmt(median(seqMs))} ms`);
  console.log(
    `   median ticket, speculative                      ${fmt(median(specMs))} ms   → ${fmt(ratio, 3)}× the slowest single task (target ≤ 1.15×); ${fmt(r.speedup_vs_sequential, 2)}× faster than sequential`,
  );
  console.log(
    `   tickets whose guess missed: ${missMs.length} (median ${r.miss_median_ms === null ? '—' : fmt(r.miss_median_ms)} ms vs ${r.miss_sequential_median_ms === null ? '—' : fmt(r.miss_sequential_median_ms)} ms sequential)`,
  );
  console.log(`   hit rate ${hits}/${guesses} guesses (${pct(r.hit_rate)}); ${speculated}/${n} tickets speculated`);
  console.log(
    `   extra calls ${fmt(r.extra_calls_per_1k_tickets, 0)} per 1K tickets (per 1K tickets: $${r.extra_usd_per_1k_tickets.toFixed(4)} extra on $${r.base_usd_per_1k_tickets.toFixed(4)} → +${fmt((r.extra_usd_per_1k_tickets / r.base_usd_per_1k_tickets) * 100)} %)${extraUnpriced ? `; ${extraUnpriced} calls of unknown price` : ''}`,
  );
  console.log(`   facts identical to the sequential run on ${same}/${n} tickets`);
  return r;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchSpeculation({ quick: process.argv.includes('--quick') });
}

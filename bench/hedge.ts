// Hedged calls (issue 15 §2): the tail of task and ticket times with and without hedging, against
// the fake provider server in its own process with a heavy latency tail (a seeded 3 % of requests
// take 10× the usual 50 ms). Both modes run in this process on the same server, alternating in
// rounds so drift on a loaded machine hits both alike. Bounds, from the same run: the p99 without
// hedging, and the best a hedge can do (sent at the recorded call p95, answering in the unhedged
// task median).
//   node bench/hedge.ts [--quick]     (also section 8 of npm run bench)
import { pathToFileURL } from 'node:url';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { quantileSorted } from '#shared/stats/quantiles.ts';
import { createRuntime, type Runtime } from '#core/runtime.ts';
import { triageTicket, type Assignment } from '#core/graph/engine.ts';
import { TEXTS, fmt, startFake, stopFake } from './lib.ts';

const SPEC = 'groq:openai/gpt-oss-20b';
const ASSIGN = Object.fromEntries(TASK_IDS.map((t) => [t, SPEC])) as Assignment;
const BASE_MS = 50;
const TAIL = { share: 0.03, factor: 10, seed: 11 };
const BUDGET_PCT = 5;

interface Sample {
  tasks: number[];
  tickets: number[];
}

const q = (xs: number[], p: number): number => quantileSorted(Float64Array.from(xs).sort(), p) ?? NaN;

async function batch(rt: Runtime, n: number, concurrency: number, tag: string, into: Sample | null): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const r = await triageTicket(rt.deps, { id: `${tag}${i}`, text: `${TEXTS[i % TEXTS.length]} (${tag} ${i})` }, ASSIGN);
        if (!into) continue;
        into.tickets.push(r.totalMs);
        for (const t of TASK_IDS) {
          const x = r.tasks[t as TaskId];
          // The task as its user waits on it: from its start to its answer (a hedge's answer included).
          if (x.status === 'ok') into.tasks.push(x.endedMs - x.startedMs);
        }
      }
    }),
  );
}

export async function benchHedge(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const tickets = opts.quick ? 120 : 480;
  const rounds = 4;
  const concurrency = 8;
  const { url, proc } = await startFake({ latency: BASE_MS, tail: TAIL });
  const env = { GROQ_API_KEY: 'gsk_bench_not_a_real_key_000000', GROQ_BASE_URL: url };
  const scheduler = { maxConcurrency: 64 };
  const off = await createRuntime({ env, secretStore: null, scheduler, hedge: { enabled: false } });
  const on = await createRuntime({ env, secretStore: null, scheduler, hedge: { enabled: true, budgetPct: BUDGET_PCT } });
  // Warm-up: connections open and 40 calls per task in each runtime's book (no workspace here).
  await batch(off, 40, concurrency, 'w-off-', null);
  await batch(on, 40, concurrency, 'w-on-', null);
  const before = { ...on.hedger.stats };
  const A: Sample = { tasks: [], tickets: [] };
  const B: Sample = { tasks: [], tickets: [] };
  for (let k = 0; k < rounds; k++) {
    await batch(off, tickets / rounds, concurrency, `off${k}-`, A);
    await batch(on, tickets / rounds, concurrency, `on${k}-`, B);
  }
  await stopFake(proc);
  const s = on.hedger.stats;
  const attempts = s.attempts - before.attempts;
  const hedges = s.hedges - before.hedges;
  const wins = s.wins - before.wins;
  const extraPct = attempts ? (100 * hedges) / attempts : 0;
  const row = (x: Sample) => ({
    slow_share: x.tasks.filter((v) => v > BASE_MS * TAIL.factor * 0.8).length / x.tasks.length,
    task_p50_ms: q(x.tasks, 0.5),
    task_p95_ms: q(x.tasks, 0.95),
    task_p99_ms: q(x.tasks, 0.99),
    ticket_p50_ms: q(x.tickets, 0.5),
    ticket_p99_ms: q(x.tickets, 0.99),
  });
  const without = row(A);
  const withH = row(B);
  // The best a hedge can do: sent when hedging sends it (recorded call p95 + margin, the highest of the five tasks), then a usual answer.
  // hedgeAfter: the p95 plus the margin for our own overhead, the moment a duplicate really goes.
  const p95s = TASK_IDS.map((t) => on.hedger.hedgeAfter(SPEC, t) ?? on.hedger.threshold(SPEC, t) ?? NaN);
  const bestMs = Math.max(...p95s) + without.task_p50_ms;
  const out = {
    tickets,
    concurrency,
    base_ms: BASE_MS,
    tail: TAIL,
    budget_pct: BUDGET_PCT,
    without,
    with: withH,
    task_p99_ratio: withH.task_p99_ms / without.task_p99_ms,
    ticket_p99_ratio: withH.ticket_p99_ms / without.ticket_p99_ms,
    recorded_call_p95_ms: Object.fromEntries(TASK_IDS.map((t, i) => [t, p95s[i]])),
    best_hedged_p99_ms: bestMs,
    task_p99_vs_best: withH.task_p99_ms / bestMs,
    attempts,
    hedges,
    wins,
    extra_calls_pct: extraPct,
    skipped_budget: s.skippedBudget - before.skippedBudget,
    skipped_paced: s.skippedPaced - before.skippedPaced,
  };
  console.log(
    `\n8. Hedged calls (node bench/hedge.ts): ${tickets} tickets per mode, concurrency ${concurrency}, ${BASE_MS} ms calls with ${TAIL.share * 100} % taking ${TAIL.factor}×; budget ${BUDGET_PCT} %`,
  );
  console.log(
    `   task time p50 / p95 / p99     without ${fmt(without.task_p50_ms)} / ${fmt(without.task_p95_ms)} / ${fmt(without.task_p99_ms)} ms   with ${fmt(withH.task_p50_ms)} / ${fmt(withH.task_p95_ms)} / ${fmt(withH.task_p99_ms)} ms`,
  );
  console.log(
    `   task p99 with hedging          ${fmt(out.task_p99_ratio, 2)}× the p99 without (same run); ${fmt(out.task_p99_vs_best, 2)}× the best a hedge can do (recorded call p95 ${fmt(Math.max(...p95s))} ms + median task ${fmt(without.task_p50_ms)} ms = ${fmt(bestMs)} ms)`,
  );
  console.log(
    `   tasks in the slow tail          without ${fmt(100 * without.slow_share, 1)} %   with ${fmt(100 * withH.slow_share, 1)} %`,
  );
  console.log(
    `   ticket p50 / p99               without ${fmt(without.ticket_p50_ms)} / ${fmt(without.ticket_p99_ms)} ms   with ${fmt(withH.ticket_p50_ms)} / ${fmt(withH.ticket_p99_ms)} ms → p99 ${fmt(out.ticket_p99_ratio, 2)}×`,
  );
  console.log(
    `   extra calls                    ${hedges} hedges over ${attempts} calls = ${fmt(extraPct, 2)} % (budget ${BUDGET_PCT} %); ${wins} answered first; ${out.skipped_budget} past the p95 not hedged (budget spent), ${out.skipped_paced} (model busy or paced)`,
  );
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchHedge({ quick: process.argv.includes('--quick') });
}

// Shadow models (issue 15 §3): production latency with and without 3 shadow models, each measured
// in the same run. Called from bench/run.ts, or alone: node bench/shadow.ts [--quick].
//
// The workbench's core in this process (as `casebench serve` builds it) takes live tickets through
// the HTTP intake's submit path, one every ARRIVAL_MS, and triages them with the default Groq
// assignment against the fake server in its own process (per-task delays 100/100/100 ms on the
// chain, 80 ms asset ids, 50 ms severity: a 300 ms critical path). With shadows on, 3 candidate
// models (groq gpt-oss-120b — a model production also uses, so its calls share production's
// scheduler —, openai gpt-4o, openai gpt-4.1-mini) shadow every task: 12 shadow calls per ticket
// beside production's 5. Two settings: the shadow set's defaults (60 calls/min, 4 at once: what a
// user gets), and unthrottled (no rate limit, 16 at once: every shadow call as soon as it can go,
// competing for this process's CPU as hard as the set allows). Measured: each production ticket's
// wall time (the engine's, as stored in run_tickets.total_ms) and its calls' waits for a slot.
// Bound: the same tickets without shadows, in the same run (off, defaults, unthrottled, repeated:
// medians of the runs).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCoreServices } from '#core/app.ts';
import { fmt, median, startFake, stopFake, TEXTS } from './lib.ts';

const ARRIVAL_MS = 60;
const CANDIDATES = ['groq:openai/gpt-oss-120b', 'openai:gpt-4o', 'openai:gpt-4.1-mini'];
const LAT = { platform: 100, product: 100, technical_details: 100, asset_ids: 80, severity: 50 };

export interface ShadowBenchResult {
  tickets: number;
  arrivalMs: number;
  criticalPathMs: number;
  off: ModeStats;
  defaults: ModeStats;
  unthrottled: ModeStats;
}
type Mode = 'off' | 'defaults' | 'unthrottled';
interface ModeStats {
  medianMs: number;
  p95Ms: number;
  slotWaitMs: number;
  /** Shadow calls made while the production tickets ran (and, unthrottled, until the backlog was done). */
  shadowCalls: number;
  /** Shadow calls not made because the backlog (500) was full. */
  dropped: number;
  ratioMedian: number;
  ratioP95: number;
}

const q = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))]!;
};

async function once(
  url: string,
  n: number,
  mode: Mode,
): Promise<{ walls: number[]; slotWaitMs: number; shadowCalls: number; dropped: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-shadow-'));
  const core = await createCoreServices({
    dbPath: join(dir, 'cb.db'),
    env: {
      GROQ_API_KEY: 'gsk_bench_not_a_real_key_000000',
      OPENAI_API_KEY: 'sk-bench-not-a-real-key-0000000000',
      GROQ_BASE_URL: url,
      OPENAI_BASE_URL: `${url}/v1`,
    },
    secretStore: null,
  });
  const call = async (route: string, input: unknown): Promise<unknown> => {
    const r = await core.request(route as never, input);
    if (!r.ok) throw new Error(`${route}: ${r.error.message}`);
    return r.data;
  };
  try {
    await call('settings.set', {
      assignment: {
        platform: 'groq:openai/gpt-oss-120b',
        product: 'groq:openai/gpt-oss-20b',
        technical_details: 'groq:openai/gpt-oss-20b',
        asset_ids: 'groq:openai/gpt-oss-120b',
        severity: 'groq:openai/gpt-oss-120b',
      },
      ticketConcurrency: 16,
    });
    if (mode !== 'off') {
      for (const m of CANDIDATES) await call('shadow.add', { task: 'all', model: m });
      await call('shadow.limits', mode === 'unthrottled' ? { rpm: 10_000, concurrency: 16, spendLimitUsd: null } : { spendLimitUsd: null });
    }
    // Warm the connections (both providers) so neither run pays for opening them in its tickets.
    await core.httpIntake.submit({ id: 'warm', text: TEXTS[0] });
    await new Promise((r) => setTimeout(r, 1500));
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = await core.httpIntake.submit({ id: `T${i + 1}`, text: `${TEXTS[i % TEXTS.length]} (case ${i + 1})` });
      if (!r.ok) throw new Error(r.message);
      ids.push(...r.ids);
      await new Promise((res) => setTimeout(res, ARRIVAL_MS));
    }
    // Every production ticket finished, then every shadow call.
    for (;;) {
      const list = (await call('tickets.list', {})) as { rows: Array<{ id: string; state: string }> };
      if (ids.every((id) => list.rows.find((r) => r.id === id)?.state === 'done')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Unthrottled, the backlog is worked off before closing; at the defaults' 60 calls a minute it
    // would take minutes, and closing stops it (its calls in flight are not kept as answers).
    for (; mode === 'unthrottled'; ) {
      const s = (await call('shadow.status', {})) as { queued: number; inFlight: number };
      if (s.queued + s.inFlight === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const dropped = ((await call('shadow.status', {})) as { dropped: { backlog: number } }).dropped.backlog;
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(join(dir, 'cb.db'), { readOnly: true });
    const walls = (
      db
        .prepare(
          "SELECT rt.total_ms AS ms FROM run_tickets rt JOIN runs r ON r.id = rt.run_id WHERE r.kind = 'run' AND rt.ticket_id != 'warm' AND rt.total_ms IS NOT NULL",
        )
        .all() as Array<{ ms: number }>
    ).map((r) => r.ms);
    const waits = db
      .prepare(
        "SELECT COALESCE(SUM(c.slot_wait_ms), 0) AS w, count(*) AS n FROM calls c JOIN runs r ON r.id = c.run_id WHERE r.kind = 'run' AND c.ticket_id != 'warm'",
      )
      .get() as { w: number; n: number };
    const shadowCalls = Number(
      (
        db
          .prepare("SELECT count(*) AS n FROM calls c JOIN runs r ON r.id = c.run_id WHERE r.kind = 'shadow' AND c.ticket_id != 'warm'")
          .get() as { n: number }
      ).n,
    );
    db.close();
    return { walls, slotWaitMs: Number(waits.w) / Math.max(1, Number(waits.n)), shadowCalls, dropped };
  } finally {
    await core.close();
  }
}

export async function benchShadow(o: { quick: boolean }): Promise<ShadowBenchResult> {
  const n = o.quick ? 40 : 150;
  const fake = await startFake({ latency: LAT });
  try {
    const order: Mode[] = o.quick
      ? ['off', 'defaults', 'unthrottled']
      : ['off', 'defaults', 'unthrottled', 'off', 'defaults', 'unthrottled'];
    const runs: Array<{ mode: Mode; r: Awaited<ReturnType<typeof once>> }> = [];
    for (const mode of order) runs.push({ mode, r: await once(fake.url, n, mode) });
    const base = (rs: Array<Awaited<ReturnType<typeof once>>>) => ({
      medianMs: median(rs.map((r) => median(r.walls))),
      p95Ms: median(rs.map((r) => q(r.walls, 0.95))),
      slotWaitMs: median(rs.map((r) => r.slotWaitMs)),
      shadowCalls: median(rs.map((r) => r.shadowCalls)),
      dropped: median(rs.map((r) => r.dropped)),
    });
    const of = (m: Mode) => base(runs.filter((x) => x.mode === m).map((x) => x.r));
    const off0 = of('off');
    const withRatio = (b: ReturnType<typeof base>): ModeStats => ({
      ...b,
      ratioMedian: b.medianMs / off0.medianMs,
      ratioP95: b.p95Ms / off0.p95Ms,
    });
    return {
      tickets: n,
      arrivalMs: ARRIVAL_MS,
      criticalPathMs: Math.max(LAT.platform + LAT.product + LAT.technical_details, LAT.platform + LAT.asset_ids, LAT.severity),
      off: withRatio(off0),
      defaults: withRatio(of('defaults')),
      unthrottled: withRatio(of('unthrottled')),
    };
  } finally {
    await stopFake(fake.proc);
  }
}

export function printShadow(r: ShadowBenchResult): void {
  console.log(
    `  ${r.tickets} live tickets, one every ${r.arrivalMs} ms, critical path ${r.criticalPathMs} ms run in sequence (speculation, on by default, overlaps the chain); shadows: ${CANDIDATES.join(', ')} on every task (12 shadow calls per ticket)`,
  );
  const line = (label: string, s: ModeStats, ratio: boolean) =>
    console.log(
      `  ${label.padEnd(36)} median ${fmt(s.medianMs)} ms, p95 ${fmt(s.p95Ms)} ms, slot wait ${fmt(s.slotWaitMs, 2)} ms/call` +
        (s !== r.off ? `, ${s.shadowCalls} shadow calls made, ${s.dropped} skipped (backlog full)` : '') +
        (ratio ? ` → ${fmt(s.ratioMedian, 3)}× median, ${fmt(s.ratioP95, 3)}× p95 of no shadows` : ''),
    );
  line('production, no shadows (bound)', r.off, false);
  line('3 shadows, defaults (60/min, 4 at once)', r.defaults, true);
  line('3 shadows, unthrottled (16 at once)', r.unthrottled, true);
  console.log(
    '  target: defaults ≤ 1.05× median; unthrottled shows what CPU contention alone costs (slot waits stay ~0: no production call waits for a shadow one)',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchShadow({ quick: process.argv.includes('--quick') });
  console.log('shadow models: production latency with and without 3 shadow models');
  printShadow(r);
}

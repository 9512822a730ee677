// The fake provider server in its own process for benchmarks, so that it does not share an
// event loop with the client being measured. argv[2]: JSON {latency: ms | {task: ms} |
// {"model task": ms}, faults?, rpm?, limitWindowMs?, statsJson?, logFile?}. With statsJson, stops by
// printing one `fake-stats {…}` line on stderr (statuses, first arrival and last end, epoch ms); with
// logFile, the requests it answered (model, task, the delay it applied) are written there as JSON.
import { writeFileSync } from 'node:fs';
import { startFakeServer } from '#test/fakes/fakeProviderServer.ts';
import { heavyTail } from '#test/fakes/heavyTail.ts';

const cfg = JSON.parse(process.argv[2] ?? '{}') as {
  latency?: number | Record<string, number>;
  faults?: { rate: number; kinds: string[]; seed?: number };
  logFile?: string;
  rpm?: number | Record<string, number>;
  limitWindowMs?: number;
  statsJson?: boolean;
  /** A heavy tail: this share of requests takes `factor` times its latency (test/fakes/heavyTail.ts). */
  tail?: { share: number; factor: number; seed?: number };
};
const lat = cfg.latency ?? 100;
const base =
  typeof lat === 'number' ? lat : (model: string, task: string | null) => lat[`${model} ${task ?? ''}`] ?? lat[task ?? ''] ?? 100;
const server = await startFakeServer({
  latencyMs: cfg.tail ? heavyTail({ baseMs: base, tailShare: cfg.tail.share, factor: cfg.tail.factor, seed: cfg.tail.seed }) : base,
  faults: (cfg.faults as never) ?? null,
  rpm: cfg.rpm ?? null,
  limitWindowMs: cfg.limitWindowMs,
  logLimit: cfg.logFile ? 1_000_000 : cfg.statsJson ? 100_000 : 10,
});
process.stdout.write(`${server.url}\n`);
const stop = async (): Promise<void> => {
  const s = server.stats;
  if (cfg.logFile) {
    writeFileSync(
      cfg.logFile,
      JSON.stringify(s.log.map((e) => ({ api: e.api, model: e.model, task: e.task, status: e.status, delay_ms: e.delayMs }))),
    );
  }
  if (cfg.statsJson) {
    const ok = s.log.filter((e) => e.status === 200);
    const firstMs = Math.min(...s.log.map((e) => e.t));
    const lastMs = Math.max(...ok.map((e) => e.t + e.ms));
    process.stderr.write(`fake-stats ${JSON.stringify({ total: s.total, perStatus: s.perStatus, firstMs, lastMs })}\n`);
  } else {
    process.stderr.write(`fake server: ${s.total} requests, peak in flight ${s.peakInFlight}\n`);
  }
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

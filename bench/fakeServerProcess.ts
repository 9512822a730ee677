// The fake provider server in its own process for benchmarks, so that it does not share an
// event loop with the client being measured. argv[2]: JSON {latency: ms | {task: ms}, faults?,
// rpm?, limitWindowMs?, statsJson?}. With statsJson, stops by printing one `fake-stats {…}` line
// on stderr (statuses, first arrival and last end, epoch ms).
import { startFakeServer } from '../test/fakes/fakeProviderServer.ts';

const cfg = JSON.parse(process.argv[2] ?? '{}') as {
  latency?: number | Record<string, number>;
  faults?: { rate: number; kinds: string[]; seed?: number };
  rpm?: number | Record<string, number>;
  limitWindowMs?: number;
  statsJson?: boolean;
};
const lat = cfg.latency ?? 100;
const server = await startFakeServer({
  latencyMs: typeof lat === 'number' ? lat : (_model, task) => lat[task ?? ''] ?? 100,
  faults: (cfg.faults as never) ?? null,
  rpm: cfg.rpm ?? null,
  limitWindowMs: cfg.limitWindowMs,
  logLimit: cfg.statsJson ? 100_000 : 10,
});
process.stdout.write(`${server.url}\n`);
const stop = async (): Promise<void> => {
  const s = server.stats;
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

// The fake provider server in its own process for benchmarks, so that it does not share an
// event loop with the client being measured. argv[2]: JSON {latency: ms | {task: ms}}.
import { startFakeServer } from '../test/fakes/fakeProviderServer.ts';

const cfg = JSON.parse(process.argv[2] ?? '{}') as { latency?: number | Record<string, number>; faults?: { rate: number; kinds: string[]; seed?: number } };
const lat = cfg.latency ?? 100;
const server = await startFakeServer({
  latencyMs: typeof lat === 'number' ? lat : (_model, task) => lat[task ?? ''] ?? 100,
  faults: (cfg.faults as never) ?? null,
  logLimit: 10,
});
process.stdout.write(`${server.url}\n`);
const stop = async (): Promise<void> => {
  process.stderr.write(`fake server: ${server.stats.total} requests, peak in flight ${server.stats.peakInFlight}\n`);
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

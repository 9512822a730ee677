// The fake provider server in its own process for benchmarks, so that it does not share an
// event loop with the client being measured. argv[2]: JSON {latency: ms | {task: ms} |
// {"model task": ms}, faults?, logFile?}; with logFile, the requests it answered (model, task,
// the delay it applied) are written there as JSON when it stops.
import { writeFileSync } from 'node:fs';
import { startFakeServer } from '../test/fakes/fakeProviderServer.ts';

const cfg = JSON.parse(process.argv[2] ?? '{}') as {
  latency?: number | Record<string, number>;
  faults?: { rate: number; kinds: string[]; seed?: number };
  logFile?: string;
};
const lat = cfg.latency ?? 100;
const server = await startFakeServer({
  latencyMs: typeof lat === 'number' ? lat : (model, task) => lat[`${model} ${task ?? ''}`] ?? lat[task ?? ''] ?? 100,
  faults: (cfg.faults as never) ?? null,
  logLimit: cfg.logFile ? 1_000_000 : 10,
});
process.stdout.write(`${server.url}\n`);
const stop = async (): Promise<void> => {
  const stats = server.stats;
  process.stderr.write(`fake server: ${stats.total} requests, peak in flight ${stats.peakInFlight}\n`);
  if (cfg.logFile) {
    writeFileSync(cfg.logFile, JSON.stringify(stats.log.map((e) => ({ api: e.api, model: e.model, task: e.task, status: e.status, delay_ms: e.delayMs }))));
  }
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

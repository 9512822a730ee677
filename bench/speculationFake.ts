// The fake provider server for bench/speculation.ts, in its own process: fixed answering delays per
// "model task", and a platform model that answers each ticket's gold label (a model that is right),
// so the keyword guess is measured against the truth. argv[2]: JSON {latency: {"model task": ms},
// gold: {"<ticket text prefix>": platform}}.
import { startFakeServer } from '#test/fakes/fakeProviderServer.ts';

const cfg = JSON.parse(process.argv[2] ?? '{}') as { latency: Record<string, number>; gold: Record<string, string | null> };
const gold = Object.entries(cfg.gold);
const server = await startFakeServer({
  latencyMs: (model, task) => cfg.latency[`${model} ${task ?? ''}`] ?? 100,
  answer: (i) => {
    if (i.task !== 'platform') return undefined;
    const hit = gold.find(([prefix]) => i.ticketText.startsWith(prefix));
    return hit ? { platform: hit[1] } : undefined;
  },
  logLimit: 10,
});
process.stdout.write(`${server.url}\n`);
const stop = async (): Promise<void> => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

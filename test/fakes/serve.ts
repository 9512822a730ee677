// Runs the fake Groq/OpenAI server until SIGTERM/SIGINT, for benchmarks and manual runs:
//   node test/fakes/serve.ts --port 0 --latency 100 --fault-rate 0.05
// Plain Node type stripping runs this file, so it uses type annotations only.
import { parseArgs } from 'node:util';
import { startFakeServer, FAULT_KINDS } from './fakeProviderServer.ts';
import type { FakeServerOptions, FaultKind } from './fakeProviderServer.ts';

// Faults that stall a client for minutes ('hang', '429-long') are opt-in via --faults.
const DEFAULT_KINDS: FaultKind[] = ['429', '500', '502', '503', 'reset', 'stream-cut', 'invalid-json', 'schema-violation'];

const USAGE = `usage: node test/fakes/serve.ts [--port N] [--latency MS] [--ttft MS] [--jitter MS]
       [--fault-rate R] [--faults k1,k2,...] [--seed N] [--rpm N] [--tpm N] [--keys k1,k2]
       [--judge-disagree R]   (share of answers a judge request's verdict departs from the rubric on)
fault kinds: ${FAULT_KINDS.join(', ')}`;

function fail(msg: string): never {
  process.stderr.write(`${msg}\n${USAGE}\n`);
  process.exit(2);
}

function num(name: string, v: string | undefined, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) fail(`--${name} must be a number >= ${min}, got "${v}"`);
  return n;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string' },
      latency: { type: 'string' },
      ttft: { type: 'string' },
      jitter: { type: 'string' },
      'fault-rate': { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string' },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      keys: { type: 'string' },
      'judge-disagree': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
const v = parsed.values;
if (v.help) {
  process.stdout.write(USAGE + '\n');
  process.exit(0);
}

const kinds: FaultKind[] = v.faults
  ? v.faults.split(',').map((k) => {
      const kind = k.trim();
      if (!(FAULT_KINDS as readonly string[]).includes(kind)) fail(`unknown fault kind "${kind}"`);
      return kind as FaultKind;
    })
  : DEFAULT_KINDS;
const rate = num('fault-rate', v['fault-rate']) ?? 0;
if (rate > 1) fail('--fault-rate must be between 0 and 1');

const opts: FakeServerOptions = {
  port: num('port', v.port) ?? 0,
  latencyMs: num('latency', v.latency) ?? 20,
  jitterMs: num('jitter', v.jitter) ?? 0,
  rpm: num('rpm', v.rpm, 1) ?? null,
  tpm: num('tpm', v.tpm, 1) ?? null,
  apiKeys: v.keys
    ? v.keys
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean)
    : null,
  faults: rate > 0 ? { rate, kinds, seed: num('seed', v.seed) ?? 0x5eed } : null,
  judge: { disagreeRate: num('judge-disagree', v['judge-disagree']) ?? 0, seed: num('seed', v.seed) ?? 0 },
};
const ttft = num('ttft', v.ttft);
if (ttft !== undefined) opts.ttftMs = ttft;

const server = await startFakeServer(opts);
process.stdout.write(`fake providers listening on ${server.url}\n`);
process.stdout.write(`  GROQ_BASE_URL=${server.groqBaseURL}\n  OPENAI_BASE_URL=${server.openaiBaseURL}\n`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const s = server.stats;
  process.stderr.write(`${signal}: ${s.total} requests, peak concurrency ${s.peakInFlight}, by status ${JSON.stringify(s.perStatus)}\n`);
  await server.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

// Load with faults: 10,000 tickets through `casebench run` at concurrency 64 while 5 % of calls
// fail (500/503, connection resets, invalid and schema-violating JSON). Zero tickets may be lost.
// Rate limits are exercised separately (test/reliability/faults.test.ts): a 429's retry-after
// pauses the whole provider, which would make this a test of the fake's retry-after instead.
//   node bench/load.ts [--tickets N]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { fmt, runCliSampled, startFake, stopFake, writeTicketFile } from './lib.ts';

const { values } = parseArgs({ options: { tickets: { type: 'string' } } });
const n = Number(values.tickets ?? 10_000);
const conc = 64;
const { url, proc } = await startFake({
  latency: 50,
  faults: { rate: 0.05, kinds: ['500', '503', 'reset', 'invalid-json', 'schema-violation'], seed: 42 },
});
const dir = mkdtempSync(join(tmpdir(), 'cb-load-'));
const { path } = writeTicketFile(dir, n);
const out = join(dir, 'out.jsonl');
const env = { ...process.env, GROQ_API_KEY: 'gsk_load_not_a_real_key_0000000', GROQ_BASE_URL: url, CASEBENCH_NO_KEYCHAIN: '1' };
const run = await runCliSampled(
  [
    'run',
    '--tickets',
    path,
    '--assign',
    'groq:openai/gpt-oss-20b',
    '--concurrency',
    String(conc),
    '--db',
    join(dir, 'cb.db'),
    '--out',
    out,
  ],
  env,
  out,
  n,
);
await stopFake(proc);
if (run.code !== 0) throw new Error(`casebench run failed (${run.code}): ${run.stderr.slice(-2000)}`);

const lines = readFileSync(out, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { ticket_id: string; tasks: Record<string, { status: string }> });
const ids = new Set(lines.map((l) => l.ticket_id));
const db = new DatabaseSync(join(dir, 'cb.db'), { readOnly: true });
const calls = (db.prepare('SELECT count(*) AS n FROM calls').get() as { n: number }).n;
const retries = (db.prepare('SELECT count(*) AS n FROM calls WHERE attempt > 1').get() as { n: number }).n;
const failedCalls = (db.prepare("SELECT count(*) AS n FROM calls WHERE status = 'error'").get() as { n: number }).n;
const tasksNotOk = lines.reduce((a, l) => a + Object.values(l.tasks).filter((t) => t.status !== 'ok').length, 0);
db.close();

console.log(`\nLoad: ${n} tickets × 5 tasks, concurrency ${conc}, 50 ms fake, 5 % of calls failing`);
console.log(`   lost tickets                     ${n - ids.size} (lines ${lines.length}, distinct tickets ${ids.size})`);
console.log(
  `   wall time                        ${fmt(run.ms / 1000, 1)} s → ${fmt(n / (run.ms / 1000), 0)} tickets/s, ${fmt(calls / (run.ms / 1000), 0)} calls/s`,
);
console.log(
  `   calls                            ${calls} (${failedCalls} failed, ${retries} retries); tasks not ok in the end: ${tasksNotOk}`,
);
console.log(
  `   peak RSS                         ${fmt(run.peakRssMb)} MB; by third of the tickets: ${run.rssThirdsMb.map((x) => fmt(x)).join(' / ')} MB`,
);
if (ids.size !== n) process.exitCode = 1;

// Trace import benchmark (`node bench/traces.ts [--calls N] [--keep]`): generates casebench JSONL, OTLP
// JSONL and one big OTLP JSON document, imports each in its own process into a fresh database and
// prints calls/s against the targets (≥ 50,000/s casebench JSONL, ≥ 20,000/s OTLP JSONL) and peak
// RSS at two file sizes, to show memory stays flat while the file grows. Not a test: figures only.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

const TASKS = ['platform', 'product', 'technical_details', 'asset_ids', 'severity'];
const ANSWERS: Record<string, string> = {
  platform: '{"platform":"aws"}', product: '{"product":"S3"}', technical_details: '{"present":["error message"],"missing":["region"]}',
  asset_ids: '{"asset_ids":["123456789012","logs-7"]}', severity: '{"severity":"high"}',
};
const T0 = 1_764_000_000_000;

const RUN = { id: 'bench-run', kind: 'run', label: 'bench' };

function callLine(i: number): Record<string, unknown> {
  const ticket = `T${Math.floor(i / 5)}`;
  const task = TASKS[i % 5]!;
  const start = T0 + i * 37;
  return {
    casebench: 'call', run: RUN, trace_id: `t${Math.floor(i / 5)}`, span_id: `s${i}`, parent_span_id: null,
    ticket_id: ticket, task, provider: 'groq', model: 'openai/gpt-oss-120b', model_spec: 'groq:openai/gpt-oss-120b', attempt: 1, prompt_version: 'v1',
    started_at: new Date(start).toISOString(), started_at_ms: start, ended_at: new Date(start + 250).toISOString(), latency_ms: 250.4, ttft_ms: null, queue_time_ms: 3.1,
    provider_total_ms: 201.7, input_tokens: 412, output_tokens: 9, cached_tokens: 0, reasoning_tokens: 4, cost_usd: 0.0000672, status: 'success',
    error_code: null, error: null, http_status: null, request_id: `req_${i}`, input_messages: [],
    output_text: ANSWERS[task], parsed_output: null, metadata: { source: { format: 'casebench', id: `s${i}`, parent_id: null, trace_id: `t${Math.floor(i / 5)}` } }, origin: null,
  };
}

/** What `casebench export --format jsonl` writes for a run: per ticket its line, its calls, their results, its run_ticket. */
function casebenchExport(n: number): (i: number) => string {
  return (i) => {
    const out: string[] = [];
    if (i === 0) out.push(JSON.stringify({ casebench: 'run', ...RUN, assignment: {}, config: null, status: 'done', created_at: T0, finished_at: T0 + n * 37 }));
    const t = Math.floor(i / 5);
    if (i % 5 === 0) out.push(JSON.stringify({ casebench: 'ticket', id: `T${t}`, text: `S3 bucket logs-${t} in account 123456789012 returns AccessDenied since 09:00`, title: null, created_at: null, labels: null, source: 'tickets.jsonl' }));
    const c = callLine(i);
    out.push(JSON.stringify(c));
    out.push(JSON.stringify({
      casebench: 'result', run: RUN, ticket_id: c.ticket_id, task: c.task, model_spec: c.model_spec, status: 'ok', value: JSON.parse(String(c.output_text)) as unknown,
      raw: c.output_text, provider: 'groq', model: 'openai/gpt-oss-120b', prompt_version: 'v1', started_ms: (i % 5) * 37, ended_ms: (i % 5) * 37 + 250.4, latency_ms: 250.4,
      ttft_ms: null, queue_time_ms: 3.1, provider_total_ms: 201.7, input_tokens: 412, output_tokens: 9, cached_tokens: 0, reasoning_tokens: 4, cost_usd: 0.0000672,
      attempts: 1, error_code: null, error_message: null, recorded_at: T0,
    }));
    if (i % 5 === 4) out.push(JSON.stringify({ casebench: 'run_ticket', run: RUN, ticket_id: `T${t}`, status: 'done', total_ms: 400, started_at: T0, finished_at: T0 + 400 }));
    return out.join('\n');
  };
}

const kv = (key: string, v: string | number): unknown => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });

function otlpSpan(i: number): unknown {
  const task = TASKS[i % 5]!;
  const start = BigInt(T0 + i * 37) * 1_000_000n + 123_456n;
  return {
    traceId: (Math.floor(i / 5) + 1).toString(16).padStart(32, '0'), spanId: (i + 1).toString(16).padStart(16, '0'), name: 'chat gpt-oss-120b', kind: 3,
    startTimeUnixNano: start.toString(), endTimeUnixNano: (start + 250_400_000n).toString(),
    attributes: [
      kv('gen_ai.operation.name', 'chat'), kv('gen_ai.provider.name', 'groq'), kv('gen_ai.request.model', 'openai/gpt-oss-120b'),
      kv('gen_ai.usage.input_tokens', 412), kv('gen_ai.usage.output_tokens', 9), kv('ticket.id', `T${Math.floor(i / 5)}`), kv('task.name', task),
      kv('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `<ticket>\nS3 bucket logs-${i} returns AccessDenied\n</ticket>` }] }])),
      kv('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: ANSWERS[task] }], finish_reason: 'stop' }])),
    ],
    status: { code: 1 },
  };
}

const envelope = (spans: unknown[]): unknown => ({ resourceSpans: [{ resource: { attributes: [kv('service.name', 'bench')] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] }] });

async function writeLines(path: string, n: number, line: (i: number) => string): Promise<void> {
  const w = createWriteStream(path);
  for (let i = 0; i < n; i++) if (!w.write(`${line(i)}\n`)) await once(w, 'drain');
  w.end();
  await once(w, 'finish');
}

async function writeBigDocument(path: string, n: number): Promise<void> {
  const w = createWriteStream(path);
  const head = JSON.stringify(envelope([])).replace('"spans":[]}]}]}', '"spans":[');
  w.write(head);
  for (let i = 0; i < n; i++) if (!w.write(`${i ? ',' : ''}${JSON.stringify(otlpSpan(i))}`)) await once(w, 'drain');
  w.write(']}]}]}');
  w.end();
  await once(w, 'finish');
}

interface ChildResult {
  calls: number;
  skipped: number;
  ms: number;
  /** Until the WAL was checkpointed too (the import is committed and visible at ms). */
  ckptMs: number;
  /** CPU time of the import (user + system), ms: the figure that does not depend on other load on the machine. */
  cpuMs: number;
  peakRssMb: number;
  rssAtStartMb: number;
}

async function child(file: string, db: string): Promise<void> {
  const { openStore } = await import('../src/core/store/store.ts');
  const { importTraceFile } = await import('../src/core/traces/importer.ts');
  const store = openStore(db);
  const rssAtStart = process.memoryUsage().rss;
  let peak = rssAtStart;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  let checkpointed: (ms: number) => void = () => {};
  const settled = new Promise<number>((res) => (checkpointed = res));
  const r = await importTraceFile(store, file, { onCheckpoint: () => checkpointed(performance.now() - t) });
  const ms = performance.now() - t;
  // A worker import checkpoints the WAL in the background after its commit: timed separately.
  const ckptMs = r.reader === 'worker' ? await settled : ms;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  store.close();
  const out: ChildResult = { calls: r.calls, skipped: r.skipped, ms, ckptMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peak / 1048576, rssAtStartMb: rssAtStart / 1048576 };
  process.stdout.write(JSON.stringify(out));
}

function measure(file: string, dir: string): ChildResult {
  const db = join(dir, `${Math.random().toString(36).slice(2)}.db`);
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file, db], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`import of ${file} failed: ${r.stderr}`);
  rmSync(db, { force: true });
  rmSync(`${db}-wal`, { force: true });
  rmSync(`${db}-shm`, { force: true });
  return JSON.parse(r.stdout) as ChildResult;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv[1]!, argv[2]!);
  if (argv[0] === '--make') {
    // `--make casebench|otlp|otlp-doc N FILE`: one of the benchmark's files, for looking at by hand.
    const [kind, n, out] = [argv[1], Number(argv[2]), argv[3]!];
    if (kind === 'casebench') return writeLines(out, n, casebenchExport(n));
    if (kind === 'otlp') return writeLines(out, n, (i) => JSON.stringify(envelope([otlpSpan(i)])));
    if (kind === 'otlp-doc') return writeBigDocument(out, n);
    throw new Error('--make casebench|otlp|otlp-doc N FILE');
  }
  const nIdx = argv.indexOf('--calls');
  const big = nIdx >= 0 ? Number(argv[nIdx + 1]) : 200_000;
  const small = Math.round(big / 4);
  const keep = argv.includes('--keep');
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-traces-'));
  const log = (s: string): void => void process.stdout.write(`${s}\n`);
  log(`casebench trace import benchmark (Node ${process.version}, load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}); files in ${dir}`);
  const cases: Array<{ name: string; target: number | null; make: (p: string, n: number) => Promise<void> }> = [
    { name: 'casebench JSONL (an export)', target: 50_000, make: (p, n) => writeLines(p, n, casebenchExport(n)) },
    { name: 'OTLP JSONL (one TracesData a line)', target: 20_000, make: (p, n) => writeLines(p, n, (i) => JSON.stringify(envelope([otlpSpan(i)]))) },
    { name: 'OTLP JSON, one document (streamed)', target: null, make: writeBigDocument },
  ];
  const rows: string[] = [];
  for (const c of cases) {
    const res: Array<{ n: number; mb: number; r: ChildResult }> = [];
    for (const n of [small, big]) {
      const p = join(dir, `${c.name.replace(/\W+/g, '-')}-${n}.json`);
      await c.make(p, n);
      const r = measure(p, dir);
      if (r.calls !== n) throw new Error(`${c.name}: imported ${r.calls} of ${n} calls (${r.skipped} skipped)`);
      res.push({ n, mb: statSync(p).size / 1048576, r });
      if (!keep) rmSync(p);
    }
    for (const { n, mb, r } of res) {
      const rate = r.calls / (r.ms / 1000);
      const cpuRate = r.calls / (r.cpuMs / 1000);
      const vs = c.target ? ` (target ${c.target.toLocaleString('en-US')}/s: wall ×${(rate / c.target).toFixed(2)}, CPU ×${(cpuRate / c.target).toFixed(2)})` : '';
      rows.push(
        `${c.name.padEnd(36)} ${n.toLocaleString('en-US').padStart(8)} calls ${mb.toFixed(0).padStart(5)} MB  ${(r.ms / 1000).toFixed(2).padStart(6)} s wall ` +
          `${Math.round(rate).toLocaleString('en-US').padStart(7)} calls/s, ${Math.round(cpuRate).toLocaleString('en-US').padStart(7)} per CPU-s${vs}  peak RSS ${r.peakRssMb.toFixed(0)} MB (at start ${r.rssAtStartMb.toFixed(0)} MB)`,
      );
    }
    const [a, b] = res;
    rows.push(`${''.padEnd(36)} peak RSS at ${b!.n.toLocaleString('en-US')} / at ${a!.n.toLocaleString('en-US')} calls: ×${(b!.r.peakRssMb / a!.r.peakRssMb).toFixed(2)} for ×${(b!.n / a!.n).toFixed(0)} the calls`);
  }
  for (const r of rows) log(r);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

await main();

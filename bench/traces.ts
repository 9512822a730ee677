// Trace import benchmark (`node bench/traces.ts [--calls N] [--only casebench|otlp|otlp-doc] [--keep]`):
// generates casebench JSONL, OTLP JSONL and one big OTLP JSON document, imports each in its own
// process into a fresh database and prints calls/s against the targets (≥ 50,000/s casebench JSONL,
// ≥ 20,000/s OTLP JSONL), the import over bounds measured in the same run (reading alone, writing
// alone), and peak RSS at two file sizes, to show memory stays flat while the file grows
// (`--calls 700000` makes the bigger files about 1 GB). Not a test: figures only.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';

const TASKS = ['platform', 'product', 'technical_details', 'asset_ids', 'severity'];
const ANSWERS: Record<string, string> = {
  platform: '{"platform":"aws"}',
  product: '{"product":"S3"}',
  technical_details: '{"present":["error message"],"missing":["region"]}',
  asset_ids: '{"asset_ids":["123456789012","logs-7"]}',
  severity: '{"severity":"high"}',
};
const T0 = 1_764_000_000_000;

const RUN = { id: 'bench-run', kind: 'run', label: 'bench' };

function callLine(i: number): Record<string, unknown> {
  const ticket = `T${Math.floor(i / 5)}`;
  const task = TASKS[i % 5]!;
  const start = T0 + i * 37;
  return {
    casebench: 'call',
    run: RUN,
    trace_id: `t${Math.floor(i / 5)}`,
    span_id: `s${i}`,
    parent_span_id: null,
    ticket_id: ticket,
    task,
    provider: 'groq',
    model: 'openai/gpt-oss-120b',
    model_spec: 'groq:openai/gpt-oss-120b',
    attempt: 1,
    prompt_version: 'v1',
    started_at: new Date(start).toISOString(),
    started_at_ms: start,
    ended_at: new Date(start + 250).toISOString(),
    latency_ms: 250.4,
    ttft_ms: null,
    queue_time_ms: 3.1,
    provider_total_ms: 201.7,
    input_tokens: 412,
    output_tokens: 9,
    cached_tokens: 0,
    reasoning_tokens: 4,
    cost_usd: 0.0000672,
    status: 'success',
    error_code: null,
    error: null,
    http_status: null,
    request_id: `req_${i}`,
    input_messages: [],
    output_text: ANSWERS[task],
    parsed_output: null,
    metadata: { source: { format: 'casebench', id: `s${i}`, parent_id: null, trace_id: `t${Math.floor(i / 5)}` } },
    origin: null,
  };
}

/** What `casebench export --format jsonl` writes for a run: per ticket its line, its calls, their results, its run_ticket. */
function casebenchExport(n: number): (i: number) => string {
  return (i) => {
    const out: string[] = [];
    if (i === 0)
      out.push(
        JSON.stringify({
          casebench: 'run',
          ...RUN,
          assignment: {},
          config: null,
          status: 'done',
          created_at: T0,
          finished_at: T0 + n * 37,
        }),
      );
    const t = Math.floor(i / 5);
    if (i % 5 === 0)
      out.push(
        JSON.stringify({
          casebench: 'ticket',
          id: `T${t}`,
          text: `S3 bucket logs-${t} in account 123456789012 returns AccessDenied since 09:00`,
          title: null,
          created_at: null,
          labels: null,
          source: 'tickets.jsonl',
        }),
      );
    const c = callLine(i);
    out.push(JSON.stringify(c));
    out.push(
      JSON.stringify({
        casebench: 'result',
        run: RUN,
        ticket_id: c.ticket_id,
        task: c.task,
        model_spec: c.model_spec,
        status: 'ok',
        value: JSON.parse(String(c.output_text)) as unknown,
        raw: c.output_text,
        provider: 'groq',
        model: 'openai/gpt-oss-120b',
        prompt_version: 'v1',
        started_ms: (i % 5) * 37,
        ended_ms: (i % 5) * 37 + 250.4,
        latency_ms: 250.4,
        ttft_ms: null,
        queue_time_ms: 3.1,
        provider_total_ms: 201.7,
        input_tokens: 412,
        output_tokens: 9,
        cached_tokens: 0,
        reasoning_tokens: 4,
        cost_usd: 0.0000672,
        attempts: 1,
        error_code: null,
        error_message: null,
        recorded_at: T0,
      }),
    );
    if (i % 5 === 4)
      out.push(
        JSON.stringify({
          casebench: 'run_ticket',
          run: RUN,
          ticket_id: `T${t}`,
          status: 'done',
          total_ms: 400,
          started_at: T0,
          finished_at: T0 + 400,
        }),
      );
    return out.join('\n');
  };
}

const kv = (key: string, v: string | number): unknown => ({
  key,
  value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v },
});

function otlpSpan(i: number): unknown {
  const task = TASKS[i % 5]!;
  const start = BigInt(T0 + i * 37) * 1_000_000n + 123_456n;
  return {
    traceId: (Math.floor(i / 5) + 1).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name: 'chat gpt-oss-120b',
    kind: 3,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: (start + 250_400_000n).toString(),
    attributes: [
      kv('gen_ai.operation.name', 'chat'),
      kv('gen_ai.provider.name', 'groq'),
      kv('gen_ai.request.model', 'openai/gpt-oss-120b'),
      kv('gen_ai.usage.input_tokens', 412),
      kv('gen_ai.usage.output_tokens', 9),
      kv('ticket.id', `T${Math.floor(i / 5)}`),
      kv('task.name', task),
      kv(
        'gen_ai.input.messages',
        JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: `<ticket>\nS3 bucket logs-${i} returns AccessDenied\n</ticket>` }] },
        ]),
      ),
      kv(
        'gen_ai.output.messages',
        JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: ANSWERS[task] }], finish_reason: 'stop' }]),
      ),
    ],
    status: { code: 1 },
  };
}

const envelope = (spans: unknown[]): unknown => ({
  resourceSpans: [{ resource: { attributes: [kv('service.name', 'bench')] }, scopeSpans: [{ scope: { name: 'bench' }, spans }] }],
});

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
  // as bin/casebench.mjs does: the sources' compile cache, for this process and its worker threads
  (await import('node:module')).default.enableCompileCache?.();
  const { openStore } = await import('#core/store/store.ts');
  const { importTraceFile } = await import('#core/traces/importer.ts');
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
  const out: ChildResult = {
    calls: r.calls,
    skipped: r.skipped,
    ms,
    ckptMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: peak / 1048576,
    rssAtStartMb: rssAtStart / 1048576,
  };
  process.stdout.write(JSON.stringify(out));
}

/** Bounds measured in the same run: reading alone (read + JSON.parse of every record, one thread) and writing alone. */
async function boundParse(file: string): Promise<void> {
  const { createReadStream } = await import('node:fs');
  const { JsonScanner } = await import('#core/traces/jsonStream.ts');
  const t = performance.now();
  let n = 0;
  const s = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  if (file.includes('one-document')) {
    // a whole TracesData document: the importer's own streaming scanner picks out each span
    const scanner = new JsonScanner((p) => (p.length < 6 ? 'descend' : 'value')); // resourceSpans[i].scopeSpans[j].spans[k]
    for await (const chunk of s) for (const e of scanner.push(chunk as string)) if (e.kind === 'value') JSON.parse(e.text), n++;
  } else {
    let rest = '';
    for await (const chunk of s) {
      const text = rest + (chunk as string);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        JSON.parse(text.slice(start, nl));
        n++;
        start = nl + 1;
      }
      rest = text.slice(start);
    }
  }
  process.stdout.write(JSON.stringify({ ms: performance.now() - t, records: n }));
}

/** Writing alone: the rows the import wrote, copied by SQLite itself into a fresh workspace (no JS per row). */
async function boundWrite(imported: string, fresh: string): Promise<void> {
  const { openStore } = await import('#core/store/store.ts');
  const store = openStore(fresh);
  store.prepare('PRAGMA wal_autocheckpoint = 0').get();
  store.prepare(`ATTACH DATABASE '${imported.replace(/'/g, "''")}' AS src`).run();
  const t = performance.now();
  store.prepare('BEGIN IMMEDIATE').run();
  for (const table of ['runs', 'tickets', 'calls', 'call_origins', 'results', 'run_tickets'])
    store.prepare(`INSERT INTO main.${table} SELECT * FROM src.${table}`).run();
  store.prepare('COMMIT').run();
  const ms = performance.now() - t;
  store.close();
  process.stdout.write(JSON.stringify({ ms }));
}

function runChild<T>(args: string[]): T {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench child ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

function rmDb(db: string): void {
  for (const sfx of ['', '-wal', '-shm']) rmSync(`${db}${sfx}`, { force: true });
}

interface Measured {
  r: ChildResult;
  parseMs: number;
  writeMs: number;
}

function measure(file: string, dir: string): Measured {
  const db = join(dir, `${Math.random().toString(36).slice(2)}.db`);
  const r = runChild<ChildResult>(['--child', file, db]);
  const parseMs = runChild<{ ms: number }>(['--bound-parse', file]).ms;
  const fresh = join(dir, `${Math.random().toString(36).slice(2)}.db`);
  const writeMs = runChild<{ ms: number }>(['--bound-write', db, fresh]).ms;
  rmDb(db);
  rmDb(fresh);
  return { r, parseMs, writeMs };
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return child(argv[1]!, argv[2]!);
  if (argv[0] === '--bound-parse') return boundParse(argv[1]!);
  if (argv[0] === '--bound-write') return boundWrite(argv[1]!, argv[2]!);
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
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
  const dir = mkdtempSync(join(tmpdir(), 'cb-bench-traces-'));
  const log = (s: string): void => void process.stdout.write(`${s}\n`);
  log(
    `casebench trace import benchmark (Node ${process.version}, load average ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}); files in ${dir}`,
  );
  log('Each import runs in a fresh process into a fresh workspace. "committed" = the import returned (all rows visible);');
  log('"checkpointed" = the WAL copied into the database file afterwards (in the background, off the importing thread).');
  log('Same-run bounds: read = read + JSON.parse of every record on one thread; write = SQLite copying the same rows into a');
  log('fresh workspace by itself (INSERT … SELECT, no JS per row). The import reads and writes on two threads at once, so its');
  log('floor is the slower of the two: "× floor" is the import time over max(read, write).');
  const cases: Array<{ key: string; name: string; target: number | null; make: (p: string, n: number) => Promise<void> }> = [
    { key: 'casebench', name: 'casebench JSONL (an export)', target: 50_000, make: (p, n) => writeLines(p, n, casebenchExport(n)) },
    {
      key: 'otlp',
      name: 'OTLP JSONL (one TracesData a line)',
      target: 20_000,
      make: (p, n) => writeLines(p, n, (i) => JSON.stringify(envelope([otlpSpan(i)]))),
    },
    { key: 'otlp-doc', name: 'OTLP JSON, one document (streamed)', target: null, make: writeBigDocument },
  ];
  const rows: string[] = [];
  const summary: Record<string, unknown> = {};
  for (const c of cases) {
    if (only && c.key !== only) continue;
    const res: Array<{ n: number; mb: number; m: Measured }> = [];
    for (const n of [small, big]) {
      const p = join(dir, `${c.name.replace(/\W+/g, '-')}-${n}.json`);
      await c.make(p, n);
      const m = measure(p, dir);
      if (m.r.calls !== n) throw new Error(`${c.name}: imported ${m.r.calls} of ${n} calls (${m.r.skipped} skipped)`);
      res.push({ n, mb: statSync(p).size / 1048576, m });
      if (!keep) rmSync(p);
    }
    const from = rows.length;
    rows.push('', c.name + (c.target ? ` — target ${int(c.target)} calls/s` : ''));
    for (const { n, mb, m } of res) {
      const { r } = m;
      const rate = r.calls / (r.ms / 1000);
      const floor = Math.max(m.parseMs, m.writeMs);
      rows.push(
        `  ${int(n).padStart(9)} calls ${mb.toFixed(0).padStart(5)} MB: committed ${(r.ms / 1000).toFixed(2)} s = ${int(rate)} calls/s` +
          `${c.target ? ` (×${(rate / c.target).toFixed(2)} the target)` : ''}, checkpointed ${(r.ckptMs / 1000).toFixed(2)} s = ${int(r.calls / (r.ckptMs / 1000))} calls/s;` +
          ` ${((r.cpuMs / r.calls) * 1000).toFixed(1)} µs CPU a call`,
      );
      rows.push(
        `  ${''.padStart(25)}bounds: read ${(m.parseMs / 1000).toFixed(2)} s, write ${(m.writeMs / 1000).toFixed(2)} s → import ×${(r.ms / floor).toFixed(2)} floor;` +
          ` peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.rssAtStartMb.toFixed(0)} MB at start)`,
      );
      summary[`${c.key}_${n}`] = {
        calls: n,
        mb: +mb.toFixed(1),
        committed_ms: +r.ms.toFixed(0),
        checkpointed_ms: +r.ckptMs.toFixed(0),
        calls_per_s: Math.round(rate),
        read_ms: +m.parseMs.toFixed(0),
        write_ms: +m.writeMs.toFixed(0),
        x_floor: +(r.ms / floor).toFixed(2),
        peak_rss_mb: +r.peakRssMb.toFixed(0),
      };
    }
    const [a, b] = res;
    rows.push(
      `  peak RSS at ${int(b!.n)} / at ${int(a!.n)} calls: ×${(b!.m.r.peakRssMb / a!.m.r.peakRssMb).toFixed(2)} for ×${(b!.n / a!.n).toFixed(0)} the calls (${b!.mb.toFixed(0)} MB vs ${a!.mb.toFixed(0)} MB of file)`,
    );
    for (const r of rows.slice(from)) log(r); // each case as soon as it is measured
  }
  log(`\n${JSON.stringify(summary)}`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

await main();

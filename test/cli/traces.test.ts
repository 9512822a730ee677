// `casebench import` / `casebench export` as a user runs them: every shared sample imports,
// nothing opens a socket, exports round-trip, damaged files are reported line by line, and
// --redact leaves no secret of the corpus in any export format.
import { describe, expect, it, beforeAll } from 'vitest';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliEnv, runCli, tempDir, writeTickets } from './helpers.ts';
import { writeBigOtlp } from '../fakes/bigTraces.ts';
import { openStore } from '#core/store/store.ts';
import { originOfCall } from '#core/traces/traceQueries.ts';

const FIX = fileURLToPath(new URL('../fixtures/traces/', import.meta.url));
const HOOK = join(FIX, 'no-network.mjs');
const SAMPLES = readdirSync(FIX)
  .filter((f) => f.endsWith('.json') && f !== 'redaction-corpus.json')
  .sort();
const env = cliEnv({});
const offlineEnv = cliEnv({ NODE_OPTIONS: `--import=${HOOK}` });

const lines = (p: string): Array<Record<string, unknown>> =>
  readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('casebench import / export', () => {
  const dir = tempDir('cb-traces-');
  const db = join(dir, 'work.db');
  let recordedRun = '';

  beforeAll(async () => {
    // a workspace with recorded calls (keyless demo) to export beside the imported ones
    const tickets = writeTickets(dir, 4);
    const r = await runCli(
      ['run', '--tickets', tickets, '--assign', 'demo', '--db', db, '--out', join(dir, 'run.jsonl')],
      cliEnv({ CASEBENCH_DEMO_SPEED: '0.02' }),
    );
    expect(r.code, r.stderr).toBe(0);
    recordedRun = /run (run-[0-9a-f]+)/.exec(r.stderr)![1]!;
  }, 60_000);

  it('the no-network hook does catch a socket (so the offline test below can fail)', async () => {
    const { spawn } = await import('node:child_process');
    const res = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(process.execPath, ['-e', "require('net').connect(9, '127.0.0.1').on('error', () => {})"], { env: offlineEnv });
      let err = '';
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      c.on('close', (code) => resolve({ code, err }));
    });
    expect(res.err).toContain('NETWORK ATTEMPT');
    // and one opened on a worker thread (the importer reads big files on one)
    const workerFile = join(dir, 'connects.mjs');
    writeFileSync(workerFile, "import net from 'node:net';\ntry { net.connect(9, '127.0.0.1').on('error', () => {}); } catch {}\n");
    const inWorker = await new Promise<string>((resolve) => {
      const code = `const { Worker } = require('node:worker_threads'); new Worker(${JSON.stringify(workerFile)})`;
      const c = spawn(process.execPath, ['-e', code], { env: offlineEnv });
      let err = '';
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      c.on('close', () => resolve(err));
    });
    expect(inWorker).toContain('NETWORK ATTEMPT');
  });

  it('a big file, read on a worker thread, imports offline too: no socket from either thread', async () => {
    // 6 MB of OTLP JSONL: past the size from which the importer reads on a worker thread
    const big = join(dir, 'big-otlp.jsonl');
    const n = 4000;
    await writeBigOtlp(big, n);
    expect(readFileSync(big).length).toBeGreaterThan(4 * 1024 * 1024);
    const r = await runCli(['import', big, '--db', join(dir, 'big.db'), '--json'], offlineEnv);
    expect(r.stderr).not.toContain('NETWORK ATTEMPT');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { reader: string; calls: number; skipped: number };
    expect(report).toMatchObject({ reader: 'worker', calls: n, skipped: 0 });
  });

  it('imports every shared sample offline: no key, no socket, a summary per file', async () => {
    const r = await runCli(['import', ...SAMPLES.map((f) => join(FIX, f)), '--db', db], offlineEnv);
    expect(r.stderr).not.toContain('NETWORK ATTEMPT');
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout.trim().split('\n');
    expect(out).toHaveLength(SAMPLES.length);
    expect(out.find((l) => l.startsWith('langfuse-trace-download.microsoft'))).toMatch(
      /2 calls, 0 tickets, 0 results from a Langfuse single-trace download/,
    );
    // riddles and an agent's weather chat are generic traces, not support tickets (issue 14 §3)
    expect(out.find((l) => l.startsWith('promptfoo-output.sample'))).toMatch(/4 calls, 0 tickets/);
    expect(r.stderr).toMatch(/promptfoo-output\.sample-export\.json: 4 calls are generic traces/);
    expect(out.find((l) => l.startsWith('otlp-genai-span'))).toMatch(/1 call/);
    expect(r.stderr).toMatch(/langsmith-feedback\.docs-example\.json: LangSmith feedback is a score, not a model call/);
    expect(r.stderr).toMatch(/no model calls in otlp-trace\.proto-example\.json/);

    const store = openStore(db);
    try {
      const runs = store.listRuns().filter((x) => (x.kind as string) === 'import');
      expect(runs.map((x) => x.label).sort()).toEqual(SAMPLES.filter((f) => !/feedback|proto-example/.test(f)).sort());
      const lf = runs.find((x) => x.label!.startsWith('langfuse-trace-download.microsoft'))!;
      const calls = store.callsForRun(lf.id);
      expect(calls.map((c) => [c.provider, c.model, c.latencyMs, c.inputTokens, c.status])).toEqual([
        ['openai', 'gpt-4o', 6459, 631, 'ok'],
        ['openai', 'gpt-4o', 5984, 25, 'ok'],
      ]);
      const id = (store.prepare('SELECT id FROM calls WHERE run_id = ? ORDER BY id LIMIT 1').get(lf.id) as { id: number }).id;
      expect(originOfCall(store, id)).toMatchObject({
        format: 'langfuse',
        file: 'langfuse-trace-download.microsoft-agent.json',
        spanId: '3c2d6f2f26930c50',
        traceId: 'e3a407423619277a2dcef3c13dc89982',
        locator: 'observations[1]',
      });
      // an agent's weather chat is a generic trace: no ticket made up for it
      expect(store.getTicket('langfuse:e3a407423619277a2dcef3c13dc89982')).toBeNull();
      expect(store.runTicketIds(lf.id, 'done').size).toBe(0);
    } finally {
      store.close();
    }
    // the same content again is recognised and left alone
    const again = await runCli(['import', join(FIX, SAMPLES[0]!), '--db', db], offlineEnv);
    expect(again.stdout).toMatch(/already imported as run import-/);
  });

  it('casebench JSONL round-trips without loss: export → import → export gives the same records', async () => {
    const a = join(dir, 'a.jsonl');
    const r1 = await runCli(['export', '--format', 'jsonl', '--out', a, '--db', db], env);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toMatch(/casebench export: \d+ calls, \d+ tickets, \d+ results → /);
    const db2 = join(dir, 'copy.db');
    const imp = await runCli(['import', a, '--db', db2], offlineEnv);
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stderr).toBe('');
    const b = join(dir, 'b.jsonl');
    expect((await runCli(['export', '--format', 'jsonl', '--out', b, '--db', db2], env)).code).toBe(0);
    const strip = (ls: Array<Record<string, unknown>>): unknown[] => ls.map(({ origin: _o, ...rest }) => rest);
    const la = lines(a);
    expect(strip(lines(b))).toEqual(strip(la));
    // recorded calls are in it with their run, and imported ones keep their source ids
    expect(la.some((l) => l.casebench === 'call' && (l.run as { id: string }).id === recordedRun)).toBe(true);
    expect(la.some((l) => l.casebench === 'result' && l.status === 'ok')).toBe(true);
    const lf = la.find((l) => l.casebench === 'call' && (l.metadata as { source: { format: string } }).source.format === 'langfuse')!;
    expect(lf).toMatchObject({ span_id: '3c2d6f2f26930c50', origin: { format: 'langfuse' } });
    const otlpSample = la.find((l) => l.casebench === 'call' && l.span_id === 'd2d12a2700a9bd4d')!;
    expect(otlpSample.started_at).toBe('2025-05-19T17:19:15.185223936Z');
  });

  it('OTLP export carries the mapped fields: importing it gives the same calls', async () => {
    const o = join(dir, 'x.otlp.jsonl');
    expect((await runCli(['export', '--format', 'otlp', '--out', o, '--db', db], env)).code).toBe(0);
    const first = lines(o)[0]!;
    const s0 = (first.resourceSpans as Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>)[0]!.scopeSpans[0]!
      .spans[0]!;
    expect(s0.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(s0.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof s0.startTimeUnixNano).toBe('string');
    const db3 = join(dir, 'otlp.db');
    const imp = await runCli(['import', o, '--db', db3, '--json'], offlineEnv);
    expect(imp.code, imp.stderr).toBe(0);
    const ref = join(dir, 'ref.jsonl');
    const back = join(dir, 'back.jsonl');
    await runCli(['export', '--format', 'jsonl', '--out', ref, '--db', db], env);
    await runCli(['export', '--format', 'jsonl', '--out', back, '--db', db3], env);
    const mapped = (l: Record<string, unknown>): unknown[] => [
      l.ticket_id,
      l.task,
      l.provider,
      l.model,
      l.model_spec,
      l.attempt,
      l.started_at,
      l.ended_at,
      l.ttft_ms === null ? null : Math.round(Number(l.ttft_ms) * 1000),
      l.input_tokens,
      l.output_tokens,
      l.cached_tokens,
      l.reasoning_tokens,
      l.cost_usd,
      l.status,
      l.error_code,
      l.error,
      l.request_id,
      l.output_text,
      l.input_messages,
    ];
    const calls = (p: string): unknown[] =>
      lines(p)
        .filter((l) => l.casebench === 'call')
        .map(mapped)
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    expect(calls(back)).toEqual(calls(ref));
  });

  it('CSV export: one row per task × model with n, success rate, median/p95 and mean cost', async () => {
    const c = join(dir, 'r.csv');
    const r = await runCli(['export', '--format', 'csv', '--out', c, '--db', db], env);
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(c, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('task,model,n,success_rate,median_ms,p95_ms,mean_cost_usd,cost_note,origin');
    expect(rows.some((l) => l.startsWith('platform,demo:') && l.endsWith(',recorded'))).toBe(true);
    expect(rows.some((l) => l.startsWith('Solve this riddle: {{riddle}},openai:gpt-5,2,1,5612,') && l.endsWith(',imported'))).toBe(true);
  });

  it('a damaged file imports what is readable and lists each skipped line with its reason', async () => {
    const src = join(dir, 'good.jsonl');
    await runCli(['export', '--format', 'otlp', '--out', src, '--db', db], env);
    const ls = readFileSync(src, 'utf8').trim().split('\n');
    const damaged = [ls[0], '{"resourceSpans": [ oops', ls[1], 'plain text', ...ls.slice(2, 6), ls[6]!.slice(0, 50)].join('\n');
    const p = join(dir, 'damaged.jsonl');
    writeFileSync(p, damaged);
    const r = await runCli(['import', p, '--db', join(dir, 'damaged.db')], offlineEnv);
    expect(r.code, r.stderr).toBe(0);
    const errs = r.stderr.trim().split('\n');
    expect(errs).toEqual([
      expect.stringMatching(/^damaged\.jsonl:2: not valid JSON .*; skipped$/),
      expect.stringMatching(/^damaged\.jsonl:4: not valid JSON .*; skipped$/),
      expect.stringMatching(/^damaged\.jsonl:9: not valid JSON .*the file looks truncated; skipped$/),
    ]);
    expect(r.stdout).toMatch(/^damaged\.jsonl: 6 calls, .*; 3 records skipped$/m);
  });

  it('--redact leaves none of the corpus secrets in JSONL, OTLP or CSV, and counts what it masked on stderr', async () => {
    const corpus = JSON.parse(readFileSync(join(FIX, 'redaction-corpus.json'), 'utf8')) as Array<{ text: string; secret: string }>;
    const run = { id: 'leaky', kind: 'run', label: 'ops@example.com' };
    const recs: unknown[] = [];
    corpus.forEach((c, i) => {
      const id = `T${i}`;
      recs.push({
        casebench: 'ticket',
        id,
        text: `Ticket: ${c.text}`,
        title: c.text.slice(0, 30),
        created_at: null,
        labels: null,
        source: null,
      });
      recs.push({
        casebench: 'call',
        run,
        trace_id: `t${i}`,
        span_id: `s${i}`,
        parent_span_id: null,
        ticket_id: id,
        task: 'severity',
        provider: 'groq',
        model: 'openai/gpt-oss-20b',
        model_spec: 'groq:openai/gpt-oss-20b',
        attempt: 1,
        prompt_version: 'v1',
        started_at: '2025-01-01T00:00:00.000Z',
        started_at_ms: 1735689600000,
        ended_at: '2025-01-01T00:00:00.500Z',
        latency_ms: 500,
        ttft_ms: null,
        queue_time_ms: null,
        provider_total_ms: null,
        input_tokens: 1,
        output_tokens: 1,
        cached_tokens: null,
        reasoning_tokens: null,
        cost_usd: null,
        status: i % 2 ? 'error' : 'success',
        error_code: i % 2 ? 'PROVIDER_ERROR' : null,
        error: i % 2 ? `upstream said: ${c.text}` : null,
        http_status: null,
        request_id: null,
        input_messages: [{ role: 'user', content: c.text }],
        output_text: `{"severity":"low","note":${JSON.stringify(c.text)}}`,
        parsed_output: { echo: c.text },
        metadata: {
          note: c.text,
          nested: { deeper: [c.text] },
          source: { format: 'casebench', id: `s${i}`, parent_id: null, trace_id: `t${i}` },
        },
        origin: null,
      });
    });
    const p = join(dir, 'leaky.jsonl');
    writeFileSync(p, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const ldb = join(dir, 'leaky.db');
    expect((await runCli(['import', p, '--db', ldb], offlineEnv)).code).toBe(0);
    for (const format of ['jsonl', 'otlp', 'csv']) {
      const out = join(dir, `leaky.${format}`);
      const r = await runCli(['export', '--format', format, '--out', out, '--db', ldb, '--redact'], env);
      expect(r.code, r.stderr).toBe(0);
      const text = readFileSync(out, 'utf8');
      for (const c of corpus) expect(text, `${format}: ${c.secret}`).not.toContain(c.secret);
      expect(text).not.toContain('ops@example.com');
      if (format !== 'csv') expect(r.stderr).toMatch(/casebench export: redacted .*\d+ email.*\d+ aws_access_key/);
    }
    // without --redact the same export does contain them (the test is not vacuous)
    const plain = join(dir, 'plain.jsonl');
    await runCli(['export', '--format', 'jsonl', '--out', plain, '--db', ldb], env);
    expect(readFileSync(plain, 'utf8')).toContain(corpus[0]!.secret);
  });

  it('bad input is refused with a one-line reason and exit status 2', async () => {
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'hello world\n');
    const r = await runCli(['import', junk, join(dir, 'missing.json'), '--db', join(dir, 'junk.db')], offlineEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/junk\.txt: cannot tell the trace format/);
    expect(r.stderr).toMatch(/missing\.json: no such file/);
    // --json: a line per file, the failed ones too, so a script sees every file it passed
    const good = join(dir, 'good.json');
    copyFileSync(join(FIX, 'otlp-tracesdata-appended.http-bodies.json'), good);
    const j = await runCli(['import', junk, good, join(dir, 'missing.json'), '--json', '--db', join(dir, 'junk.db')], offlineEnv);
    expect(j.code).toBe(2);
    const out = j.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ok: boolean; file: { name: string }; calls: number; error?: { code: string; message: string } });
    expect(out.map((x) => [x.file.name, x.ok, x.calls, x.error?.code ?? null])).toEqual([
      ['junk.txt', false, 0, 'BAD_INPUT'],
      ['good.json', true, 2, null],
      ['missing.json', false, 0, 'BAD_INPUT'],
    ]);
    expect(out[0]!.error!.message).toMatch(/cannot tell the trace format/);
    const e = await runCli(['export', '--format', 'xml', '--out', join(dir, 'x'), '--db', db], env);
    expect(e.code).toBe(2);
    copyFileSync(join(FIX, SAMPLES[0]!), join(dir, 'copy.json'));
  });
});

// What real trace files throw at an importer: chunk boundaries anywhere, truncation, corrupt
// lines, children before parents, CSV, odd encodings of ids, times and enums; and random input.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { AppError } from '#shared/errors.ts';
import { openStore } from '../store/store.ts';
import { importTraceFile } from './importer.ts';
import { JsonScanner, type PathSeg } from './jsonStream.ts';
import { openTraceFile } from './reader.ts';
import type { ImportedCall, ImportIssue } from './types.ts';
import { isoToNs, normaliseId, nsToIso, parseJson } from './values.ts';

const FIX = fileURLToPath(new URL('../../../test/fixtures/traces/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cb-traces-'));
let seq = 0;
const file = (content: string, ext = 'json'): string => {
  const p = join(dir, `f${seq++}.${ext}`);
  writeFileSync(p, content);
  return p;
};

async function read(path: string): Promise<{ calls: ImportedCall[]; issues: ImportIssue[] }> {
  const { items } = await openTraceFile(path);
  const calls: ImportedCall[] = [];
  const issues: ImportIssue[] = [];
  for await (const batch of items) {
    for (const it of batch) {
      if (it.kind === 'call') calls.push(it.call);
      else if (it.kind === 'issue') issues.push(it.issue);
    }
  }
  return { calls, issues };
}

const span = (o: Record<string, unknown>): Record<string, unknown> => ({
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  name: 'chat gpt-4o',
  kind: 3,
  startTimeUnixNano: '1544712660000000000',
  endTimeUnixNano: '1544712660250000000',
  attributes: [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
  ],
  ...o,
});
const traces = (...spans: unknown[]): string =>
  JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] });

describe('values', () => {
  it('keeps ns exact through ISO and reads naive times as UTC', () => {
    expect(nsToIso(1747675155185223936n)).toBe('2025-05-19T17:19:15.185223936Z');
    expect(isoToNs('2025-05-19T17:19:15.185223936Z')).toBe(1747675155185223936n);
    expect(isoToNs('2024-04-29T00:49:12.090000')).toBe(isoToNs('2024-04-29T00:49:12.090Z'));
    expect(isoToNs('2024-10-11T22:58:20.695375+02:00')).toBe(isoToNs('2024-10-11T20:58:20.695375Z'));
    expect(isoToNs('yesterday')).toBeNull();
  });
  it('parses bare int64 exactly and leaves ordinary JSON to JSON.parse', () => {
    expect(parseJson('{"t":1747675155185223936,"x":1.5}')).toEqual({ t: '1747675155185223936', x: 1.5 });
    expect(parseJson('{"t":17}')).toEqual({ t: 17 });
    // nested, negative, in arrays, beside safe integers, fractions, exponents and look-alike strings
    expect(
      parseJson(
        '{"a":[-9223372036854775808, 9007199254740991, 9007199254740993, 1.0000000000000002, 1e21],"s":"12345678901234567890","o":{"n":18446744073709551615}}',
      ),
    ).toEqual({
      a: ['-9223372036854775808', 9007199254740991, '9007199254740993', 1.0000000000000002, 1e21],
      s: '12345678901234567890',
      o: { n: '18446744073709551615' },
    });
    expect(() => parseJson('{"t":12345678901234567890,}')).toThrow(SyntaxError);
  });
  it('keeps every int64 exact, and every safe integer a number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), (n) => {
        const v = (parseJson(`{"id":1000000000000000000,"v":[${n}]}`) as { v: unknown[] }).v[0];
        expect(v).toEqual(n >= -(2n ** 53n) + 1n && n <= 2n ** 53n - 1n ? Number(n) : n.toString());
      }),
      { numRuns: 500 },
    );
  });
  it('reads ids as hex, base64 and Buffer JSON', () => {
    expect(normaliseId('T6nh/mMkIONaoHewS9UWIw==', 16)).toBe('4fa9e1fe632420e35aa077b04bd51623');
    expect(normaliseId('5B8EFFF798038103D269B633813FC60C', 16)).toBe('5b8efff798038103d269b633813fc60c');
    expect(normaliseId({ type: 'Buffer', data: [1, 2, 3, 4, 5, 6, 7, 8] }, 8)).toBe('0102030405060708');
    expect(normaliseId('', 8)).toBeNull();
  });
});

describe('streaming JSON scanner', () => {
  it('gives the same values whatever the chunk boundaries', () => {
    const doc = JSON.stringify({ a: [{ x: 'q"\\"}]', y: [1, 2] }, { x: '\u00e9\\\\', y: null }, 3, 'str', true], b: { c: 'skip me' } });
    const select = (p: readonly PathSeg[]): 'value' | 'descend' | 'skip' =>
      p.length === 0 ? 'descend' : p[0] === 'a' ? (p.length === 1 ? 'descend' : 'value') : 'skip';
    const whole = new JsonScanner(select).push(doc).map((e) => (e.kind === 'value' ? JSON.parse(e.text) : e));
    expect(whole).toEqual([{ x: 'q"\\"}]', y: [1, 2] }, { x: 'é\\\\', y: null }, 3, 'str', true]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: doc.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((x, y) => x - y);
        const s = new JsonScanner(select);
        const out: unknown[] = [];
        let last = 0;
        for (const c of [...points, doc.length]) {
          for (const e of s.push(doc.slice(last, c))) out.push(e.kind === 'value' ? JSON.parse(e.text) : e);
          last = c;
        }
        for (const e of s.end()) out.push(e);
        expect(out).toEqual(whole);
      }),
    );
  });
});

describe('importing damaged and unusual files', () => {
  it('a truncated JSON document imports the complete records and names where it stopped', async () => {
    const full = readFileSync(FIX + 'promptfoo-output.sample-export.json', 'utf8');
    const cut = full.slice(0, full.indexOf('"id": "e1fa91fd'));
    const { calls, issues } = await read(file(cut));
    expect(calls).toHaveLength(2);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.where).toMatch(/results\.results\[2\]/);
    expect(issues[0]!.message).toMatch(/truncated/);
  });

  it('a corrupt JSONL line is skipped with file:line; a cut last line says the file looks truncated', async () => {
    const lines = [
      traces(span({})),
      '{"resourceSpans": [ broken',
      traces(span({ spanId: 'eee19b7ec3c1b175' })),
      traces(span({ spanId: 'eee19b7ec3c1b176' })).slice(0, 40),
    ];
    const p = file(lines.join('\n'), 'jsonl');
    const { calls, issues } = await read(p);
    expect(calls).toHaveLength(2);
    expect(issues.map((i) => i.where.replace(/^.*:/, ''))).toEqual(['2', '4']);
    expect(issues[1]!.message).toMatch(/truncated/);
  });

  it('OTLP: base64 ids, enum names, error status with exception event, TTFT attribute, child before parent', async () => {
    const parent = {
      traceId: 'W47/95gDgQPSabYzgT/GDA==',
      spanId: '7uGbfsPBsXM=',
      name: 'platform',
      startTimeUnixNano: 1544712659000000000,
      endTimeUnixNano: 1544712661000000000,
      attributes: { 'ticket.id': 'T-9' },
    };
    const child = span({
      traceId: 'W47/95gDgQPSabYzgT/GDA==',
      spanId: '7uGbfsPBsXQ=',
      parentSpanId: '7uGbfsPBsXM=',
      kind: 'SPAN_KIND_CLIENT',
      status: { code: 'STATUS_CODE_ERROR' },
      events: [
        {
          timeUnixNano: '1544712660250000000',
          name: 'exception',
          attributes: [
            { key: 'exception.type', value: { stringValue: 'RateLimitError' } },
            { key: 'exception.message', value: { stringValue: '429 Too Many Requests' } },
          ],
        },
      ],
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.system', value: { stringValue: 'OpenAI' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
        { key: 'gen_ai.response.time_to_first_chunk', value: { doubleValue: 0.125 } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: 12 } },
      ],
    });
    const { calls } = await read(file(traces(child, parent)));
    expect(calls).toHaveLength(1);
    const r = calls[0]!.record;
    expect(r).toMatchObject({
      trace_id: '5b8efff798038103d269b633813fc60c',
      ticket_id: 'T-9',
      task: 'platform',
      provider: 'openai',
      ttft_ms: 125,
      input_tokens: 12,
      status: 'error',
      error: 'RateLimitError: 429 Too Many Requests',
      latency_ms: 250,
    });
    expect(calls[0]!.x.errorCode).toBe('RATE_LIMITED');
  });

  it('Langfuse CSV export: cells as text, JSON columns parsed, latency from the timestamps', async () => {
    const csv = [
      'id,traceId,type,name,startTime,endTime,model,usageDetails,costDetails,input,output,level,statusMessage,latency,parentObservationId,traceName',
      'g1,t1,GENERATION,chat,2025-01-01T00:00:00.000Z,2025-01-01T00:00:01.500Z,gpt-4o,"{""input"":10,""output"":3}","{""total"":0.001}","[{""role"":""user"",""content"":""hi""}]","{""role"":""assistant"",""content"":""{\\""severity\\"":\\""high\\""}""}",DEFAULT,,1.5,,severity',
      'g2,t1,GENERATION,chat,2025-01-01T00:00:02Z,2025-01-01T00:00:03Z,gpt-4o,,,,,ERROR,upstream 503,,,severity',
    ].join('\n');
    const { calls, issues } = await read(file(csv, 'csv'));
    expect(issues).toEqual([]);
    expect(calls.map((c) => c.record)).toMatchObject([
      {
        task: 'severity',
        provider: 'openai',
        input_tokens: 10,
        output_tokens: 3,
        cost_usd: 0.001,
        latency_ms: 1500,
        output_text: '{"severity":"high"}',
        status: 'success',
      },
      { status: 'error', error: 'upstream 503', latency_ms: 1000 },
    ]);
  });

  it('LangSmith JSONL: a child run before its parent waits for it; ticket from a tag, task from the root run, epoch-ms times', async () => {
    const root = {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'triage-ticket',
      run_type: 'chain',
      trace_id: '00000000-0000-4000-8000-000000000001',
      tags: ['ticket:T-77'],
      start_time: 1728803137000,
      end_time: 1728803139000,
    };
    const llm = {
      id: '00000000-0000-4000-8000-000000000002',
      name: 'ChatGroq',
      run_type: 'llm',
      parent_run_id: root.id,
      trace_id: root.id,
      start_time: 1728803137170,
      end_time: 1728803137420,
      extra: { metadata: { ls_provider: 'groq', ls_model_name: 'openai/gpt-oss-20b' }, invocation_params: { _type: 'groq-chat' } },
      inputs: {
        messages: [
          [{ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', 'HumanMessage'], kwargs: { content: 'S3 is down' } }],
        ],
      },
      outputs: {
        generations: [
          [
            {
              text: '',
              message: {
                lc: 1,
                type: 'constructor',
                id: ['langchain', 'schema', 'messages', 'AIMessage'],
                kwargs: { content: '{"severity":"urgent"}', usage_metadata: { input_tokens: 30, output_tokens: 6, total_tokens: 36 } },
              },
            },
          ],
        ],
        llm_output: { token_usage: { queue_time: 0.01, total_time: 0.2 }, model_name: 'openai/gpt-oss-20b' },
      },
    };
    const { calls } = await read(file([JSON.stringify(llm), JSON.stringify(root)].join('\n'), 'jsonl'));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.record).toMatchObject({
      ticket_id: 'T-77',
      task: 'triage-ticket',
      provider: 'groq',
      model: 'openai/gpt-oss-20b',
      latency_ms: 250,
      input_tokens: 30,
      output_tokens: 6,
      input_messages: [{ role: 'user', content: 'S3 is down' }],
      output_text: '{"severity":"urgent"}',
      started_at: '2024-10-13T07:05:37.170Z',
    });
    expect(calls[0]!.x).toMatchObject({ queueTimeMs: 10, providerTotalMs: 200 });
  });

  it('Langfuse observations as a JSON array and promptfoo results as JSONL', async () => {
    const obs = [
      { id: 'a', traceId: 't', type: 'SPAN', name: 'platform', startTime: '2025-01-01T00:00:00Z', parentObservationId: null },
      {
        id: 'b',
        traceId: 't',
        type: 'GENERATION',
        name: 'chat',
        startTime: '2025-01-01T00:00:00.100Z',
        endTime: '2025-01-01T00:00:00.400Z',
        parentObservationId: 'a',
        model: 'claude-3-5-haiku',
        usageDetails: { input: 5, output: 2 },
        latency: 0.3,
      },
    ];
    const lf = await read(file(JSON.stringify(obs)));
    expect(lf.calls.map((c) => c.record)).toMatchObject([{ task: 'platform', provider: 'anthropic', latency_ms: 300, input_tokens: 5 }]);
    const rows = [
      {
        id: 'r1',
        promptIdx: 0,
        testIdx: 3,
        provider: { id: 'groq:chat:llama-3.3-70b-versatile' },
        vars: { ticket_id: 'T-1', ticket_text: 'VM down' },
        prompt: { raw: '[{"role":"system","content":"triage"},{"role":"user","content":"VM down"}]', label: 'severity' },
        response: { output: { severity: 'high' }, tokenUsage: { prompt: 10, completion: 3 } },
        latencyMs: 120,
        failureReason: 0,
        success: true,
        score: 1,
      },
      {
        id: 'r2',
        promptIdx: 0,
        testIdx: 4,
        provider: { id: 'openai:gpt-4o' },
        vars: {},
        prompt: { raw: 'x', label: 'severity' },
        error: 'API error 500',
        latencyMs: 30,
        failureReason: 2,
        success: false,
      },
    ];
    const pf = await read(file(rows.map((r) => JSON.stringify(r)).join('\n'), 'jsonl'));
    expect(pf.calls.map((c) => c.record)).toMatchObject([
      {
        ticket_id: 'T-1',
        task: 'severity',
        provider: 'groq',
        model: 'llama-3.3-70b-versatile',
        input_tokens: 10,
        latency_ms: 120,
        output_text: '{"severity":"high"}',
        parsed_output: { severity: 'high' },
        input_messages: [
          { role: 'system', content: 'triage' },
          { role: 'user', content: 'VM down' },
        ],
      },
      { provider: 'openai', model: 'gpt-4o', status: 'error', error: 'API error 500' },
    ]);
    expect(pf.calls[0]!.record.metadata.approximate_time).toMatch(/file modification time/);
    expect(pf.calls[0]!.x.ticketText).toBe('VM down');
  });

  it('a multi-megabyte single JSON document is streamed across chunk boundaries without losing a record', async () => {
    const spans = Array.from({ length: 6000 }, (_, i) =>
      span({ spanId: (i + 1).toString(16).padStart(16, '0'), name: `chat ${'x'.repeat(i % 700)}` }),
    );
    const doc = traces(...spans);
    expect(doc.length).toBeGreaterThan(3 * (1 << 20));
    const { calls, issues } = await read(file(doc));
    expect(issues).toEqual([]);
    expect(calls).toHaveLength(6000);
    expect(new Set(calls.map((c) => c.x.spanId)).size).toBe(6000);
  });

  it('one transaction per file: an aborted import writes nothing; a damaged one commits every readable record', async () => {
    const store = openStore(':memory:');
    const lines = Array.from({ length: 50 }, (_, i) => traces(span({ spanId: (0x1000 + i).toString(16).padStart(16, '0') })));
    lines.splice(10, 0, 'not json');
    const p = file(lines.join('\n'), 'jsonl');
    const ac = new AbortController();
    await expect(importTraceFile(store, p, { signal: ac.signal, onIssue: () => ac.abort() })).rejects.toThrow(/cancelled/);
    expect(store.countCalls()).toBe(0);
    expect(store.listRuns()).toEqual([]);
    const r = await importTraceFile(store, p);
    expect(r).toMatchObject({ calls: 50, skipped: 1 });
    expect(r.issues[0]!.where).toMatch(/:11$/);
    expect(store.countCalls()).toBe(50);
    const again = await importTraceFile(store, p);
    expect(again.alreadyImported).toBe(r.runIds[0]);
    expect(store.countCalls()).toBe(50);
    store.close();
  });

  it('answers to casebench tasks are judged like recorded ones: parsed and normalised, or INVALID_OUTPUT', async () => {
    const store = openStore(':memory:');
    const mk = (id: string, out: string): unknown =>
      span({
        spanId: id,
        attributes: [
          { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
          { key: 'gen_ai.provider.name', value: { stringValue: 'groq' } },
          { key: 'gen_ai.request.model', value: { stringValue: 'openai/gpt-oss-20b' } },
          { key: 'task.name', value: { stringValue: 'platform' } },
          { key: 'ticket.id', value: { stringValue: id } },
          {
            key: 'gen_ai.output.messages',
            value: { stringValue: JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: out }] }]) },
          },
        ],
      });
    await importTraceFile(store, file(traces(mk('00000000000000a1', '{"platform":"AWS"}'), mk('00000000000000a2', 'it is aws'))));
    const [ok, bad] = ['00000000000000a1', '00000000000000a2'].map(
      (t) => store.prepare('SELECT * FROM results WHERE ticket_id = ?').get(t) as Record<string, unknown>,
    );
    expect(ok).toMatchObject({ status: 'ok', value: '"aws"', task: 'platform', model_spec: 'groq:openai/gpt-oss-20b' });
    expect(bad).toMatchObject({ status: 'error', error_code: 'INVALID_OUTPUT' });
    store.close();
  });

  it('a damaged value where the format is decided (found by the fuzzer: `[0!`) is a clear format error', async () => {
    await expect(read(file('[0!'))).rejects.toThrow(/cannot tell the trace format: not valid JSON/);
  });

  it('a compressed file or archive says what it is and what to do, instead of "cannot tell the trace format"', async () => {
    const json = readFileSync(fileURLToPath(new URL('../../../test/fixtures/traces/promptfoo-output.sample-export.json', import.meta.url)));
    const at = (bytes: Buffer, name: string): string => {
      const p = join(mkdtempSync(join(tmpdir(), 'cb-archive-')), name);
      writeFileSync(p, bytes);
      return p;
    };
    await expect(read(at(gzipSync(json), 'eval.json.gz'))).rejects.toThrow(
      /^eval\.json\.gz: a gzip-compressed file, not a trace file: decompress it first \(gunzip\), then give casebench what it holds$/,
    );
    // a zip's local file header, as `zip` writes it
    await expect(read(at(Buffer.concat([Buffer.from('PK\u0003\u0004'), json]), 'eval.zip'))).rejects.toThrow(
      /^eval\.zip: a zip archive, not a trace file: extract it first \(unzip\)/,
    );
  });

  it('random bytes and random cuts of real samples never crash or hang: a clear error or per-item issues', async () => {
    const samples = [
      'langfuse-trace-download.microsoft-agent.json',
      'langsmith-run-ingest.wrap-openai-stream.json',
      'otlp-genai-span.langsmith-collector-proxy-doc.json',
      'promptfoo-output.sample-export.json',
    ].map((f) => readFileSync(FIX + f, 'utf8'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc
            .tuple(fc.constantFrom(...samples), fc.nat(), fc.nat())
            .map(([s, a, b]) => s.slice(0, a % s.length) + s.slice((a % s.length) + (b % 40))),
        ),
        async (content) => {
          try {
            const { calls, issues } = await read(file(content));
            for (const i of issues) expect(i.message.length).toBeGreaterThan(0);
            for (const c of calls) expect(typeof c.record.started_at).toBe('string');
          } catch (e) {
            expect(e).toBeInstanceOf(AppError);
            expect((e as AppError).message).toMatch(/cannot tell the trace format|empty/);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

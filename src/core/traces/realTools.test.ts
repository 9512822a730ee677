// Files as real tools write them (issue 14 §4), built after each tool's own code and kept small in
// test/fixtures/traces (INDEX.md says what each imitates): nothing of them may be lost or counted twice.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../store/store.ts';
import { loadModels } from '../models.ts';
import { importTraceFile, type ImportReport } from './importer.ts';
import { ImportPricer, priceEntries } from './importPricing.ts';
import { openTraceFile } from './reader.ts';
import type { ImportedCall, ImportIssue } from './types.ts';

const FIX = fileURLToPath(new URL('../../../test/fixtures/traces/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'cb-realtools-'));

async function read(path: string): Promise<{ label: string; calls: ImportedCall[]; issues: ImportIssue[] }> {
  const { info, items } = await openTraceFile(path);
  const calls: ImportedCall[] = [];
  const issues: ImportIssue[] = [];
  for await (const batch of items) {
    for (const it of batch) {
      if (it.kind === 'call') calls.push(it.call);
      else if (it.kind === 'issue') issues.push(it.issue);
    }
  }
  return { label: info.label, calls, issues };
}

type Row = Record<string, unknown>;
async function imported(path: string): Promise<{ report: ImportReport; calls: Row[]; results: Row[]; store: Store }> {
  const store = openStore(':memory:');
  const report = await importTraceFile(store, path);
  const calls = store
    .prepare(`SELECT c.*, o.metadata, o.parsed_output FROM calls c JOIN call_origins o ON o.call_id = c.id ORDER BY c.id`)
    .all() as Row[];
  const results = store.prepare('SELECT * FROM results ORDER BY ticket_id, model_spec').all() as Row[];
  return { report, calls, results, store };
}
const meta = (r: Row): Record<string, any> => JSON.parse(String(r.metadata)) as Record<string, any>;

describe('LangSmith JS SDK ingest payloads', () => {
  it('a patch without `id` is matched to its post by the dotted order; epoch-ms times; nothing is left "still running"', async () => {
    const { report, calls } = await imported(FIX + 'langsmith-run-ingest.js-sdk-patch-without-id.json');
    expect(report.issues).toEqual([]);
    expect(report.calls).toBe(2);
    expect(calls.map((c) => [c.ticket_id, c.task, c.model_spec, c.status, c.latency_ms, c.input_tokens, c.output_tokens])).toEqual([
      ['INC-5100', 'platform', 'groq:openai/gpt-oss-20b', 'ok', 321, 389, 27],
      ['INC-5100', 'asset_lookup', 'openai:gpt-4o-mini', 'ok', 803, 96, 31],
    ]);
    expect(calls[0]!.started_at).toBe(1734074137182);
  });
});

describe('promptfoo evals comparing prompts', () => {
  it('two prompts on one test and provider are two results, each named by its prompt, not attempts of one', async () => {
    const { calls, results } = await imported(FIX + 'promptfoo-output.two-prompts.json');
    expect(results).toHaveLength(4);
    expect(results.every((r) => r.attempts === 1)).toBe(true);
    const specs = [...new Set(results.map((r) => String(r.model_spec)))].sort();
    expect(specs).toEqual([
      'groq:openai/gpt-oss-120b [prompt 1: prompts/severity_v1.txt: Rate the sever…]',
      'groq:openai/gpt-oss-120b [prompt 2: prompts/severity_v2.txt: You are an SRE…]',
    ]);
    // each prompt's own answer is kept: v1 says normal, v2 says low for INC-6002
    const inc2 = results.filter((r) => r.ticket_id === 'INC-6002').map((r) => r.value);
    expect(inc2).toEqual(['"normal"', '"low"']);
    expect(meta(calls[0]!).prompt).toMatchObject({ n: 1 });
  });

  it('the JSONL rows (no prompt list ahead of them) keep every result too', async () => {
    const { results } = await imported(FIX + 'promptfoo-results.two-prompts.jsonl');
    expect(results).toHaveLength(4);
    expect(new Set(results.map((r) => r.model_spec)).size).toBe(2);
  });
});

describe('Langfuse usage details', () => {
  it('cache reads and reasoning are read under the documented keys and added back into input and output', async () => {
    const { calls } = await imported(FIX + 'langfuse-observations.litellm-groq.jsonl');
    // input 355 + input_cached_tokens 128; output 19 + output_reasoning_tokens 11 (their total is 513)
    expect(calls.map((c) => [c.input_tokens, c.output_tokens, c.cached_tokens, c.reasoning_tokens])).toEqual([[483, 30, 128, 11]]);
    const v = await read(FIX + 'langfuse-trace-download.vercel-ai-sdk-tool-step.json');
    expect(v.calls.map((c) => [c.record.input_tokens, c.record.output_tokens, c.x.cachedTokens, c.x.reasoningTokens])).toEqual([
      [1324, 233, 512, 192],
      [1430, 268, 512, 192],
    ]);
  });

  it('a total equal to input + output means the buckets are already inside them', async () => {
    const path = join(tmp, 'inclusive.jsonl');
    const row = JSON.parse(readFileSync(FIX + 'langfuse-observations.litellm-groq.jsonl', 'utf8').trim()) as Row;
    row.usageDetails = JSON.stringify({ input: 483, output: 30, input_cache_read: 128, output_reasoning: 11, total: 513 });
    writeFileSync(path, `${JSON.stringify(row)}\n`);
    const { calls } = await imported(path);
    expect(calls.map((c) => [c.input_tokens, c.output_tokens, c.cached_tokens, c.reasoning_tokens])).toEqual([[483, 30, 128, 11]]);
  });
});

describe('answers that are only tool calls', () => {
  it('OpenAI tool_calls (LangSmith) and Vercel AI SDK tool calls (Langfuse) are the answer, kept whole, never ""', async () => {
    const ls = await read(FIX + 'langsmith-run-ingest.js-sdk-patch-without-id.json');
    const openai = ls.calls.find((c) => c.record.model === 'gpt-4o-mini')!.record;
    expect(JSON.parse(openai.output_text!)).toEqual({
      type: 'tool_call',
      id: 'call_Zx81',
      name: 'describe_instance',
      arguments: { instance_id: 'i-0abc123', region: 'us-east-1' },
    });
    expect(openai.parsed_output).toEqual({ instance_id: 'i-0abc123', region: 'us-east-1' });
    expect(openai.metadata.tool_calls).toEqual([
      { id: 'call_Zx81', name: 'describe_instance', arguments: { instance_id: 'i-0abc123', region: 'us-east-1' } },
    ]);
    const lf = await read(FIX + 'langfuse-trace-download.vercel-ai-sdk-tool-step.json');
    const step1 = lf.calls[0]!.record;
    expect(JSON.parse(step1.output_text!)).toMatchObject({
      name: 'lookupBucketOwner',
      id: 'call_bK2p9',
      arguments: { bucket: 'logs-prod-7' },
    });
    expect(step1.parsed_output).toEqual({ bucket: 'logs-prod-7' });
  });
});

describe('calls traced twice and markers', () => {
  it('a GENERATION wrapping a same-model GENERATION (ai.generateText over doGenerate) counts once; an empty GENERATION marker not at all', async () => {
    const { report, calls, store } = await imported(FIX + 'langfuse-trace-download.vercel-ai-sdk-tool-step.json');
    expect(calls.map((c) => meta(c).observation_name)).toEqual(['ai.generateText.doGenerate', 'ai.generateText.doGenerate']);
    const cost = store.prepare('SELECT sum(cost_usd) AS s, sum(input_tokens) AS i FROM calls').get() as Row;
    expect(cost.s).toBeCloseTo(0.0006818 + 0.0007783, 10); // not doubled by the wrapper's 0.0014576
    expect(cost.i).toBe(1324 + 1430);
    expect(report.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/"ai\.generateText" not counted as a call: it wraps the call 1a2b3c4d5e6f7081 of the same model/),
      expect.stringMatching(/"ai\.generateText\.step-finish" with no input, output or usage: an event marker/),
    ]);
    expect(meta(calls[0]!).wrapped_by).toMatchObject({ id: '8d3c1a2b4e5f6071', name: 'ai.generateText' });
  });

  it('the same when the children come before their wrapper (an observations export, newest first)', async () => {
    const doc = JSON.parse(readFileSync(FIX + 'langfuse-trace-download.vercel-ai-sdk-tool-step.json', 'utf8')) as { observations: Row[] };
    const path = join(tmp, 'observations-newest-first.json');
    writeFileSync(path, JSON.stringify([...doc.observations].reverse()));
    const { calls } = await read(path);
    expect(calls.map((c) => c.record.metadata.source.id).sort()).toEqual(['1a2b3c4d5e6f7081', '3c4d5e6f70819203']);
  });
});

describe('OTLP framings real tools write', () => {
  it('ResourceSpans objects without an envelope, pretty-printed one after another (GitHub Copilot CLI): every document is read', async () => {
    const { report, calls } = await imported(FIX + 'otlp-resourcespans.copilot-cli-outfile.json');
    expect(report.file.label).toMatch(/OTLP ResourceSpans objects without a TracesData envelope/);
    expect(report.notes).toContain('read 2 JSON documents one after another');
    expect(calls.map((c) => [c.model_spec, c.input_tokens, c.cached_tokens])).toEqual([
      ['github:claude-sonnet-4.5', 18420, 17920],
      ['github:claude-sonnet-4.5', 18671, 18304],
    ]);
    expect(meta(calls[0]!).resource).toMatchObject({ 'service.name': 'github-copilot' });
    expect(calls[1]!.task).toBe('invoke_agent copilot'); // its parent came in the first document
  });

  it('several TracesData documents appended: all of them, not only the first; other objects are still named for what they are', async () => {
    const { calls } = await imported(FIX + 'otlp-tracesdata-appended.http-bodies.json');
    expect(calls.map((c) => c.ticket_id)).toEqual(['INC-4821', 'INC-4822']);
    const p = join(tmp, 'other.json');
    writeFileSync(p, JSON.stringify({ hello: 1 }, null, 2) + '\n' + JSON.stringify({ hello: 2 }, null, 2));
    await expect(openTraceFile(p)).rejects.toThrow(/a JSON object with keys "hello", which is no known trace format/);
  });

  it('bare SDK spans (startTime as [s, ns], ids in spanContext): pretty-printed one after another, one a line, or in an array', async () => {
    const pretty = await read(FIX + 'otel-sdk-spans.gemini-cli-outfile.json');
    expect(pretty.label).toMatch(/bare OpenTelemetry spans/);
    expect(pretty.calls).toHaveLength(1);
    const r = pretty.calls[0]!.record;
    expect(r).toMatchObject({
      provider: 'gcp.gemini',
      model: 'gemini-2.5-flash',
      started_at: '2025-12-04T14:03:20.250Z',
      latency_ms: 2562.5,
      input_tokens: 5120,
      task: 'invoke_agent gemini-cli',
    });
    const spans = readFileSync(FIX + 'otel-sdk-spans.gemini-cli-outfile.json', 'utf8')
      .split(/\n(?=\{)/)
      .map((s) => JSON.parse(s) as unknown);
    const jsonl = join(tmp, 'vscode-spans.jsonl');
    writeFileSync(jsonl, spans.map((s) => JSON.stringify(s)).join('\n') + '\n');
    const array = join(tmp, 'spans-array.json');
    writeFileSync(array, JSON.stringify(spans, null, 2));
    for (const p of [jsonl, array]) {
      const got = await read(p);
      expect(
        got.calls.map((c) => [c.record.model, c.record.latency_ms, c.record.task]),
        p,
      ).toEqual([['gemini-2.5-flash', 2562.5, 'invoke_agent gemini-cli']]);
    }
  });
});

describe('imported calls with tokens but no cost', () => {
  it('are priced from resources/models.json, saying which dated price was used; an unknown model stays "price unknown"', async () => {
    const { calls } = await imported(FIX + 'otlp-tracesdata-appended.http-bodies.json');
    expect(calls[0]!.cost_usd).toBeCloseTo((412 * 0.075 + 36 * 0.3) / 1e6, 12);
    expect(meta(calls[0]!).cost_estimate).toEqual({ price: 'groq:openai/gpt-oss-20b', price_date: '2026-10-07' }); // matched exactly: nothing more to say
    expect(calls[1]!.cost_usd).toBeCloseTo((1204 * 0.15 + 58 * 0.6) / 1e6, 12);
    const copilot = await imported(FIX + 'otlp-resourcespans.copilot-cli-outfile.json');
    expect(copilot.calls.map((c) => c.cost_usd)).toEqual([null, null]); // GitHub's Claude: no price on record
    const litellm = await imported(FIX + 'langfuse-observations.litellm-groq.jsonl');
    expect(litellm.calls[0]!.cost_usd).toBeCloseTo((355 * 0.15 + 128 * 0.075 + 30 * 0.6) / 1e6, 12);
    expect(meta(litellm.calls[0]!).cost_estimate.matched).toBe('groq/openai/gpt-oss-120b: groq:openai/gpt-oss-120b exactly');
  });

  it('matches model ids conservatively: prefixes, aliases and dated snapshots, never a guess across providers', () => {
    const p = new ImportPricer(priceEntries(loadModels()));
    const m = (prov: string | null, model: string): string | null => p.match(prov, model)?.entry.id ?? null;
    expect(m('openai', 'gpt-4o-2024-08-06')).toBe('openai:gpt-4o');
    expect(p.match('openai', 'gpt-4.1-2025-04-14')?.matched).toBe('openai:gpt-4.1-2025-04-14, a dated snapshot of openai:gpt-4.1');
    expect(m(null, 'groq/openai/gpt-oss-20b')).toBe('groq:openai/gpt-oss-20b');
    expect(m(null, 'openai/gpt-oss-20b')).toBe('groq:openai/gpt-oss-20b'); // only Groq serves this id
    expect(m(null, 'gpt-4o-mini-2024-07-18')).toBe('openai:gpt-4o-mini');
    expect(m('azure', 'gpt-4o')).toBeNull(); // another seller's price
    expect(m('github', 'gpt-4.1')).toBeNull();
    expect(m('openai', 'gpt-oss-20b')).toBeNull(); // OpenAI does not serve it: no Groq price
    expect(m('groq', 'gpt-4o')).toBeNull();
    expect(m(null, 'mystery-model')).toBeNull();
  });
});

// Every verbatim sample of shared/trace-samples (copied to test/fixtures/traces) imports with the
// fields the trace-formats note maps.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { openTraceFile } from './reader.ts';
import type { ImportedCall, ImportIssue } from './types.ts';

const FIX = fileURLToPath(new URL('../../../test/fixtures/traces/', import.meta.url));

async function read(name: string): Promise<{ label: string; calls: ImportedCall[]; issues: ImportIssue[] }> {
  const { info, items } = await openTraceFile(FIX + name);
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

describe('trace samples', () => {
  it('LangSmith ingest (streamed): ids, model, tokens, exact times, latency and TTFT from new_token events', async () => {
    const { label, calls, issues } = await read('langsmith-run-ingest.wrap-openai-stream.json');
    expect(label).toContain('LangSmith ingest');
    expect(issues).toEqual([]);
    expect(calls).toHaveLength(1);
    const r = calls[0]!.record;
    expect(r).toMatchObject({
      trace_id: 'fe8ffecb-72ce-4cd2-bdb7-01f34654c391',
      provider: 'openai',
      model: 'gpt-4o-mini',
      started_at: '2024-10-11T20:58:20.695375Z',
      ended_at: '2024-10-11T20:58:22.023816Z',
      latency_ms: 1328.441,
      ttft_ms: 1238.419,
      input_tokens: 9,
      output_tokens: 9,
      status: 'success',
      error: null,
      input_messages: [{ role: 'user', content: 'howdy' }],
      output_text: 'Howdy! How can I assist you today?',
    });
    expect(r.metadata.source).toMatchObject({ format: 'langsmith', id: 'fe8ffecb-72ce-4cd2-bdb7-01f34654c391', parent_id: null });
    expect(r.metadata.response_model).toBe('gpt-4o-mini-2024-07-18');
    expect(calls[0]!.x.requestId).toBe('chatcmpl-AHH0HKxF2K5Rnu1DJ51k9CPTcerd1');
  });

  it('LangSmith ingest (not streamed): post and patch merged, no TTFT', async () => {
    const { calls } = await read('langsmith-run-ingest.wrap-openai.json');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.record).toMatchObject({
      latency_ms: 1118.333,
      ttft_ms: null,
      input_tokens: 9,
      output_tokens: 9,
      output_text: 'Howdy! How can I assist you today?',
    });
  });

  it('LangSmith run (docs example): naive times read as UTC, error status from the error text, placeholder cost ignored', async () => {
    const { calls } = await read('langsmith-run.docs-example.json');
    const r = calls[0]!.record;
    expect(r).toMatchObject({
      started_at: '2024-04-29T00:49:12.090Z',
      latency_ms: 369,
      status: 'error',
      error: 'string',
      cost_usd: null,
      trace_id: 'df570c03-5a03-4cea-8df0-c162d05127ac',
    });
    expect(r.metadata.tags).toEqual(['foo']);
    expect(r.metadata.source.parent_id).toBe('f8faf8c1-9778-49a4-9004-628cdb0047e5');
  });

  it('LangSmith runs (langsmith-fetch): only the llm run is a call; task from the root run, trace from the root', async () => {
    const { calls } = await read('langsmith-runs.langsmith-fetch-fixture.json');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.record).toMatchObject({
      task: 'handleEpicChat',
      trace_id: 'root-uuid-1234',
      model: 'claude-sonnet-4-20250514',
      input_tokens: 180000,
      output_tokens: 20000,
      cost_usd: 0.15,
      ttft_ms: 1000,
      latency_ms: 85000,
    });
  });

  it('LangSmith feedback is reported as not a call', async () => {
    const { calls, issues } = await read('langsmith-feedback.docs-example.json');
    expect(calls).toEqual([]);
    expect(issues[0]!.message).toMatch(/is a score, not a model call/);
  });

  it('Langfuse download: GENERATIONs only, task from the trace, latency recomputed (the file says 6459 ms in a seconds field)', async () => {
    const { calls } = await read('langfuse-trace-download.microsoft-agent.json');
    expect(calls.map((c) => c.record.metadata.source.id)).toEqual(['3c2d6f2f26930c50', 'c6b8d4db5f0eac82']);
    const [a, b] = calls.map((c) => c.record);
    expect(a).toMatchObject({
      trace_id: 'e3a407423619277a2dcef3c13dc89982',
      task: 'invoke_agent 99981f6a-abd1-4d09-9fba-00e2ab172193',
      provider: 'openai',
      model: 'gpt-4o',
      latency_ms: 6459,
      input_tokens: 631,
      output_tokens: 35,
      cost_usd: 0.0019275,
      status: 'success',
      output_text: 'The weather in Portland is currently stormy with a high temperature of 19°C.',
    });
    expect(a!.metadata.source.parent_id).toBe('026d1c61bcaa1743');
    expect(b!.input_messages).toEqual([{ role: 'user', content: "What's the weather like in Portland?" }]);
    expect(b!.parsed_output).toEqual({ location: 'Portland' });
    expect(a!.metadata.trace_scores).toHaveLength(2);
  });

  it('OTLP collector-proxy payload: base64 ids to hex, unquoted 19-digit times exact, enum names', async () => {
    const { calls } = await read('otlp-genai-span.langsmith-collector-proxy-doc.json');
    const r = calls[0]!.record;
    expect(r.trace_id).toBe('4fa9e1fe632420e35aa077b04bd51623');
    expect(r.metadata.source.id).toBe('d2d12a2700a9bd4d');
    // JSON.parse would give …185224000: the last digits prove the exact path
    expect(r.started_at).toBe('2025-05-19T17:19:15.185223936Z');
    expect(r.ended_at).toBe('2025-05-19T17:19:16.185223936Z');
    expect(r).toMatchObject({
      latency_ms: 1000,
      input_tokens: 5,
      output_tokens: 3,
      output_text: '{"text":"Hi there!"}',
      parsed_output: { text: 'Hi there!' },
    });
    expect(r.metadata.kind).toBe(1);
    expect(r.metadata.resource).toEqual({ 'service.name': 'test-service' });
  });

  it('OTLP proto example: a server span that is not a model call imports nothing, and says nothing is wrong', async () => {
    const { calls, issues } = await read('otlp-trace.proto-example.json');
    expect(calls).toEqual([]);
    expect(issues).toEqual([]);
  });

  it('GenAI attribute map: provider, request model, tokens, parts messages', async () => {
    const { calls } = await read('otel-genai-span-attributes.openinference-fixture.json');
    const r = calls[0]!.record;
    expect(r).toMatchObject({
      provider: 'openai',
      model: 'gpt-4',
      input_tokens: 97,
      output_tokens: 52,
      output_text: 'The weather in Paris is currently rainy with a temperature of 57°F.',
    });
    expect(r.metadata.response_model).toBe('gpt-4-0613');
    expect(r.input_messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(r.metadata.approximate_time).toMatch(/no timestamps/);
    expect(calls[0]!.x.requestId).toBe('chatcmpl-CQF10eCkoFphJZJQkzzN6EkTD0AVF');
  });

  it('OpenInference attribute map: llm.* attributes, indexed messages with tool calls', async () => {
    const { calls } = await read('openinference-llm-span-attributes.fixture.json');
    const r = calls[0]!.record;
    expect(r.metadata.source.format).toBe('openinference');
    expect(r).toMatchObject({
      provider: 'openai',
      model: 'gpt-4-0613',
      input_tokens: 97,
      output_tokens: 52,
      output_text: 'The weather in Paris is currently rainy with a temperature of 57°F.',
    });
    expect(r.input_messages[0]).toEqual({ role: 'user', content: 'Weather in Paris?' });
    expect(r.input_messages[1]!.content).toContain('get_weather');
    expect(r.input_messages[2]).toEqual({ role: 'tool', content: 'rainy, 57°F' });
  });

  it('promptfoo output: provider id split, eval timestamp flagged approximate, assertion failures are not call errors', async () => {
    const { calls } = await read('promptfoo-output.sample-export.json');
    expect(calls).toHaveLength(4);
    const gpt5 = calls.find((c) => c.record.metadata.source.id === 'aa60b488-0ac5-4282-aebc-2203d04fc219')!.record;
    expect(gpt5).toMatchObject({
      trace_id: 'eval-WJi-2025-10-01T20:08:11',
      provider: 'openai',
      model: 'gpt-5',
      started_at: '2025-10-01T20:08:11.168Z',
      latency_ms: 6197,
      ttft_ms: null,
      input_tokens: 37,
      output_tokens: 204,
      cost_usd: 0.00208625,
      status: 'success',
      error: null,
      output_text: 'An echo.',
      task: 'Solve this riddle: {{riddle}}',
      ticket_id: null,
    });
    expect(gpt5.metadata.assertion_error).toMatch(/Latency 6197ms/);
    expect(gpt5.metadata.approximate_time).toMatch(/eval start/);
    // No ticket named: one trace per test case (the same test across providers groups together).
    const group = calls.find((c) => c.record.metadata.source.id === 'aa60b488-0ac5-4282-aebc-2203d04fc219')!.x.groupKey;
    expect(group).toBe('promptfoo:eval-WJi-2025-10-01T20:08:11#0');
    expect(calls.filter((c) => c.x.groupKey === group)).toHaveLength(2);
  });
});

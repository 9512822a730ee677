import { describe, expect, it, vi } from 'vitest';
import type { CallOriginView, TraceImportView } from '#shared/traces.ts';
import { fakeTransport } from '#renderer/platform/fakeTransport.ts';
import { originParts, originText } from './origin.ts';
import { createTracesStore, describeTraceImport, tooLargeToUpload } from './tracesStore.ts';

const origin = (over: Partial<CallOriginView> = {}): CallOriginView => ({
  callId: 1,
  runId: 'import-1',
  format: 'otlp',
  file: 'run.otlp.jsonl',
  locator: '3 resourceSpans[0].scopeSpans[0].spans[0]',
  traceId: '97b68283aaaaaaaaaaaae61f',
  spanId: '743cad8d0000f50d',
  parentSpanId: null,
  source: { format: 'otlp', id: '743cad8d0000f50d', trace_id: '97b68283aaaaaaaaaaaae61f', eval: 'e-1' },
  ...over,
});

const report = (over: Partial<TraceImportView> = {}): TraceImportView => ({
  file: { name: 'x.json', bytes: 10, sha256: 'ab', family: 'promptfoo', container: 'json', label: 'a promptfoo eval output file (JSON)' },
  runIds: ['import-1'],
  calls: 4,
  tickets: 2,
  results: 4,
  skipped: 1,
  issues: [{ where: 'x.json results[4]', message: 'no output' }],
  alreadyImported: null,
  notes: [],
  ...over,
});

describe('origin of an imported call', () => {
  it('reads format, file, line, ids, then the path inside the line', () => {
    const parts = originParts(origin());
    expect(parts.map((p) => (p.label ? `${p.label} ${p.value}` : p.value))).toEqual([
      'OTLP',
      'run.otlp.jsonl',
      'line 3',
      'trace 97b68283…e61f',
      'span 743cad8d…f50d',
      'eval e-1',
      'resourceSpans[0].scopeSpans[0].spans[0]',
    ]);
    expect(originText(origin())).toContain('trace 97b68283aaaaaaaaaaaae61f');
    expect(originParts(origin({ locator: 'results.results[0]', traceId: null, spanId: null, source: null })).map((p) => p.value)).toEqual([
      'OTLP',
      'run.otlp.jsonl',
      'results.results[0]',
    ]);
  });
});

describe('traces store', () => {
  it('uploads a file, keeps its full report, lists imports and loads the calls of the new one', async () => {
    const t = fakeTransport();
    t.on('traces.import', () => ({ ok: true, data: report() }));
    t.on('traces.list', () => ({
      ok: true,
      data: [
        {
          runId: 'import-1',
          label: 'x.json',
          createdAt: 1,
          calls: 4,
          format: 'promptfoo',
          detected: null,
          file: 'x.json',
          tickets: 2,
          skipped: 1,
          issues: [],
        },
      ],
    }));
    t.on('traces.calls', () => ({ ok: true, data: { runId: 'import-1', total: 4, rows: [] } }));
    const s = createTracesStore(t);
    const runId = await s.getState().actions.importContent('x.json', '{}', 1_700_000_000_000.4);
    expect(runId).toBe('import-1');
    expect(t.calls.find((c) => c.route === 'traces.import')?.input).toEqual({
      name: 'x.json',
      content: '{}',
      lastModified: 1_700_000_000_000,
    });
    expect(s.getState().reports['import-1']?.issues).toHaveLength(1);
    expect(describeTraceImport(s.getState().last!.report!)).toBe(
      'x.json: 4 calls, 2 tickets, 1 record skipped · a promptfoo eval output file (JSON)',
    );
    await vi.waitFor(() => expect(s.getState().imports).toHaveLength(1));
    await vi.waitFor(() => expect(s.getState().calls['import-1']?.load).toBe('ready'));
  });

  it('says why an import was refused, and what to do with a file too large to upload', async () => {
    const t = fakeTransport();
    t.on('traces.import', () => ({ ok: false, error: { code: 'BAD_INPUT', message: 'y.json: cannot tell the trace format' } }));
    const s = createTracesStore(t);
    expect(await s.getState().actions.importContent('y.json', '[]')).toBeNull();
    expect(s.getState().last).toMatchObject({ name: 'y.json', error: { message: 'y.json: cannot tell the trace format' } });
    expect(tooLargeToUpload('big.jsonl', 5_000_000)).toMatch(
      /big\.jsonl is 5\.0 MB; a browser upload is limited to 1\.9 MB\. Give its path instead/,
    );
    expect(describeTraceImport(report({ alreadyImported: 'import-1' }))).toMatch(/already imported \(same content\) as import-1/);
  });
});

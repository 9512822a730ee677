// One bad record never ends an import: a record nested thousands deep or a span with a time no
// calendar has is that record's issue (file:line, why), the rest of the file and the next files
// import, and `export` keeps working even over such a time stored by an older version.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/store.ts';
import { exportTraces } from './exporter.ts';
import { importTraceFile } from './importer.ts';
import { nestingDepth } from './reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'cb-limits-'));
let seq = 0;

const span = (spanId: string, start = '1700000000000000000', extra: unknown[] = []): Record<string, unknown> => ({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId,
  name: 'chat gpt-4o',
  kind: 3,
  startTimeUnixNano: start,
  endTimeUnixNano: String(BigInt(start) + 500_000_000n),
  attributes: [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.system', value: { stringValue: 'openai' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
    { key: 'gen_ai.usage.input_tokens', value: { intValue: '10' } },
    ...extra,
  ],
});
const line = (...spans: Array<Record<string, unknown>>): string =>
  JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] });

/** An attribute whose value nests `depth` OTLP kvlists deep (what a runaway serializer writes). */
function deepAttribute(depth: number): string {
  let v = '{"stringValue":"leaf"}';
  for (let i = 0; i < depth; i++) v = `{"kvlistValue":{"values":[{"key":"k","value":${v}}]}}`;
  return `{"key":"deep","value":${v}}`;
}

function file(content: string, ext: string): string {
  const p = join(dir, `f${seq++}.${ext}`);
  writeFileSync(p, content);
  return p;
}

describe.each(['inline', 'worker'] as const)('trace import record limits (%s reader)', (reader) => {
  it("a record nested 3,000 deep is skipped as file:line with the limit; the file's other records and the next file import", async () => {
    const deep = line(span('b7ad6b7169203331', undefined, [{ key: 'deep', value: 'DEEP' }])).replace(
      '{"key":"deep","value":"DEEP"}',
      deepAttribute(3000),
    );
    expect(() => JSON.parse(deep)).not.toThrow();
    const a = file(`${line(span('b7ad6b7169203330'))}\n${deep}\n${line(span('b7ad6b7169203332'))}\n`, 'jsonl');
    const b = file(line(span('b7ad6b7169203333')), 'json');
    const store = openStore(join(dir, `w${seq++}.db`));
    const issues: string[] = [];
    const r1 = await importTraceFile(store, a, { reader, onIssue: (i) => issues.push(`${i.where}: ${i.message}`) });
    expect(r1.calls).toBe(2);
    expect(issues).toEqual([expect.stringMatching(/^f\d+\.jsonl:2: nested deeper than 1,000 levels$/)]);
    const r2 = await importTraceFile(store, b, { reader });
    expect(r2.calls).toBe(1);
    store.close();
  });

  it('a span starting at 9e21 ns is refused with a per-record reason; later `export` of the workspace works', async () => {
    const p = file(`${line(span('c7ad6b7169203331', '9000000000000000000000'))}\n${line(span('c7ad6b7169203332'))}\n`, 'jsonl');
    const store = openStore(join(dir, `w${seq++}.db`));
    const issues: string[] = [];
    const r = await importTraceFile(store, p, { reader, onIssue: (i) => issues.push(`${i.where}: ${i.message}`) });
    expect(r.calls).toBe(1);
    expect(issues).toEqual([expect.stringMatching(/^f\d+\.jsonl:1 .*: start time 9000000000000000000000 ns is after 9999-12-31/)]);
    for (const format of ['jsonl', 'otlp', 'csv'] as const) {
      const out = join(dir, `e${seq++}.${format}`);
      expect(() => exportTraces(store, { format, out })).not.toThrow();
    }
    store.close();
  });
});

describe('export over a bad stored time (written by a version that did not check)', () => {
  it('skips that call, naming it, and exports the rest', async () => {
    const p = file(`${line(span('d7ad6b7169203331'))}\n${line(span('d7ad6b7169203332', '1700000001000000000'))}\n`, 'jsonl');
    const store = openStore(join(dir, `w${seq++}.db`));
    await importTraceFile(store, p, { reader: 'inline' });
    const bad = store.prepare('SELECT call_id FROM call_origins ORDER BY call_id LIMIT 1').get() as { call_id: number };
    store.prepare("UPDATE call_origins SET start_ns = '9000000000000000000000' WHERE call_id = ?").run(bad.call_id);
    store.prepare('UPDATE calls SET started_at = 9e15 WHERE id = ?').run(bad.call_id);
    for (const format of ['jsonl', 'otlp'] as const) {
      const out = join(dir, `e${seq++}.${format}`);
      const s = exportTraces(store, { format, out });
      expect(s.calls).toBe(1);
      expect(s.skipped).toEqual([
        `call ${bad.call_id} of run ${String((store.prepare('SELECT run_id FROM calls WHERE id = ?').get(bad.call_id) as { run_id: string }).run_id)}: its start time (9000000000000000000000) is not a real time; skipped`,
      ]);
      expect(readFileSync(out, 'utf8')).not.toMatch(/Invalid/);
    }
    store.close();
  });
});

describe('nestingDepth', () => {
  it('counts 200,000 levels without recursion', () => {
    let v: unknown = 1;
    for (let i = 0; i < 200_000; i++) v = [v];
    expect(nestingDepth(v)).toBe(200_000);
    expect(nestingDepth({ a: [1, { b: 2 }] })).toBe(3);
  });
});

// Imported traces are traces, not support tickets (issue 14 §3): calls that are not casebench's
// five tasks and name no ticket are generic traces — kept out of the ticket list, listed under
// Traces, opened as a span tree with their messages, output, tokens and cost, and their source's
// own scores kept as trace reviews.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../store/migrations.ts';
import { openStore, type Store } from '../store/store.ts';
import { listTickets } from '../tickets/ticketQueries.ts';
import { ticketSources } from '../store/experimentQueries.ts';
import { exportTraces } from './exporter.ts';
import { importTraceFile } from './importer.ts';
import { listGenericTraces } from './traceList.ts';
import { traceOfCall } from './traceView.ts';

const FIX = fileURLToPath(new URL('../../../test/fixtures/traces/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cb-generic-'));
let seq = 0;
const opened: Store[] = [];
const db = (): Store => {
  const s = openStore(join(dir, `w${seq++}.db`));
  opened.push(s);
  return s;
};
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});
const count = (s: Store, sql: string, ...p: Array<string | number>): number => Number((s.prepare(sql).get(...p) as { n: number }).n);

describe('generic traces at import', () => {
  it('a promptfoo eval of riddles: no tickets, no results, listed as traces with their cost; a casebench-task call is still a ticket', async () => {
    const s = db();
    const r = await importTraceFile(s, join(FIX, 'promptfoo-output.sample-export.json'));
    expect(r.calls).toBe(4);
    expect(r.tickets).toBe(0);
    expect(r.notes.join('\n')).toMatch(/4 calls are generic traces .*listed under Traces, not as tickets/);
    expect(listTickets(s).rows).toEqual([]);
    // nor in the experiments' "All tickets"
    expect(ticketSources(s).total).toBe(0);
    expect(count(s, 'SELECT count(*) AS n FROM results')).toBe(0);
    expect(count(s, 'SELECT count(*) AS n FROM run_tickets')).toBe(0);
    const list = listGenericTraces(s);
    // one trace per test case (the same test across two providers)
    expect(list.total).toBe(2);
    expect(list.rows.map((x) => x.calls)).toEqual([2, 2]);
    expect(list.rows.every((x) => x.models.join(',') === 'openai:gpt-5,openai:gpt-5-mini')).toBe(true);
    expect(list.rows.some((x) => /riddle|echo/i.test(x.preview))).toBe(true);
    const costs = list.rows.map((x) => x.costUsd!);
    expect(costs.every((c) => c > 0)).toBe(true);
    expect(list.models).toEqual(['openai:gpt-5', 'openai:gpt-5-mini']);
    expect(list.files).toEqual([{ runId: r.runIds[0], file: 'promptfoo-output.sample-export.json', traces: 2 }]);
    // filters: model, status, search, file
    expect(listGenericTraces(s, { search: 'no-such-thing' }).total).toBe(0);
    expect(listGenericTraces(s, { runId: r.runIds[0] }).total).toBe(2);
    expect(listGenericTraces(s, { model: 'openai:gpt-5-mini' }).total).toBe(2);
    expect(listGenericTraces(s, { model: 'groq:other' }).total).toBe(0);
    expect(listGenericTraces(s, { status: 'error' }).total).toBe(0);

    // A trace whose calls answer a casebench task stays a ticket.
    const otlp = join(dir, 'platform.otlp.json');
    writeFileSync(
      otlp,
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: 'ab'.repeat(16),
                    spanId: 'cd'.repeat(8),
                    name: 'platform',
                    startTimeUnixNano: '1760000000000000000',
                    endTimeUnixNano: '1760000000500000000',
                    attributes: [
                      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                      { key: 'task.name', value: { stringValue: 'platform' } },
                      { key: 'ticket.id', value: { stringValue: 'T-9' } },
                      { key: 'ticket.text', value: { stringValue: 'S3 AccessDenied in 123456789012' } },
                      { key: 'gen_ai.completion', value: { stringValue: '{"platform":"aws"}' } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    await importTraceFile(s, otlp);
    expect(listTickets(s).rows.map((t) => t.id)).toEqual(['T-9']);
    expect(listGenericTraces(s).total).toBe(2);
  });

  it('keeps the spans that are not model calls (LangSmith chains and tools, Langfuse agent/tool and the trace) and the source’s scores', async () => {
    const s = db();
    const ls = await importTraceFile(s, join(FIX, 'langsmith-runs.langsmith-fetch-fixture.json'));
    expect(ls.calls).toBe(1);
    expect(listTickets(s).rows).toEqual([]);
    const spans = s.prepare('SELECT span_id, parent_span_id, name, kind FROM trace_spans ORDER BY span_id').all();
    expect(spans).toEqual([
      { span_id: 'child-uuid-1', parent_span_id: 'root-uuid-1234', name: 'generateEpicResponse', kind: 'chain' },
      { span_id: 'child-uuid-2', parent_span_id: 'root-uuid-1234', name: 'processToolCalls', kind: 'tool' },
      { span_id: 'root-uuid-1234', parent_span_id: null, name: 'handleEpicChat', kind: 'chain' },
    ]);
    const lf = await importTraceFile(s, join(FIX, 'langfuse-trace-download.microsoft-agent.json'));
    expect(lf.calls).toBe(2);
    expect(lf.notes.join('\n')).toMatch(/2 calls are generic traces/);
    expect(lf.notes.join('\n')).toMatch(/scores? from the source imported as trace reviews/);
    const reviews = s.prepare(`SELECT DISTINCT criterion, kind, reviewer FROM trace_reviews ORDER BY criterion`).all() as Array<
      Record<string, unknown>
    >;
    expect(reviews.length).toBeGreaterThanOrEqual(1);
    expect(reviews.every((x) => String(x.reviewer).startsWith('langfuse:'))).toBe(true);
    expect(listTickets(s).rows).toEqual([]);
    expect(listGenericTraces(s).total).toBe(2);
  });

  it('a staged import (the workbench, read on the worker) writes the same spans and source scores as a direct one', async () => {
    for (const f of [
      'langfuse-trace-download.microsoft-agent.json',
      'langsmith-runs.langsmith-fetch-fixture.json',
      'promptfoo-output.sample-export.json',
    ]) {
      const a = db();
      const b = db();
      const now = (): number => 1_760_000_000_000;
      await importTraceFile(a, join(FIX, f), { reader: 'worker', now });
      await importTraceFile(b, join(FIX, f), { reader: 'worker', now, staging: join(dir, `stg-${seq++}.db`) });
      for (const t of ['trace_spans', 'trace_reviews', 'call_origins', 'tickets']) {
        expect(b.prepare(`SELECT * FROM ${t} ORDER BY 1`).all(), `${f} ${t}`).toEqual(a.prepare(`SELECT * FROM ${t} ORDER BY 1`).all());
      }
    }
    expect(readdirSync(dir).filter((x) => x.startsWith('stg-'))).toEqual([]);
  });

  it('an export and its re-import keep a generic trace generic (no ticket appears)', async () => {
    const a = db();
    await importTraceFile(a, join(FIX, 'promptfoo-output.sample-export.json'));
    const out = join(dir, `rt-${seq++}.jsonl`);
    exportTraces(a, { format: 'jsonl', out });
    expect(readFileSync(out, 'utf8')).toContain('"generic":true');
    const b = db();
    const back = await importTraceFile(b, out);
    expect(back.calls).toBe(4);
    expect(listTickets(b).rows).toEqual([]);
    expect(listGenericTraces(b).total).toBe(2);
  });

  it('a workspace from before (schema 7) loses the tickets its imports made up for generic calls, and keeps everything else', () => {
    const path = join(dir, `old-${seq++}.db`);
    const raw = new DatabaseSync(path);
    for (const m of MIGRATIONS.filter((x) => x.version <= 7)) raw.exec(m.sql);
    raw.exec('PRAGMA user_version = 7');
    raw.exec(
      `INSERT INTO runs (id, kind, label, assignment, status, created_at) VALUES ('import-1', 'import', 'p.json', '{}', 'done', 1), ('triage-1', 'triage', NULL, '{}', 'done', 2)`,
    );
    raw.exec(
      `INSERT INTO tickets (id, text, source, added_at) VALUES ('promptfoo:e#0', 'Solve this riddle', 'import:p.json', 1), ('T-1', 'S3 AccessDenied', 'paste', 2), ('promptfoo:e#1', 'kept: triaged later', 'import:p.json', 1)`,
    );
    const call = (id: number, ticket: string, task: string) =>
      raw.exec(`INSERT INTO calls (id, run_id, ticket_id, task, model_spec, provider, model, attempt, started_at, status, raw, cost_usd) VALUES (${id}, 'import-1', '${ticket}', '${task}', 'openai:gpt-5', 'openai', 'gpt-5', 1, 1000, 'ok', 'An echo.', 0.0021);
        INSERT INTO call_origins (call_id, run_id, format, file, trace_id, start_ns) VALUES (${id}, 'import-1', 'promptfoo', 'p.json', 'e', '1000000000');
        INSERT INTO results (run_id, ticket_id, task, model_spec, status, provider, model, attempts, recorded_at) VALUES ('import-1', '${ticket}', '${task}', 'openai:gpt-5', 'ok', 'openai', 'gpt-5', 1, 1)
          ON CONFLICT DO NOTHING;
        INSERT OR IGNORE INTO run_tickets (run_id, ticket_id, status) VALUES ('import-1', '${ticket}', 'done');`);
    call(1, 'promptfoo:e#0', 'Solve this riddle: {{riddle}}');
    call(2, 'promptfoo:e#1', 'Solve this riddle: {{riddle}}');
    raw.exec(
      `INSERT INTO run_tickets (run_id, ticket_id, status) VALUES ('triage-1', 'promptfoo:e#1', 'done'), ('triage-1', 'T-1', 'done')`,
    );
    raw.close();
    const s = openStore(path);
    opened.push(s);
    expect(
      listTickets(s)
        .rows.map((t) => t.id)
        .sort(),
    ).toEqual(['T-1', 'promptfoo:e#1']);
    expect(count(s, 'SELECT count(*) AS n FROM call_origins WHERE generic = 1')).toBe(2);
    expect(count(s, `SELECT count(*) AS n FROM results WHERE run_id = 'import-1'`)).toBe(0);
    expect(count(s, 'SELECT count(*) AS n FROM calls')).toBe(2);
    expect(listGenericTraces(s).total).toBe(2);
  });
});

describe('the trace view', () => {
  it('draws a LangSmith trace as a tree: root chain → chain → llm call, and the tool; timings from the trace start', async () => {
    const s = db();
    await importTraceFile(s, join(FIX, 'langsmith-runs.langsmith-fetch-fixture.json'));
    const row = listGenericTraces(s).rows[0]!;
    expect(row.name).toBe('handleEpicChat');
    const t = traceOfCall(s, row.callId);
    expect(t.nodes.map((n) => `${'  '.repeat(n.depth)}${n.kind}:${n.name}`)).toEqual([
      'span:handleEpicChat',
      '  span:generateEpicResponse',
      '    call:handleEpicChat',
      '  span:processToolCalls',
    ]);
    const byName = (n: string) => t.nodes.find((x) => x.name === n && x.kind === 'span')!;
    expect(byName('handleEpicChat')).toMatchObject({ startMs: 0, durationMs: 232_120 });
    expect(byName('generateEpicResponse')).toMatchObject({ startMs: 1000, durationMs: 119_000 });
    expect(t.nodes[2]).toMatchObject({ startMs: 5000, durationMs: 85_000, call: 0 });
    expect(t.durationMs).toBe(232_120);
    expect(t.calls[0]!.generic).toBe(true);
  });

  it('shows each call’s input messages, output, model, tokens and cost; a Langfuse trace hangs under its trace span with its scores', async () => {
    const s = db();
    await importTraceFile(s, join(FIX, 'promptfoo-output.sample-export.json'));
    const gpt5 = s.prepare(`SELECT id FROM calls WHERE model_spec = 'openai:gpt-5' ORDER BY id LIMIT 1`).get() as { id: number };
    const t = traceOfCall(s, gpt5.id);
    expect(t.calls).toHaveLength(2);
    const c = t.calls[t.focus]!;
    expect(c).toMatchObject({
      modelSpec: 'openai:gpt-5',
      output: 'An echo.',
      inputTokens: 37,
      outputTokens: 204,
      costUsd: 0.00208625,
      status: 'ok',
    });
    expect(c.input.map((m) => m.role)).toContain('user');
    expect(c.input.map((m) => m.content).join('\n')).toMatch(/riddle/i);
    // promptfoo's own verdict came in as the source's scores
    expect(c.scores.some((x) => x.reviewer === 'promptfoo' && x.criterion === 'pass')).toBe(true);
    expect(t.totals.costUsd).toBeGreaterThan(0.0021);
    expect(t.approximateTimes).toBe(true);

    await importTraceFile(s, join(FIX, 'langfuse-trace-download.microsoft-agent.json'));
    const lf = listGenericTraces(s, { search: 'invoke_agent' }).rows[0]!;
    const tv = traceOfCall(s, lf.callId);
    expect(tv.nodes[0]).toMatchObject({ kind: 'span', type: 'trace', depth: 0 });
    expect(tv.nodes.map((n) => `${n.depth}:${n.type}`)).toEqual(['0:trace', '1:AGENT', '2:llm', '2:TOOL', '2:llm']);
    expect(tv.calls.every((x) => x.scores.some((sc) => sc.reviewer.startsWith('langfuse:')))).toBe(true);
    expect(tv.calls[0]!.input.length).toBeGreaterThan(0);
  });
});

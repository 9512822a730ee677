// Reviews travel with an export when the workspace has them: casebench JSONL carries the rows (the
// run re-pointed to the import run on the way in), OTLP carries gen_ai.evaluation.result events.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../store/store.ts';
import { exportTraces } from './exporter.ts';
import { importTraceFile } from './importer.ts';
import { hasTable } from './traceQueries.ts';

const FIX = fileURLToPath(new URL('../../../test/fixtures/traces/', import.meta.url));

describe('reviews in trace exchange', () => {
  it('exports review rows and evaluation events, and imports them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-rev-'));
    const a = openStore(join(dir, 'a.db'));
    if (!hasTable(a, 'reviews')) return; // the reviews table arrives with its own migration
    const imp = await importTraceFile(a, join(FIX, 'promptfoo-output.sample-export.json'));
    const runId = imp.runIds[0]!;
    const ticket = 'promptfoo:eval-WJi-2025-10-01T20:08:11#0';
    a.prepare(
      `INSERT INTO reviews (ticket_id, task, model_spec, run_id, reviewer, score, note, scored_at, scored_ms, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      ticket,
      'Solve this riddle: {{riddle}}',
      'openai:gpt-5',
      runId,
      'dana',
      1,
      'right answer',
      '2025-10-02T09:00:00Z',
      Date.parse('2025-10-02T09:00:00Z'),
      'local',
    );
    const jsonl = join(dir, 'x.jsonl');
    const otlp = join(dir, 'x.otlp.jsonl');
    expect(exportTraces(a, { format: 'jsonl', out: jsonl }).reviews).toBe(1);
    exportTraces(a, { format: 'otlp', out: otlp });
    a.close();
    const review = readFileSync(jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.casebench === 'review')!;
    expect(review).toMatchObject({ reviewer: 'dana', score: 1, model_spec: 'openai:gpt-5', run_id: runId });
    const events = readFileSync(otlp, 'utf8')
      .split('\n')
      .filter((l) => l.includes('gen_ai.evaluation.result'));
    expect(events).toHaveLength(1);
    expect(events[0]).toContain('"right answer"');

    const b = openStore(join(dir, 'b.db'));
    const back = await importTraceFile(b, jsonl);
    expect(back.notes).toContain('1 review imported');
    const row = b.prepare('SELECT * FROM reviews').get() as Record<string, unknown>;
    expect(row).toMatchObject({ ticket_id: ticket, reviewer: 'dana', score: 1 });
    expect(back.runIds).toContain(row.run_id);
    b.close();
  });
});

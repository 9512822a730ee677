// A hedged call's marks (issue 15 §2) survive `export --format jsonl` → `import`: the casebench
// JSONL export stays lossless, and the cancelled loser stays a cancelled loser.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type CallRecord } from '../store/store.ts';
import { exportTraces } from './exporter.ts';
import { importTraceFile } from './importer.ts';

const dir = mkdtempSync(join(tmpdir(), 'cb-hedge-export-'));

const call = (over: Partial<CallRecord>): CallRecord => ({
  runId: 'run-h',
  ticketId: 'T1',
  task: 'severity',
  modelSpec: 'groq:openai/gpt-oss-20b',
  provider: 'groq',
  model: 'openai/gpt-oss-20b',
  attempt: 1,
  promptVersion: 'v1',
  startedAt: 1_764_000_000_000,
  latencyMs: 40,
  ttftMs: null,
  queueTimeMs: null,
  providerTotalMs: null,
  status: 'ok',
  errorCode: null,
  errorMessage: null,
  httpStatus: null,
  requestId: null,
  inputTokens: 100,
  outputTokens: 5,
  cachedTokens: null,
  reasoningTokens: null,
  costUsd: 0.00001,
  raw: '{"severity":"high"}',
  slotWaitMs: 0,
  cold: false,
  ...over,
});

describe('hedged calls in the casebench JSONL export', () => {
  it('keep their role and which one lost, through export and import', async () => {
    const a = openStore(join(dir, 'a.db'));
    a.upsertTicket({ id: 'T1', text: 'S3 bucket logs-7 returns AccessDenied since the deploy.' }, 'test');
    a.createRun({
      id: 'run-h',
      kind: 'run',
      assignment: { platform: 'x', product: 'x', technical_details: 'x', asset_ids: 'x', severity: 'x' },
    });
    a.insertCall(
      call({
        hedge: 'primary',
        hedgeLost: true,
        status: 'error',
        errorCode: 'CANCELLED',
        errorMessage: 'cancelled: the hedged duplicate answered first',
        latencyMs: 140,
        startedAt: 1_764_000_000_000,
      }),
    );
    a.insertCall(call({ hedge: 'hedge', hedgeLost: false, startedAt: 1_764_000_000_100 }));
    a.insertCall(call({ task: 'platform', raw: '{"platform":"aws"}' }));
    const out = join(dir, 'a.jsonl');
    exportTraces(a, { format: 'jsonl', out });
    a.close();
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.casebench === 'call');
    expect(lines.map((l) => [l.task, l.hedge ?? null, l.hedge_lost ?? null])).toEqual([
      ['severity', 'primary', true],
      ['severity', 'hedge', false],
      ['platform', null, null],
    ]);
    const b = openStore(join(dir, 'b.db'));
    await importTraceFile(b, out);
    const rows = b.prepare('SELECT task, hedge, hedge_lost, status, error_code FROM calls ORDER BY started_at, id').all();
    b.close();
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { task: 'severity', hedge: 'primary', hedge_lost: 1, status: 'error', error_code: 'CANCELLED' },
      { task: 'platform', hedge: null, hedge_lost: null, status: 'ok', error_code: null },
      { task: 'severity', hedge: 'hedge', hedge_lost: 0, status: 'ok', error_code: null },
    ]);
  });
});

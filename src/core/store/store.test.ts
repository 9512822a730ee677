import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { TaskResult } from '#shared/results.ts';
import { openStore } from './store.ts';
import { LATEST_VERSION } from './migrations.ts';

const dir = (): string => mkdtempSync(join(tmpdir(), 'cb-store-'));

const result = (over: Partial<TaskResult> = {}): TaskResult => ({
  task: 'platform',
  status: 'ok',
  value: 'aws',
  raw: '{"platform":"aws"}',
  provider: 'groq',
  model: 'openai/gpt-oss-120b',
  promptVersion: 'v1',
  startedMs: 0.4,
  endedMs: 251,
  latencyMs: 80.5,
  slotWaitMs: 170.1,
  ttftMs: null,
  queueTimeMs: 1.2,
  providerTotalMs: 80,
  inputTokens: 412,
  outputTokens: 9,
  cachedTokens: 0,
  reasoningTokens: null,
  costUsd: 0.0000672,
  attempts: 1,
  error: null,
  ...over,
});

describe('store', () => {
  it('creates a WAL database at the latest schema and passes its integrity check', () => {
    const path = join(dir(), 'ws', 'casebench.db');
    const s = openStore(path);
    expect(s.schemaVersion()).toBe(LATEST_VERSION);
    expect(s.integrityCheck()).toBe('ok');
    s.close();
    const raw = new DatabaseSync(path);
    expect((raw.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    raw.close();
  });

  it('keeps results, calls and run progress across reopening', () => {
    const path = join(dir(), 'c.db');
    const s = openStore(path);
    s.upsertTicket({ id: 'T1', text: 'S3 bucket down', labels: { platform: 'aws' } }, 'file.jsonl');
    s.createRun({ id: 'r1', kind: 'run', assignment: { platform: 'groq:openai/gpt-oss-120b' } });
    s.setRunTicket('r1', 'T1', 'pending');
    s.saveResult('r1', 'T1', 'groq:openai/gpt-oss-120b', result());
    s.saveResult(
      'r1',
      'T1',
      'groq:openai/gpt-oss-120b',
      result({ task: 'severity', status: 'error', value: null, error: { code: 'RATE_LIMITED', message: 'Groq asked to wait' } }),
    );
    s.insertCall({
      runId: 'r1',
      ticketId: 'T1',
      task: 'platform',
      modelSpec: 'groq:openai/gpt-oss-120b',
      provider: 'groq',
      model: 'openai/gpt-oss-120b',
      attempt: 1,
      promptVersion: 'v1',
      startedAt: Date.now(),
      latencyMs: 250,
      ttftMs: null,
      queueTimeMs: null,
      providerTotalMs: null,
      status: 'error',
      errorCode: 'RATE_LIMITED',
      errorMessage: '429',
      httpStatus: 429,
      requestId: 'req_1',
      inputTokens: null,
      outputTokens: null,
      cachedTokens: null,
      reasoningTokens: null,
      costUsd: null,
      raw: null,
    });
    s.setRunTicket('r1', 'T1', 'done', 300);
    s.close();

    const again = openStore(path);
    expect(again.getTicket('T1')).toEqual({ id: 'T1', text: 'S3 bucket down', labels: { platform: 'aws' } });
    expect([...again.runTicketIds('r1', 'done')]).toEqual(['T1']);
    const rs = again.resultsForTicket('r1', 'T1');
    expect(rs.find((r) => r.task === 'platform')).toEqual(result());
    expect(rs.find((r) => r.task === 'severity')?.error).toEqual({ code: 'RATE_LIMITED', message: 'Groq asked to wait' });
    expect(again.callsForRun('r1')).toHaveLength(1);
    expect(again.callsForRun('r1')[0]!.httpStatus).toBe(429);
    again.close();
  });

  it('refuses a database written by a newer casebench, naming both versions', () => {
    const path = join(dir(), 'new.db');
    const raw = new DatabaseSync(path);
    raw.exec(`PRAGMA user_version = ${LATEST_VERSION + 3}`);
    raw.close();
    expect(() => openStore(path)).toThrow(/newer casebench \(schema \d+, this version knows \d+\)/);
  });

  it('refuses a file that is not a database, without damaging it', () => {
    const path = join(dir(), 'notes.db');
    writeFileSync(path, 'these are my notes, not SQLite'.repeat(10));
    expect(() => openStore(path)).toThrow(/not a casebench database|cannot open/);
  });

  it('marks runs left running by a killed process as interrupted', () => {
    const path = join(dir(), 'k.db');
    const s = openStore(path);
    s.createRun({ id: 'r1', kind: 'run', assignment: {} });
    s.createRun({ id: 'r2', kind: 'run', assignment: {} });
    s.setRunStatus('r2', 'done');
    s.close();
    const again = openStore(path);
    expect(again.markInterruptedRuns()).toBe(1);
    expect(again.getRun('r1')?.status).toBe('interrupted');
    expect(again.getRun('r2')?.status).toBe('done');
    again.close();
  });
});

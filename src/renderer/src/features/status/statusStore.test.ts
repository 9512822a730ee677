import { describe, expect, it } from 'vitest';
import type { TaskResult } from '#shared/results.ts';
import type { TaskId } from '#shared/tasks.ts';
import { fakeTransport } from '#renderer/platform/fakeTransport.ts';
import { createStatusStore } from './statusStore.ts';

const result = (task: TaskId, code: string | null): TaskResult => ({
  task,
  status: code ? 'error' : 'ok',
  value: code ? null : 'x',
  raw: null,
  provider: 'groq',
  model: 'm',
  promptVersion: 'v1',
  startedMs: 0,
  endedMs: 100,
  latencyMs: 100,
  ttftMs: null,
  queueTimeMs: null,
  providerTotalMs: null,
  inputTokens: 10,
  outputTokens: 2,
  cachedTokens: null,
  reasoningTokens: null,
  costUsd: null,
  attempts: 1,
  error: code ? { code: code as never, message: code } : null,
});

describe('status bar provider health', () => {
  it('counts what the provider did: calls stopped by the user (Stop) or refused for spend are not provider failures', () => {
    const t = fakeTransport();
    const s = createStatusStore(t, () => 0);
    s.getState().actions.attach();
    const send = (task: TaskId, code: string | null) =>
      t.emit({ type: 'task.result', ticketId: 'T', runId: 'r', result: result(task, code) });
    send('platform', null);
    send('severity', 'CANCELLED');
    send('product', 'CANCELLED');
    send('asset_ids', 'SPEND_LIMIT');
    expect(s.getState().health.groq).toMatchObject({ ok: 1, failed: 0, lastError: null });
    send('technical_details', 'RATE_LIMITED');
    expect(s.getState().health.groq).toMatchObject({ ok: 1, failed: 1, lastError: { code: 'RATE_LIMITED' }, rateLimited: true });
  });
});

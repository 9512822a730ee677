import { describe, expect, it } from 'vitest';
import type { TaskResult } from '#shared/results.ts';
import type { TaskId } from '#shared/tasks.ts';
import { criticalPath } from './criticalPath.ts';

function r(task: TaskId, startedMs: number, endedMs: number, status: TaskResult['status'] = 'ok'): TaskResult {
  return {
    task,
    status,
    value: null,
    raw: null,
    provider: 'groq',
    model: 'm',
    promptVersion: 'v1',
    startedMs,
    endedMs,
    latencyMs: endedMs - startedMs,
    ttftMs: null,
    queueTimeMs: null,
    providerTotalMs: null,
    inputTokens: null,
    outputTokens: null,
    cachedTokens: null,
    reasoningTokens: null,
    costUsd: null,
    attempts: 1,
    error: null,
  };
}

describe('criticalPath', () => {
  it('follows the dependency that held up the last task', () => {
    const p = criticalPath({
      platform: r('platform', 0, 200),
      product: r('product', 200, 450),
      asset_ids: r('asset_ids', 200, 300),
      technical_details: r('technical_details', 450, 900),
      severity: r('severity', 0, 600),
    });
    expect(p).toEqual({ tasks: ['platform', 'product', 'technical_details'], ms: 900 });
  });
  it('is a lone independent task when it finishes last', () => {
    const p = criticalPath({ platform: r('platform', 0, 100), severity: r('severity', 0, 1500) });
    expect(p).toEqual({ tasks: ['severity'], ms: 1500 });
  });
  it('ignores skipped tasks and is null with nothing done', () => {
    expect(criticalPath({})).toBeNull();
    const p = criticalPath({ platform: r('platform', 0, 300, 'error'), product: r('product', 300, 300, 'skipped') });
    expect(p).toEqual({ tasks: ['platform'], ms: 300 });
  });
});

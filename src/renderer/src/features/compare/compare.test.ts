import { describe, expect, it } from 'vitest';
import type { TaskResult } from '#shared/results.ts';
import type { TaskId } from '#shared/tasks.ts';
import { fakeTransport } from '#renderer/platform/fakeTransport.ts';
import { applyCompareEvent, compareKey, createCompareStore } from './compareStore.ts';
import { agreement, sameValue } from './diff.ts';

const r = (task: TaskId, value: unknown, status: TaskResult['status'] = 'ok'): TaskResult => ({
  task,
  status,
  value,
  raw: null,
  provider: 'groq',
  model: 'a',
  promptVersion: 'v1',
  startedMs: 0,
  endedMs: 10,
  latencyMs: 10,
  ttftMs: null,
  queueTimeMs: null,
  providerTotalMs: null,
  inputTokens: 1,
  outputTokens: 1,
  cachedTokens: null,
  reasoningTokens: null,
  costUsd: null,
  attempts: 1,
  error: null,
});

describe('comparison', () => {
  it('agrees by the contract’s rules: ids as sets, details by "has details", text case-insensitively', () => {
    expect(sameValue('asset_ids', ['b', 'a'], ['A', 'b'])).toBe(true);
    expect(sameValue('asset_ids', ['a'], ['a', 'b'])).toBe(false);
    expect(sameValue('technical_details', { present: ['x'], missing: [] }, { present: ['y', 'z'], missing: ['q'] })).toBe(true);
    expect(sameValue('product', 'GKE', 'gke')).toBe(true);
    expect(agreement('severity', r('severity', 'high'), r('severity', 'urgent'))).toBe('differs');
    expect(agreement('severity', r('severity', null, 'error'), r('severity', 'urgent'))).toBe('n/a');
  });

  it('picks 2 to 6 models with a baseline and fills cells per model as results stream', async () => {
    const t = fakeTransport();
    t.on('compare.start', (i) => ({
      ok: true,
      data: { runId: 'compare-1', models: (i as { models: string[] }).models, baseline: 'groq:a' },
    }));
    const s = createCompareStore(t);
    s.getState().actions.attach();
    const a = s.getState().actions;
    a.openPicker('T1', 'ticket', ['groq:a']);
    expect(await a.start()).toBeNull();
    expect(s.getState().picker.error?.message).toMatch(/at least 2/);
    for (const m of ['groq:b', 'openai:c', 'openai:d', 'openai:e', 'openai:f']) a.toggleModel(m);
    a.toggleModel('openai:g');
    expect(s.getState().picker.error?.message).toMatch(/At most 6/);
    expect(await a.start()).toMatchObject({ runId: 'compare-1' });
    const v = s.getState().views[compareKey('compare-1', 'T1')]!;
    expect(v.models).toHaveLength(6);
    t.emit({
      type: 'task.started',
      ticketId: 'T1',
      runId: 'compare-1',
      spec: 'groq:b',
      task: 'platform',
      provider: 'groq',
      model: 'b',
      startedMs: 0,
    });
    t.emit({ type: 'task.result', ticketId: 'T1', runId: 'compare-1', spec: 'groq:a', result: r('platform', 'aws') });
    t.emit({ type: 'task.result', ticketId: 'T1', runId: 'other', spec: 'groq:a', result: r('severity', 'low') });
    const after = s.getState().views[compareKey('compare-1', 'T1')]!;
    expect(after.cells['groq:b']!.platform.status).toBe('running');
    expect(after.cells['groq:a']!.platform.result?.value).toBe('aws');
    expect(after.cells['groq:a']!.severity.status).toBe('pending');
    expect(applyCompareEvent(after, { type: 'ticket.done', ticketId: 'T1', runId: 'compare-1', totalMs: 1 }).live).toBe(false);
  });
});

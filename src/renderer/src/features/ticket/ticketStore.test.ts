import { describe, expect, it } from 'vitest';
import type { TaskResult } from '#shared/results.ts';
import type { TicketDetail } from '#shared/routes.ts';
import type { TaskId } from '#shared/tasks.ts';
import { fakeTransport } from '#renderer/platform/fakeTransport.ts';
import { checkDraft, createTicketStore } from './ticketStore.ts';

const result = (task: TaskId, status: TaskResult['status'] = 'ok', value: unknown = 'x'): TaskResult => ({
  task,
  status,
  value,
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
  costUsd: 0.0001,
  attempts: 1,
  error: status === 'error' ? { code: 'NETWORK', message: 'Groq is unreachable' } : null,
});

const detail = (runId: string | null, results: TaskResult[] = []): TicketDetail => ({
  ticket: { id: 'T1', text: 'GKE down in acme-prod-42', title: null, source: 'paste', addedAt: 1 },
  runId,
  runKind: 'triage',
  state: results.length === 5 ? 'done' : 'new',
  assignment: null,
  results,
  calls: [],
  reused: [],
  totalMs: null,
  history: [],
});

describe('ticket store', () => {
  it('keeps both attempts of a hedged call (they share the attempt number), and a repeated event once', async () => {
    const t = fakeTransport();
    t.on('triage.start', () => ({
      ok: true,
      data: {
        ticketId: 'T1',
        runId: 'triage-T1',
        assignment: { platform: 'a:b', product: 'a:b', technical_details: 'a:b', asset_ids: 'a:b', severity: 'a:b' },
      },
    }));
    const s = createTicketStore(t, () => 0);
    s.getState().actions.attach();
    s.getState().actions.setDraft('Our GKE cluster in acme-prod-42 is down since 09:00');
    await s.getState().actions.submitDraft();
    const base = {
      task: 'severity' as const,
      modelSpec: 'a:b',
      attempt: 1,
      startedMs: 0,
      latencyMs: 40,
      queueTimeMs: null,
      providerTotalMs: null,
      errorCode: null,
    };
    const dup = { ...base, status: 'ok' as const, hedge: 'hedge' as const, hedgeLost: false };
    t.emit({ type: 'task.attempt', ticketId: 'T1', runId: 'triage-T1', call: dup });
    t.emit({
      type: 'task.attempt',
      ticketId: 'T1',
      runId: 'triage-T1',
      call: { ...base, status: 'error', errorCode: 'CANCELLED', hedge: 'primary', hedgeLost: true },
    });
    t.emit({ type: 'task.attempt', ticketId: 'T1', runId: 'triage-T1', call: dup });
    expect(s.getState().views.T1!.calls.map((c) => c.hedge)).toEqual(['hedge', 'primary']);
  });
  it('fills a pasted ticket card by card, in arrival order, even when events beat the reply', async () => {
    const t = fakeTransport();
    t.on('triage.start', () => {
      // The first fact is on its way before the host answers the request.
      t.emit({ type: 'task.result', ticketId: 'T1', runId: 'triage-T1', result: result('severity') });
      return {
        ok: true,
        data: {
          ticketId: 'T1',
          runId: 'triage-T1',
          assignment: { platform: 'a:b', product: 'a:b', technical_details: 'a:b', asset_ids: 'a:b', severity: 'a:b' },
        },
      };
    });
    const s = createTicketStore(t, () => 0);
    s.getState().actions.attach();
    s.getState().actions.setDraft('Our GKE cluster in acme-prod-42 is down since 09:00');
    expect(await s.getState().actions.submitDraft()).toMatchObject({ ticketId: 'T1' });
    expect(s.getState().views.T1!.tasks.severity.status).toBe('ok');
    expect(s.getState().views.T1!.tasks.platform.status).toBe('pending');
    t.emit({ type: 'task.started', ticketId: 'T1', runId: 'triage-T1', task: 'platform', provider: 'groq', model: 'm', startedMs: 1 });
    expect(s.getState().views.T1!.tasks.platform.status).toBe('running');
    t.emit({ type: 'task.result', ticketId: 'T1', runId: 'triage-T1', result: result('platform', 'error') });
    expect(s.getState().views.T1!.tasks.platform).toMatchObject({ status: 'error', result: { error: { code: 'NETWORK' } } });
    expect(s.getState().announcement).toMatch(/Platform failed: NETWORK/);
    expect(s.getState().draft.text).toBe('');
  });

  it('ignores a comparison of the same ticket and a superseded run, but follows a new triage', async () => {
    const t = fakeTransport();
    t.on('tickets.get', () => ({ ok: true, data: detail('triage-T1') }));
    const s = createTicketStore(t, () => 0);
    s.getState().actions.attach();
    await s.getState().actions.open('T1');
    t.emit({ type: 'task.result', ticketId: 'T1', runId: 'compare-abc', result: result('platform', 'ok', 'aws') });
    expect(s.getState().views.T1!.tasks.platform.result).toBeNull();
    t.emit({ type: 'task.started', ticketId: 'T1', runId: 'run-2026-x', task: 'severity', provider: 'groq', model: 'm', startedMs: 0 });
    expect(s.getState().views.T1).toMatchObject({ runId: 'run-2026-x', state: 'running' });
    t.emit({ type: 'task.result', ticketId: 'T1', runId: 'triage-T1', result: result('severity') });
    expect(s.getState().views.T1!.tasks.severity.result).toBeNull();
  });

  it('keeps a retry’s untouched facts and marks the ticket done when the last one lands', async () => {
    const t = fakeTransport();
    const all = (['platform', 'product', 'technical_details', 'asset_ids', 'severity'] as const).map((k) => result(k));
    t.on('tickets.get', () => ({ ok: true, data: detail('triage-T1', all) }));
    t.on('triage.rerun', () => ({ ok: true, data: { ticketId: 'T1', runId: 'triage-T1-r', assignment: {} as never } }));
    const s = createTicketStore(t, () => 0);
    s.getState().actions.attach();
    await s.getState().actions.open('T1');
    expect(await s.getState().actions.rerun('T1', 'severity')).toBe(true);
    for (const r of all) t.emit({ type: 'task.result', ticketId: 'T1', runId: 'triage-T1-r', result: r, reused: r.task !== 'severity' });
    t.emit({ type: 'ticket.done', ticketId: 'T1', runId: 'triage-T1-r', totalMs: 120 });
    const v = s.getState().views.T1!;
    expect(v.state).toBe('done');
    expect(v.tasks.platform.reused).toBe(true);
    expect(v.tasks.severity.reused).toBe(false);
  });

  it('says why a re-run was refused', async () => {
    const t = fakeTransport();
    t.on('tickets.get', () => ({ ok: true, data: detail('triage-T1') }));
    t.on('triage.rerun', () => ({ ok: false, error: { code: 'KEY_MISSING', message: 'No OpenAI API key is set' } }));
    const s = createTicketStore(t, () => 0);
    await s.getState().actions.open('T1');
    expect(await s.getState().actions.rerun('T1')).toBe(false);
    expect(s.getState().views.T1!.actionError?.code).toBe('KEY_MISSING');
  });

  it('refuses an empty or oversized ticket before sending it, stating the limit', async () => {
    expect(checkDraft('   ')?.code).toBe('EMPTY_TICKET');
    const big = checkDraft('x'.repeat(10_000_000));
    expect(big?.message).toMatch(/10\.0 MB .*limit is 1,000,000 bytes/);
    const t = fakeTransport();
    const s = createTicketStore(t);
    s.getState().actions.setDraft('x'.repeat(1_000_001));
    expect(await s.getState().actions.submitDraft()).toBeNull();
    expect(t.calls).toHaveLength(0);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createStandInHandlers, type StandIn } from '../../../../../test/fakes/standInHandlers.ts';
import type { Transport } from '../../platform/transport.ts';
import { createTriageStore, waitingOn } from './triageStore.ts';

function transportOver(h: StandIn): Transport {
  return { kind: 'ipc', problem: null, request: (route, input) => h.request(route, input), onEvent: (l) => h.subscribe(l) };
}

const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

let h: StandIn;
afterEach(() => h?.close());

describe('triage store', () => {
  it('fills the five tasks as events arrive, in dependency order', async () => {
    h = createStandInHandlers({ latencies: { platform: 30, product: 10, technical_details: 10, asset_ids: 10, severity: 80 } });
    const store = createTriageStore(transportOver(h));
    store.getState().actions.attach();
    store.getState().actions.setTicketText('Our GKE cluster acme-prod-42 is down');
    const run = store.getState().actions.startTriage();
    expect(store.getState().phase).toBe('starting');
    await run;
    expect(store.getState().phase).toBe('running');
    // severity has no dependencies: it runs while product still waits for platform
    await until(() => store.getState().tasks.severity.status === 'running');
    const s = store.getState();
    expect(['pending']).toContain(s.tasks.product.status);
    expect(waitingOn(s.tasks, 'product')).toEqual(['platform']);
    await until(() => store.getState().phase === 'done');
    const done = store.getState();
    expect(Object.values(done.tasks).map((t) => t.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(done.tasks.platform.result?.value).toBe('gcp');
    expect(done.totalMs).toBeGreaterThan(0);
    expect(done.announcement).toMatch(/done/);
  });

  it('keeps events that arrive before triage.start replies', async () => {
    h = createStandInHandlers({ latencies: { platform: 0, product: 0, technical_details: 0, asset_ids: 0, severity: 0 } });
    const t = transportOver(h);
    // The reply comes late: every event of the ticket has been sent by then.
    const slow: Transport = {
      ...t,
      request: async (route, input) => {
        const r = await t.request(route, input);
        await new Promise((res) => setTimeout(res, 60));
        return r;
      },
    };
    const store = createTriageStore(slow);
    store.getState().actions.attach();
    store.getState().actions.setTicketText('Azure VM won’t boot');
    await store.getState().actions.startTriage();
    expect(store.getState().phase).toBe('done');
    expect(Object.values(store.getState().tasks).every((c) => c.status === 'ok')).toBe(true);
  });

  it('ignores events of other tickets', async () => {
    h = createStandInHandlers();
    const store = createTriageStore(transportOver(h));
    store.getState().actions.attach();
    store.getState().actions.setTicketText('S3 bucket access denied');
    await store.getState().actions.startTriage();
    h.emit({ type: 'ticket.done', ticketId: 'someone-else', totalMs: 1 });
    expect(store.getState().phase).toBe('running');
  });

  it('shows errors and the skips they cause', async () => {
    h = createStandInHandlers({ failures: { platform: { code: 'RATE_LIMITED', message: 'Groq 429 after 3 attempts' } } });
    const store = createTriageStore(transportOver(h));
    store.getState().actions.attach();
    store.getState().actions.setTicketText('something broke on our cloud');
    await store.getState().actions.startTriage();
    await until(() => store.getState().phase === 'done');
    const t = store.getState().tasks;
    expect(t.platform.status).toBe('error');
    expect(t.platform.result?.error?.code).toBe('RATE_LIMITED');
    expect(t.product.status).toBe('skipped');
    expect(t.asset_ids.status).toBe('skipped');
    expect(t.severity.status).toBe('ok');
  });

  it('refuses an empty or oversized ticket without calling the host', async () => {
    h = createStandInHandlers();
    const store = createTriageStore(transportOver(h));
    await store.getState().actions.startTriage();
    expect(store.getState().error?.code).toBe('EMPTY_TICKET');
    store.getState().actions.setTicketText('é'.repeat(600_000));
    await store.getState().actions.startTriage();
    expect(store.getState().error?.message).toMatch(/1,200,000 bytes; the limit is 1,000,000/);
    expect(h.calls).toHaveLength(0);
  });

  it('shows the host’s refusal', async () => {
    h = createStandInHandlers();
    const store = createTriageStore(transportOver(h));
    store.getState().actions.setTicketText('  ?  ');
    await store.getState().actions.startTriage();
    expect(store.getState().phase).toBe('failed');
    expect(store.getState().error).toEqual({ code: 'EMPTY_TICKET', message: 'nothing to triage' });
  });

  it('loads the default assignment and cancels a running ticket', async () => {
    h = createStandInHandlers({ latencies: { platform: 500 } });
    const store = createTriageStore(transportOver(h));
    store.getState().actions.attach();
    await store.getState().actions.loadDefaults();
    expect(store.getState().assignment?.severity).toBe('openai:gpt-5-mini');
    store.getState().actions.setTicketText('Cloud SQL failover loops');
    await store.getState().actions.startTriage();
    await store.getState().actions.cancelTriage();
    expect(h.calls.at(-1)).toEqual({ route: 'triage.cancel', input: { ticketId: store.getState().ticketId } });
  });
});

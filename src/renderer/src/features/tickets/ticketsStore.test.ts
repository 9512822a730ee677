import { describe, expect, it } from 'vitest';
import type { TicketFilter, TicketSummary } from '#shared/routes.ts';
import { fakeTransport } from '#renderer/platform/fakeTransport.ts';
import { activeFilterCount, createTicketsStore, matchesFilter } from './ticketsStore.ts';

const row = (id: string, more: Partial<TicketSummary> = {}): TicketSummary => ({
  id,
  title: id,
  source: null,
  addedAt: 0,
  state: 'done',
  runId: 'r',
  platform: 'aws',
  product: 'S3',
  severity: 'high',
  hasDetails: true,
  failed: 0,
  doneTasks: 5,
  totalMs: 100,
  ...more,
});

describe('ticket list store', () => {
  it('queries the host with the filters and moves the selection with j/k, clamped at the ends', async () => {
    const t = fakeTransport();
    t.on('tickets.list', (f) => ({
      ok: true,
      data: { total: 3, rows: [row('a'), row('b'), row('c')].filter(() => !(f as TicketFilter).failed), products: [] },
    }));
    const s = createTicketsStore(t);
    await s.getState().actions.refresh();
    const a = s.getState().actions;
    expect(a.move(1)?.id).toBe('a');
    expect(a.move(1)?.id).toBe('b');
    expect(a.move(5)?.id).toBe('c');
    expect(a.move(-10)?.id).toBe('a');
    a.setFilter({ failed: true });
    await new Promise((r) => setTimeout(r, 0));
    expect(t.calls.at(-1)).toEqual({ route: 'tickets.list', input: { failed: true } });
    expect(s.getState().rows).toHaveLength(0);
  });

  it('patches a row in place when its facts arrive', async () => {
    const t = fakeTransport();
    t.on('tickets.list', () => ({ ok: true, data: { total: 1, rows: [row('a', { state: 'running', platform: null })], products: [] } }));
    const s = createTicketsStore(t);
    s.getState().actions.attach();
    await s.getState().actions.refresh();
    t.emit({ type: 'ticket.summary', summary: row('a', { platform: 'gcp' }) });
    expect(s.getState().rows[0]).toMatchObject({ platform: 'gcp', state: 'done' });
  });

  it('matches filters the way the host does', () => {
    expect(matchesFilter(row('a', { platform: 'other:cloudflare' }), { platform: 'other' })).toBe(true);
    expect(matchesFilter(row('a', { platform: null }), { platform: 'none' })).toBe(true);
    expect(matchesFilter(row('a', { failed: 2 }), { failed: false })).toBe(false);
    expect(matchesFilter(row('a', { hasDetails: false }), { hasDetails: true })).toBe(false);
    expect(activeFilterCount({ search: 'x', severity: 'high', failed: false })).toBe(2);
  });
});

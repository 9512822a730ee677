import { describe, expect, it } from 'vitest';
import { AppError } from '#shared/errors.ts';
import { createStandInHandlers } from '#test/fakes/standInHandlers.ts';
import { withHostRoutes } from './hostRoutes.ts';

function core(importPath = async (p: string) => ({ runId: 'run-1', source: p, added: 3, badLines: [] })) {
  return Object.assign(createStandInHandlers(), { importPath });
}

describe('desktop host routes', () => {
  it('imports the file chosen in the Open dialog, and reports a cancelled dialog as such', async () => {
    let chosen: string | null = '/home/u/tickets.jsonl';
    const h = withHostRoutes(core(), { openFile: async () => chosen, openFolder: async () => '/home/u/inbox' });
    expect(await h.request('host.openTicketFile', {})).toEqual({
      ok: true,
      data: { runId: 'run-1', source: '/home/u/tickets.jsonl', added: 3, badLines: [] },
    });
    chosen = null;
    expect(await h.request('host.openTicketFile', {})).toEqual({ ok: true, data: { cancelled: true } });
    expect(await h.request('host.pickFolder', {})).toEqual({ ok: true, data: { path: '/home/u/inbox' } });
  });
  it('turns an import failure into an error value, and passes every other route to the core', async () => {
    const c = core(async () => {
      throw new AppError('BAD_INPUT', 'x.txt: not a ticket file');
    });
    const h = withHostRoutes(c, { openFile: async () => '/x.txt', openFolder: async () => null });
    expect(await h.request('host.openTicketFile', {})).toEqual({
      ok: false,
      error: { code: 'BAD_INPUT', message: 'x.txt: not a ticket file' },
    });
    expect((await h.request('keys.status', {})).ok).toBe(true);
    expect(c.calls.map((x) => x.route)).toEqual(['keys.status']);
  });
  it('imports the trace file chosen in the Open dialog through the core (by path), or says the dialog was cancelled', async () => {
    const c = core();
    let chosen: string | null = '/home/u/langsmith-runs.json';
    const h = withHostRoutes(c, { openFile: async () => null, openFolder: async () => null, openTraceFile: async () => chosen });
    await h.request('traces.openDialog', { again: true });
    expect(c.calls).toEqual([{ route: 'traces.importPath', input: { path: '/home/u/langsmith-runs.json', again: true } }]);
    chosen = null;
    expect(await h.request('traces.openDialog', {})).toEqual({ ok: true, data: { cancelled: true } });
    expect(c.calls.length).toBe(1);
  });
});

// The privacy routes as the workbench calls them (createCoreServices, no browser): the setting is
// saved in the workspace and survives a restart, the paste path holds a vague ticket with the
// question to ask, the review screen's preview gives offsets and kinds (never values), and a
// reviewer's flag of a miss is kept as offsets only.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteName, RouteOutputs } from '#shared/routes.ts';
import { createCoreServices, type CoreServices } from '../app.ts';
import { openStore } from '../store/store.ts';
import { loadMissFlags } from '../settings/privacy.ts';

const open: CoreServices[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

async function core(db: string) {
  const c = await createCoreServices({ dbPath: db, env: {}, secretStore: null, demoSpeed: 0.01 });
  open.push(c);
  const call = async <R extends RouteName>(route: R, input: unknown): Promise<RouteOutputs[R]> => {
    const r = await c.request(route, input);
    if (!r.ok) throw new Error(`${route}: ${r.error.code} ${r.error.message}`);
    return r.data as RouteOutputs[R];
  };
  const fail = async (route: RouteName, input: unknown): Promise<{ code: string; message: string }> => {
    const r = await c.request(route, input);
    if (r.ok) throw new Error(`${route} should have been refused`);
    return r.error;
  };
  return { c, call, fail };
}

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition never held');
}

const TICKET = "Hi, I'm Jane Doe (jane.doe@acme.io). Bucket s3://acme-logs-prod in account 123456789012 rejects key AKIAIOSFODNN7EXAMPLE.";

describe('privacy routes', () => {
  it('keeps the setting in the workspace across a restart', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'cb-priv-')), 'cb.db');
    const a = await core(db);
    expect(await a.call('privacy.get', {})).toEqual({
      redaction: { secrets: true, personal: false },
      infoGate: { enabled: true, anchors: ['cloud', 'service', 'identifier'] },
    });
    await a.call('privacy.set', { redaction: { secrets: true, personal: true } });
    await open.splice(0)[0]!.close();
    const b = await core(db);
    expect((await b.call('privacy.get', {})).redaction.personal).toBe(true);
  });

  it('holds a vague pasted ticket with what to ask the customer for, and sends it once the gate is off', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'cb-priv-')), 'cb.db');
    const { call, fail } = await core(db);
    const e = await fail('triage.start', { text: 'Our website is slow, please check.', assign: 'demo' });
    expect(e.code).toBe('NEEDS_INFO');
    expect(e.message).toMatch(/which cloud provider/);
    // "Triage anyway": sent, and the run says the gate was overridden.
    const anyway = await call('triage.start', { text: 'Our website is slow, please check.', assign: 'demo', skipInfoGate: true });
    await waitFor(() => {
      const s = openStore(db, { readOnly: true });
      try {
        const run = s.prepare('SELECT config FROM runs WHERE id = ?').get(anyway.runId) as { config: string };
        // every task accounted for by the (simulated) models, none held by the gate
        const ok = s
          .prepare("SELECT count(*) AS n FROM results WHERE run_id = ? AND coalesce(error_code, '') != 'NEEDS_INFO'")
          .get(anyway.runId) as { n: number };
        return JSON.parse(run.config).infoGate === 'sent anyway' && ok.n === 5;
      } finally {
        s.close();
      }
    });
    await call('privacy.set', { infoGate: { enabled: false, anchors: ['cloud'] } });
    expect((await call('triage.start', { text: 'Our website is slow, please check.', assign: 'demo' })).ticketId).toMatch(/^t-/);
  });

  it('shows the reviewer what was masked as offsets and kinds, and keeps a flagged miss without its value', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'cb-priv-')), 'cb.db');
    const s = openStore(db);
    s.upsertTicket({ id: 'T1', text: TICKET }, 'test');
    s.close();
    const { call, fail } = await core(db);
    await call('privacy.set', { redaction: { secrets: true, personal: true } });
    const p = await call('privacy.preview', { ticketId: 'T1' });
    expect(p.masked.map((m) => [m.placeholder, TICKET.slice(m.start, m.end)])).toEqual([
      ['<NAME_1>', 'Jane Doe'],
      ['<EMAIL_1>', 'jane.doe@acme.io'],
      ['<AWS_ACCESS_KEY_1>', 'AKIAIOSFODNN7EXAMPLE'],
    ]);
    expect(JSON.stringify(p)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(p.gate.held).toBe(false);
    const start = TICKET.indexOf('acme-logs-prod');
    expect((await call('privacy.flagMiss', { ticketId: 'T1', start, end: start + 4, kind: 'missed', reviewer: 'alice' })).flags).toBe(1);
    expect((await fail('privacy.flagMiss', { ticketId: 'T1', start: 0, end: 10_000, kind: 'missed' })).message).toMatch(
      /not inside the ticket/,
    );
    const s2 = openStore(db, { readOnly: true });
    expect(JSON.stringify(loadMissFlags(s2))).not.toContain('acme');
    s2.close();
  });
});

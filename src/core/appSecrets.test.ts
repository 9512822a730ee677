// Keys set from the workbench's Settings are scrubbed from then on — also when the environment's
// key takes precedence (the runtime never resolves the new one) and after the key is removed.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteName, RouteOutputs } from '#shared/routes.ts';
import { createCoreServices, type CoreServices } from './app.ts';

const ENV_KEY = 'gsk_ENVKEY00-0000000000000000000env1';
const SET_KEY = 'settings.KEY+shapeless=5a4b3c2d1e';
const REMOVED_KEY = 'removed/KEY+shapeless=9f8e7d6c5b';
const open: CoreServices[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

describe('keys set in Settings', () => {
  it('are scrubbed from what is stored and shown, even when the environment wins and after removal', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'cb-appsec-')), 'cb.db');
    const c = await createCoreServices({ dbPath: db, env: { GROQ_API_KEY: ENV_KEY }, secretStore: null });
    open.push(c);
    const call = async <R extends RouteName>(route: R, input: unknown): Promise<RouteOutputs[R]> => {
      const r = await c.request(route, input);
      if (!r.ok) throw new Error(`${route}: ${r.error.code} ${r.error.message}`);
      return r.data;
    };
    await call('keys.set', { provider: 'groq', key: SET_KEY }); // GROQ_API_KEY still takes precedence
    await call('keys.set', { provider: 'openai', key: REMOVED_KEY });
    await call('keys.remove', { provider: 'openai' });
    const text = `Our GKE cluster in project acme-prod-9 fails since noon; the proxy logged ${SET_KEY} and ${REMOVED_KEY}.`;
    const { ticketId } = await call('triage.start', { text, assign: 'demo' });
    const detail = JSON.stringify(await call('tickets.get', { ticketId }));
    expect(detail).toContain('the proxy logged [redacted] and [redacted]');
    await c.close();
    open.length = 0;
    const file = readFileSync(db).toString('latin1') + readFileSync(`${db}-wal`, { flag: 'a+' }).toString('latin1');
    for (const k of [SET_KEY, REMOVED_KEY, 'settings.KEY', 'removed/KEY']) expect(file).not.toContain(k);
  });
});

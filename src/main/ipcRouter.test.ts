import { describe, expect, it } from 'vitest';
import { createStandInHandlers } from '#test/fakes/standInHandlers.ts';
import { dispatchRequest, isAllowedSender } from './ipcRouter.ts';

const FILE_APP = 'file:///opt/casebench/resources/app.asar/out/renderer/index.html';
const DEV = 'http://localhost:5173';

describe('isAllowedSender', () => {
  it('accepts the built page, whatever its hash or query', () => {
    expect(isAllowedSender(FILE_APP, [FILE_APP])).toBe(true);
    expect(isAllowedSender(`${FILE_APP}#/tickets`, [FILE_APP])).toBe(true);
  });
  it('refuses other local files', () => {
    expect(isAllowedSender('file:///tmp/evil.html', [FILE_APP])).toBe(false);
    expect(isAllowedSender('file:///opt/casebench/resources/app.asar/out/renderer/other.html', [FILE_APP])).toBe(false);
  });
  it('accepts the dev server origin only', () => {
    expect(isAllowedSender('http://localhost:5173/index.html', [DEV])).toBe(true);
    expect(isAllowedSender('http://localhost:5174/', [DEV])).toBe(false);
    expect(isAllowedSender('https://localhost:5173/', [DEV])).toBe(false);
    expect(isAllowedSender('http://localhost.evil.com:5173/', [DEV])).toBe(false);
  });
  it('refuses remote pages, about:blank, data: and garbage', () => {
    for (const url of ['https://example.com/', 'about:blank', 'data:text/html,hi', '', 'not a url']) {
      expect(isAllowedSender(url, [FILE_APP, DEV])).toBe(false);
    }
  });
});

describe('dispatchRequest', () => {
  it('forwards a valid request from the app window', async () => {
    const h = createStandInHandlers();
    const r = await dispatchRequest(h, FILE_APP, [FILE_APP], 'keys.status', {});
    expect(r.ok).toBe(true);
    expect(h.calls).toEqual([{ route: 'keys.status', input: {} }]);
  });
  it('refuses a foreign sender before touching the core', async () => {
    const h = createStandInHandlers();
    const r = await dispatchRequest(h, 'https://example.com/', [FILE_APP], 'keys.status', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(h.calls).toHaveLength(0);
    expect((await dispatchRequest(h, undefined, [FILE_APP], 'keys.status', {})).ok).toBe(false);
  });
  it('refuses unknown routes and invalid input with BAD_INPUT', async () => {
    const h = createStandInHandlers();
    const unknown = await dispatchRequest(h, FILE_APP, [FILE_APP], 'fs.readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const proto = await dispatchRequest(h, FILE_APP, [FILE_APP], '__proto__', {});
    expect(proto.ok).toBe(false);
    const bad = await dispatchRequest(h, FILE_APP, [FILE_APP], 'triage.start', { text: 42 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/triage\.start/);
    expect(h.calls).toHaveLength(0);
  });
  it('turns a throwing handler into an INTERNAL value without its message', async () => {
    const h = createStandInHandlers();
    h.request = async () => {
      throw new Error('secret gsk_live_123 leaked');
    };
    const r = await dispatchRequest(h, FILE_APP, [FILE_APP], 'keys.status', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(r)).not.toContain('gsk_');
  });
});

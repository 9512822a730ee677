import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStandInHandlers, type StandIn } from '#test/fakes/standInHandlers.ts';
import type { AppEvent } from '#shared/routes.ts';
import { CSP } from '#shared/csp.ts';
import { listeningLine, MAX_BODY_BYTES, startServer, type RunningServer } from './server.ts';

let dir: string;
let staticDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'casebench-server-'));
  staticDir = join(dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>casebench</title>');
  writeFileSync(join(staticDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(staticDir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(dir, 'secret.txt'), join(staticDir, 'link.txt'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: RunningServer | null = null;
let handlers: StandIn;
afterEach(async () => {
  await server?.close();
  server = null;
  handlers?.close();
});

async function start(opts: { heartbeatMs?: number } = {}): Promise<RunningServer> {
  handlers = createStandInHandlers({ latencies: { platform: 5, product: 5, technical_details: 5, asset_ids: 5, severity: 5 } });
  server = await startServer({ handlers, staticDir, ...opts });
  return server;
}

/** Raw HTTP, so that paths are sent exactly as written (fetch would normalise them). */
function raw(s: RunningServer, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: s.port, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function api(s: RunningServer, route: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${s.origin}/api/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-casebench-token': s.token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('startServer', () => {
  it('listens on loopback with a fresh 32-byte token and prints the contract line', async () => {
    const s = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(s.token, 'base64url')).toHaveLength(32);
    expect(listeningLine(s.url)).toBe(`casebench listening on ${s.url}`);
    const other = await startServer({ handlers, staticDir });
    expect(other.token).not.toBe(s.token);
    await other.close();
    await expect(startServer({ handlers, staticDir, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('serves the renderer with content types and the CSP', async () => {
    const s = await start();
    const page = await fetch(`${s.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await fetch(`${s.origin}/assets/index-abc.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log(1)');
    expect((await fetch(`${s.origin}/assets/index-abc.css`)).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(`${s.origin}/nope.js`)).status).toBe(404);
  });

  it('never serves a file outside the static folder', async () => {
    const s = await start();
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '/index.html%00.js',
      '//etc/passwd',
      `/${join(dir, 'secret.txt')}`,
      '/link.txt',
    ];
    for (const p of attempts) {
      const r = await raw(s, p);
      expect([400, 404], `${p} → ${r.status}`).toContain(r.status);
      expect(r.body).not.toContain('TOP SECRET');
    }
    const abs = await raw(s, `http://127.0.0.1:${s.port}/../secret.txt`);
    expect(abs.body).not.toContain('TOP SECRET');
  });

  it('requires the token on API calls', async () => {
    const s = await start();
    const none = await fetch(`${s.origin}/api/keys.status`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'AUTH' } });
    const wrong = await api(s, 'keys.status', {}, { 'x-casebench-token': `${s.token.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);
    expect(handlers.calls).toHaveLength(0);
    const good = await api(s, 'keys.status', {});
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({
      ok: true,
      data: expect.arrayContaining([expect.objectContaining({ provider: 'groq', set: true, last4: 'abcd' })]),
    });
  });

  it('rejects foreign origins and DNS-rebound hosts', async () => {
    const s = await start();
    const cross = await api(s, 'keys.status', {}, { origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    const same = await api(s, 'keys.status', {}, { origin: s.origin });
    expect(same.status).toBe(200);
    const rebound = await raw(
      s,
      '/api/keys.status',
      { host: `evil.example:${s.port}`, 'x-casebench-token': s.token, 'content-type': 'application/json' },
      'POST',
      '{}',
    );
    expect(rebound.status).toBe(403);
    const page = await raw(s, '/', { host: `attacker.test:${s.port}` });
    expect(page.status).toBe(403);
    expect((await raw(s, '/', { host: `localhost:${s.port}` })).status).toBe(200);
    // only the same-origin call reached the core
    expect(handlers.calls).toHaveLength(1);
  });

  it('answers bad requests with clear JSON errors', async () => {
    const s = await start();
    const badJson = await api(s, 'triage.start', '{"text": ');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/not valid JSON/) },
    });

    const badInput = await api(s, 'triage.start', { text: 42 });
    expect(badInput.status).toBe(400);
    expect(await badInput.json()).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/triage\.start/) },
    });

    const unknown = await api(s, 'shell.exec', {});
    expect(unknown.status).toBe(404);

    const big = await api(s, 'triage.start', { text: 'x'.repeat(MAX_BODY_BYTES + 10) });
    expect(big.status).toBe(413);
    const bigBody = (await big.json()) as { ok: false; error: { message: string } };
    expect(bigBody.error.message).toMatch(/2097152 bytes/);

    const get = await fetch(`${s.origin}/api/keys.status`, { headers: { 'x-casebench-token': s.token } });
    expect(get.status).toBe(405);
    expect(handlers.calls).toHaveLength(0);
  });

  it('returns the core’s Result values, including its errors', async () => {
    const s = await start();
    const refused = await api(s, 'triage.start', { text: '' });
    expect(refused.status).toBe(200);
    expect(await refused.json()).toEqual({ ok: false, error: { code: 'EMPTY_TICKET', message: 'nothing to triage' } });
  });

  it('streams events over SSE, with heartbeats, only with the token', async () => {
    const s = await start({ heartbeatMs: 50 });
    expect((await fetch(`${s.origin}/api/events`)).status).toBe(401);
    expect((await fetch(`${s.origin}/api/events?token=nope`)).status).toBe(401);

    const ac = new AbortController();
    const res = await fetch(`${s.origin}/api/events?token=${encodeURIComponent(s.token)}`, { signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    const events: AppEvent[] = [];
    const started = await api(s, 'triage.start', { text: 'our GKE cluster is down' });
    const { data } = (await started.json()) as { data: { ticketId: string } };
    while (!events.some((e) => e.type === 'ticket.done')) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let i: number;
      while ((i = buf.indexOf('\n\n')) !== -1) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const line = frame.split('\n').find((l) => l.startsWith('data: '));
        if (line) events.push(JSON.parse(line.slice(6)) as AppEvent);
      }
    }
    expect(events.filter((e) => e.type === 'task.result')).toHaveLength(5);
    expect(events.every((e) => 'ticketId' in e && e.ticketId === data.ticketId)).toBe(true);
    // wait for one heartbeat comment
    let sawBeat = buf.includes(': heartbeat');
    while (!sawBeat) {
      const { value } = await reader.read();
      buf += value ?? '';
      sawBeat = buf.includes(': heartbeat');
    }
    expect(handlers.listenerCount()).toBe(1);
    ac.abort();
    await new Promise((r) => setTimeout(r, 50));
    expect(handlers.listenerCount()).toBe(0);
  });

  it('closes cleanly with an open event stream', async () => {
    const s = await start();
    const res = await fetch(`${s.origin}/api/events?token=${s.token}`);
    expect(res.status).toBe(200);
    await s.close();
    server = null;
    await expect(fetch(`${s.origin}/`)).rejects.toThrow();
  });
});

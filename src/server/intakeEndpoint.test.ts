// POST /intake/tickets of `casebench serve`, end to end over HTTP into the real core (fake
// providers through the real SDKs): a helpdesk webhook's tickets are accepted with 202 and their
// ids, triaged like pasted ones; a wrong token, a bad body and an oversized body are refused with
// 401 / 400 (saying where and why) / 413, and the token is never echoed or stored.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeKey } from '#test/fakes/keys.ts';
import { startFakeServer, type FakeServer } from '#test/fakes/fakeProviderServer.ts';
import { createCoreServices, type CoreServices } from '#core/app.ts';
import type { SecretStore } from '#core/secrets/secretStore.ts';
import type { RouteName, RouteOutputs } from '#shared/routes.ts';
import { startServer, type RunningServer } from './server.ts';
import { MAX_INTAKE_BODY_BYTES } from './intakeEndpoint.ts';

let fake: FakeServer;
let core: CoreServices;
let server: RunningServer;
let db: string;
const keychain = new Map<string, string>();

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cb-intake-'));
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>casebench</title>');
  fake = await startFakeServer({ latencyMs: 10 });
  db = join(dir, 'cb.db');
  const store: SecretStore = {
    get: async (p) => keychain.get(p) ?? null,
    set: async (p, k) => void keychain.set(p, k),
    delete: async (p) => keychain.delete(p),
  };
  keychain.set('groq', fakeKey('groq', 'intake'));
  core = await createCoreServices({
    dbPath: db,
    env: { GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL },
    secretStore: store,
  });
  server = await startServer({ handlers: core, staticDir, intake: core.httpIntake });
});
afterAll(async () => {
  await server?.close();
  await core?.close();
  await fake?.close();
});

async function call<R extends RouteName>(route: R, input: unknown = {}): Promise<RouteOutputs[R]> {
  const r = await core.request(route, input);
  if (!r.ok) throw new Error(`${route}: ${r.error.message}`);
  return r.data;
}

function post(body: string | Buffer, headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    json: { ok: boolean; ids?: string[]; error?: { code: string; message: string } };
  }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path: '/intake/tickets',
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function waitFor(pred: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('POST /intake/tickets', () => {
  it('is refused until a token is set, then accepts tickets with it and triages them', async () => {
    const before = await post(JSON.stringify({ text: 'S3 bucket in 123456789012 returns AccessDenied since 09:00' }), {
      authorization: 'Bearer anything-at-all',
    });
    expect(before.status).toBe(401);
    expect((await call('intake.token')).set).toBe(false);

    const { token } = await call('intake.rotate');
    expect(token).toMatch(/^cbi_[A-Za-z0-9_-]{43}$/);
    const shown = await call('intake.token');
    expect(shown).toMatchObject({ set: true, last4: token!.slice(-4), source: 'keychain', path: '/intake/tickets', served: true });
    expect(shown.token).toBeUndefined();
    expect((await call('intake.token', { reveal: true })).token).toBe(token);

    const one = await post(
      JSON.stringify({ text: 'Our GKE cluster gke-prod-eu-1 in project acme-prod-42 stopped scheduling pods after the 1.29 upgrade.' }),
      { authorization: `Bearer ${token}`, host: 'helpdesk-proxy.example' },
    );
    expect(one.status).toBe(202);
    expect(one.json.ids).toHaveLength(1);
    const many = await post(
      JSON.stringify([
        {
          id: 'ZD-1001',
          text: 'Azure VM vm-web-03 will not boot after the kernel update; serial console shows a panic.',
          title: 'VM down',
        },
        { id: 'ZD-1002', text: 'Lambda order-sync times out reading DynamoDB table orders-prod since the deploy yesterday.' },
      ]),
      { authorization: `Bearer ${token}` },
    );
    expect(many.status).toBe(202);
    expect(many.json.ids).toEqual(['ZD-1001', 'ZD-1002']);
    for (const id of [...one.json.ids!, ...many.json.ids!]) {
      await waitFor(async () => (await call('tickets.get', { ticketId: id })).results.filter((r) => r.status === 'ok').length === 5);
    }
    const list = await call('tickets.list', {});
    expect(list.rows.map((r) => r.id)).toEqual(expect.arrayContaining(['ZD-1001', 'ZD-1002', one.json.ids![0]]));
    expect(list.rows.find((r) => r.id === 'ZD-1001')?.title).toBe('VM down');
  });

  it('refuses a wrong or missing token (401) without echoing it, and an old token after rotating', async () => {
    const { token: old } = await call('intake.token', { reveal: true });
    const wrong = await post(JSON.stringify({ text: 'x'.repeat(40) }), { authorization: 'Bearer cbi_NOT-THE-TOKEN-xyz' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(wrong.json.error?.message).toBe('wrong intake token (Settings → Intake shows the current one)');
    const missing = await post(JSON.stringify({ text: 'x'.repeat(40) }));
    expect(missing.status).toBe(401);
    expect(missing.json.error?.message).toMatch(/^missing intake token/);
    // The workbench's own start token is not an intake token.
    expect((await post(JSON.stringify({ text: 'x'.repeat(40) }), { authorization: `Bearer ${server.token}` })).status).toBe(401);
    const { token: fresh } = await call('intake.rotate');
    expect(fresh).not.toBe(old);
    expect((await post(JSON.stringify({ text: 'x'.repeat(40) }), { authorization: `Bearer ${old}` })).status).toBe(401);
    for (const r of [wrong, missing]) expect(JSON.stringify(r.json)).not.toContain(fresh!);
  });

  it('says where and why a body is refused (400), and refuses oversized bodies (413) and other types (415)', async () => {
    const { token } = await call('intake.token', { reveal: true });
    const auth = { authorization: `Bearer ${token}` };
    const cases: Array<[string, string]> = [
      ['{"text": "unterminated', 'body is not valid JSON: '],
      ['[{"text": "Our S3 bucket is gone, customers cannot download invoices"}, {"title": "no text"}]', '[1].text: missing'],
      ['{"text": ""}', 'body.text: empty; nothing to triage'],
      ['{"text": 42}', 'body.text: expected a string, got number'],
      ['{"text": "a real ticket text here", "priority": "high"}', 'body: unknown field "priority" (a ticket has id, text, title)'],
      [
        '[{"id": "A", "text": "first ticket text here"}, {"id": "A", "text": "second ticket text"}]',
        '[1].id: "A" appears twice in this request',
      ],
      ['[]', 'body: an empty array holds no ticket'],
      ['"just a string"', 'body: expected a ticket object {"id"?, "text", "title"?}, got string'],
    ];
    for (const [body, message] of cases) {
      const r = await post(body, auth);
      expect(r.status, body).toBe(400);
      expect(r.json.error?.message.startsWith(message), `${body} → ${r.json.error?.message}`).toBe(true);
    }
    const huge = await post(Buffer.alloc(MAX_INTAKE_BODY_BYTES + 10, 'a'), auth);
    expect(huge.status).toBe(413);
    expect(huge.json.error?.message).toMatch(/exceeds the limit of 2097152 bytes/);
    const plain = await post('text', { ...auth, 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    // Nothing of the refused bodies was stored.
    expect((await call('tickets.list', { search: 'first ticket text' })).rows).toHaveLength(0);
  });

  it('keeps the token out of the workspace', async () => {
    const { token } = await call('intake.token', { reveal: true });
    const raw = new DatabaseSync(db, { readOnly: true });
    const tables = (raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    for (const t of tables) {
      const cols = (raw.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string; type: string }>).filter((c) =>
        /TEXT|^$/i.test(c.type),
      );
      for (const c of cols) {
        const hit = raw.prepare(`SELECT count(*) AS n FROM ${t} WHERE instr(CAST(${c.name} AS TEXT), ?) > 0`).get(token!.slice(4, 30)) as {
          n: number;
        };
        expect(Number(hit.n), `${t}.${c.name}`).toBe(0);
      }
    }
    raw.close();
    expect([...keychain.entries()].find(([, v]) => v === token)?.[0]).toBe('intake-token');
  });
});

// Redaction before the call and the information gate, end to end: the real `casebench` command,
// the real SDKs, the loopback fake server, whose request log is what left the machine.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeKey } from '../fakes/keys.ts';
import { join } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { openStore } from '#core/store/store.ts';
import { addMissFlag } from '#core/settings/privacy.ts';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, runCli, tempDir } from './helpers.ts';

const ASSIGN = 'groq:openai/gpt-oss-20b';
const SECRETS = ['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'hunter2hunter2'];
const PERSONAL = ['jane.doe@acme.io', '+1 415 555 0134', 'Jane Doe'];
const IDS = ['acme-logs-prod', '123456789012', 'arn:aws:iam::123456789012:role/DataLoader', 'i-0abc1234def567890'];
const TICKET = `Hi, I'm Jane Doe (jane.doe@acme.io, +1 415 555 0134). Our S3 bucket s3://acme-logs-prod in account 123456789012 denies access to arn:aws:iam::123456789012:role/DataLoader from instance i-0abc1234def567890. We use access key AKIAIOSFODNN7EXAMPLE with secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY; the db password is hunter2hunter2. Please reply to jane.doe@acme.io.`;
const VAGUE = 'Our website is slow, please check.';

let fake: FakeServer;
let env: Record<string, string>;
const sent = (): string => fake.stats.log.map((e) => e.body ?? '').join('\n');

beforeAll(async () => {
  fake = await startFakeServer({ latencyMs: 0 });
  env = cliEnv({ GROQ_API_KEY: fakeKey('groq', 'privacy'), GROQ_BASE_URL: fake.groqBaseURL });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetStats());

describe('redaction before the call', () => {
  it('sends placeholders instead of secrets by default, keeps every resource id, and shows the asset ids', async () => {
    const db = join(tempDir(), 'cb.db');
    const r = await runCli(['triage', '--text', TICKET, '--assign', ASSIGN, '--json', '--db', db], env);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.stats.total).toBe(5);
    const body = sent();
    for (const s of SECRETS) expect(body).not.toContain(JSON.stringify(s).slice(1, -1));
    expect(body).toContain('<AWS_ACCESS_KEY_1>');
    expect(body).toContain('<PASSWORD_1>');
    // personal data is a workspace setting, off by default
    expect(body).toContain('jane.doe@acme.io');
    for (const id of IDS) expect(body).toContain(id);
    const final = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(final.tasks.asset_ids.value).toEqual(expect.arrayContaining(['acme-logs-prod', 'i-0abc1234def567890']));
  });

  it('masks personal data too once the workspace says so (casebench privacy --personal on)', async () => {
    const db = join(tempDir(), 'cb.db');
    const set = await runCli(['privacy', '--personal', 'on', '--db', db], env);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/personal data masked before model calls: on/);
    const r = await runCli(['triage', '--text', TICKET, '--assign', ASSIGN, '--db', db], env);
    expect(r.code, r.stderr).toBe(0);
    const body = sent();
    for (const s of [...SECRETS, ...PERSONAL]) expect(body).not.toContain(JSON.stringify(s).slice(1, -1));
    expect(body).toContain('<EMAIL_1>');
    expect(body).toContain('<NAME_1>');
    for (const id of IDS) expect(body).toContain(id);
  });

  it('`--redact none` sends the ticket as written (the user asked for it)', async () => {
    const r = await runCli(['triage', '--text', TICKET, '--assign', ASSIGN, '--no-record', '--redact', 'none'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(sent()).toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('refuses a bad --redact value with one clear line and calls nothing', async () => {
    const r = await runCli(['triage', '--text', TICKET, '--assign', ASSIGN, '--no-record', '--redact', 'most'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--redact must be secrets, all or none/);
    expect(fake.stats.total).toBe(0);
  });

  it('a typo in a privacy flag, or only looking, makes no workspace', async () => {
    const db = join(tempDir(), 'cb.db');
    const bad = await runCli(['privacy', '--db', db, '--secrets', 'maybe'], env);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'casebench: --secrets must be on or off, got "maybe"']);
    const look = await runCli(['privacy', '--db', db], env);
    expect(look.stdout).toMatch(/secrets masked before model calls: on/);
    expect(existsSync(db)).toBe(false);
  });

  it('`privacy check` shows what would be masked by kind and placeholder, never the values', async () => {
    const r = await runCli(['privacy', 'check', '--redact', 'all', '--json', '--db', join(tempDir(), 'none.db')], env, TICKET);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { masked: Array<{ placeholder: string; kind: string }>; sent: string; gate: { held: boolean } };
    expect(out.masked.map((m) => m.kind)).toEqual(
      expect.arrayContaining(['aws_access_key', 'aws_secret_key', 'email', 'phone', 'person_name', 'secret_assignment']),
    );
    expect(JSON.stringify(out.masked)).not.toContain('AKIA');
    expect(out.gate.held).toBe(false);
    expect(fake.stats.total).toBe(0);
  });
});

describe('the information gate', () => {
  it('holds a ticket that names no cloud, service or resource, asks for them, and calls no model', async () => {
    const r = await runCli(['triage', '--text', VAGUE, '--assign', ASSIGN, '--no-record'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/held for more information/);
    expect(r.stdout).toMatch(/which cloud provider/);
    expect(fake.stats.total).toBe(0);
  });

  it('sends it with --no-info-gate', async () => {
    const r = await runCli(['triage', '--text', VAGUE, '--assign', ASSIGN, '--no-record', '--no-info-gate'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(fake.stats.total).toBe(5);
  });

  it('records its decision in a batch run: the held ticket is NEEDS_INFO with the message, the others are triaged', async () => {
    const dir = tempDir();
    const file = join(dir, 't.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'vague', text: VAGUE }),
        JSON.stringify({ id: 'ok', text: 'Our Lambda functions time out since 08:00 UTC in eu-west-1.' }),
      ].join('\n') + '\n',
    );
    const r = await runCli(['run', '--tickets', file, '--assign', ASSIGN, '--db', join(dir, 'cb.db')], env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const vague = lines.find((l) => l.ticket_id === 'vague');
    expect(vague.tasks.platform.status).toBe('skipped');
    expect(vague.tasks.platform.error).toMatch(/^NEEDS_INFO: held for more information/);
    expect(lines.find((l) => l.ticket_id === 'ok').tasks.platform.status).toBe('ok');
    expect(fake.stats.total).toBe(5);
    // The summary counts it as held, not triaged or refused, and names it with what to ask for.
    expect(r.stderr).toMatch(/^vague: held for more information: .*which cloud provider/m);
    expect(r.stderr).toMatch(/casebench run: 1 triaged, .*0 failed tasks, 1 ticket held for information/);
    expect(r.stderr).not.toMatch(/refused/);
  });

  it('each run records the privacy its calls ran with, so runs masked differently are told apart', async () => {
    const dir = tempDir();
    const db = join(dir, 'cb.db');
    const file = join(dir, 't.jsonl');
    writeFileSync(file, JSON.stringify({ id: 'ok', text: 'Our Lambda functions time out since 08:00 UTC in eu-west-1.' }) + '\n');
    expect((await runCli(['run', '--tickets', file, '--assign', ASSIGN, '--db', db], env)).code).toBe(0);
    expect(
      (await runCli(['triage', '--text', TICKET, '--assign', ASSIGN, '--db', db, '--redact', 'all', '--no-info-gate'], env)).code,
    ).toBe(0);
    const s = new DatabaseSync(db);
    try {
      const rows = s.prepare("SELECT kind, json_extract(config, '$.privacy') AS p FROM runs ORDER BY created_at").all() as Array<{
        kind: string;
        p: string;
      }>;
      expect(rows.map((r) => [r.kind, JSON.parse(r.p)])).toEqual([
        ['run', { redaction: 'secrets', rules: 'r1', infoGate: true }],
        ['triage', { redaction: 'all', rules: 'r1', infoGate: false }],
      ]);
    } finally {
      s.close();
    }
  });

  it("`privacy misses` lists what reviewers flagged, says whether today's rules mask it, and never prints the value", async () => {
    const dir = tempDir();
    const db = join(dir, 'cb.db');
    const text = 'Maria Gonzalez here, write to maria.g@example.net about bucket acme-logs-prod.';
    const store = openStore(db);
    try {
      store.upsertTicket({ id: 'T1', text }, 'paste');
      // What "Flag a miss" on the review screen records: a span and a kind, never the value.
      addMissFlag(store, { ticketId: 'T1', start: 0, end: 14, kind: 'person_name', reviewer: 'ana', at: Date.UTC(2026, 11, 5, 9, 0) });
      addMissFlag(store, {
        ticketId: 'T1',
        start: text.indexOf('maria.g'),
        end: text.indexOf('maria.g') + 'maria.g@example.net'.length,
        kind: 'email',
        reviewer: 'bo',
        at: Date.UTC(2026, 11, 5, 9, 5),
      });
      addMissFlag(store, { ticketId: 'T1', start: 500, end: 510, kind: 'phone', at: Date.UTC(2026, 11, 5, 9, 6) });
    } finally {
      store.close();
    }
    const r = await runCli(['privacy', 'misses', '--db', db], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('Maria Gonzalez');
    expect(r.stdout).not.toContain('maria.g@example.net');
    expect(r.stdout).toMatch(
      /T1 {2}person_name by ana {2}2026-12-05 09:00 {2}still missed\n {4}…\[person_name, 14 characters\] here, write to/,
    );
    expect(r.stdout).toMatch(/T1 {2}email by bo .* now masked/);
    expect(r.stdout).toMatch(/phone .* ticket changed\n {4}\(the ticket changed or is gone\)/);
    expect(r.stdout).toMatch(/3 flagged, 1 still missed by today's rules \(rules r1\)/);
    const j = await runCli(['privacy', 'misses', '--db', db, '--json'], env);
    expect(
      j.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).status),
    ).toEqual(['still missed', 'now masked', 'ticket changed']);
    const none = await runCli(['privacy', 'misses', '--db', join(dir, 'nope.db')], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no workspace at .*nope\.db/);
  });
});

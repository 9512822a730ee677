// Recognisable fake keys — one per provider, the OpenAI-compatible endpoint's, and one set from
// Settings — go through everything casebench does, against a gateway that echoes the request's
// Authorization header into x-request-id, into answers (valid and invalid) and into error bodies.
// Afterwards no key appears in any column of any table, any file written, any output, any export
// (with and without --redact), any browser-mode payload or event. A workspace written before keys
// were scrubbed does not leak them through the API, the events or the exporters either.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, runCli, tempDir, writeTickets } from '../cli/helpers.ts';
import { startServe, type ServeProcess } from '../e2e/serveProcess.ts';
import { heuristicAnswer } from '#core/providers/demo/heuristicAnswers.ts';
import { openStore } from '#core/store/store.ts';
import { Scrubber } from '#core/secrets/scrub.ts';

const GROQ_KEY = 'gsk_CANARY-groqKEY7f3a9c1e5b2d8f4a6c0e';
const OPENAI_KEY = 'sk-CANARY-openaiKEY9d2b7e4f1a8c3e6b0d5';
// Shaped like no provider's key (no pattern would catch it) and changed by URL-encoding.
const COMPAT_KEY = 'vllm/CANARY+compatKEY=4e1b9a7c2d5f8e3a';
const SETTINGS_KEY = 'CANARY-settingsKEY-2c7e9b4a1f6d3e8b';
const KEYS = [GROQ_KEY, OPENAI_KEY, COMPAT_KEY, SETTINGS_KEY];
const b64 = (s: string): string => Buffer.from(s).toString('base64');
// Distinctive fragments: a partial leak (e.g. a prefix shown by a provider's error) counts too,
// and so do the transformed forms the gateway below echoes (URL-encoded, Basic auth).
const FRAGMENTS = [
  ...KEYS,
  'CANARY-groqKEY',
  'CANARY-openaiKEY',
  'CANARY+compatKEY',
  'CANARY-settingsKEY',
  '7f3a9c1e5b2d',
  '9d2b7e4f1a8c',
  '4e1b9a7c2d5f',
  '2c7e9b4a1f6d',
  ...KEYS.map(encodeURIComponent),
  // the part of base64("api:" + key) that only the key decides
  ...KEYS.map((k) => b64(`api:${k}`).slice(8, -8)),
];
const leaks = (label: string, text: string): string[] => FRAGMENTS.filter((f) => text.includes(f)).map((f) => `${label} contains ${f}`);

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeServer({
    latencyMs: 5,
    // The Groq key is accepted; the OpenAI key is rejected (its 401 echoes the header); the
    // compatible endpoint and the key set in Settings are accepted on the OpenAI flavour.
    apiKeys: { groq: [GROQ_KEY], openai: [COMPAT_KEY, SETTINGS_KEY] },
    echoAuthorization: { requestId: true, errorBody: true },
    answer: (i) => {
      const key = i.authorization.replace(/^Bearer\s+/i, '');
      // An invalid answer: its raw text is kept for INVALID_OUTPUT.
      if (i.task === 'asset_ids')
        return `upstream error: Authorization: ${i.authorization} (key ${key}, Basic ${b64(`api:${key}`)}, key=${encodeURIComponent(key)})`;
      // A valid answer whose value carries the key: it is stored, printed, exported and sent to the UI.
      if (i.task === 'technical_details') {
        const v = heuristicAnswer('technical_details', i.ticketText, { platform: i.platform, product: i.product }) as {
          present: string[];
          missing: string[];
        };
        return {
          ...v,
          present: [...v.present, `error message: "401 for Authorization: ${i.authorization}"`, `request id: ${encodeURIComponent(key)}`],
        };
      }
      return undefined;
    },
  });
});
afterAll(() => fake.close());

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every TEXT column of every table, read straight from the file (new tables and columns included). */
function textColumns(db: DatabaseSync): Array<{ table: string; column: string }> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{
    name: string;
  }>;
  return tables.flatMap(({ name }) =>
    (db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(name) as Array<{ name: string; type: string }>)
      .filter((c) => /TEXT|CHAR|CLOB|^$/i.test(c.type))
      .map((c) => ({ table: name, column: c.name })),
  );
}

/** Leaks in any stored cell, and the columns where the scrubber's marker shows something was caught. */
function scanDatabase(path: string): { found: string[]; redacted: Set<string> } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const found: string[] = [];
    const redacted = new Set<string>();
    for (const { table, column } of textColumns(db)) {
      for (const r of db
        .prepare(`SELECT CAST("${column}" AS TEXT) AS v FROM "${table}" WHERE "${column}" IS NOT NULL`)
        .iterate() as Iterable<{ v: string }>) {
        found.push(...leaks(`${path}: ${table}.${column}`, r.v));
        if (r.v.includes('[redacted')) redacted.add(`${table}.${column}`);
      }
    }
    return { found, redacted };
  } finally {
    db.close();
  }
}

async function exportAll(db: string, dir: string, env: Record<string, string>, tag: string): Promise<string[]> {
  const found: string[] = [];
  for (const format of ['jsonl', 'otlp', 'csv']) {
    for (const redact of [false, true]) {
      const out = join(dir, `${tag}-export-${format}${redact ? '-redacted' : ''}`);
      const r = await runCli(['export', '--format', format, '--out', out, '--db', db, ...(redact ? ['--redact'] : [])], env);
      expect(r.code, r.stderr).toBe(0);
      found.push(...leaks(`${tag} export ${format}${redact ? ' --redact' : ''}`, readFileSync(out, 'utf8') + r.stdout + r.stderr));
    }
  }
  return found;
}

/** Browser mode: an API caller and everything the event stream sent. */
async function browser(serve: ServeProcess) {
  const events = await fetch(`${serve.origin}/api/events?token=${serve.token}`);
  const reader = events.body!.getReader();
  let sse = '';
  return {
    api: async (route: string, body: unknown): Promise<string> => {
      const res = await fetch(`${serve.origin}/api/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-casebench-token': serve.token },
        body: JSON.stringify(body),
      });
      return res.text();
    },
    /** Reads events until `until` is seen n times (or 30 s), then stops reading. */
    async events(until: string, n = 1): Promise<string> {
      const deadline = Date.now() + 30_000;
      while (sse.split(until).length - 1 < n && Date.now() < deadline) {
        const chunk = await Promise.race([reader.read(), new Promise<{ value?: undefined }>((r) => setTimeout(() => r({}), 500))]);
        if (chunk.value) sse += new TextDecoder().decode(chunk.value);
      }
      return sse;
    },
    close: () => reader.cancel(),
  };
}

describe('API keys never leak', () => {
  it('not into any stored column, file, output, export, browser-mode payload or event — every provider, the compatible endpoint, a key set in Settings', async () => {
    const dir = tempDir('cb-leak-');
    const db = join(dir, 'cb.db');
    const env = cliEnv({
      GROQ_API_KEY: GROQ_KEY,
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_COMPATIBLE_API_KEY: COMPAT_KEY,
      GROQ_BASE_URL: fake.groqBaseURL,
      OPENAI_BASE_URL: fake.openaiBaseURL,
      OPENAI_COMPATIBLE_BASE_URL: fake.openaiBaseURL,
      CASEBENCH_DEBUG: '1',
    });
    // Groq (accepted), the compatible endpoint (accepted), OpenAI (rejected): every flavour echoes.
    const assign =
      'platform=groq:openai/gpt-oss-120b,product=openai-compatible:fake-compat,technical_details=groq:openai/gpt-oss-20b,asset_ids=openai-compatible:fake-compat,severity=openai:gpt-4o';
    const found: string[] = [];

    // The ticket itself quotes the compatible key (a user pasting a log line). Its first call
    // meets a 500 whose body echoes the header (the retry then succeeds).
    fake.queueFaults(['500', '503']);
    const t = await runCli(
      [
        'triage',
        '--text',
        `Our EKS cluster prod-1 in account 123456789012 is down; the proxy log says "Authorization: Bearer ${COMPAT_KEY}"`,
        '--assign',
        assign,
        '--db',
        db,
        '--json',
      ],
      env,
    );
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/AUTH/); // the OpenAI call failed with 401: its error body echoed the key
    expect(t.stdout).toMatch(/INVALID_OUTPUT/); // the echoed key was in the raw answer
    expect(t.stdout).toMatch(/401 for Authorization: Bearer \[redacted\]/); // …and in a valid answer's value
    found.push(...leaks('triage stdout', t.stdout), ...leaks('triage stderr', t.stderr));

    const demo = await runCli(
      [
        'triage',
        '--text',
        'Our GKE cluster in project acme-prod-9 fails to pull images since noon; urgent.',
        '--assign',
        'demo',
        '--db',
        db,
      ],
      env,
    );
    expect(demo.code, demo.stderr).toBe(0);
    found.push(...leaks('demo triage output', demo.stdout + demo.stderr));

    const tickets = writeTickets(dir, 4);
    const r = await runCli(['run', '--tickets', tickets, '--assign', assign, '--db', db, '--out', join(dir, 'out.jsonl')], env);
    expect(r.code, r.stderr).toBe(0);
    found.push(...leaks('run output', r.stdout + r.stderr));

    const x = await runCli(
      [
        'experiment',
        '--tickets',
        tickets,
        '--models',
        'groq:openai/gpt-oss-120b,openai-compatible:fake-compat',
        '--baseline',
        'groq:openai/gpt-oss-120b',
        '--db',
        db,
        '--yes',
      ],
      env,
    );
    expect(x.code, x.stderr).toBe(0);
    found.push(...leaks('experiment output', x.stdout + x.stderr));

    // A failing command with debug output on (stack traces included).
    const bad = await runCli(['run', '--tickets', tickets, '--assign', assign, '--db', join(tickets, 'not-a-dir', 'x.db')], env);
    expect(bad.code).not.toBe(0);
    found.push(...leaks('failed command output', bad.stdout + bad.stderr));

    // A key pasted where a model belongs: the refusal quotes the argument; the output guard masks it.
    const pasted = await runCli(
      ['triage', '--text', 'Our EKS cluster prod-1 in account 123456789012 is down', '--assign', COMPAT_KEY, '--no-record'],
      env,
    );
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).toMatch(/assignment "\[redacted\]": unknown task "\[redacted\]"/); // cut at its "=", both pieces masked
    found.push(...leaks('refused argument', pasted.stdout + pasted.stderr));

    const list = await runCli(['keys', 'list'], env);
    expect(list.stdout).toMatch(/groq +set …6c0e \(from GROQ_API_KEY\)/);
    found.push(...leaks('keys list', list.stdout));

    // Browser mode: the OpenAI key comes from Settings (keys.set), not the environment.
    const serveEnv = {
      GROQ_API_KEY: GROQ_KEY,
      OPENAI_COMPATIBLE_API_KEY: COMPAT_KEY,
      GROQ_BASE_URL: fake.groqBaseURL,
      OPENAI_BASE_URL: fake.openaiBaseURL,
      OPENAI_COMPATIBLE_BASE_URL: fake.openaiBaseURL,
    };
    const serve = await startServe(serveEnv, ['--db', db]);
    try {
      const b = await browser(serve);
      const set = await b.api('keys.set', { provider: 'openai', key: SETTINGS_KEY });
      expect(set).toContain('"last4":"3e8b"');
      const started = await b.api('triage.start', {
        text: `Our GKE cluster in project acme-prod-9 fails to pull images since noon (token ${SETTINGS_KEY}); urgent.`,
        assign,
      });
      const ticketId = (JSON.parse(started) as { data: { ticketId: string } }).data.ticketId;
      const sse = await b.events('ticket.done');
      const payloads = [
        set,
        started,
        await b.api('keys.status', {}),
        await b.api('config.get', {}),
        await b.api('models.list', {}),
        await b.api('triage.start', { text: 'x' }),
        await b.api('tickets.list', {}),
        await b.api('tickets.get', { ticketId }),
        await b.api('runs.list', {}),
      ];
      await b.close();
      expect(sse).toContain('ticket.done');
      expect(sse).toMatch(/401 for Authorization: Bearer \[redacted\]/); // the value with the echoed key reached the UI, scrubbed
      found.push(...payloads.flatMap((p, i) => leaks(`API payload ${i}`, p)), ...leaks('SSE events', sse));
    } finally {
      await serve.stop();
    }
    found.push(...leaks('serve stderr', serve.stderr()));

    // Every column of every table: the echoes reached the columns they aim at, scrubbed.
    const scan = scanDatabase(db);
    found.push(...scan.found);
    for (const col of ['calls.request_id', 'calls.raw', 'calls.error_message', 'results.value', 'results.raw', 'tickets.text']) {
      expect(scan.redacted, `${col} shows no scrubbed key: the test did not reach it`).toContain(col);
    }

    // Exports, every format, with and without --redact; then the lossless export with the markers
    // turned back into a key, imported: the import's writes are scrubbed too.
    found.push(...(await exportAll(db, dir, env, 'workspace')));
    const leaky = join(dir, 'leaky.jsonl');
    writeFileSync(
      leaky,
      readFileSync(join(dir, 'workspace-export-jsonl'), 'utf8')
        .replaceAll('[redacted]', COMPAT_KEY)
        .replaceAll('[redacted key]', OPENAI_KEY),
    );
    const imported = join(dir, 'imported.db');
    const imp = await runCli(['import', leaky, '--db', imported], env);
    expect(imp.code, imp.stderr).toBe(0);
    found.push(...leaks('import output', imp.stdout + imp.stderr), ...scanDatabase(imported).found);

    // Every file written: the databases, their WALs, the outputs (leaky.jsonl is ours).
    for (const f of filesUnder(dir)) if (f !== leaky) found.push(...leaks(f, readFileSync(f).toString('latin1')));
    expect(found).toEqual([]);
  }, 240_000);

  it('not from a workspace recorded before keys were scrubbed: the API, the events and every export mask them', async () => {
    const dir = tempDir('cb-leak-old-');
    const db = join(dir, 'old.db');
    const env = cliEnv({
      GROQ_API_KEY: GROQ_KEY,
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_COMPATIBLE_API_KEY: COMPAT_KEY,
      GROQ_BASE_URL: fake.groqBaseURL,
      OPENAI_BASE_URL: fake.openaiBaseURL,
      OPENAI_COMPATIBLE_BASE_URL: fake.openaiBaseURL,
    });
    // Record a ticket through the real command, then put keys back into every text cell, as an
    // earlier version (or another tool writing the file) would have left them.
    const assign =
      'platform=groq:openai/gpt-oss-120b,product=groq:openai/gpt-oss-20b,technical_details=groq:openai/gpt-oss-20b,asset_ids=groq:openai/gpt-oss-120b,severity=groq:openai/gpt-oss-120b';
    const t = await runCli(
      [
        'triage',
        '--text',
        'Our EKS cluster prod-1 in account 123456789012 is down since 09:00 UTC with "AccessDenied".',
        '--assign',
        assign,
        '--db',
        db,
        '--json',
      ],
      env,
    );
    expect(t.code, t.stderr).toBe(0);
    const raw = new DatabaseSync(db);
    raw.exec(`UPDATE tickets SET title = 'Bearer ${COMPAT_KEY}', text = text || ' key ${COMPAT_KEY}'`);
    raw.exec(
      `UPDATE calls SET request_id = 'Bearer ${GROQ_KEY}', raw = coalesce(raw, '') || ' ${COMPAT_KEY}', error_message = 'echo ${OPENAI_KEY}'`,
    );
    raw.exec(
      `UPDATE results SET value = json_object('present', json_array('token ${COMPAT_KEY}'), 'missing', json_array()) WHERE task = 'technical_details'`,
    );
    raw.close();

    const found = await exportAll(db, dir, env, 'old');

    const serve = await startServe({ GROQ_API_KEY: GROQ_KEY, OPENAI_COMPATIBLE_API_KEY: COMPAT_KEY, GROQ_BASE_URL: fake.groqBaseURL }, [
      '--db',
      db,
    ]);
    try {
      const b = await browser(serve);
      await b.api('settings.set', { assignment: Object.fromEntries(assign.split(',').map((p) => p.split('=') as [string, string])) });
      const listed = await b.api('tickets.list', {});
      const ticketId = (JSON.parse(listed) as { data: { rows: Array<{ id: string }> } }).data.rows[0]!.id;
      // A retry of one task: the kept results (technical details among them) are sent to the UI as they were stored.
      const rerun = await b.api('triage.rerun', { ticketId, task: 'severity' });
      const sse = await b.events('ticket.done');
      const payloads = [listed, rerun, await b.api('tickets.get', { ticketId })];
      await b.close();
      expect(payloads[2]).toContain('token [redacted]');
      expect(sse).toContain('token [redacted]');
      found.push(...payloads.flatMap((p, i) => leaks(`old workspace: API payload ${i}`, p)), ...leaks('old workspace: SSE events', sse));
    } finally {
      await serve.stop();
    }
    expect(found).toEqual([]);
  }, 120_000);

  it('the store scrubs every string written to every TEXT column of every table (read from the schema, so new columns are covered)', () => {
    const dir = tempDir('cb-leak-store-');
    const path = join(dir, 'w.db');
    const store = openStore(path, { scrubber: new Scrubber(KEYS) });
    const db = new DatabaseSync(path, { readOnly: true });
    const columns = textColumns(db);
    db.close();
    const tables = [...new Set(columns.map((c) => c.table))];
    expect(tables.length).toBeGreaterThanOrEqual(10);
    // One row per table, every text cell the same leaky string (so foreign keys still match once scrubbed).
    const leaky = `Authorization: Bearer ${COMPAT_KEY} / Basic ${b64(`api:${SETTINGS_KEY}`)}`;
    const meta = new DatabaseSync(path, { readOnly: true });
    const info = (table: string) =>
      meta.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as Array<{ name: string; type: string }>;
    for (const table of tables) {
      const cols = info(table);
      const values = cols.map((c) => (/TEXT|CHAR|CLOB|^$/i.test(c.type) ? leaky : 1));
      store
        .prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
        .run(...values);
    }
    meta.close();
    store.close();
    const scan = scanDatabase(path);
    expect(scan.found).toEqual([]);
    expect([...scan.redacted].sort()).toEqual(columns.map((c) => `${c.table}.${c.column}`).sort());
  });
});

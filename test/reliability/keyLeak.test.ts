// A recognisable fake key goes through everything casebench does; afterwards it appears in no file
// written, no output, no error text and no payload sent to the renderer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { cliEnv, runCli, tempDir, writeTickets } from '../cli/helpers.ts';
import { startServe } from '../e2e/serveProcess.ts';

const GROQ_KEY = 'gsk_CANARY-groqKEY7f3a9c1e5b2d8f4a6c0e';
const OPENAI_KEY = 'sk-CANARY-openaiKEY9d2b7e4f1a8c3e6b0d5';
// Distinctive fragments: a partial leak (e.g. a prefix shown by a provider's error) counts too.
const FRAGMENTS = [GROQ_KEY, OPENAI_KEY, 'CANARY-groqKEY', 'CANARY-openaiKEY', '7f3a9c1e5b2d', '9d2b7e4f1a8c'];

let fake: FakeServer;
beforeAll(async () => {
  // The Groq key is accepted; the OpenAI key is rejected, so error paths carry provider texts too.
  fake = await startFakeServer({
    latencyMs: 5,
    apiKeys: { groq: [GROQ_KEY], openai: ['sk-some-other-valid-key'] },
    // A misbehaving gateway that echoes the request's credentials into the answer text: the raw
    // text is kept for INVALID_OUTPUT, so it must be scrubbed before it is stored or shown.
    answer: (i) => (i.task === 'asset_ids' ? `upstream error: Authorization: Bearer ${GROQ_KEY} (key ${GROQ_KEY})` : undefined),
  });
});
afterAll(() => fake.close());

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}
const leaks = (label: string, text: string): string[] => FRAGMENTS.filter((f) => text.includes(f)).map((f) => `${label} contains ${f}`);

describe('API keys never leak', () => {
  it('not into the database, outputs, logs, error texts or browser-mode payloads', async () => {
    const dir = tempDir('cb-leak-');
    const db = join(dir, 'cb.db');
    const env = cliEnv({ GROQ_API_KEY: GROQ_KEY, OPENAI_API_KEY: OPENAI_KEY, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL, CASEBENCH_DEBUG: '1' });
    const assign = 'platform=groq:openai/gpt-oss-120b,product=groq:openai/gpt-oss-20b,technical_details=groq:openai/gpt-oss-20b,asset_ids=groq:openai/gpt-oss-120b,severity=openai:gpt-4o';
    const found: string[] = [];

    const t = await runCli(['triage', '--text', `Key ${GROQ_KEY.slice(0, 6)} aside: our EKS cluster prod-1 in account 123456789012 is down`, '--assign', assign, '--db', db, '--json'], env);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/AUTH/); // the OpenAI call failed with 401: its error text went through the scrubber
    expect(t.stdout).toMatch(/INVALID_OUTPUT/); // the echoed key was in the raw answer
    found.push(...leaks('triage stdout', t.stdout), ...leaks('triage stderr', t.stderr));

    const tickets = writeTickets(dir, 5);
    const r = await runCli(['run', '--tickets', tickets, '--assign', assign, '--db', db, '--out', join(dir, 'out.jsonl')], env);
    expect(r.code).toBe(0);
    found.push(...leaks('run stdout', r.stdout), ...leaks('run stderr', r.stderr));

    // A failing command with debug output on (stack traces included).
    const bad = await runCli(['run', '--tickets', tickets, '--assign', assign, '--db', join(tickets, 'not-a-dir', 'x.db')], env);
    expect(bad.code).not.toBe(0);
    found.push(...leaks('failed command output', bad.stdout + bad.stderr));

    const list = await runCli(['keys', 'list'], env);
    expect(list.stdout).toMatch(/groq +set …6c0e \(from GROQ_API_KEY\)/);
    found.push(...leaks('keys list', list.stdout));

    // Browser mode: every response and every event the renderer could receive.
    const serve = await startServe({ GROQ_API_KEY: GROQ_KEY, OPENAI_API_KEY: OPENAI_KEY, GROQ_BASE_URL: fake.groqBaseURL, OPENAI_BASE_URL: fake.openaiBaseURL }, ['--db', db]);
    try {
      const events = await fetch(`${serve.origin}/api/events?token=${serve.token}`);
      const reader = events.body!.getReader();
      let sse = '';
      const api = async (route: string, body: unknown): Promise<string> => {
        const res = await fetch(`${serve.origin}/api/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-casebench-token': serve.token }, body: JSON.stringify(body) });
        return res.text();
      };
      const payloads = [
        await api('keys.status', {}),
        await api('config.get', {}),
        await api('models.list', {}),
        await api('triage.start', { text: 'Our GKE cluster in project acme-prod-9 fails to pull images since noon; urgent.', assign }),
        await api('triage.start', { text: 'x' }),
      ];
      const deadline = Date.now() + 5000;
      while (!sse.includes('ticket.done') && Date.now() < deadline) {
        const chunk = await Promise.race([reader.read(), new Promise<{ value?: undefined }>((r) => setTimeout(() => r({}), 500))]);
        if (chunk.value) sse += new TextDecoder().decode(chunk.value);
      }
      await reader.cancel();
      expect(sse).toContain('ticket.done');
      expect(payloads[0]).toContain('"last4":"6c0e"');
      found.push(...payloads.flatMap((p, i) => leaks(`API payload ${i}`, p)), ...leaks('SSE events', sse), ...leaks('serve stderr', serve.stderr()));
    } finally {
      await serve.stop();
    }

    // Every file written: the database, its WAL, the outputs.
    for (const f of filesUnder(dir)) found.push(...leaks(f, readFileSync(f).toString('latin1')));
    expect(found).toEqual([]);
  });
});

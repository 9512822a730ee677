// kill -9 of the browser-mode host mid-triage: on restart the database opens sound, the facts that
// had arrived are there, and the unfinished ticket is marked as interrupted rather than lost.
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeServer, type FakeServer } from '../fakes/fakeProviderServer.ts';
import { tempDir } from '../cli/helpers.ts';
import { startServe } from '../e2e/serveProcess.ts';

let fake: FakeServer;
beforeAll(async () => {
  // The chain's last task never answers in time: the host is killed while it is in flight.
  fake = await startFakeServer({ latencyMs: (_m, task) => (task === 'technical_details' ? 60_000 : 20), maxHangMs: 60_000 });
});
afterAll(() => fake.close());

describe('kill -9 of casebench serve mid-run', () => {
  it('keeps finished facts and marks the unfinished run interrupted on restart', async () => {
    const db = join(tempDir(), 'cb.db');
    const env = { GROQ_API_KEY: 'gsk_KILLTEST-KEY00000000000000000001', GROQ_BASE_URL: fake.groqBaseURL };
    const serve = await startServe(env, ['--db', db]);
    const api = (route: string, body: unknown) =>
      fetch(`${serve.origin}/api/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-casebench-token': serve.token },
        body: JSON.stringify(body),
      });
    const res = await api('triage.start', {
      text: 'Azure SQL database orders in subscription 0b1f6471-1bf0-4dda-aec3-cb9272f09590 is throttled since 07:00 with error 40501; checkout fails.',
      assign: 'groq:openai/gpt-oss-20b',
    });
    const started = (await res.json()) as { ok: boolean; data: { ticketId: string } };
    expect(started.ok).toBe(true);
    // Wait until four of the five facts are recorded (technical details is still in flight).
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const probe = new DatabaseSync(db, { readOnly: true });
      const n = (probe.prepare('SELECT count(*) AS n FROM results').get() as { n: number }).n;
      probe.close();
      if (n >= 4) break;
    }
    serve.child.kill('SIGKILL');
    await new Promise((r) => serve.child.once('exit', r));

    const again = await startServe(env, ['--db', db]);
    try {
      await expect.poll(() => again.stderr()).toMatch(/1 run\(s\) from an earlier session were unfinished and are marked interrupted/);
      const sql = new DatabaseSync(db, { readOnly: true });
      expect((sql.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
      const rows = sql.prepare('SELECT task, status FROM results WHERE ticket_id = ? ORDER BY task').all(started.data.ticketId) as Array<{
        task: string;
        status: string;
      }>;
      expect(rows.map((r) => r.task)).toEqual(['asset_ids', 'platform', 'product', 'severity']);
      expect(rows.every((r) => r.status === 'ok')).toBe(true);
      const run = sql.prepare("SELECT status FROM runs WHERE kind = 'triage'").get() as { status: string };
      expect(run.status).toBe('interrupted');
      const ticket = sql.prepare('SELECT status FROM run_tickets WHERE ticket_id = ?').get(started.data.ticketId) as { status: string };
      expect(ticket.status).toBe('pending');
      sql.close();
    } finally {
      await again.stop();
    }
  });
});

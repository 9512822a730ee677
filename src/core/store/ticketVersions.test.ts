// Ticket identity (issue 13 §4): versions of a ticket id, the migration of a workspace written by
// the previous schema, and run leases.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, ticketHash } from './migrations.ts';
import { openStore } from './store.ts';
import { STALE_MS, holdRunLease, liveLeasedRuns, release, thisProcess, tryAcquire, type LeaseOwner } from './leases.ts';
import { exportRecords } from '../traces/exportRecords.ts';
import { listTickets, ticketDetail } from '../tickets/ticketQueries.ts';
import { loadReportData } from '../experiments/reportData.ts';

const tmpDb = (): string => join(mkdtempSync(join(tmpdir(), 'cb-versions-')), 'cb.db');

const okResult = (task: string, value: unknown) =>
  ({
    task,
    status: 'ok',
    value,
    raw: JSON.stringify(value),
    provider: 'groq',
    model: 'm',
    promptVersion: 'v1',
    startedMs: 0,
    endedMs: 10,
    latencyMs: 10,
    ttftMs: null,
    queueTimeMs: null,
    providerTotalMs: null,
    inputTokens: 1,
    outputTokens: 1,
    cachedTokens: null,
    reasoningTokens: null,
    costUsd: 0,
    attempts: 1,
    error: null,
  }) as never;

describe('ticket versions', () => {
  it('keeps each text of an id with its own labels; a run shows the text it was answered for', () => {
    const s = openStore(tmpDb());
    const a = s.upsertTicket({ id: 'T1', text: 'S3 bucket logs returns AccessDenied', labels: { platform: 'aws' } }, 'a.jsonl');
    s.createRun({ id: 'run-a', kind: 'run', assignment: {} });
    s.setRunTicket('run-a', 'T1', 'done', 5, a);
    s.saveResult('run-a', 'T1', 'groq:m', okResult('platform', 'aws'));
    const b = s.upsertTicket({ id: 'T1', text: 'GKE cluster pods in ImagePullBackOff', labels: { platform: 'gcp' } }, 'b.jsonl');
    s.createRun({ id: 'run-b', kind: 'run', assignment: {} });
    s.setRunTicket('run-b', 'T1', 'done', 5, b);
    expect(a).not.toBe(b);
    // The list shows the latest text; both versions exist, the first's labels untouched.
    expect(s.getTicket('T1')).toMatchObject({ text: 'GKE cluster pods in ImagePullBackOff', labels: { platform: 'gcp' } });
    expect(s.ticketVersions('T1').map((v) => [v.latest, v.labels])).toEqual([
      [true, { platform: 'gcp' }],
      [false, { platform: 'aws' }],
    ]);
    // Run A is shown, exported and scored beside its own text and gold labels.
    expect(s.ticketForRun('run-a', 'T1')).toMatchObject({ text: 'S3 bucket logs returns AccessDenied', labels: { platform: 'aws' } });
    expect(ticketDetail(s, 'T1', 'run-a')?.ticket.text).toBe('S3 bucket logs returns AccessDenied');
    expect(ticketDetail(s, 'T1', 'run-a')?.ticket).toMatchObject({ versions: 2, latest: false });
    expect(ticketDetail(s, 'T1', 'run-b')?.ticket).toMatchObject({
      text: 'GKE cluster pods in ImagePullBackOff',
      versions: 2,
      latest: true,
    });
    // The list shows the latest text and says there are others.
    expect(listTickets(s).rows.find((r) => r.id === 'T1')).toMatchObject({ title: 'GKE cluster pods in ImagePullBackOff', versions: 2 });
    const exported = [...exportRecords(s, { runIds: ['run-a'] })].filter((r) => r.type === 'ticket');
    expect(exported.map((r) => (r as { line: { text: string; labels: unknown } }).line)).toEqual([
      expect.objectContaining({ text: 'S3 bucket logs returns AccessDenied', labels: { platform: 'aws' } }),
    ]);
    const labels = loadReportData(s, s.getRun('run-a')!).labels;
    expect(labels.get('T1')).toEqual({ platform: 'aws' });
    s.close();
  });

  it('the same text again is the same version: a line with labels updates them, a line without keeps them', () => {
    const s = openStore(tmpDb());
    const h1 = s.upsertTicket({ id: 'T1', text: 'same text here', labels: { severity: 'high' } }, 'a');
    const h2 = s.upsertTicket({ id: 'T1', text: 'same text here' }, 'b');
    expect(h2).toBe(h1);
    expect(s.ticketVersions('T1')).toHaveLength(1);
    expect(s.getTicket('T1')?.labels).toEqual({ severity: 'high' });
    s.upsertTicket({ id: 'T1', text: 'same text here', labels: { severity: 'low' } }, 'c');
    expect(s.getTicket('T1')?.labels).toEqual({ severity: 'low' });
    s.close();
  });

  it('migrates a workspace written by the previous schema without losing a row', () => {
    const path = tmpDb();
    const raw = new DatabaseSync(path);
    for (const m of MIGRATIONS.filter((x) => x.version <= 7)) raw.exec(m.sql);
    raw.exec('PRAGMA user_version = 7');
    raw.exec(
      `INSERT INTO tickets (id, text, labels, source, added_at) VALUES ('T1', 'old text of T1', '{"platform":"aws"}', 'a.jsonl', 1000), ('T2', 'text two', NULL, 'a.jsonl', 1001)`,
    );
    raw.exec(`INSERT INTO runs (id, kind, assignment, status, created_at) VALUES ('run-old', 'run', '{}', 'done', 1)`);
    raw.exec(`INSERT INTO run_tickets (run_id, ticket_id, status) VALUES ('run-old', 'T1', 'done'), ('run-old', 'T2', 'done')`);
    raw.exec(
      `INSERT INTO results (run_id, ticket_id, task, model_spec, status, value, provider, model, attempts, recorded_at) VALUES ('run-old', 'T1', 'platform', 'groq:m', 'ok', '"aws"', 'groq', 'm', 1, 1)`,
    );
    raw.exec(
      `INSERT INTO calls (run_id, ticket_id, task, model_spec, provider, model, attempt, started_at, status) VALUES ('run-old', 'T1', 'platform', 'groq:m', 'groq', 'm', 1, 1, 'ok')`,
    );
    raw.close();

    const s = openStore(path);
    expect(s.schemaVersion()).toBeGreaterThanOrEqual(8);
    expect(s.integrityCheck()).toBe('ok');
    expect(s.getTicket('T1')).toMatchObject({ text: 'old text of T1', labels: { platform: 'aws' } });
    expect(s.ticketVersions('T1').map((v) => v.hash)).toEqual([ticketHash('old text of T1')]);
    expect(s.runTicketVersions('run-old', 'done')).toEqual(
      new Map([
        ['T1', ticketHash('old text of T1')],
        ['T2', ticketHash('text two')],
      ]),
    );
    expect(s.resultsForTicket('run-old', 'T1', ticketHash('old text of T1'))).toHaveLength(1);
    expect(s.countCalls('run-old')).toBe(1);
    // Editing T1 afterwards leaves the old run beside the old text.
    s.upsertTicket({ id: 'T1', text: 'new text of T1' }, 'a.jsonl');
    expect(s.ticketForRun('run-old', 'T1')?.text).toBe('old text of T1');
    expect(s.getTicket('T1')?.text).toBe('new text of T1');
    s.close();
  });

  it('gives a ticket a trace import wrote without a version one before another text replaces it', () => {
    const s = openStore(tmpDb());
    // What the trace importer writes: a ticket row and a run ticket, no version.
    s.prepare(`INSERT INTO tickets (id, text, added_at) VALUES ('T9', 'imported text', 1)`).run();
    s.prepare(`INSERT INTO runs (id, kind, assignment, status, created_at) VALUES ('imp', 'import', '{}', 'done', 1)`).run();
    s.prepare(`INSERT INTO run_tickets (run_id, ticket_id, status) VALUES ('imp', 'T9', 'done')`).run();
    s.upsertTicket({ id: 'T9', text: 'typed later, another text' }, 'paste');
    expect(s.ticketForRun('imp', 'T9')?.text).toBe('imported text');
    expect(s.ticketVersions('T9')).toHaveLength(2);
    s.close();
  });
});

describe('run leases', () => {
  const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;
  const other = (o: Partial<LeaseOwner>): LeaseOwner => ({
    pid: process.pid,
    host: hostname(),
    startedAt: 1,
    command: 'casebench run',
    ...o,
  });

  it('refuses a live holder, names it, and takes over from a dead or silent one', () => {
    const s = openStore(tmpDb());
    const me = thisProcess('test');
    // Live on this host: the parent of this test process, heartbeating now.
    const live = other({ pid: process.ppid, startedAt: 42 });
    expect(tryAcquire(s, 'r1', live)).toBeNull();
    const holder = tryAcquire(s, 'r1', me);
    expect(holder).toMatchObject({ pid: process.ppid, host: hostname(), command: 'casebench run' });
    expect(() => holdRunLease(s, 'r1', me)).toThrow(
      new RegExp(`run r1 is being executed by casebench run \\(pid ${process.ppid} on host ${hostname()}\\) since \\d{4}-`),
    );
    expect(liveLeasedRuns(s)).toEqual(new Set(['r1']));

    // Same host, pid gone (a kill -9): taken over at once.
    expect(tryAcquire(s, 'r2', other({ pid: deadPid() }))).toBeNull();
    expect(tryAcquire(s, 'r2', me)).toBeNull();
    // Same host, pid alive but silent past the staleness bound (a reused pid): taken over.
    const t = Date.now();
    expect(tryAcquire(s, 'r3', other({ pid: process.ppid }), t - STALE_MS - 1000)).toBeNull();
    expect(tryAcquire(s, 'r3', me, t)).toBeNull();
    // Another host: only the heartbeat tells; fresh = busy, stale = taken over.
    expect(tryAcquire(s, 'r4', other({ host: 'elsewhere', pid: 1 }), t)).toBeNull();
    expect(tryAcquire(s, 'r4', me, t + 1000)).not.toBeNull();
    expect(tryAcquire(s, 'r4', me, t + STALE_MS + 1000)).toBeNull();
    release(s, 'r4', me);
    expect(liveLeasedRuns(s).has('r4')).toBe(false);
    s.close();
  });

  it('does not mark a run that a live process executes as interrupted', () => {
    const s = openStore(tmpDb());
    s.createRun({ id: 'live', kind: 'run', assignment: {} });
    s.createRun({ id: 'crashed', kind: 'run', assignment: {} });
    expect(tryAcquire(s, 'live', other({ pid: process.ppid, startedAt: 7 }))).toBeNull();
    expect(tryAcquire(s, 'crashed', other({ pid: deadPid(), startedAt: 8 }))).toBeNull();
    expect(s.markInterruptedRuns()).toBe(1);
    expect(s.getRun('live')?.status).toBe('running');
    expect(s.getRun('crashed')?.status).toBe('interrupted');
    s.close();
  });
});

// The import's reading thread: a big file is read and mapped on a worker thread while the
// importing thread writes. Whatever thread reads it, a file must land as exactly the same rows,
// report the same skipped records, roll back the same way and be recognised when seen again.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../store/store.ts';
import { importTraceFile, setImportWorkerUrl, WORKER_MIN_BYTES, type ImportOptions } from './importer.ts';

const BUILT_WORKER = new URL('../../../out/main/importWorker.js', import.meta.url);
const FIX = fileURLToPath(new URL('../../../test/fixtures/traces/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cb-import-worker-'));
let seq = 0;
const db = (): Store => openStore(join(dir, `w${seq++}.db`));
const clock = (): (() => number) => {
  let t = 1_764_000_000_000;
  return () => (t += 1000);
};

/** Every row the import writes, in a stable order, ids included (they must match too). */
function dump(store: Store): Record<string, unknown[]> {
  const q = (sql: string): unknown[] =>
    store
      .prepare(sql)
      .all()
      .map((r) => ({ ...r }));
  return {
    runs: q('SELECT * FROM runs ORDER BY id'),
    tickets: q('SELECT * FROM tickets ORDER BY id'),
    calls: q('SELECT * FROM calls ORDER BY id'),
    origins: q('SELECT * FROM call_origins ORDER BY call_id'),
    results: q('SELECT * FROM results ORDER BY run_id, ticket_id, task, model_spec'),
    runTickets: q('SELECT * FROM run_tickets ORDER BY run_id, ticket_id'),
    reviews: q('SELECT * FROM reviews ORDER BY id'),
    spans: q('SELECT * FROM trace_spans ORDER BY id'),
    traceReviews: q('SELECT * FROM trace_reviews ORDER BY id'),
  };
}

async function both(path: string, opts: ImportOptions = {}): Promise<void> {
  const a = db();
  const b = db();
  const inline = await importTraceFile(a, path, { ...opts, now: clock(), reader: 'inline' });
  const worker = await importTraceFile(b, path, { ...opts, now: clock(), reader: 'worker' });
  expect(inline.reader).toBe('inline');
  expect(worker.reader).toBe('worker');
  expect({ ...worker, reader: 'inline' }).toEqual(inline);
  expect(dump(b)).toEqual(dump(a));
  a.close();
  b.close();
}

const TASKS = ['platform', 'product', 'technical_details', 'asset_ids', 'severity'];
const ANSWER: Record<string, string> = {
  platform: '{"platform":"aws"}',
  product: '{"product":"S3"}',
  technical_details: '{"present":["error message"],"missing":[]}',
  asset_ids: '{"asset_ids":["123456789012"]}',
  severity: '{"severity":"high"}',
};
const kv = (key: string, v: string | number): unknown => ({
  key,
  value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v },
});

/** An OTLP JSONL file past the worker threshold: a call a line, retried calls out of start order, and damage. */
function bigOtlp(): { path: string; calls: number; bad: number[] } {
  const lines: string[] = [];
  const bad: number[] = []; // line numbers of the torn lines
  let calls = 0;
  const pad = 'x'.repeat(1500);
  for (let i = 0; lines.length * 1900 < WORKER_MIN_BYTES * 2.5; i++) {
    const ticket = Math.floor(i / 6);
    const task = TASKS[i % 6 === 5 ? 0 : i % 6]!; // the sixth call of a ticket is a retry of platform
    // The retry is written before the first attempt but started after it: numbering must follow start time.
    const startMs = 1_764_000_000_000 + ticket * 10_000 + (i % 6 === 5 ? 9000 : (i % 6) * 100);
    const start = BigInt(startMs) * 1_000_000n;
    const span = {
      traceId: (ticket + 1).toString(16).padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'chat',
      kind: 'SPAN_KIND_CLIENT',
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + 200_000_000n).toString(),
      attributes: [
        kv('gen_ai.operation.name', 'chat'),
        kv('gen_ai.provider.name', 'groq'),
        kv('gen_ai.request.model', 'openai/gpt-oss-20b'),
        kv('gen_ai.usage.input_tokens', 300 + (i % 7)),
        kv('gen_ai.usage.output_tokens', 9),
        kv('ticket.id', `T${ticket}`),
        kv('task.name', task),
        kv(
          'gen_ai.input.messages',
          JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `<ticket>\nticket ${ticket} ${pad}\n</ticket>` }] }]),
        ),
        kv(
          'gen_ai.output.messages',
          JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: i % 97 === 3 ? 'not json' : ANSWER[task] }] }]),
        ),
      ],
      status: { code: 'STATUS_CODE_OK' },
    };
    const line = JSON.stringify({
      resourceSpans: [{ resource: { attributes: [kv('service.name', 'bench')] }, scopeSpans: [{ scope: { name: 's' }, spans: [span] }] }],
    });
    if (i % 500 === 250) {
      lines.push(line.slice(0, 80)); // a torn line in the middle
      continue;
    }
    lines.push(line);
    calls++;
  }
  // The i % 6 === 5 retry goes before its ticket's first call in the file.
  for (let k = 0; k + 5 < lines.length; k += 6) {
    const retry = lines.splice(k + 5, 1)[0]!;
    lines.splice(k, 0, retry);
  }
  lines.forEach((l, k) => l.length === 80 && bad.push(k + 1));
  const path = join(dir, `big-${seq++}.jsonl`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, calls, bad };
}

describe('what counts as a file imported before', () => {
  for (const reader of ['inline', 'worker'] as const) {
    it(`${reader}: same content is recognised, a file that only starts and ends alike is not, and an old import without a fingerprint is found by its hash`, async () => {
      const { path } = bigOtlp();
      const store = db();
      const first = await importTraceFile(store, path, { reader });
      expect(first.file.sha256).toMatch(/^[0-9a-f]{64}$/);
      const config = JSON.parse(String(store.prepare('SELECT config FROM runs WHERE id = ?').get(first.runIds[0]!)!.config)) as Record<
        string,
        unknown
      >;
      expect(config).toMatchObject({ sha256: first.file.sha256, fingerprint: first.file.fingerprint });
      const calls = (): number => Number(store.prepare('SELECT count(*) AS n FROM calls').get()!.n);
      const n = calls();

      expect((await importTraceFile(store, path, { reader })).alreadyImported).toBe(first.runIds[0]);

      // same size, same first and last MiB, one byte changed in the middle: new content
      const text = readFileSync(path, 'utf8');
      const mid = text.indexOf('"ticket.id"', text.length / 2);
      const edited = join(dir, `edited-${seq++}.jsonl`);
      writeFileSync(edited, text.slice(0, mid) + text.slice(mid).replace('"T', '"U'));
      expect(readFileSync(edited).length).toBe(readFileSync(path).length);
      const other = await importTraceFile(store, edited, { reader });
      expect(other.alreadyImported).toBeNull();
      expect(other.file.fingerprint).toBe(first.file.fingerprint);
      expect(other.file.sha256).not.toBe(first.file.sha256);
      expect(other.runIds[0]).not.toBe(first.runIds[0]);
      expect(calls()).toBe(2 * n);

      // stopped while the full hash runs (a file with this fingerprint is known): a clean cancel
      const ac = new AbortController();
      ac.abort();
      await expect(importTraceFile(store, path, { reader, again: true, signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(calls()).toBe(2 * n);

      // an import recorded before fingerprints existed: found by the hash at the end, nothing kept
      store.prepare(`UPDATE runs SET config = json_remove(config, '$.fingerprint')`).run();
      const again = await importTraceFile(store, path, { reader });
      expect(again.alreadyImported).toBe(first.runIds[0]);
      expect(calls()).toBe(2 * n);
      // and rolled back for real: the connection is not left inside the import's transaction
      expect(() => store.prepare('BEGIN').run()).not.toThrow();
      store.prepare('ROLLBACK').run();
      expect(store.prepare(`SELECT count(*) AS n FROM runs WHERE kind = 'import'`).get()!.n).toBe(2);
      store.close();
    });
  }
});

describe('a staged import (the workbench: the workspace stays free for other writes)', () => {
  it('lands as the same rows as a direct import, also into a workspace that has rows already, and leaves no staging file', async () => {
    const { path, calls } = bigOtlp();
    const seed = join(FIX, 'langfuse-trace-download.microsoft-agent.json');
    const a = db();
    const b = db();
    const ca = clock();
    const cb = clock();
    await importTraceFile(a, seed, { now: ca });
    await importTraceFile(b, seed, { now: cb });
    // a ticket the workspace already has, with another text: kept, and said so
    for (const s of [a, b]) s.prepare(`INSERT INTO tickets (id, text, added_at) VALUES ('T3', 'the workspace''s own text', 1)`).run();
    const direct = await importTraceFile(a, path, { reader: 'worker', now: ca });
    const staging = join(dir, `staging-${seq++}.db`);
    const staged = await importTraceFile(b, path, { reader: 'worker', now: cb, staging });
    expect(staged.calls).toBe(calls);
    expect(staged).toEqual(direct);
    expect(staged.notes).toEqual(['1 ticket already in the workspace with a different text kept as they were']);
    expect(dump(b)).toEqual(dump(a));
    expect(readdirSync(dir).filter((f) => f.startsWith(`staging-`))).toEqual([]);
    a.close();
    b.close();
  });

  it('other writes to the workspace go through at once while it imports; Cancel keeps nothing and removes the staging file', async () => {
    const { path } = bigOtlp();
    const store = db();
    const other = openStore(store.path);
    const staging = join(dir, `staging-${seq++}.db`);
    const ac = new AbortController();
    let writes = 0;
    let slowest = 0;
    const done = importTraceFile(store, path, {
      reader: 'worker',
      staging,
      signal: ac.signal,
      onProgress: (p) => {
        // another connection (the app's) writes while the file is being read and staged
        const t = performance.now();
        other.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, '1', 1)`).run(`k${writes++}`);
        slowest = Math.max(slowest, performance.now() - t);
        if (p.bytesRead > p.bytes / 2) ac.abort();
      },
    });
    await expect(done).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(writes).toBeGreaterThan(2);
    expect(slowest).toBeLessThan(1000); // not held up for SQLite's 5 s busy timeout
    expect(other.prepare('SELECT count(*) AS n FROM settings').get()!.n).toBe(writes);
    expect(store.prepare('SELECT count(*) AS n FROM calls').get()!.n).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('staging-'))).toEqual([]);
    other.close();
    store.close();
  });
});

describe('import on a worker thread', () => {
  it('writes every shared sample exactly as the inline import does', async () => {
    // the JSONL samples too: their lines go through the same plans on either thread
    const samples = readdirSync(FIX).filter((f) => (f.endsWith('.json') || f.endsWith('.jsonl')) && !f.startsWith('redaction'));
    expect(samples.length).toBeGreaterThan(8);
    for (const f of samples) await both(join(FIX, f));
  }, 180_000); // a worker thread per sample: slow on a loaded 2-core machine

  it('a big damaged OTLP file: same rows either way, attempts by start time, torn lines reported', async () => {
    const { path, calls, bad } = bigOtlp();
    await both(path);
    const store = db();
    const seen: string[] = [];
    const progress: number[] = [];
    let last = { bytesRead: 0, bytes: -1 };
    const r = await importTraceFile(store, path, {
      onIssue: (i) => seen.push(i.where),
      onProgress: (p) => {
        progress.push(p.calls);
        last = p;
      },
    });
    expect(r.reader).toBe('worker'); // chosen by size
    expect(r.calls).toBe(calls);
    expect(bad.length).toBeGreaterThan(5);
    expect(seen).toEqual(bad.map((n) => `${path.split('/').pop()}:${n}`));
    // progress after every batch: calls only grow, and the last one has read the whole file
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(last.bytesRead).toBe(last.bytes);
    // The retry came first in the file but started last: it is attempt 2, the earlier call attempt 1.
    const attempts = store
      .prepare(`SELECT attempt, started_at FROM calls WHERE ticket_id = 'T0' AND task = 'platform' ORDER BY started_at`)
      .all();
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
    const result = store.prepare(`SELECT attempts, started_ms FROM results WHERE ticket_id = 'T0' AND task = 'platform'`).get();
    expect(result).toMatchObject({ attempts: 2, started_ms: 9000 });
    // Seen again: recognised without reading it into the workspace twice.
    const again = await importTraceFile(store, path);
    expect(again.alreadyImported).toBe(r.runIds[0]);
    expect(store.prepare('SELECT count(*) AS n FROM calls').get()!.n).toBe(calls);
    store.close();
  });

  it('cancelling mid-file rolls the whole file back', async () => {
    const { path } = bigOtlp();
    const store = db();
    const ac = new AbortController();
    await expect(importTraceFile(store, path, { reader: 'worker', signal: ac.signal, onIssue: () => ac.abort() })).rejects.toThrow(
      /cancelled/,
    );
    expect(store.prepare('SELECT count(*) AS n FROM calls').get()!.n).toBe(0);
    expect(store.prepare('SELECT count(*) AS n FROM runs').get()!.n).toBe(0);
    // and the workspace takes the file afterwards
    const r = await importTraceFile(store, path, { reader: 'worker' });
    expect(r.calls).toBeGreaterThan(1000);
    store.close();
  });

  it('a file that is no trace is refused with the same reason on either thread', async () => {
    const path = join(dir, 'notes.json');
    writeFileSync(path, JSON.stringify({ hello: 'world', items: [1, 2, 3] }));
    const errs: string[] = [];
    for (const reader of ['inline', 'worker'] as const) {
      const store = db();
      errs.push(
        await importTraceFile(store, path, { reader }).then(
          () => 'imported',
          (e: Error) => e.message,
        ),
      );
      store.close();
    }
    expect(errs[0]).toMatch(/cannot tell the trace format/);
    expect(errs[1]).toBe(errs[0]);
  });

  it('without its worker module the import still happens, on the importing thread, and says so', async () => {
    const { path, calls } = bigOtlp();
    const store = db();
    setImportWorkerUrl(new URL('file:///nonexistent/importWorker.js'));
    try {
      const r = await importTraceFile(store, path);
      expect(r.reader).toBe('inline');
      expect(r.calls).toBe(calls);
      expect(r.notes.join(' ')).toMatch(/import worker did not start .*importWorker\.js is missing/);
    } finally {
      setImportWorkerUrl(new URL('./importWorker.ts', import.meta.url));
      store.close();
    }
  });

  // `npm test` builds the app before this suite runs; a bare `vitest` run without a build skips it.
  it.skipIf(!existsSync(BUILT_WORKER))(
    'the worker the desktop build emits (out/main/importWorker.js) imports a big file like the source one',
    async () => {
      const { path, calls } = bigOtlp();
      const a = db();
      const b = db();
      const fromSource = await importTraceFile(a, path, { reader: 'worker', now: clock() });
      setImportWorkerUrl(BUILT_WORKER);
      try {
        const fromBuild = await importTraceFile(b, path, { reader: 'worker', now: clock() });
        expect(fromBuild.reader).toBe('worker');
        expect(fromBuild.notes).toEqual([]);
        expect(fromBuild.calls).toBe(calls);
        expect(dump(b)).toEqual(dump(a));
        expect(fromBuild).toEqual(fromSource);
      } finally {
        setImportWorkerUrl(new URL('./importWorker.ts', import.meta.url));
        a.close();
        b.close();
      }
    },
  );
});

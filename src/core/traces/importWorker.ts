// The import's reading thread: opens the trace file (format), reads and parses it, maps
// every record to write operations and hands them to the importing thread in batches, at most a
// few batches ahead of the writes (so memory stays flat however big the file). After the commit
// it checkpoints the WAL on a connection of its own, off the importing thread.
// Protocol: see ImportWorkerMessage / ImportHostMessage in importer.ts.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '#shared/errors.ts';
import { ImportMapper } from './importMap.ts';
import type { PriceEntry } from './importPricing.ts';
import { openTraceFile } from './reader.ts';
import { SQL } from './traceQueries.ts';
import type { WriteOp } from './writeOps.ts';
import type { ImportHostMessage, ImportWorkerMessage } from './importer.ts';

/** Batches sent but not yet written (~1 MB of file each): enough to ride out either thread's GC pauses, few enough to bound memory. */
const IN_FLIGHT = 8;

const port = parentPort!;
const { path } = workerData as { path: string };
const send = (m: ImportWorkerMessage): void => port.postMessage(m);

let credits = IN_FLIGHT;
let wake: (() => void) | null = null;
// The importing thread ends this thread (terminate) when it does not need the rest.
let go: (v: { base: string; at: number; prices: PriceEntry[] }) => void = () => {};
const started = new Promise<{ base: string; at: number; prices: PriceEntry[] }>((r) => (go = r));
let open: (fingerprint: string) => void = () => {};
const opening = new Promise<string>((r) => (open = r));

function checkpoint(db: string): void {
  const t = performance.now();
  try {
    const conn = new DatabaseSync(db);
    try {
      conn.exec('PRAGMA busy_timeout = 5000');
      conn.prepare('PRAGMA wal_checkpoint(PASSIVE)').get();
    } finally {
      conn.close();
    }
    send({ t: 'checkpointed', ms: performance.now() - t, error: null });
  } catch (e) {
    // Not fatal: the data is committed; SQLite checkpoints later on its own.
    send({ t: 'checkpointed', ms: performance.now() - t, error: (e as Error).message });
  }
}

/**
 * Copies a staged import (a file of its own, written while the workspace stayed free) into the
 * workspace in one transaction on this thread's own connection: the workspace's write lock is held
 * only for this copy. Call ids are shifted past the workspace's; tickets follow the import's rule.
 * Returns how many tickets the workspace already had with a different text.
 */
function merge(db: string, staging: string): number {
  const conn = new DatabaseSync(db);
  try {
    conn.exec('PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0');
    conn.prepare('ATTACH DATABASE ? AS stg').run(staging);
    const cols = (table: string): string[] =>
      (conn.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((r) => r.name);
    conn.exec('BEGIN IMMEDIATE');
    try {
      const offset = Number((conn.prepare('SELECT coalesce(max(id), 0) AS m FROM main.calls').get() as { m: number }).m);
      const conflicts = Number((conn.prepare(SQL.mergeTicketConflicts).get() as { n: number }).n);
      const copy = (table: string, expr: Record<string, string> = {}, skip: string[] = []): void => {
        const c = cols(table).filter((x) => !skip.includes(x));
        conn.exec(
          `INSERT INTO main.${table} (${c.map((x) => `"${x}"`).join(', ')}) SELECT ${c.map((x) => expr[x] ?? `"${x}"`).join(', ')} FROM stg.${table}`,
        );
      };
      copy('runs');
      conn.exec(SQL.mergeTickets);
      copy('calls', { id: `id + ${offset}` });
      copy('call_origins', { call_id: `call_id + ${offset}` });
      copy('results');
      copy('run_tickets');
      copy('reviews', {}, ['id']);
      copy('trace_spans', {}, ['id']);
      copy('trace_reviews', { call_id: `call_id + ${offset}` }, ['id']);
      conn.exec('COMMIT');
      return conflicts;
    } catch (e) {
      conn.exec('ROLLBACK');
      throw e;
    }
  } finally {
    try {
      conn.exec('DETACH DATABASE stg');
    } catch {
      // not attached: nothing to detach
    }
    conn.close();
  }
}

port.on('message', (m: ImportHostMessage) => {
  if (m.t === 'open') open(m.fingerprint);
  else if (m.t === 'go') go({ base: m.base, at: m.at, prices: m.prices });
  else if (m.t === 'ack') credits++;
  else if (m.t === 'checkpoint') checkpoint(m.db);
  else if (m.t === 'merge') {
    try {
      send({ t: 'merged', ticketConflicts: merge(m.db, m.staging), error: null });
    } catch (e) {
      send({ t: 'merged', ticketConflicts: 0, error: (e as Error).message });
    }
  }
  wake?.();
});

async function run(): Promise<void> {
  // The importing thread fingerprints the file while this thread starts; then the format is read.
  const fingerprint = await opening;
  const opened = await openTraceFile(path, { fingerprint });
  send({ t: 'info', info: opened.info });
  const setup = await started;
  const mapper = new ImportMapper({ info: opened.info, base: setup.base, at: setup.at, prices: setup.prices });
  for await (const batch of opened.items) {
    const ops: WriteOp[] = [];
    for (const item of batch) mapper.map(item, ops);
    if (ops.length === 0) continue;
    while (credits === 0) await new Promise<void>((r) => (wake = r));
    credits--;
    send({ t: 'ops', ops, bytesRead: opened.bytesRead() });
  }
  send({ t: 'end' });
}

run().catch((e: unknown) => {
  send({ t: 'error', code: e instanceof AppError ? e.code : null, message: e instanceof Error ? e.message : String(e) });
});

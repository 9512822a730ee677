// Run leases: a run is executed by one live process at a time. The owner writes its pid, host and
// process start time into run_leases and refreshes a heartbeat; a second process finds a live
// owner and says who it is (and waits, or stops). An owner that is gone — same host: its pid is
// dead, or alive but no longer heartbeating (a reused pid); other host: heartbeat stale — is taken
// over. Releasing on exit deletes the row; a killed process leaves it, and the next one takes over.
import { hostname } from 'node:os';
import { AppError } from '#shared/errors.ts';
import type { Store } from './store.ts';

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);

/** How often an owner refreshes its heartbeat, and how old a heartbeat may be before its owner counts as gone. */
export const HEARTBEAT_MS = 2_000;
export const STALE_MS = 30_000;

export interface LeaseOwner {
  pid: number;
  host: string;
  /** Epoch ms the process started. */
  startedAt: number;
  /** What holds it, for messages ("casebench run"). */
  command: string;
}

export interface LeaseHolder extends LeaseOwner {
  runId: string;
  acquiredAt: number;
  heartbeatAt: number;
}

/** This process as a lease owner. */
export function thisProcess(command: string): LeaseOwner {
  return { pid: process.pid, host: hostname(), startedAt: Math.round(Date.now() - process.uptime() * 1000), command };
}

/** Whether a pid names a running process on this host (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sameOwner = (h: LeaseOwner, me: LeaseOwner): boolean => h.pid === me.pid && h.host === me.host && h.startedAt === me.startedAt;

/** Whether the holder of a lease is still executing the run. */
export function holderAlive(h: LeaseHolder, me: Pick<LeaseOwner, 'host'>, now = Date.now(), staleMs = STALE_MS): boolean {
  if (now - h.heartbeatAt > staleMs) return false;
  return h.host === me.host ? pidAlive(h.pid) : true;
}

function toHolder(r: Row): LeaseHolder {
  return {
    runId: String(r.run_id),
    pid: num(r.pid),
    host: String(r.host),
    startedAt: num(r.process_started_at),
    command: String(r.command ?? 'casebench'),
    acquiredAt: num(r.acquired_at),
    heartbeatAt: num(r.heartbeat_at),
  };
}

/** The current lease of a run, live or not. */
export function leaseOf(store: Store, runId: string): LeaseHolder | null {
  const r = store.prepare('SELECT * FROM run_leases WHERE run_id = ?').get(runId) as Row | undefined;
  return r ? toHolder(r) : null;
}

/** Ids of runs executed by a live process right now. */
export function liveLeasedRuns(store: Store, me: Pick<LeaseOwner, 'host'> = { host: hostname() }, now = Date.now()): Set<string> {
  const rows = store.prepare('SELECT * FROM run_leases').all() as Row[];
  return new Set(
    rows
      .map(toHolder)
      .filter((h) => holderAlive(h, me, now))
      .map((h) => h.runId),
  );
}

/**
 * Takes the lease of a run for `me` unless a live process holds it. Atomic across processes (one
 * IMMEDIATE transaction). Returns null when taken, else the live holder.
 */
export function tryAcquire(store: Store, runId: string, me: LeaseOwner, now = Date.now()): LeaseHolder | null {
  return store.immediate(() => {
    const cur = leaseOf(store, runId);
    if (cur && !sameOwner(cur, me) && holderAlive(cur, me, now)) return cur;
    store
      .prepare(
        `INSERT OR REPLACE INTO run_leases (run_id, pid, host, process_started_at, command, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(runId, me.pid, me.host, me.startedAt, me.command, now, now);
    return null;
  });
}

/** Refreshes the heartbeat of every lease `me` holds. */
export function heartbeat(store: Store, me: LeaseOwner, now = Date.now()): void {
  store
    .prepare('UPDATE run_leases SET heartbeat_at = ? WHERE pid = ? AND host = ? AND process_started_at = ?')
    .run(now, me.pid, me.host, me.startedAt);
}

/** Gives a run's lease up (only if `me` still holds it). */
export function release(store: Store, runId: string, me: LeaseOwner): void {
  store
    .prepare('DELETE FROM run_leases WHERE run_id = ? AND pid = ? AND host = ? AND process_started_at = ?')
    .run(runId, me.pid, me.host, me.startedAt);
}

const clock = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

/** "run X is being executed by casebench run (pid N on host H) since …" */
export function describeHolder(h: LeaseHolder): string {
  return `run ${h.runId} is being executed by ${h.command} (pid ${h.pid} on host ${h.host}) since ${clock(h.acquiredAt)}`;
}

export interface LeaseOptions {
  /** Wait for a live holder to finish instead of failing. */
  wait?: boolean;
  signal?: AbortSignal;
  /** Told once when waiting starts. */
  onWait?: (holder: LeaseHolder) => void;
  pollMs?: number;
  heartbeatMs?: number;
}

/** A held lease: its heartbeat runs until release() (also called on process exit). */
export interface HeldLease {
  readonly runId: string;
  release(): void;
}

/**
 * Acquires the lease of a run for this process: at once when free or abandoned; when a live process
 * holds it, throws RUN_BUSY naming the holder, or with `wait` polls until it is free (AbortError-free:
 * resolves null when the signal fires while waiting).
 */
export async function acquireRunLease(store: Store, runId: string, me: LeaseOwner, o: LeaseOptions = {}): Promise<HeldLease | null> {
  let told = false;
  for (;;) {
    const holder = tryAcquire(store, runId, me);
    if (holder === null) break;
    if (!o.wait) {
      throw new AppError('RUN_BUSY', `${describeHolder(holder)}; not started (add --wait to wait for it, or stop that process)`);
    }
    if (!told) {
      told = true;
      o.onWait?.(holder);
    }
    if (o.signal?.aborted) return null;
    await new Promise<void>((res) => {
      const t = setTimeout(res, o.pollMs ?? 500);
      o.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          res();
        },
        { once: true },
      );
    });
    if (o.signal?.aborted) return null;
  }
  return held(store, runId, me, o.heartbeatMs);
}

/** Takes the lease of a run now, or throws RUN_BUSY naming the live process that holds it. */
export function holdRunLease(
  store: Store,
  runId: string,
  me: LeaseOwner,
  hint = 'it cannot run here until that process finishes',
): HeldLease {
  const holder = tryAcquire(store, runId, me);
  if (holder) throw new AppError('RUN_BUSY', `${describeHolder(holder)}; ${hint}`);
  return held(store, runId, me);
}

function held(store: Store, runId: string, me: LeaseOwner, heartbeatMs = HEARTBEAT_MS): HeldLease {
  const timer = setInterval(() => {
    try {
      heartbeat(store, me);
    } catch {
      // A busy database skips one beat; the next one (well inside STALE_MS) refreshes it.
    }
  }, heartbeatMs);
  timer.unref();
  let holding = true;
  const onExit = (): void => lease.release();
  const lease: HeldLease = {
    runId,
    release(): void {
      if (!holding) return;
      holding = false;
      clearInterval(timer);
      process.off('exit', onExit);
      try {
        release(store, runId, me);
      } catch {
        // The store is closed or gone: the lease ends with the process anyway (same-host pid check).
      }
    },
  };
  process.on('exit', onExit);
  return lease;
}

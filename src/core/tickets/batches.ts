// The workbench's batches (an import, the watched folder, resumed leftovers): their state for the
// UI (waiting for the go-ahead, running, stopped, stopped by the spend limit, done) with progress
// read from the store, announced on every change and at most a few times a second while running.
import type { SpendEstimate } from '#shared/spend.ts';
import type { BatchState, BatchView } from '#shared/routes/spendRoutes.ts';
import type { Store } from '../store/store.ts';

interface Entry {
  label: string;
  total: number;
  state: BatchState;
  message: string | null;
  estimate: SpendEstimate | null;
  createdAt: number;
}

/** Batches listed (newest first); older finished ones are forgotten. */
const KEEP = 20;
const PROGRESS_MS = 250;

export class BatchBook {
  readonly #store: Store;
  readonly #emit: (b: BatchView[]) => void;
  readonly #entries = new Map<string, Entry>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(store: Store, emit: (b: BatchView[]) => void) {
    this.#store = store;
    this.#emit = emit;
  }

  add(runId: string, label: string, total: number, estimate: SpendEstimate | null, state: BatchState): void {
    this.#entries.set(runId, { label, total, state, message: null, estimate, createdAt: Date.now() });
    const old = [...this.#entries.entries()].filter(([, e]) => e.state === 'done').slice(0, Math.max(0, this.#entries.size - KEEP));
    for (const [id] of old) this.#entries.delete(id);
    this.#announce();
  }

  state(runId: string): BatchState | undefined {
    return this.#entries.get(runId)?.state;
  }

  set(runId: string, state: BatchState, message: string | null = null): void {
    const e = this.#entries.get(runId);
    if (!e) return;
    e.state = state;
    e.message = message;
    this.#announce();
  }

  /** Tickets of the run not finished (pending or cancelled), from the store. */
  unfinishedIds(runId: string): string[] {
    return (
      this.#store.prepare(`SELECT ticket_id FROM run_tickets WHERE run_id = ? AND status != 'done'`).all(runId) as Array<{
        ticket_id: string;
      }>
    ).map((r) => String(r.ticket_id));
  }

  unfinished(runId: string): number {
    const r = this.#store.prepare(`SELECT count(*) AS n FROM run_tickets WHERE run_id = ? AND status != 'done'`).get(runId) as {
      n: number;
    };
    return Number(r.n);
  }

  view(runId: string): BatchView | null {
    const e = this.#entries.get(runId);
    if (!e) return null;
    const r = this.#store.prepare(`SELECT count(*) AS n FROM run_tickets WHERE run_id = ? AND status = 'done'`).get(runId) as { n: number };
    return {
      runId,
      label: e.label,
      state: e.state,
      total: e.total,
      done: Number(r.n),
      message: e.message,
      estimate: e.estimate,
      createdAt: e.createdAt,
    };
  }

  list(): BatchView[] {
    return [...this.#entries.keys()]
      .reverse()
      .map((id) => this.view(id)!)
      .filter(Boolean);
  }

  /** A ticket finished: announce soon (throttled). */
  progress(runId: string): void {
    if (!this.#entries.has(runId) || this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#announce();
    }, PROGRESS_MS);
    this.#timer.unref?.();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #announce(): void {
    if (this.#closed) return;
    try {
      this.#emit(this.list());
    } catch {
      // the store is closing
    }
  }
}

// The status bar's live figures for this session: tickets in flight, spend, and each provider's
// recent health (the last calls' outcomes, rate limiting).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppEvent } from '#shared/routes.ts';
import type { Transport } from '#renderer/platform/transport.ts';
import type { SpendView } from '#shared/spend.ts';
import type { BatchView } from '#shared/routes/spendRoutes.ts';
import type { AppErrorShape } from '#shared/errors.ts';

export interface ProviderHealth {
  ok: number;
  failed: number;
  lastError: { code: string; at: number } | null;
  rateLimited: boolean;
}

export interface StatusState {
  inFlight: number;
  /** The store's spend (today, latest run, total, limits): re-read whenever the host says it changed. */
  spend: SpendView | null;
  /** Batches of this session (imports, watched folder, resumed), newest first. */
  batches: BatchView[];
  /** The last refusal of a batch action (e.g. Resume while the spend limit holds). */
  batchError: AppErrorShape | null;
  /** Batches whose confirmation was put off with "Not now" (they wait, stopped, for Resume). */
  dismissed: string[];
  health: Record<string, ProviderHealth>;
  actions: {
    attach(): () => void;
    refreshSpend(): Promise<void>;
    setLimit(dailyUsd: number | null): Promise<AppErrorShape | null>;
    startBatch(runId: string): Promise<void>;
    /** Stops one batch, or every running one. */
    stopBatch(runId?: string): Promise<void>;
    /** Resumes one batch, or every stopped one. */
    resumeBatch(runId?: string): Promise<void>;
    /** Hides a batch that waits for confirmation (its tickets stay stored; Resume starts it later). */
    notNow(runId: string): Promise<void>;
  };
}

/** The batch the palette's Stop acts on (running or waiting), and the one Resume acts on. */
export const stoppableBatch = (s: Pick<StatusState, 'batches'>): BatchView | undefined =>
  s.batches.find((b) => b.state === 'running' || b.state === 'confirm');
export const resumableBatch = (s: Pick<StatusState, 'batches'>): BatchView | undefined =>
  s.batches.find((b) => b.state === 'stopped' || b.state === 'limited');

export type StatusStore = StoreApi<StatusState>;
/** Results remembered per provider for its health. */
const WINDOW = 20;

export function createStatusStore(transport: Transport, now: () => number = () => Date.now()): StatusStore {
  const live = new Set<string>();
  const recent = new Map<string, boolean[]>();
  return createStore<StatusState>()((set, get) => ({
    inFlight: 0,
    spend: null,
    batches: [],
    batchError: null,
    dismissed: [],
    health: {},
    actions: {
      attach() {
        void get().actions.refreshSpend();
        void transport.request('batches.list', {}).then((r) => r.ok && set({ batches: r.data }));
        // A window opened (or reloaded) mid-triage: the tickets already in flight count as in
        // triage, except any that finished while the answer was on its way.
        let endedSince: Set<string> | null = new Set<string>();
        void transport.request('tickets.live', {}).then((r) => {
          const ended = endedSince;
          endedSince = null;
          if (!r.ok || !ended) return;
          for (const t of r.data) if (!ended.has(`${t.runId}|${t.ticketId}`)) live.add(`${t.runId}|${t.ticketId}`);
          set({ inFlight: live.size });
        });
        return transport.onEvent((e: AppEvent) => {
          if (e.type === 'spend.changed') void get().actions.refreshSpend();
          else if (e.type === 'batches.changed') {
            // Tickets of a batch that stopped are no longer in triage.
            for (const b of e.batches)
              if (b.state !== 'running') for (const k of [...live]) if (k.startsWith(`${b.runId}|`)) live.delete(k);
            set({ batches: e.batches, inFlight: live.size });
          } else if (e.type === 'task.started' && e.runId) {
            const k = `${e.runId}|${e.ticketId}`;
            if (!live.has(k)) {
              live.add(k);
              set({ inFlight: live.size });
            }
          } else if (e.type === 'ticket.done' && e.runId) {
            endedSince?.add(`${e.runId}|${e.ticketId}`);
            live.delete(`${e.runId}|${e.ticketId}`);
            set({ inFlight: live.size });
          } else if (
            e.type === 'task.result' &&
            !e.reused &&
            e.result.status !== 'skipped' &&
            e.result.error?.code !== 'SPEND_LIMIT' &&
            e.result.error?.code !== 'CANCELLED'
          ) {
            const r = e.result;
            const s = get();
            const list = recent.get(r.provider) ?? [];
            list.push(r.status === 'ok');
            if (list.length > WINDOW) list.shift();
            recent.set(r.provider, list);
            const prev = s.health[r.provider];
            const failed = list.filter((x) => !x).length;
            const h: ProviderHealth = {
              ok: list.length - failed,
              failed,
              lastError:
                r.status === 'error' && r.error && r.error.code !== 'CANCELLED'
                  ? { code: r.error.code, at: now() }
                  : (prev?.lastError ?? null),
              rateLimited:
                r.status === 'error' ? r.error?.code === 'RATE_LIMITED' : r.status === 'ok' ? false : (prev?.rateLimited ?? false),
            };
            set({ health: { ...s.health, [r.provider]: h } });
          }
        });
      },
      async refreshSpend() {
        const r = await transport.request('spend.get', {});
        if (r.ok) set({ spend: r.data });
      },
      async setLimit(dailyUsd) {
        const r = await transport.request('spend.setLimit', { dailyUsd });
        if (!r.ok) return r.error;
        set({ spend: r.data });
        return null;
      },
      async startBatch(runId) {
        const r = await transport.request('batches.start', { runId });
        set(r.ok ? { batches: r.data, batchError: null } : { batchError: r.error });
      },
      async stopBatch(runId) {
        const r = await transport.request('batches.stop', runId ? { runId } : {});
        set(r.ok ? { batches: r.data, batchError: null } : { batchError: r.error });
      },
      async resumeBatch(runId) {
        const r = await transport.request('batches.resume', runId ? { runId } : {});
        set(r.ok ? { batches: r.data, batchError: null } : { batchError: r.error });
      },
      async notNow(runId) {
        set({ dismissed: [...get().dismissed, runId] });
        const r = await transport.request('batches.stop', { runId });
        set(r.ok ? { batches: r.data, batchError: null } : { batchError: r.error });
      },
    },
  }));
}

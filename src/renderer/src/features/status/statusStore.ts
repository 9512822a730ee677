// The status bar's live figures for this session: tickets in flight, spend, and each provider's
// recent health (the last calls' outcomes, rate limiting).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppEvent } from '../../../../shared/routes.ts';
import type { Transport } from '../../platform/transport.ts';

export interface ProviderHealth {
  ok: number;
  failed: number;
  lastError: { code: string; at: number } | null;
  rateLimited: boolean;
}

export interface StatusState {
  inFlight: number;
  spendUsd: number;
  unpricedCalls: number;
  health: Record<string, ProviderHealth>;
  actions: { attach(): () => void };
}

export type StatusStore = StoreApi<StatusState>;
/** Results remembered per provider for its health. */
const WINDOW = 20;

export function createStatusStore(transport: Transport, now: () => number = () => Date.now()): StatusStore {
  const live = new Set<string>();
  const recent = new Map<string, boolean[]>();
  return createStore<StatusState>()((set, get) => ({
    inFlight: 0,
    spendUsd: 0,
    unpricedCalls: 0,
    health: {},
    actions: {
      attach() {
        return transport.onEvent((e: AppEvent) => {
          if (e.type === 'task.started' && e.runId) {
            const k = `${e.runId}|${e.ticketId}`;
            if (!live.has(k)) {
              live.add(k);
              set({ inFlight: live.size });
            }
          } else if (e.type === 'ticket.done' && e.runId) {
            live.delete(`${e.runId}|${e.ticketId}`);
            set({ inFlight: live.size });
          } else if (e.type === 'task.result' && !e.reused && e.result.status !== 'skipped') {
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
              lastError: r.status === 'error' && r.error && r.error.code !== 'CANCELLED' ? { code: r.error.code, at: now() } : (prev?.lastError ?? null),
              rateLimited: r.status === 'error' ? r.error?.code === 'RATE_LIMITED' : r.status === 'ok' ? false : (prev?.rateLimited ?? false),
            };
            set({
              health: { ...s.health, [r.provider]: h },
              spendUsd: s.spendUsd + (r.costUsd ?? 0),
              unpricedCalls: s.unpricedCalls + (r.costUsd === null && r.status === 'ok' ? 1 : 0),
            });
          }
        });
      },
    },
  }));
}

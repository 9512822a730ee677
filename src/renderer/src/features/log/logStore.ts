// The Log panel: what the host reported (imports, bad lines, the watched folder, key changes)
// and what the window itself ran into.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Transport } from '#renderer/platform/transport.ts';

export interface LogEntry {
  id: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  at: number;
}

export interface LogState {
  entries: LogEntry[];
  unread: number;
  actions: { add(level: LogEntry['level'], message: string): void; markRead(): void; clear(): void; attach(): () => void };
}

export type LogStore = StoreApi<LogState>;
const MAX_ENTRIES = 500;

export function createLogStore(transport: Transport): LogStore {
  let seq = 0;
  return createStore<LogState>()((set, get) => {
    const push = (e: Omit<LogEntry, 'id'>): void => {
      const entries = [...get().entries, { ...e, id: ++seq }];
      if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
      set({ entries, unread: get().unread + (e.level === 'info' ? 0 : 1) });
    };
    return {
      entries: [],
      unread: 0,
      actions: {
        add: (level, message) => push({ level, message, at: Date.now() }),
        markRead: () => set({ unread: 0 }),
        clear: () => set({ entries: [], unread: 0 }),
        attach: () =>
          transport.onEvent((e) => {
            if (e.type === 'notice') push({ level: e.level, message: e.message, at: e.at });
          }),
      },
    };
  });
}

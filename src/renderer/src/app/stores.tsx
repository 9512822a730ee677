// Hands the feature stores to components; components read them only through selectors.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { CompareStore } from '../features/compare/compareStore.ts';
import type { EditorStore } from '../features/editor/editorStore.ts';
import type { RunsStore } from '../features/experiments/runsStore.ts';
import type { ExperimentsStore } from '../features/experiments/experimentsStore.ts';
import type { LayoutStore } from '../features/layout/layoutStore.ts';
import type { LogStore } from '../features/log/logStore.ts';
import type { PromptsStore } from '../features/prompts/promptsStore.ts';
import type { ReviewStore } from '../features/review/reviewStore.ts';
import type { SettingsStore } from '../features/settings/settingsStore.ts';
import type { StatusStore } from '../features/status/statusStore.ts';
import type { TicketStore } from '../features/ticket/ticketStore.ts';
import type { TicketsStore } from '../features/tickets/ticketsStore.ts';
import type { TracesStore } from '../features/traces/tracesStore.ts';
import type { Transport } from '../platform/transport.ts';

export interface Stores {
  layout: LayoutStore;
  editor: EditorStore;
  tickets: TicketsStore;
  ticket: TicketStore;
  compare: CompareStore;
  runs: RunsStore;
  experiments: ExperimentsStore;
  settings: SettingsStore;
  status: StatusStore;
  log: LogStore;
  review: ReviewStore;
  traces: TracesStore;
  prompts: PromptsStore;
}

export interface AppContextValue {
  stores: Stores;
  transport: Transport;
}

const Ctx = createContext<AppContextValue | null>(null);

export function StoresProvider(props: { value: AppContextValue; children: ReactNode }) {
  return <Ctx.Provider value={props.value}>{props.children}</Ctx.Provider>;
}

export function useApp(): AppContextValue {
  const s = useContext(Ctx);
  if (!s) throw new Error('StoresProvider missing');
  return s;
}

type StateOf<S> = S extends StoreApi<infer T> ? T : never;

/** Reads one feature store through a selector: `useS('tickets', (s) => s.rows)`. */
export function useS<K extends keyof Stores, T>(key: K, selector: (s: StateOf<Stores[K]>) => T): T {
  const store = useApp().stores[key] as unknown as StoreApi<StateOf<Stores[K]>>;
  return useStore(store as StoreApi<unknown>, selector as (s: unknown) => T);
}

/** A feature's actions (stable; reading them never re-renders). */
export function useActions<K extends keyof Stores>(key: K): StateOf<Stores[K]> extends { actions: infer A } ? A : never {
  const store = useApp().stores[key] as unknown as StoreApi<{ actions: unknown }>;
  return store.getState().actions as never;
}

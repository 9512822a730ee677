// Hands the feature stores to components; components read them only through selectors.
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StatusState, StatusStore } from '../features/status/statusStore.ts';
import type { TriageState, TriageStore } from '../features/triage/triageStore.ts';

export interface Stores {
  triage: TriageStore;
  status: StatusStore;
}

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider(props: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={props.stores}>{props.children}</StoresContext.Provider>;
}

function useStores(): Stores {
  const s = useContext(StoresContext);
  if (!s) throw new Error('StoresProvider missing');
  return s;
}

export function useTriage<T>(selector: (s: TriageState) => T): T {
  return useStore(useStores().triage, selector);
}

export function useStatus<T>(selector: (s: StatusState) => T): T {
  return useStore(useStores().status, selector);
}

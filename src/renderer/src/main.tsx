// Renderer entry: one transport, the feature stores, then React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { StoresProvider, type Stores } from './app/stores.tsx';
import { createStatusStore } from './features/status/statusStore.ts';
import { createTriageStore } from './features/triage/triageStore.ts';
import { createTransport } from './platform/transport.ts';
import './styles.css';

const transport = createTransport();
const stores: Stores = { triage: createTriageStore(transport), status: createStatusStore(transport) };
stores.triage.getState().actions.attach();
if (!transport.problem) {
  void stores.triage.getState().actions.loadDefaults();
  void stores.status.getState().actions.refreshKeys();
}

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('#root missing');
createRoot(rootEl).render(
  <StrictMode>
    <StoresProvider stores={stores}>
      <App transportKind={transport.kind} problem={transport.problem} />
    </StoresProvider>
  </StrictMode>,
);

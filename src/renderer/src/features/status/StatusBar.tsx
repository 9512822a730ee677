// Bottom status bar: key status per provider (set/not set, last 4 characters at most).
import { useStatus, useTriage } from '../../app/stores.tsx';
import { describeKey } from './statusStore.ts';

export function StatusBar({ transportKind }: { transportKind: 'ipc' | 'http' }) {
  const keys = useStatus((s) => s.keys);
  const keysError = useStatus((s) => s.keysError);
  const demo = useTriage((s) => s.demo);
  const ticketId = useTriage((s) => s.ticketId);
  return (
    <footer className="statusbar" aria-label="Status">
      <span className="sb-item" data-testid="keys-status">
        {keysError ? (
          <span className="sb-warn">Keys: {keysError.message}</span>
        ) : keys === null ? (
          'Keys: …'
        ) : keys.length === 0 ? (
          'No providers configured'
        ) : (
          keys.map((k) => (
            <span key={k.provider} className="sb-key" title={k.source ? `from ${k.source}` : undefined}>
              <span className={`dot ${k.set ? 'on' : 'off'}`} aria-hidden="true" />
              {describeKey(k)}
            </span>
          ))
        )}
      </span>
      {demo && <span className="sb-item sb-demo">Demo mode: simulated models</span>}
      <span className="sb-spacer" />
      {ticketId && (
        <span className="sb-item mono" title="Ticket id">
          {ticketId}
        </span>
      )}
      <span className="sb-item">{transportKind === 'ipc' ? 'Desktop' : 'Browser mode · 127.0.0.1'}</span>
    </footer>
  );
}

// The Log panel: host notices and window errors, newest last.
import { useEffect, useRef } from 'react';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { EmptyState, Icon } from '#renderer/app/ui.tsx';
import './log.css';

const ICON = { info: 'info', warn: 'warning', error: 'error' } as const;

export function LogPanel() {
  const { stores } = useApp();
  const entries = useS('log', (s) => s.entries);
  const end = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: entries is the trigger: scroll to the end when a line arrives
  useEffect(() => {
    stores.log.getState().actions.markRead();
    end.current?.scrollIntoView({ block: 'end' });
  }, [entries, stores]);
  if (entries.length === 0) {
    return (
      <EmptyState icon="output" title="Nothing logged">
        <p>Imports, bad lines, the watched folder and key changes are reported here.</p>
      </EmptyState>
    );
  }
  return (
    <div className="log" role="log" aria-label="Log" data-testid="log">
      {entries.map((e) => (
        <div key={e.id} className={`log-line lv-${e.level}`}>
          <span className="log-time tabular">{new Date(e.at).toLocaleTimeString()}</span>
          <Icon name={ICON[e.level]} />
          <span className="log-msg">{e.message}</span>
        </div>
      ))}
      <div ref={end} />
    </div>
  );
}

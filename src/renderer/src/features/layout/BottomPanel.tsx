// The bottom panel: the active ticket's timeline, and the log.
import { useActions, useS } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { TimelinePanel } from '../timeline/TimelinePanel.tsx';
import { LogPanel } from '../log/LogPanel.tsx';

export function BottomPanel() {
  const tab = useS('layout', (s) => s.panelTab);
  const unread = useS('log', (s) => s.unread);
  const layout = useActions('layout');
  const tabs = [
    { id: 'timeline' as const, label: 'Timeline' },
    { id: 'log' as const, label: 'Log' },
  ];
  return (
    <section className="panel-area" aria-label="Panel">
      <div className="panel-tabs" role="tablist" aria-label="Panel views">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`panel-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-body-${t.id}`}
            data-testid={`panel-tab-${t.id}`}
            className={`panel-tab${tab === t.id ? ' active' : ''}`}
            onClick={() => layout.showPanel(t.id)}
          >
            {t.label}
            {t.id === 'log' && unread > 0 && <span className="count-badge">{unread}</span>}
          </button>
        ))}
        <span className="spacer" />
        <button type="button" className="icon-btn" title="Hide panel (Ctrl+J)" aria-label="Hide panel" onClick={() => layout.togglePanel()}>
          <Icon name="close" />
        </button>
      </div>
      <div className="panel-body" role="tabpanel" id={`panel-body-${tab}`} aria-labelledby={`panel-tab-${tab}`}>
        {tab === 'timeline' ? <TimelinePanel /> : <LogPanel />}
      </div>
    </section>
  );
}

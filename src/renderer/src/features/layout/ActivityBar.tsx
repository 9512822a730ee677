// The activity bar: one icon per view; the chosen one's side bar opens (again: it closes).
import { useActions, useS } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { ACTIVITIES } from './layoutStore.ts';

export function ActivityBar() {
  const activity = useS('layout', (s) => s.activity);
  const sidebarVisible = useS('layout', (s) => s.sidebarVisible);
  const failedCount = useS('tickets', (s) => (s.filter.failed ? 0 : s.rows.reduce((n, r) => n + (r.failed > 0 ? 1 : 0), 0)));
  const layout = useActions('layout');
  const editor = useActions('editor');
  const main = ACTIVITIES.filter((a) => a.id !== 'settings');
  const settings = ACTIVITIES.find((a) => a.id === 'settings')!;
  const item = (a: (typeof ACTIVITIES)[number]) => {
    const selected = activity === a.id && sidebarVisible;
    return (
      <button
        key={a.id}
        type="button"
        role="tab"
        aria-selected={selected}
        aria-label={a.label}
        title={a.label}
        data-testid={`activity-${a.id}`}
        className={`ab-item${selected ? ' active' : ''}`}
        onClick={() => {
          layout.showActivity(a.id, { toggle: true });
          if (a.id === 'settings') editor.openSettings();
        }}
      >
        <Icon name={a.icon} />
        {a.id === 'tickets' && failedCount > 0 && (
          <span className="ab-badge" role="img" aria-label={`${failedCount} tickets with failed tasks`}>
            {failedCount > 99 ? '99+' : failedCount}
          </span>
        )}
      </button>
    );
  };
  return (
    <nav className="activitybar" aria-label="Views">
      <div role="tablist" aria-orientation="vertical" aria-label="Views" className="ab-top">
        {main.map(item)}
      </div>
      <div role="tablist" aria-orientation="vertical" aria-label="Settings" className="ab-bottom">
        {item(settings)}
      </div>
    </nav>
  );
}

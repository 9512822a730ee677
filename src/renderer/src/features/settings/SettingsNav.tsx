// The Settings side bar: its sections, each a jump into the Settings editor.
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';
import { missingKeys } from './settingsStore.ts';

export const SETTINGS_SECTIONS = [
  { id: 'keys', label: 'Provider keys', icon: 'key' },
  { id: 'assignment', label: 'Model assignment', icon: 'type-hierarchy' },
  { id: 'endpoints', label: 'Endpoints', icon: 'plug' },
  { id: 'limits', label: 'Concurrency and retries', icon: 'dashboard' },
  { id: 'intake', label: 'Watched folder and intake', icon: 'eye' },
  { id: 'spend', label: 'Spending', icon: 'credit-card' },
  { id: 'privacy', label: 'Privacy', icon: 'shield' },
  { id: 'appearance', label: 'Appearance', icon: 'color-mode' },
] as const;

export function SettingsNav() {
  const { stores } = useApp();
  const missing = useS('settings', (s) => missingKeys(s.settings?.assignment, s.keys).length);
  const section = useS('editor', (s) => s.settingsSection.id);
  return (
    <div>
      <SideBarHeader title="Settings" />
      <ul className="nav-list" aria-label="Settings sections">
        {SETTINGS_SECTIONS.map((sec) => (
          <li key={sec.id}>
            <button
              type="button"
              className={`nav-item${section === sec.id ? ' active' : ''}`}
              data-testid={`settings-nav-${sec.id}`}
              onClick={() => stores.editor.getState().actions.openSettings(sec.id)}
            >
              <Icon name={sec.icon} />
              {sec.label}
              {sec.id === 'keys' && missing > 0 && (
                <span className="count-badge warn" role="img" aria-label={`${missing} key missing`}>
                  !
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

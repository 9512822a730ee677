// The empty editor: what to do first, with the keys for it.
import { useApp, useS } from '../../app/stores.tsx';
import { Icon, Kbd } from '../../app/ui.tsx';

export function Welcome() {
  const { stores } = useApp();
  const demo = useS('settings', (s) => s.settings?.demo ?? false);
  const total = useS('tickets', (s) => s.total);
  const rows: Array<[string, string, () => void]> = [
    ['New ticket (paste)', 'n', () => stores.editor.getState().actions.openNewTicket()],
    ['Open a JSONL or CSV file', 'o', () => stores.layout.getState().actions.requestOpenFile()],
    ['All commands', 'mod+shift+p', () => stores.layout.getState().actions.openPalette()],
    ['Keyboard shortcuts', '?', () => stores.layout.getState().actions.toggleCheatSheet()],
  ];
  return (
    <div className="welcome" data-testid="welcome">
      <div className="welcome-inner">
        <h2 className="welcome-title">casebench</h2>
        <p className="muted">
          Triage cloud support tickets with a model per task. {total > 0 ? `${total.toLocaleString('en')} tickets in this workspace.` : ''}
        </p>
        {demo && (
          <p className="notice warn">
            <Icon name="info" /> No provider key is set: tickets run on the keyless demo (simulated models).
            <button type="button" className="link-btn" onClick={() => stores.editor.getState().actions.openSettings('keys')}>
              Add a key
            </button>
          </p>
        )}
        <ul className="welcome-actions">
          {rows.map(([label, chord, run]) => (
            <li key={label}>
              <button type="button" className="link-btn" onClick={run}>
                {label}
              </button>
              <Kbd chord={chord} />
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

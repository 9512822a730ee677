// The empty editor: what to do first, with the keys for it.
import { useState } from 'react';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon, Kbd } from '#renderer/app/ui.tsx';
import './welcome.css';

export function Welcome() {
  const { stores, transport } = useApp();
  const loadedOnce = useS('tickets', (s) => s.loadedOnce);
  const [importing, setImporting] = useState(false);
  const importSamples = async (): Promise<void> => {
    setImporting(true);
    const r = await transport.request('tickets.importSamples', {});
    setImporting(false);
    const t = stores.tickets.getState().actions;
    if (r.ok) {
      stores.log.getState().actions.add('info', `${r.data.source}: ${r.data.added} sample tickets imported`);
      t.showImport({ ok: true, report: r.data, samples: true });
      void t.refresh();
    } else t.showImport({ ok: false, source: 'The sample tickets', message: r.error.message });
    stores.layout.getState().actions.showActivity('tickets');
  };
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
        {loadedOnce && total === 0 && (
          <div className="welcome-samples" data-testid="welcome-samples">
            <p>
              <strong>No tickets yet.</strong> Try it on the demo’s sample tickets: realistic AWS, Google Cloud and Azure cases with gold
              labels, so reports can show accuracy too. They are imported as <span className="mono">sample-tickets.jsonl</span>
              {demo ? ' and run on the keyless demo at no cost' : ' and triaged with your assignment'}.
            </p>
            <button
              type="button"
              className="btn primary"
              onClick={() => void importSamples()}
              disabled={importing}
              data-testid="import-samples"
            >
              <Icon name="beaker" /> {importing ? 'Importing…' : 'Import the sample tickets'}
            </button>
          </div>
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

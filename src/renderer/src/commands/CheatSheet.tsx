// "?": every keybinding, from the same registry as the palette.
import { useActions, useS } from '../app/stores.tsx';
import { Modal } from '../app/Modal.tsx';
import { Kbd } from '../app/ui.tsx';
import type { Command, CommandCategory } from './registry.ts';

const ORDER: CommandCategory[] = ['Tickets', 'Ticket', 'View', 'Editor', 'Settings', 'Help'];

export function CheatSheet({ commands }: { commands: Command[] }) {
  const open = useS('layout', (s) => s.cheatSheetOpen);
  const layout = useActions('layout');
  if (!open) return null;
  const bound = commands.filter((c) => c.keys?.length);
  return (
    <Modal label="Keyboard shortcuts" onClose={() => layout.closeOverlays()} className="cheatsheet" testId="cheatsheet">
      <header className="modal-head">
        <h2>Keyboard shortcuts</h2>
        <p className="muted small">Single keys work when you are not typing in a field. Everything is also in the command palette.</p>
      </header>
      <div className="cs-grid">
        {ORDER.map((cat) => {
          const list = bound.filter((c) => c.category === cat);
          if (list.length === 0) return null;
          return (
            <section key={cat} className="cs-group">
              <h3>{cat}</h3>
              <dl>
                {list.map((c) => (
                  <div key={c.id} className="cs-row">
                    <dt>{c.title}</dt>
                    <dd>
                      {c.keys!.map((k, i) => (
                        <span key={k}>
                          {i > 0 && <span className="faint"> or </span>}
                          <Kbd chord={k} />
                        </span>
                      ))}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          );
        })}
      </div>
      <footer className="modal-foot">
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => layout.closeOverlays()} data-autofocus>
          Close
        </button>
      </footer>
    </Modal>
  );
}

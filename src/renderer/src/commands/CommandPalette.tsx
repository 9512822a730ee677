// Ctrl/Cmd+Shift+P: every command of the registry, searchable, with its keys.
import { Command as Cmdk } from 'cmdk';
import { useActions, useS } from '../app/stores.tsx';
import { Modal } from '../app/Modal.tsx';
import { Kbd } from '../app/ui.tsx';
import type { Command } from './registry.ts';

export function CommandPalette({ commands }: { commands: Command[] }) {
  const open = useS('layout', (s) => s.paletteOpen);
  const layout = useActions('layout');
  if (!open) return null;
  const available = commands.filter((c) => !c.enabled || c.enabled());
  return (
    <Modal label="Command palette" onClose={() => layout.closeOverlays()} className="palette" testId="command-palette">
      <Cmdk label="Commands" loop>
        <Cmdk.Input placeholder="Type a command" data-autofocus data-testid="palette-input" />
        <Cmdk.List>
          <Cmdk.Empty>No command matches.</Cmdk.Empty>
          {available.map((c) => (
            <Cmdk.Item
              key={c.id}
              value={`${c.category}: ${c.title}`}
              keywords={[c.id]}
              onSelect={() => {
                layout.closeOverlays();
                // Let the palette close (and focus return) before the command moves focus.
                setTimeout(() => void c.run(), 0);
              }}
              data-testid={`cmd-${c.id}`}
            >
              <span className="cmd-cat">{c.category}:</span> {c.title}
              {c.keys?.[0] && (
                <span className="cmd-keys">
                  <Kbd chord={c.keys[0]} />
                </span>
              )}
            </Cmdk.Item>
          ))}
        </Cmdk.List>
      </Cmdk>
    </Modal>
  );
}

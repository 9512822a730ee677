// Small shared pieces in the VS Code idiom: codicons (bundled font, no network), keyboard hints,
// empty states.
import type { ReactNode } from 'react';
import { formatChord, IS_MAC } from '../commands/keybindings.ts';

export function Icon({ name, className = '', title }: { name: string; className?: string; title?: string }) {
  const cls = `codicon codicon-${name} ${className}`;
  return title ? <span className={cls} title={title} role="img" aria-label={title} /> : <span className={cls} aria-hidden />;
}

export function Kbd({ chord }: { chord: string }) {
  return <kbd>{formatChord(chord, IS_MAC)}</kbd>;
}

export function EmptyState(props: { icon: string; title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={props.testId}>
      <Icon name={props.icon} className="empty-icon" />
      <h2 className="empty-title">{props.title}</h2>
      {props.children}
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  const cls = 'codicon codicon-loading codicon-modifier-spin';
  return label ? <span className={cls} role="img" aria-label={label} /> : <span className={cls} aria-hidden />;
}

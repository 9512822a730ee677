// Small shared pieces in the VS Code idiom: codicons (bundled font, no network), keyboard hints,
// empty states.
import type { ReactNode } from 'react';
import { formatChord, IS_MAC } from '../commands/keybindings.ts';

export function Icon({ name, className = '', title }: { name: string; className?: string; title?: string }) {
  return <span className={`codicon codicon-${name} ${className}`} aria-hidden={title ? undefined : true} title={title} role={title ? 'img' : undefined} aria-label={title} />;
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
  return <span className="codicon codicon-loading codicon-modifier-spin" role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : true} />;
}

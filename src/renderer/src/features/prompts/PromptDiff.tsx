// The line diff of two prompt versions, below the editor: the added and removed counts, old and
// new line numbers per line, and a close button; a new diff is brought into view.
import { useEffect, useRef } from 'react';
import { Icon } from '#renderer/app/ui.tsx';
import type { Diff } from './promptsStore.ts';

export function PromptDiff({ diff, onClose }: { diff: Diff; onClose: () => void }) {
  const ref = useRef<HTMLElement>(null);
  // A new diff is brought into view (it sits below the editor).
  useEffect(() => {
    if (diff) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [diff]);
  return (
    <section ref={ref} className="pr-diff" data-testid="prompt-diff-view" aria-label={`Diff ${diff.from} to ${diff.to}`}>
      <header className="pr-diff-head">
        <strong>
          {diff.task} {diff.from} → {diff.to}
        </strong>
        <span className="small muted" data-testid="prompt-diff-stats">
          {' '}
          +{diff.added} −{diff.removed}
        </span>
        <button type="button" className="btn icon small" aria-label="Close the diff" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <pre className="pr-diff-lines mono">
        {diff.lines.map((l, i) => (
          <div key={i} className={`pr-dl ${l.op}`} data-op={l.op}>
            <span className="pr-ln">{l.oldLine ?? ''}</span>
            <span className="pr-ln">{l.newLine ?? ''}</span>
            <span>
              {l.op === 'add' ? '+ ' : l.op === 'del' ? '− ' : '  '}
              {l.text}
            </span>
          </div>
        ))}
      </pre>
    </section>
  );
}

// The workbench shell. Today one editor (Triage); the activity bar, tabs and panels come later.
import type { AppErrorShape } from '../../../shared/errors.ts';
import { StatusBar } from '../features/status/StatusBar.tsx';
import { TriageView } from '../features/triage/TriageView.tsx';
import { LogoMark } from './icons.tsx';

export function App({ transportKind, problem }: { transportKind: 'ipc' | 'http'; problem: AppErrorShape | null }) {
  return (
    <div className="shell">
      <header className="titlebar">
        <LogoMark />
        <span className="brand">casebench</span>
        <span className="crumb" aria-hidden="true">
          /
        </span>
        <h1 className="view-title">Ticket triage</h1>
      </header>
      {problem && (
        <div className="banner error global" role="alert">
          <span className="code">{problem.code}</span> {problem.message}
        </div>
      )}
      <main className="editor">
        <TriageView />
      </main>
      <StatusBar transportKind={transportKind} />
    </div>
  );
}

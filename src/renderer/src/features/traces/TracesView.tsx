// Traces: importing and browsing other tools' traces comes later; point at the command that will do it.
import { EmptyState } from '../../app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';

export function TracesView() {
  return (
    <div>
      <SideBarHeader title="Traces" />
      <EmptyState icon="pulse" title="No trace browser yet" testId="traces-empty">
        <p>
          Browsing traces span by span comes in a later issue. Today, <code>casebench import FILE…</code> (LangSmith, Langfuse, OTLP,
          promptfoo, casebench JSONL) records them as runs: they are listed under Experiments and open side by side. Calls this app
          makes are recorded per ticket: open a ticket and look at its Timeline.
        </p>
      </EmptyState>
    </div>
  );
}

// Traces: importing and browsing other tools' traces comes later; point at the command that will do it.
import { EmptyState } from '../../app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';

export function TracesView() {
  return (
    <div>
      <SideBarHeader title="Traces" />
      <EmptyState icon="pulse" title="No trace browser yet" testId="traces-empty">
        <p>
          Imported traces (JSONL, OTLP) will show here once <code>casebench import FILE…</code> lands. Calls this app makes are already
          recorded per ticket: open a ticket and look at its Timeline.
        </p>
      </EmptyState>
    </div>
  );
}

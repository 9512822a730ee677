// The triage editor: ticket on the left, five facts arriving on the right.
import { useTriage } from '../../app/stores.tsx';
import { TASK_IDS } from '../../../../shared/tasks.ts';
import { RunSummary, useCriticalPath } from './RunSummary.tsx';
import { TaskCard } from './TaskCard.tsx';
import { TicketPanel } from './TicketPanel.tsx';

export function TriageView() {
  const announcement = useTriage((s) => s.announcement);
  const path = useCriticalPath();
  const critical = new Set(path?.tasks ?? []);
  return (
    <div className="triage">
      <TicketPanel />
      <div className="results">
        <RunSummary />
        <section className="cards" aria-label="Extracted facts">
          {TASK_IDS.map((id) => (
            <TaskCard key={id} task={id} onCriticalPath={critical.has(id)} />
          ))}
        </section>
      </div>
      <div className="sr-only" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
    </div>
  );
}

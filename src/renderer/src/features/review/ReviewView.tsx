// Review: manual scoring of answers arrives with the next issue; until then, say so plainly.
import { EmptyState } from '../../app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';

export function ReviewView() {
  return (
    <div>
      <SideBarHeader title="Review" />
      <EmptyState icon="checklist" title="Manual review is not here yet" testId="review-empty">
        <p>
          Scoring answers by hand (exact / one level off for severity / missing details) comes with the manual-review work. Scores will
          exchange with <code>casebench reviews export</code> and <code>reviews import</code>.
        </p>
      </EmptyState>
    </div>
  );
}

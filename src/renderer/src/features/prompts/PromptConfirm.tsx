// The confirmation before a prompt version is promoted or a task rolled back: what changes for
// which models, the choice to promote for the task's model only, and the leak check to come.
import type { PromptTaskView } from '#shared/routes/promptRoutes.ts';
import { TASKS } from '#shared/tasks.ts';
import { Modal } from '#renderer/app/Modal.tsx';
import type { Confirm, PromptsActions } from './promptsStore.ts';

export function PromptConfirm({ confirm, tv, actions }: { confirm: Confirm; tv: PromptTaskView | null; actions: PromptsActions }) {
  return (
    <Modal
      label={confirm.kind === 'promote' ? 'Promote prompt version' : 'Roll back prompt'}
      onClose={actions.cancel}
      testId="prompt-confirm"
    >
      <header className="modal-head">
        <h2>{confirm.kind === 'promote' ? `Promote ${confirm.task} ${confirm.version}?` : `Roll back ${confirm.task}?`}</h2>
      </header>
      <div className="pr-modal-body">
        <p>
          {confirm.kind === 'promote'
            ? `From the next call on, ${confirm.scope ?? 'every model'} uses ${confirm.version} for ${TASKS[confirm.task].label.toLowerCase()} (now ${tv?.active}).`
            : `Returns ${confirm.scope ?? 'every model'} to the version active before the last promotion.`}
        </p>
        {confirm.kind === 'promote' && tv && (
          <label className="small">
            <input
              type="checkbox"
              data-testid="prompt-confirm-scope"
              checked={confirm.scope !== null}
              onChange={(e) => actions.ask({ ...confirm, scope: e.target.checked ? tv.model : null })}
            />{' '}
            Only for <span className="mono">{tv.model}</span> (other models keep {tv.active})
          </label>
        )}
        {confirm.kind === 'promote' && tv?.leakChecked && (
          <p className="small muted">
            First the few-shot leak check runs it on 4 probe tickets with {confirm.scope ?? tv.model} (4 calls); a version whose answers
            copy its example ids is not promoted.
          </p>
        )}
      </div>
      <div className="modal-foot">
        <button
          type="button"
          className="btn primary"
          data-testid="prompt-confirm-yes"
          data-autofocus
          onClick={() => void actions.confirmed()}
        >
          {confirm.kind === 'promote' ? 'Promote' : 'Roll back'}
        </button>
        <button type="button" className="btn" onClick={() => actions.cancel()}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}

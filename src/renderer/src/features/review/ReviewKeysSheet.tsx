// `?` on the review screen: its keys, from the same table the key handler reads.
import { Modal } from '#renderer/app/Modal.tsx';
import { REVIEW_KEYS } from './screenModel.ts';

export function ReviewKeysSheet({ onClose }: { onClose: () => void }) {
  return (
    <Modal label="Review keys" onClose={onClose} className="cheatsheet" testId="review-keys">
      <header className="modal-head">
        <h2>Review keys</h2>
        <p className="muted small">
          Every score is saved the moment you give it. Keys do nothing while you type in a field; Esc leaves it.
        </p>
      </header>
      <div className="cs-grid">
        {REVIEW_KEYS.map((g) => (
          <section key={g.group} className="cs-group">
            <h3>{g.group}</h3>
            <dl>
              {g.rows.map(([what, keys]) => (
                <div key={what} className="cs-row">
                  <dt>{what}</dt>
                  <dd>
                    {keys.map((k, i) => (
                      <span key={`${k}${i}`}>
                        {i > 0 && k !== '…' && keys[i - 1] !== '…' && <span className="faint"> </span>}
                        {k === '…' ? <span className="faint">–</span> : <kbd>{k}</kbd>}
                      </span>
                    ))}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <footer className="modal-foot">
        <span className="muted small">All workbench commands: Ctrl+Shift+P</span>
        <span className="spacer" />
        <button type="button" className="btn" onClick={onClose} data-autofocus>
          Close
        </button>
      </footer>
    </Modal>
  );
}

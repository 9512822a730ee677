// Picking the models of a side-by-side comparison: 2 to 6, one of them the baseline.
import { COMPARE_MAX_MODELS, COMPARE_MIN_MODELS } from '#shared/limits.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Modal } from '#renderer/app/Modal.tsx';
import { Icon, Spinner } from '#renderer/app/ui.tsx';
import { openKeySettings } from '#renderer/commands/actions.ts';
import { PROVIDER_NAMES } from '../settings/settingsStore.ts';
import { Marks, modelMarks } from './modelMarks.tsx';
import { ErrorCode } from '#renderer/app/errorWords.tsx';

export function ComparePicker() {
  const { stores } = useApp();
  const picker = useS('compare', (s) => s.picker);
  const models = useS('settings', (s) => s.models);
  const keys = useS('settings', (s) => s.keys);
  if (!picker.open) return null;
  const a = stores.compare.getState().actions;
  const providers = [...new Set(models.map((m) => m.provider))];
  const start = async () => {
    const r = await a.start();
    if (r) {
      stores.editor.getState().actions.openCompare(r.runId, r.ticketId, `⇆ ${r.title}`, { preview: false });
      return;
    }
    const err = stores.compare.getState().picker.error;
    if (err?.code === 'KEY_MISSING') {
      a.closePicker();
      openKeySettings(stores, err.provider ?? null);
    }
  };
  return (
    <Modal label="Compare models" onClose={() => a.closePicker()} className="picker" testId="compare-picker">
      <header className="modal-head">
        <h2>Compare models</h2>
        <p className="muted small" title={picker.ticketTitle}>
          on “{picker.ticketTitle}” · each model answers all five tasks with its own upstream
        </p>
      </header>
      <div className="picker-list" role="group" aria-label="Models">
        {providers.map((p) => (
          <fieldset key={p} className="picker-group">
            <legend>{PROVIDER_NAMES[p] ?? p}</legend>
            {models
              .filter((m) => m.provider === p)
              .map((m) => {
                const on = picker.models.includes(m.spec);
                const isBase = picker.baseline === m.spec;
                return (
                  <div key={m.spec} className={`picker-row${on ? ' on' : ''}`}>
                    <label className="picker-check">
                      <input
                        type="checkbox"
                        checked={on}
                        disabled={m.status === 'retired' && !on}
                        title={m.status === 'retired' ? (m.lifecycle ?? 'retired') : undefined}
                        onChange={() => a.toggleModel(m.spec)}
                        data-testid={`pick-${m.spec}`}
                      />
                      <span className="picker-name">{m.name}</span>
                      <span className="mono faint small">{m.spec}</span>
                    </label>
                    <Marks marks={modelMarks(m.spec, models, keys)} />
                    {on && (
                      <label className="picker-base" title="The column the others are compared with">
                        <input
                          type="radio"
                          name="baseline"
                          checked={isBase}
                          onChange={() => a.setBaseline(m.spec)}
                          data-testid={`baseline-${m.spec}`}
                        />
                        baseline
                      </label>
                    )}
                  </div>
                );
              })}
          </fieldset>
        ))}
      </div>
      {picker.error && (
        <div className="banner error" role="alert">
          <ErrorCode code={picker.error.code} /> {picker.error.message}
        </div>
      )}
      <footer className="modal-foot">
        <span className="muted small">
          {picker.models.length} of {COMPARE_MIN_MODELS}–{COMPARE_MAX_MODELS} models
        </span>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => a.closePicker()}>
          Cancel
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={picker.models.length < COMPARE_MIN_MODELS || picker.starting}
          onClick={() => void start()}
          data-testid="compare-start"
        >
          {picker.starting ? <Spinner /> : <Icon name="play" />} Run comparison
        </button>
      </footer>
    </Modal>
  );
}

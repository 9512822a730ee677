// The model step of the experiment setup: the picked models (baseline, per-model rate limit,
// remove) and the chooser of available models by provider (retired ones marked and refused).
import type { ModelInfo } from '#shared/routes.ts';
import { EXPERIMENT_MAX_MODELS } from '#shared/limits.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { Marks, modelMarks } from '../compare/modelMarks.tsx';
import { ModelSwatch } from '../plots/ModelSwatch.tsx';
import { PROVIDER_NAMES } from '../settings/settingsStore.ts';
import { refusal } from './setupLogic.ts';

export function PickedModels({ models }: { models: ModelInfo[] }) {
  const { stores } = useApp();
  const form = useS('experiments', (s) => s.setup.form);
  const keys = useS('settings', (s) => s.keys);
  const a = stores.experiments.getState().actions;
  if (form.models.length === 0) return <p className="muted small exp-none">No model picked yet: tick two or more below.</p>;
  return (
    <table className="exp-picked" aria-label="Models to compare" data-testid="exp-picked">
      <thead>
        <tr>
          <th scope="col">Picked</th>
          <th scope="col" className="c-base" title="The model the others are compared with">
            Baseline
          </th>
          <th scope="col" className="c-rpm" title="Requests per minute for this model (its own bucket); empty: no limit">
            Limit / min
          </th>
          <th scope="col" className="c-x">
            <span className="sr-only">Remove</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {form.models.map((spec) => {
          const m = models.find((x) => x.spec === spec);
          return (
            <tr key={spec} className={form.baseline === spec ? 'is-baseline' : ''}>
              <td>
                <span className="exp-picked-name">
                  <ModelSwatch spec={spec} models={form.models} />
                  <span>{m?.name ?? spec}</span>
                  <span className="mono faint small">{spec}</span>
                  <Marks marks={modelMarks(spec, models, keys)} />
                </span>
              </td>
              <td className="c-base">
                <input
                  type="radio"
                  name="exp-baseline"
                  checked={form.baseline === spec}
                  onChange={() => a.setBaseline(spec)}
                  aria-label={`${spec} is the baseline`}
                  data-testid={`exp-baseline-${spec}`}
                />
              </td>
              <td className="c-rpm">
                <input
                  type="number"
                  min={1}
                  className="num-input"
                  placeholder="no limit"
                  value={form.rpm[spec] ?? ''}
                  onChange={(e) => a.setRpm(spec, e.target.value)}
                  aria-label={`Requests per minute for ${spec}`}
                  data-testid={`exp-rpm-${spec}`}
                />
              </td>
              <td className="c-x">
                <button
                  type="button"
                  className="icon-btn"
                  onClick={() => a.toggleModel(spec, models)}
                  aria-label={`Remove ${spec}`}
                  title="Remove"
                >
                  <Icon name="close" />
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function ModelChooser({ models }: { models: ModelInfo[] }) {
  const { stores } = useApp();
  const picked = useS('experiments', (s) => s.setup.form.models);
  const keys = useS('settings', (s) => s.keys);
  const a = stores.experiments.getState().actions;
  const providers = [...new Set(models.map((m) => m.provider))];
  const full = picked.length >= EXPERIMENT_MAX_MODELS;
  return (
    <div className="exp-chooser" role="group" aria-label="Available models">
      {providers.map((p) => (
        <fieldset key={p} className="exp-chooser-group">
          <legend>{PROVIDER_NAMES[p] ?? p}</legend>
          {models
            .filter((m) => m.provider === p)
            .map((m) => {
              const on = picked.includes(m.spec);
              const refused = refusal(m);
              const marks = modelMarks(m.spec, models, keys).filter((x) => x.kind !== 'demo' && x.kind !== 'key');
              return (
                <label
                  key={m.spec}
                  className={`exp-choice${on ? ' on' : ''}${refused ? ' refused' : ''}`}
                  title={refused ? `${m.spec}: ${refused}` : m.spec}
                  data-testid={`exp-model-${m.spec}`}
                >
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={Boolean(refused) || (!on && full)}
                    onChange={() => a.toggleModel(m.spec, models)}
                    data-testid={`exp-pick-${m.spec}`}
                    aria-describedby={refused ? `refused-${m.spec}` : undefined}
                  />
                  <span className="exp-choice-name">{m.name}</span>
                  <Marks marks={marks} />
                  {refused && (
                    <span id={`refused-${m.spec}`} className="sr-only">
                      {refused}
                    </span>
                  )}
                </label>
              );
            })}
        </fieldset>
      ))}
    </div>
  );
}

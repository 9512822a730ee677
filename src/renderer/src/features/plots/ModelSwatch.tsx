// A model's colour, the same in every table, plot and comparison of the app: modelColor from
// src/shared/plots/palette.ts over the models shown together (an experiment's, a comparison's).
import { modelColor } from '#shared/plots/palette.ts';
import './plots.css';

export function ModelSwatch({ spec, models }: { spec: string; models: readonly string[] }) {
  return (
    <span
      className="model-swatch"
      style={{ background: modelColor(spec, models) }}
      aria-hidden="true"
      data-color={modelColor(spec, models)}
    />
  );
}

/** "groq:openai/gpt-oss-20b" → provider and model, for two-line labels. */
export function ModelName({ spec, models, short = false }: { spec: string; models: readonly string[]; short?: boolean }) {
  const i = spec.indexOf(':');
  const provider = i > 0 ? spec.slice(0, i) : '';
  const model = i > 0 ? spec.slice(i + 1) : spec;
  return (
    <span className="model-name" title={spec}>
      <ModelSwatch spec={spec} models={models} />
      {!short && provider && <span className="model-provider">{provider}</span>}
      <span className="mono model-id">{model}</span>
    </span>
  );
}

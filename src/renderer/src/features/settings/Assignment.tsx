// Settings → Model assignment: the model per task, with the ticket's predicted critical path,
// missing keys and the chosen models' lifecycle notices.
import type { Settings } from '#shared/routes.ts';
import { TASK_IDS, TASKS } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { formatMs } from '../ticket/format.ts';
import { Marks, modelMarks } from '../compare/modelMarks.tsx';
import { predictCriticalPath } from './predict.ts';
import { missingKeys, PROVIDER_NAMES } from './settingsStore.ts';
import { SaveNote } from './settingFields.tsx';

export function Assignment({ settings }: { settings: Settings }) {
  const { stores } = useApp();
  const models = useS('settings', (s) => s.models);
  const keys = useS('settings', (s) => s.keys);
  const latency = useS('settings', (s) => s.latency);
  const a = stores.settings.getState().actions;
  const p = predictCriticalPath(settings.assignment, latency, new Set(models.filter((m) => m.status === 'retired').map((m) => m.spec)));
  const missing = missingKeys(settings.assignment, keys);
  const providers = [...new Set(models.map((m) => m.provider))];
  return (
    <>
      <div className="prediction" data-testid="prediction" aria-live="polite">
        <div className="pred-figure">
          <span className="pred-label">Predicted ticket time</span>
          <strong className="tabular" data-testid="predicted-ms">
            {p.ms !== null ? `≈ ${formatMs(p.ms)}` : 'unknown'}
          </strong>
        </div>
        <div className="pred-path">
          {p.ms !== null ? (
            <>
              critical path{' '}
              {p.path.map((t, i) => (
                <span key={t}>
                  {i > 0 && ' → '}
                  {TASKS[t].label}
                </span>
              ))}
              <span className="faint"> · medians of recorded calls, else the seed article’s measurements</span>
            </>
          ) : p.retired.length ? (
            <span data-testid="prediction-retired">
              No prediction: the model for {p.retired.map((t) => TASKS[t].label.toLowerCase()).join(', ')} is retired and can no longer be
              called — pick another.
            </span>
          ) : (
            <span>
              No latency known yet for {p.unknown.map((t) => TASKS[t].label.toLowerCase()).join(', ')} with the chosen model — run a few
              tickets to measure it.
            </span>
          )}
        </div>
      </div>
      {missing.length > 0 && (
        <p className="notice warn" role="status">
          <Icon name="warning" /> No {missing.map((m) => PROVIDER_NAMES[m]).join(' or ')} key is set: tickets will stop with “No API key”
          until you add it above.
        </p>
      )}
      <table className="assign-table">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Median
            </th>
          </tr>
        </thead>
        <tbody>
          {TASK_IDS.map((t) => {
            const spec = settings.assignment[t];
            const known = models.some((m) => m.spec === spec);
            const lat = p.perTask[t];
            return (
              <tr key={t} className={p.path.includes(t) ? 'on-path' : ''}>
                <th scope="row">
                  {TASKS[t].label}
                  <span className="faint small"> {TASKS[t].dependsOn.length ? `after ${TASKS[t].dependsOn.join(', ')}` : ''}</span>
                </th>
                <td>
                  <div className="assign-cell">
                    <select
                      value={spec}
                      aria-label={`Model for ${TASKS[t].label}`}
                      data-testid={`assign-${t}`}
                      onChange={(e) => void a.setTaskModel(t, e.target.value)}
                    >
                      {!known && <option value={spec}>{spec} (unknown model)</option>}
                      {providers.map((prov) => (
                        <optgroup key={prov} label={PROVIDER_NAMES[prov] ?? prov}>
                          {models
                            .filter((m) => m.provider === prov)
                            .map((m) => (
                              <option key={m.spec} value={m.spec} disabled={m.status === 'retired' && m.spec !== spec}>
                                {m.name}
                                {m.status === 'retired'
                                  ? ` — retired ${m.retiredOn ?? ''}${m.replacement ? `, use ${m.replacement}` : ''}`
                                  : ''}
                                {m.status !== 'retired' && m.retiredOn
                                  ? ` — shuts down ${m.retiredOn}`
                                  : m.status === 'deprecated'
                                    ? ' — deprecated'
                                    : ''}
                                {!m.priceKnown ? ' — price unknown' : ''}
                              </option>
                            ))}
                        </optgroup>
                      ))}
                    </select>
                    <Marks marks={modelMarks(spec, models, keys)} />
                    <SaveNote field={`assignment.${t}`} />
                  </div>
                </td>
                <td
                  className="num tabular"
                  title={lat ? (lat.source === 'recorded' ? `${lat.n} recorded calls` : 'the seed article’s median') : 'no data'}
                >
                  {lat ? formatMs(lat.medianMs) : '—'}
                  {lat && <span className="faint small"> {lat.source === 'recorded' ? `n=${lat.n}` : 'article'}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {[...new Set(TASK_IDS.map((t) => settings.assignment[t]))].map((spec) => {
        const m = models.find((x) => x.spec === spec);
        return m?.lifecycle ? (
          <p key={spec} className={`notice ${m.status === 'retired' ? 'error' : 'warn'}`} role="status" data-testid="assign-lifecycle">
            <Icon name="warning" /> {m.lifecycle}
            {m.status === 'retired' ? ' — tickets refuse it until you pick another model.' : ''}
          </p>
        ) : null;
      })}
      <div className="set-row">
        <button
          type="button"
          className="btn"
          onClick={() => void a.resetAssignment()}
          disabled={!settings.assignmentSaved}
          data-testid="assign-reset"
        >
          Reset to default
        </button>
        <span className="faint small">
          {settings.assignmentSaved
            ? 'Your assignment.'
            : settings.demo
              ? 'Default: the keyless demo (no key set).'
              : 'Default: Groq gpt-oss per task.'}
        </span>
        <SaveNote field="assignment" />
      </div>
    </>
  );
}

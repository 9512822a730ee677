// Setting up an experiment: which tickets (the workspace's, or a file), which models (retired
// ones marked and refused), the baseline, the upstream mode, requests-per-minute limits and
// tickets in flight — with the cost estimate, checked by the core, shown before it starts.
import { useEffect, useRef } from 'react';
import { MAX_IMPORT_BYTES } from '#shared/limits.ts';
import { EXPERIMENT_MAX_MODELS } from '#shared/limits.ts';
import type { ExperimentEstimate } from '#shared/routes/experimentRoutes.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon, Spinner } from '#renderer/app/ui.tsx';
import { openKeySettings } from '#renderer/commands/actions.ts';
import { ModelSwatch } from '../plots/ModelSwatch.tsx';
import { ModelChooser, PickedModels } from './SetupModels.tsx';
import { startExperiment } from './commands.ts';
import { duration, usd } from './reportLogic.ts';
import './experiments.css';
import './report.css';
import './plan.css';
import { ErrorCode } from '#renderer/app/errorWords.tsx';

const int = (n: number): string => n.toLocaleString('en-US');

function Estimate({ e, loading }: { e: ExperimentEstimate; loading: boolean }) {
  const { stores } = useApp();
  const priced = e.perModel.filter((m) => m.costUsd !== null && m.calls > 0);
  return (
    <div className={`exp-estimate${loading ? ' loading' : ''}`} data-testid="exp-estimate" aria-live="polite">
      <div className="est-figures">
        <div className="est-figure">
          <span className="pred-label">Calls</span>
          <strong className="tabular">{int(e.callsToGo)}</strong>
          <span className="muted small">
            {int(e.tickets)} tickets × {e.models.length} models × {TASK_IDS.length} tasks
            {e.doneBefore ? `, ${int(e.doneBefore)} already done` : ''} (+ retries)
          </span>
        </div>
        <div className="est-figure">
          <span className="pred-label">Estimated cost</span>
          <strong className="tabular" data-testid="exp-estimate-cost">
            {e.simulated ? '$0' : `≈ ${usd(e.costUsd)}`}
          </strong>
          <span className="muted small">
            {e.simulated
              ? 'demo models are simulated: nothing is spent'
              : `prompts ≈ ${int(e.inputTokensPerCall)} tokens a call; answer lengths guessed`}
          </span>
        </div>
        <div className="est-figure">
          <span className="pred-label">Least time</span>
          <strong className="tabular">{e.minDuration ? duration(e.minDuration.ms) : '—'}</strong>
          <span className="muted small">
            {e.minDuration
              ? `${e.minDuration.bucket}: ${int(e.minDuration.calls)} calls at ${e.minDuration.rpm}/min`
              : 'no requests-per-minute limit set'}
          </span>
        </div>
      </div>
      {priced.length > 0 && !e.simulated && (
        <p className="small muted est-per-model tabular">
          {priced.map((m) => (
            <span key={m.model}>
              <ModelSwatch spec={m.model} models={e.models} /> {m.model} {usd(m.costUsd)}
            </span>
          ))}
        </p>
      )}
      {e.unknownPrice.length > 0 && (
        <p className="small warn-text">
          <Icon name="warning" /> Price unknown: {e.unknownPrice.join(', ')} — not in the estimate, and shown as “price unknown” in the
          report, never $0.
        </p>
      )}
      {e.resuming && (
        <p className="small">
          <Icon name="history" /> This setup was run before (<span className="mono">{e.runId}</span>): starting it resumes it;{' '}
          {int(e.doneBefore)} of {int(e.totalTasks)} tasks are done and are not called again.
        </p>
      )}
      {e.warnings.map((w) => (
        <p key={w} className="small warn-text">
          <Icon name="warning" /> {w}
        </p>
      ))}
      {e.keyProblems.map((k) => (
        <div key={k.provider} className="banner warn" role="alert" data-testid="exp-key-problem">
          {k.message}
          <button type="button" className="link-btn" onClick={() => openKeySettings(stores, k.provider)}>
            Set the key
          </button>
        </div>
      ))}
    </div>
  );
}

export function SetupEditor() {
  const { stores } = useApp();
  const setup = useS('experiments', (s) => s.setup);
  const models = useS('settings', (s) => s.models);
  const assignment = useS('settings', (s) => s.settings?.assignment ?? null);
  const fileInput = useRef<HTMLInputElement>(null);
  const a = stores.experiments.getState().actions;
  const f = setup.form;
  useEffect(() => {
    stores.experiments.getState().actions.openSetup(assignment ? [...new Set(Object.values(assignment))] : []);
  }, [stores, assignment]);

  const pickFile = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      stores.log
        .getState()
        .actions.add(
          'error',
          `${file.name} is ${(file.size / 1e6).toFixed(1)} MB; a browser upload is limited to ${(MAX_IMPORT_BYTES / 1e6).toFixed(1)} MB. Run it with \`casebench experiment --tickets\`, or import it through the watched folder and pick it from the workspace.`,
        );
      return;
    }
    await a.chooseFile(file.name, await file.text());
  };
  const start = (): Promise<string | null> => startExperiment(stores, (provider) => openKeySettings(stores, provider));
  const est = setup.estimate;
  const sources = setup.sources;
  const ready = est.load === 'ready' && est.data !== null && setup.incomplete === null && est.data.keyProblems.length === 0;

  return (
    <div className="exp-setup" data-testid="exp-setup">
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title">New experiment</h2>
          <p className="eh-sub">
            Every ticket × model × task, recorded in this workspace — then compare the models per task and pick one per task.
          </p>
        </div>
        <div className="eh-actions">
          <button
            type="button"
            className="btn primary"
            disabled={!ready || setup.starting}
            onClick={() => void start()}
            data-testid="exp-start"
            title={setup.incomplete ?? undefined}
          >
            {setup.starting ? <Spinner /> : <Icon name="play" />} Start
            {ready && est.data && !est.data.simulated ? ` · ≈ ${usd(est.data.costUsd)}` : ''}
          </button>
        </div>
      </header>
      <div className="exp-setup-body">
        <div className="exp-setup-main">
          <section className="exp-step" aria-labelledby="exp-step-tickets">
            <h3 id="exp-step-tickets" className="exp-step-title">
              <span className="exp-step-n">1</span> Tickets
            </h3>
            <div className="exp-radio-row">
              <label>
                <input
                  type="radio"
                  name="exp-tickets"
                  checked={f.ticketKind === 'workspace'}
                  onChange={() => a.chooseWorkspace(f.source)}
                  data-testid="exp-tickets-workspace"
                />
                From the workspace
              </label>
              <select
                value={f.source ?? ''}
                onChange={(e) => a.chooseWorkspace(e.target.value === '' ? null : e.target.value)}
                disabled={f.ticketKind !== 'workspace'}
                data-testid="exp-source"
                aria-label="Which workspace tickets"
              >
                <option value="">
                  {sources && sources.total === 0 ? 'No tickets in the workspace yet' : `All tickets (${int(sources?.total ?? 0)})`}
                </option>
                {sources?.sources
                  .filter((s) => s.source !== null)
                  .map((s) => (
                    <option key={s.source} value={s.source!}>
                      {s.source} ({int(s.count)}
                      {s.labelled ? `, ${int(s.labelled)} labelled` : ''})
                    </option>
                  ))}
              </select>
              <label className="small" title="Only the first N tickets (in the order they were added)">
                first
                <input
                  type="number"
                  min={1}
                  className="num-input"
                  placeholder="all"
                  value={f.limit ?? ''}
                  disabled={f.ticketKind !== 'workspace'}
                  onChange={(e) => a.setLimit(e.target.value === '' ? null : Number(e.target.value))}
                  data-testid="exp-limit"
                  aria-label="Use only the first N tickets"
                />
                tickets
              </label>
            </div>
            <div className="exp-radio-row">
              <label>
                <input
                  type="radio"
                  name="exp-tickets"
                  checked={f.ticketKind === 'staged'}
                  disabled={!f.staged}
                  onChange={() => a.chooseStaged()}
                  data-testid="exp-tickets-file"
                />
                From a file
              </label>
              <button type="button" className="btn small" onClick={() => fileInput.current?.click()} data-testid="exp-choose-file">
                {setup.staging ? <Spinner /> : <Icon name="folder-opened" />} Choose file…
              </button>
              <input
                ref={fileInput}
                type="file"
                accept=".jsonl,.ndjson,.json,.csv"
                className="sr-only"
                tabIndex={-1}
                aria-hidden="true"
                data-testid="exp-file-input"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = '';
                  void pickFile(file);
                }}
              />
              {f.staged && (
                <span className="small" data-testid="exp-staged">
                  <strong>{f.staged.name}</strong> — {int(f.staged.tickets)} tickets
                  {f.staged.labelled ? `, ${int(f.staged.labelled)} with gold labels` : ''}
                  {f.staged.badCount > 0 && (
                    <span className="warn-text" title={f.staged.badLines.map((b) => `line ${b.line}: ${b.message}`).join('\n')}>
                      {' '}
                      · {int(f.staged.badCount)} bad line{f.staged.badCount === 1 ? '' : 's'} skipped (line {f.staged.badLines[0]?.line}:{' '}
                      {f.staged.badLines[0]?.message})
                    </span>
                  )}
                </span>
              )}
            </div>
            {setup.stageError && (
              <div className="banner error" role="alert">
                <ErrorCode code={setup.stageError.code} /> {setup.stageError.message}
              </div>
            )}
          </section>

          <section className="exp-step" aria-labelledby="exp-step-models">
            <h3 id="exp-step-models" className="exp-step-title">
              <span className="exp-step-n">2</span> Models{' '}
              <span className="muted small">
                — {f.models.length} picked (2–{EXPERIMENT_MAX_MODELS}); the others are compared with the baseline
              </span>
            </h3>
            <PickedModels models={models} />
            <ModelChooser models={models} />
          </section>

          <section className="exp-step" aria-labelledby="exp-step-options">
            <h3 id="exp-step-options" className="exp-step-title">
              <span className="exp-step-n">3</span> How
            </h3>
            <fieldset className="exp-upstream">
              <legend className="small muted">Product, asset-id and technical-details prompts get…</legend>
              <label>
                <input
                  type="radio"
                  name="exp-upstream"
                  checked={f.upstream === 'own'}
                  onChange={() => a.setUpstream('own')}
                  data-testid="exp-upstream-own"
                />
                <strong>each model’s own</strong> platform and product <span className="muted small">— end to end, as it would run</span>
              </label>
              <label>
                <input
                  type="radio"
                  name="exp-upstream"
                  checked={f.upstream === 'baseline'}
                  onChange={() => a.setUpstream('baseline')}
                  data-testid="exp-upstream-baseline"
                />
                <strong>the baseline’s</strong> platform and product{' '}
                <span className="muted small">— each task judged on a correct upstream</span>
              </label>
            </fieldset>
            <label className="exp-inline small">
              Tickets in flight per model
              <input
                type="number"
                min={1}
                max={64}
                className="num-input"
                value={f.concurrency}
                onChange={(e) => a.setConcurrency(Number(e.target.value))}
                data-testid="exp-concurrency"
              />
            </label>
            <p className="small muted">
              429s are retried honouring retry-after; a model whose calls keep failing is paused, and one that cannot be called at all (key
              rejected, model unknown) is stopped. You can stop at any time and resume later without repeating a finished call.
            </p>
          </section>
        </div>
        <aside className="exp-setup-side exp-step" aria-labelledby="exp-step-cost">
          <h3 id="exp-step-cost" className="exp-step-title">
            <span className="exp-step-n">4</span> Before it starts {est.load === 'loading' && <Spinner label="estimating" />}
          </h3>
          {setup.incomplete && (
            <p className="muted small" data-testid="exp-incomplete">
              {setup.incomplete}
            </p>
          )}
          {!setup.incomplete && est.load === 'error' && (
            <div className="banner error" role="alert" data-testid="exp-estimate-error">
              <ErrorCode code={est.error?.code} /> {est.error?.message}
            </div>
          )}
          {!setup.incomplete && est.data && <Estimate e={est.data} loading={est.load === 'loading'} />}
          {setup.startError && (
            <div className="banner error" role="alert" data-testid="exp-start-error">
              <ErrorCode code={setup.startError.code} /> {setup.startError.message}
            </div>
          )}
        </aside>
      </div>
    </div>
  );
}

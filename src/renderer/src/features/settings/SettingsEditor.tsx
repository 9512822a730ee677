// Settings: provider keys (the key goes to the host's keychain; only "set" and its last 4
// characters ever come back), the per-task model assignment with its predicted critical path,
// endpoints, concurrency and retries, and the watched folder. Changes save at once.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { KeyProviderId, KeyStatus, Settings } from '#shared/routes.ts';
import { TASK_IDS, TASKS } from '#shared/tasks.ts';
import { keyEnvOf } from '#shared/providers.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon, Spinner } from '#renderer/app/ui.tsx';
import { formatMs } from '../ticket/format.ts';
import { formatUsd } from '../spend/format.ts';
import { Marks, modelMarks } from '../compare/modelMarks.tsx';
import { predictCriticalPath } from './predict.ts';
import { missingKeys, PROVIDER_NAMES } from './settingsStore.ts';
import { SETTINGS_SECTIONS } from './SettingsNav.tsx';
import { IntakeTokenSetting } from '../shadow/IntakeTokenSetting.tsx';
import { chooseTheme, THEME_PREFS, useThemePref } from '#renderer/app/theme.ts';
import { PrivacySettings } from './PrivacySettings.tsx';
import './settings.css';

function Section(props: { id: string; title: string; children: ReactNode; description?: ReactNode }) {
  return (
    <section className="set-section" id={`settings-${props.id}`} data-section={props.id} aria-labelledby={`settings-${props.id}-h`}>
      <h3 id={`settings-${props.id}-h`} className="set-title">
        {props.title}
      </h3>
      {props.description && <p className="set-desc">{props.description}</p>}
      {props.children}
    </section>
  );
}

function SaveNote({ field }: { field: string }) {
  const save = useS('settings', (s) => s.save);
  if (save.field !== field) return null;
  if (save.state === 'saving') return <Spinner label="saving" />;
  if (save.state === 'saved')
    return (
      <span className="save-note ok" role="status">
        <Icon name="check" /> saved
      </span>
    );
  if (save.state === 'error')
    return (
      <span className="save-note err" role="alert">
        {save.error?.message}
      </span>
    );
  return null;
}

function KeyRow({ k, envOverride, attention }: { k: KeyStatus; envOverride: boolean; attention: boolean }) {
  const { stores } = useApp();
  const id = useId();
  const [value, setValue] = useState('');
  const ref = useRef<HTMLInputElement>(null);
  const name = PROVIDER_NAMES[k.provider] ?? k.provider;
  const a = stores.settings.getState().actions;
  useEffect(() => {
    if (attention) ref.current?.focus();
  }, [attention]);
  const submit = async () => {
    const key = value;
    if (!key.trim()) return;
    // The key leaves this window once and is not kept here in any form, not even in the field.
    setValue('');
    await a.setKey(k.provider, key);
  };
  return (
    <div className={`key-row${attention ? ' attention' : ''}`} data-testid={`key-row-${k.provider}`}>
      <div className="key-name">
        <strong>{name}</strong>
        <span className={`key-state ${k.set ? 'set' : 'unset'}`} data-testid={`key-state-${k.provider}`}>
          {k.set ? (
            <>
              <Icon name="pass-filled" /> set <span className="mono">…{k.last4}</span>
              <span className="faint">
                {' '}
                ·{' '}
                {k.source === 'env'
                  ? 'from the environment'
                  : k.source === 'session'
                    ? 'this session only (no OS keychain)'
                    : 'OS keychain'}
              </span>
            </>
          ) : (
            <>
              <Icon name="circle-slash" /> not set
            </>
          )}
        </span>
      </div>
      {attention && !k.set && (
        <p className="key-attention" role="alert">
          <Icon name="warning" /> A run needs a {name} key. Paste it here; it goes to the OS keychain and is never shown again.
        </p>
      )}
      <form
        className="key-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor={id} className="sr-only">
          {name} API key
        </label>
        <input
          id={id}
          ref={ref}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          placeholder={k.set ? `Replace the ${name} key` : `Paste a ${name} API key`}
          onChange={(e) => setValue(e.target.value)}
          data-testid={`key-input-${k.provider}`}
        />
        <button type="submit" className="btn" disabled={!value.trim()} data-testid={`key-set-${k.provider}`}>
          {k.set ? 'Replace' : 'Set'}
        </button>
        {k.set && k.source !== 'env' && (
          <button
            type="button"
            className="btn danger"
            onClick={() => void a.removeKey(k.provider)}
            data-testid={`key-remove-${k.provider}`}
          >
            Remove
          </button>
        )}
        <SaveNote field={`key.${k.provider}`} />
      </form>
      {envOverride && (
        <p className="faint small">{keyEnvOf(k.provider)} is set in the environment; it takes precedence over the keychain.</p>
      )}
    </div>
  );
}

function Assignment({ settings }: { settings: Settings }) {
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

/** System / Light / Dark: saved in the workspace, applied at once (also from the palette: "Theme"). */
function ThemeSetting() {
  const { transport } = useApp();
  const pref = useThemePref();
  return (
    <fieldset className="set-theme" data-testid="theme-setting">
      <legend>Theme</legend>
      {THEME_PREFS.map((t) => (
        <label key={t.id} className="set-theme-choice">
          <input
            type="radio"
            name="casebench-theme"
            value={t.id}
            checked={pref === t.id}
            onChange={() => chooseTheme(t.id, transport)}
            data-testid={`theme-${t.id}`}
          />{' '}
          {t.label}
          {t.id === 'system' && <span className="faint small"> (follows your operating system)</span>}
        </label>
      ))}
    </fieldset>
  );
}

function TextSetting(props: {
  label: string;
  value: string | null;
  placeholder: string;
  field: string;
  onSave: (v: string | null) => void;
  envName?: string;
  overridden?: boolean;
  testId?: string;
}) {
  const id = useId();
  const [v, setV] = useState(props.value ?? '');
  useEffect(() => setV(props.value ?? ''), [props.value]);
  const commit = () => {
    if ((props.value ?? '') !== v.trim()) props.onSave(v.trim() || null);
  };
  return (
    <div className="set-field">
      <label htmlFor={id}>{props.label}</label>
      <div className="set-input-row">
        <input
          id={id}
          type="text"
          value={v}
          placeholder={props.placeholder}
          spellCheck={false}
          onChange={(e) => setV(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
          data-testid={props.testId}
        />
        <SaveNote field={props.field} />
      </div>
      {props.overridden && <p className="faint small">{props.envName} is set in the environment and takes precedence.</p>}
    </div>
  );
}

function NumberSetting(props: {
  label: string;
  hint: string;
  value: number;
  min: number;
  max: number;
  field: string;
  onSave: (n: number) => void;
  testId?: string;
}) {
  const id = useId();
  const [v, setV] = useState(String(props.value));
  useEffect(() => setV(String(props.value)), [props.value]);
  const commit = () => {
    const n = Number(v);
    if (Number.isInteger(n) && n >= props.min && n <= props.max && n !== props.value) props.onSave(n);
    else setV(String(props.value));
  };
  return (
    <div className="set-field">
      <label htmlFor={id}>{props.label}</label>
      <div className="set-input-row">
        <input
          id={id}
          type="number"
          min={props.min}
          max={props.max}
          value={v}
          onChange={(e) => setV(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
          className="num-input"
          data-testid={props.testId}
        />
        <span className="faint small">{props.hint}</span>
        <SaveNote field={props.field} />
      </div>
    </div>
  );
}

function SpendSettings() {
  const { stores } = useApp();
  const spend = useS('status', (s) => s.spend);
  const limit = spend?.limits.find((l) => l.scope.kind === 'workspace') ?? null;
  const id = useId();
  const [v, setV] = useState(limit?.dailyUsd != null ? String(limit.dailyUsd) : '');
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => setV(limit?.dailyUsd != null ? String(limit.dailyUsd) : ''), [limit?.dailyUsd]);
  const commit = async () => {
    const t = v.trim().replace(/^\$/, '');
    const n = t === '' ? null : Number(t);
    if (n !== null && !(Number.isFinite(n) && n >= 0)) {
      setErr(`“${v}” is not an amount in USD (e.g. 5 or 0.50; empty removes the limit)`);
      return;
    }
    if (n === (limit?.dailyUsd ?? null)) return;
    const e = await stores.status.getState().actions.setLimit(n);
    setErr(e ? e.message : null);
  };
  return (
    <>
      <div className="spend-figures" data-testid="spend-figures">
        <div>
          <span className="pred-label">Today ({spend?.day ?? '…'})</span>
          <strong className="tabular" data-testid="spend-today">
            {spend ? formatUsd(spend.today.usd) : '…'}
          </strong>
        </div>
        <div>
          <span className="pred-label">Latest run</span>
          <strong className="tabular">{spend?.run ? formatUsd(spend.run.usd) : '—'}</strong>
          {spend?.run && <span className="faint small"> {spend.run.label ?? spend.run.runId}</span>}
        </div>
        <div>
          <span className="pred-label">Total</span>
          <strong className="tabular">{spend ? formatUsd(spend.total.usd) : '…'}</strong>
        </div>
      </div>
      <div className="set-field">
        <label htmlFor={id}>Daily spend limit for this workspace (USD)</label>
        <div className="set-input-row">
          <input
            id={id}
            type="text"
            inputMode="decimal"
            value={v}
            placeholder="no limit"
            onChange={(e) => setV(e.target.value)}
            onBlur={() => void commit()}
            onKeyDown={(e) => e.key === 'Enter' && void commit()}
            className="num-input"
            data-testid="spend-limit"
          />
          <span className="faint small">
            when today’s spend reaches it, no further call is sent (calls in flight finish); batches stop and resume once it is raised or
            the day turns
          </span>
        </div>
        {limit?.reached && (
          <p className="notice warn" role="status" data-testid="spend-limit-reached">
            <Icon name="warning" /> Reached: calls are refused until the limit is raised or the day turns at local midnight.
          </p>
        )}
        {err && (
          <p className="notice error" role="alert" data-testid="spend-limit-error">
            {err}
          </p>
        )}
      </div>
    </>
  );
}

export function SettingsEditor() {
  const { stores } = useApp();
  const settings = useS('settings', (s) => s.settings);
  const keys = useS('settings', (s) => s.keys);
  const attention = useS('settings', (s) => s.attention);
  const section = useS('editor', (s) => s.settingsSection);
  const scroller = useRef<HTMLDivElement>(null);
  const a = stores.settings.getState().actions;

  useEffect(() => {
    void a.load();
    a.watchLatency(true);
    return () => a.watchLatency(false);
  }, [a]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once the settings have loaded, not on every settings change
  useEffect(() => {
    if (!section.id) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-section="${section.id}"]`);
    el?.scrollIntoView({ block: 'start' });
    el?.querySelector<HTMLElement>('input, select')?.focus({ preventScroll: true });
  }, [section, settings !== null]);

  if (!settings || !keys) {
    return (
      <div className="editor-loading">
        <Spinner label="Loading settings" />
      </div>
    );
  }
  const env = new Set(settings.envOverrides);
  return (
    <div className="settings-editor" ref={scroller} data-testid="settings-editor">
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title">Settings</h2>
          <p className="eh-sub">Saved in this workspace as you change them; keys go to the OS keychain.</p>
        </div>
      </header>
      <div className="settings-body">
        <Section
          id="keys"
          title={SETTINGS_SECTIONS[0].label}
          description="The key is sent once to the app’s host, which stores it in the OS keychain. This window only ever learns whether a key is set and its last 4 characters."
        >
          {keys.map((k) => (
            <KeyRow
              key={k.provider}
              k={k}
              envOverride={env.has(keyEnvOf(k.provider))}
              attention={attention === (k.provider as KeyProviderId)}
            />
          ))}
        </Section>
        <Section
          id="assignment"
          title={SETTINGS_SECTIONS[1].label}
          description="Which model answers each task. The ticket’s time is bounded by its slowest chain of dependent calls."
        >
          <Assignment settings={settings} />
          <div className="set-field">
            <label>
              <input
                type="checkbox"
                checked={settings.speculate}
                onChange={(e) => void a.update({ speculate: e.target.checked }, 'speculate')}
                data-testid="speculate"
              />{' '}
              Start dependents on a guessed platform (speculative execution)
            </label>
            <div className="set-input-row">
              <span className="faint small">
                Product, asset ids and technical details start at once on the platform (and product) the ticket’s keywords suggest; kept
                when the model’s answer agrees, run again when it does not. The facts are the same either way; a wrong guess costs the
                discarded calls (marked in the timeline).
              </span>
              <SaveNote field="speculate" />
            </div>
          </div>
        </Section>
        <Section
          id="endpoints"
          title={SETTINGS_SECTIONS[2].label}
          description="Leave empty for the provider’s own API. Groq’s base URL is the server root; OpenAI’s includes /v1."
        >
          <TextSetting
            label="Groq"
            value={settings.endpoints.groq}
            placeholder="https://api.groq.com"
            field="endpoints.groq"
            envName="GROQ_BASE_URL"
            overridden={env.has('GROQ_BASE_URL')}
            onSave={(v) => void a.update({ endpoints: { groq: v } }, 'endpoints.groq')}
            testId="endpoint-groq"
          />
          <TextSetting
            label="OpenAI"
            value={settings.endpoints.openai}
            placeholder="https://api.openai.com/v1"
            field="endpoints.openai"
            envName="OPENAI_BASE_URL"
            overridden={env.has('OPENAI_BASE_URL')}
            onSave={(v) => void a.update({ endpoints: { openai: v } }, 'endpoints.openai')}
            testId="endpoint-openai"
          />
          <TextSetting
            label="OpenAI-compatible (vLLM, Ollama, …)"
            value={settings.endpoints.openaiCompatible}
            placeholder="http://127.0.0.1:11434/v1"
            field="endpoints.openaiCompatible"
            envName="OPENAI_COMPATIBLE_BASE_URL"
            overridden={env.has('OPENAI_COMPATIBLE_BASE_URL')}
            onSave={(v) => void a.update({ endpoints: { openaiCompatible: v } }, 'endpoints.openaiCompatible')}
            testId="endpoint-compatible"
          />
        </Section>
        <Section id="limits" title={SETTINGS_SECTIONS[3].label}>
          <NumberSetting
            label="Tickets in parallel"
            hint="imported and watched-folder tickets triaged at once (1–64)"
            value={settings.ticketConcurrency}
            min={1}
            max={64}
            field="ticketConcurrency"
            onSave={(n) => void a.update({ ticketConcurrency: n }, 'ticketConcurrency')}
            testId="limit-tickets"
          />
          <NumberSetting
            label="Calls in flight per provider"
            hint="the ceiling; it halves on a 429 and grows back (1–128)"
            value={settings.callConcurrency}
            min={1}
            max={128}
            field="callConcurrency"
            onSave={(n) => void a.update({ callConcurrency: n }, 'callConcurrency')}
            testId="limit-calls"
          />
          <NumberSetting
            label="Retries per call"
            hint="after the first attempt, on 429 / 5xx / timeouts / resets (0–10)"
            value={settings.maxRetries}
            min={0}
            max={10}
            field="maxRetries"
            onSave={(n) => void a.update({ maxRetries: n }, 'maxRetries')}
            testId="limit-retries"
          />
          <NumberSetting
            label="Longest retry-after honoured (ms)"
            hint="a provider asking to wait longer fails the call at once"
            value={settings.retryAfterCapMs}
            min={0}
            max={600000}
            field="retryAfterCapMs"
            onSave={(n) => void a.update({ retryAfterCapMs: n }, 'retryAfterCapMs')}
            testId="limit-retry-after"
          />
          <div className="set-field">
            <label>
              <input
                type="checkbox"
                checked={settings.hedge.enabled}
                onChange={(e) => void a.update({ hedge: { enabled: e.target.checked } }, 'hedge.enabled')}
                data-testid="hedge-enabled"
              />{' '}
              Hedge slow calls
            </label>
            <div className="set-input-row">
              <span className="faint small">
                a call still out past its model’s p95 for the task (from this workspace’s calls, once there are 20) gets one duplicate; the
                first answer is kept, the other cancelled. Never while a model is rate-limited. Experiments are not hedged.
              </span>
              <SaveNote field="hedge.enabled" />
            </div>
          </div>
          <NumberSetting
            label="Hedging budget (% more calls)"
            hint="the most extra calls hedging may add, per model (0–50)"
            value={settings.hedge.budgetPct}
            min={0}
            max={50}
            field="hedge.budgetPct"
            onSave={(n) => void a.update({ hedge: { budgetPct: n } }, 'hedge.budgetPct')}
            testId="hedge-budget"
          />
        </Section>
        <Section
          id="intake"
          title={SETTINGS_SECTIONS[4].label}
          description="JSONL and CSV ticket files dropped here are imported once each and triaged as they arrive; a .txt file is one ticket."
        >
          <TextSetting
            label="Folder"
            value={settings.watchFolder}
            placeholder="/path/to/incoming-tickets"
            field="watchFolder"
            onSave={(v) => void a.update({ watchFolder: v }, 'watchFolder')}
            testId="watch-folder"
          />
          <div className="set-row">
            {settings.host.fileDialog && (
              <button
                type="button"
                className="btn"
                onClick={async () => {
                  const p = await a.pickFolder();
                  if (p) void a.update({ watchFolder: p }, 'watchFolder');
                }}
              >
                <Icon name="folder-opened" /> Choose…
              </button>
            )}
            {settings.watchFolder && (
              <button type="button" className="btn" onClick={() => void a.update({ watchFolder: null }, 'watchFolder')}>
                Stop watching
              </button>
            )}
            {settings.watchFolder && !settings.watchError && (
              <span className="save-note ok" data-testid="watch-state">
                <Icon name="eye" /> watching
              </span>
            )}
          </div>
          {settings.watchError && (
            <p className="notice error" role="alert">
              {settings.watchError}
            </p>
          )}
          <IntakeTokenSetting />
        </Section>
        <Section
          id="spend"
          title="Spending"
          description="Spend is what the workspace’s recorded calls cost at the prices in resources/models.json (demo calls are simulated and cost nothing). “Today” is this machine’s local day."
        >
          <SpendSettings />
        </Section>
        <Section
          id="privacy"
          title="Privacy"
          description="What leaves this machine: secrets and personal data are masked in tickets before any model call, and tickets with too little information are held."
        >
          <PrivacySettings />
        </Section>
        <Section id="appearance" title="Appearance">
          <ThemeSetting />
          <p className="set-desc">Pane sizes and open editors are remembered between launches.</p>
        </Section>
      </div>
    </div>
  );
}

// Settings: provider keys (the key goes to the host's keychain; only "set" and its last 4
// characters ever come back), the per-task model assignment with its predicted critical path,
// endpoints, concurrency and retries, and the watched folder. Changes save at once. The sections'
// parts live beside it: settingFields.tsx, KeyRow.tsx, Assignment.tsx, SpendSettings.tsx,
// ThemeSetting.tsx.
import { useEffect, useRef } from 'react';
import type { KeyProviderId } from '#shared/routes.ts';
import { keyEnvOf } from '#shared/providers.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon, Spinner } from '#renderer/app/ui.tsx';
import { SETTINGS_SECTIONS } from './SettingsNav.tsx';
import { IntakeTokenSetting } from '../shadow/IntakeTokenSetting.tsx';
import { PrivacySettings } from './PrivacySettings.tsx';
import { NumberSetting, SaveNote, Section, TextSetting } from './settingFields.tsx';
import { KeyRow } from './KeyRow.tsx';
import { Assignment } from './Assignment.tsx';
import { SpendSettings } from './SpendSettings.tsx';
import { ThemeSetting } from './ThemeSetting.tsx';
import './settings.css';

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

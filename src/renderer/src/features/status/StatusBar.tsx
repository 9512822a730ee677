// The status bar: provider keys (set / not set, never the key), provider health and rate
// limiting, tickets in flight, this session's spend, and the host.
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon, Kbd } from '#renderer/app/ui.tsx';
import { formatUsd } from '../spend/format.ts';
import { describeKey, missingKeys, PROVIDER_NAMES } from '../settings/settingsStore.ts';
import { errorWords } from '#renderer/app/errorWords.tsx';
import './status.css';

export function StatusBar() {
  const { stores, transport } = useApp();
  const keys = useS('settings', (s) => s.keys);
  const keysError = useS('settings', (s) => s.keysError);
  const demo = useS('settings', (s) => s.settings?.demo ?? false);
  const assignment = useS('settings', (s) => s.settings?.assignment);
  const missing = missingKeys(assignment, keys);
  const inFlight = useS('status', (s) => s.inFlight);
  const spend = useS('status', (s) => s.spend);
  const limit = spend?.limits.find((l) => l.scope.kind === 'workspace') ?? null;
  const health = useS('status', (s) => s.health);
  const openKeys = () => {
    stores.layout.getState().actions.showActivity('settings');
    stores.editor.getState().actions.openSettings('keys');
  };
  return (
    <footer className="statusbar" role="contentinfo" aria-label="Status">
      <button type="button" className="sb-item sb-btn" data-testid="keys-status" onClick={openKeys} title="Provider keys (Settings)">
        {keysError ? (
          <span className="sb-warn">Keys: {keysError.message}</span>
        ) : keys === null ? (
          'Keys: …'
        ) : (
          keys.map((k) => (
            <span key={k.provider} className="sb-key">
              <Icon name={k.set ? 'key' : 'circle-slash'} />
              {describeKey(k)}
            </span>
          ))
        )}
      </button>
      {missing.length > 0 && (
        <button type="button" className="sb-item sb-btn sb-warn" onClick={openKeys} data-testid="sb-missing-key">
          <Icon name="warning" /> {missing.map((m) => PROVIDER_NAMES[m]).join(', ')} key needed
        </button>
      )}
      {demo && <span className="sb-item sb-demo">Demo: simulated models</span>}
      {Object.entries(health).map(([p, h]) =>
        h.rateLimited || h.failed > 0 ? (
          <span
            key={p}
            className={`sb-item ${h.rateLimited || h.failed > h.ok ? 'sb-warn' : ''}`}
            title={`${PROVIDER_NAMES[p] ?? p}: last ${h.ok + h.failed} calls, ${h.failed} failed${h.lastError ? `; last error: ${errorWords(h.lastError.code).toLowerCase()}` : ''}`}
          >
            <Icon name={h.rateLimited ? 'watch' : 'warning'} /> {PROVIDER_NAMES[p] ?? p}{' '}
            {h.rateLimited ? 'rate limited' : `${h.failed}/${h.ok + h.failed} failed`}
          </span>
        ) : null,
      )}
      <span className="sb-spacer" />
      {inFlight > 0 && (
        <span className="sb-item" data-testid="sb-inflight">
          <Icon name="loading" className="codicon-modifier-spin" /> {inFlight} in triage
        </span>
      )}
      <button
        type="button"
        className={`sb-item sb-btn tabular ${limit?.reached ? 'sb-warn' : ''}`}
        data-testid="sb-spend"
        onClick={() => {
          stores.layout.getState().actions.showActivity('settings');
          stores.editor.getState().actions.openSettings('spend');
        }}
        title={
          spend
            ? [
                `Today (${spend.day}, this machine's local day): ${formatUsd(spend.today.usd)}${spend.today.unpricedCalls ? ` + ${spend.today.unpricedCalls} calls with price unknown` : ''}`,
                spend.run
                  ? `Latest run (${spend.run.label ?? spend.run.runId}): ${formatUsd(spend.run.usd)}`
                  : 'No run has called a provider yet',
                `Total in this workspace: ${formatUsd(spend.total.usd)}`,
                limit
                  ? `Daily limit: ${formatUsd(limit.dailyUsd ?? 0)}${limit.reached ? ' — reached: calls are refused' : ''}`
                  : 'No daily limit (Settings → Spending)',
                spend.simulatedTodayUsd > 0
                  ? `Demo calls today would have cost ${formatUsd(spend.simulatedTodayUsd)} (simulated: nothing spent)`
                  : '',
              ]
                .filter(Boolean)
                .join('\n')
            : 'Spend'
        }
      >
        {limit?.reached && <Icon name="warning" />}
        {spend ? `${formatUsd(spend.today.usd)} today` : '…'}
        {spend && spend.today.unpricedCalls > 0 ? ` + ${spend.today.unpricedCalls} unpriced` : ''}
        {limit && limit.dailyUsd !== null ? ` / ${formatUsd(limit.dailyUsd)}` : ''}
      </button>
      <span className="sb-item">{transport.kind === 'ipc' ? 'Desktop' : 'Browser · 127.0.0.1'}</span>
      <button
        type="button"
        className="sb-item sb-btn"
        onClick={() => stores.layout.getState().actions.toggleCheatSheet()}
        title="Keyboard shortcuts"
      >
        <Kbd chord="?" />
      </button>
    </footer>
  );
}

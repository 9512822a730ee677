// Settings → the HTTP intake of `casebench serve`: whether its bearer token is set (last 4
// characters), show it on request, rotate it (the old one stops working at once), and the command
// a helpdesk webhook runs.
import { useEffect, useState } from 'react';
import type { IntakeTokenView } from '#shared/routes/shadowRoutes.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';

export function IntakeTokenSetting() {
  const { transport } = useApp();
  const [view, setView] = useState<IntakeTokenView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const take = (r: Awaited<ReturnType<typeof transport.request<'intake.token'>>>) =>
    r.ok ? (setView(r.data), setError(null)) : setError(r.error.message);
  // biome-ignore lint/correctness/useExhaustiveDependencies: take is a new function every render; load once per transport
  useEffect(() => {
    void transport.request('intake.token', {}).then(take);
  }, [transport]);
  if (!view) return null;
  const origin = typeof location !== 'undefined' && location.protocol.startsWith('http') ? location.origin : 'http://127.0.0.1:<port>';
  return (
    <div className="intake-token" data-testid="intake-token">
      <h4 className="set-title small">HTTP intake</h4>
      <p className="set-desc">
        {view.served ? (
          <>
            A helpdesk webhook posts tickets to{' '}
            <code>
              POST {origin}
              {view.path}
            </code>{' '}
            as JSON <code>{'{"id"?, "text", "title"?}'}</code> or an array, with <code>Authorization: Bearer &lt;token&gt;</code>; they are
            triaged (and shadowed) like pasted ones.
          </>
        ) : (
          <>
            The intake endpoint is served by <code>casebench serve</code> (browser mode); the token set here is the one it accepts.
          </>
        )}
      </p>
      <div className="set-row">
        <span data-testid="intake-token-state">
          {view.set ? (
            <>
              token set …{view.last4} (
              {view.source === 'session'
                ? 'this session only: no OS keychain'
                : view.source === 'env'
                  ? 'from CASEBENCH_INTAKE_TOKEN'
                  : 'OS keychain'}
              )
            </>
          ) : (
            'no token: the endpoint refuses every request'
          )}
        </span>
        {view.set && !view.token && (
          <button
            type="button"
            className="btn small"
            onClick={() => void transport.request('intake.token', { reveal: true }).then(take)}
            data-testid="intake-token-show"
          >
            <Icon name="eye" /> Show
          </button>
        )}
        {view.source !== 'env' && (
          <button
            type="button"
            className="btn small"
            onClick={() => void transport.request('intake.rotate', {}).then(take)}
            data-testid="intake-token-rotate"
          >
            <Icon name="refresh" /> {view.set ? 'Rotate' : 'Create token'}
          </button>
        )}
      </div>
      {view.token && (
        <p className="small">
          <code data-testid="intake-token-value">{view.token}</code>
        </p>
      )}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

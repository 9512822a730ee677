// Settings → Privacy: what is masked before model calls (secrets on by default, personal data per
// workspace) and the information gate. Saved in the workspace at once (privacy.set).
import { useEffect, useState } from 'react';
import type { PrivacyView } from '#shared/routes/privacyRoutes.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { Icon, Spinner } from '#renderer/app/ui.tsx';

export function PrivacySettings() {
  const { transport } = useApp();
  const [view, setView] = useState<PrivacyView | null>(null);
  const [state, setState] = useState<{ saving: boolean; error: string | null; saved: boolean }>({
    saving: false,
    error: null,
    saved: false,
  });
  useEffect(() => {
    let live = true;
    void transport.request('privacy.get', {}).then((r) => live && r.ok && setView(r.data));
    return () => {
      live = false;
    };
  }, [transport]);
  if (!view) return <Spinner label="loading" />;
  const save = (next: PrivacyView): void => {
    setView(next);
    setState({ saving: true, error: null, saved: false });
    void transport.request('privacy.set', { redaction: next.redaction, infoGate: next.infoGate }).then((r) => {
      if (r.ok) {
        setView(r.data);
        setState({ saving: false, error: null, saved: true });
      } else setState({ saving: false, error: r.error.message, saved: false });
    });
  };
  return (
    <div className="set-field">
      <label>
        <input
          type="checkbox"
          checked={view.redaction.secrets}
          data-testid="privacy-secrets"
          onChange={(e) => save({ ...view, redaction: { ...view.redaction, secrets: e.target.checked } })}
        />{' '}
        Mask secrets before model calls (access keys, passwords, tokens, private keys)
      </label>
      <label>
        <input
          type="checkbox"
          checked={view.redaction.personal}
          data-testid="privacy-personal"
          onChange={(e) => save({ ...view, redaction: { ...view.redaction, personal: e.target.checked } })}
        />{' '}
        Mask personal data too (e-mail addresses, phone numbers, names, IP addresses)
      </label>
      <p className="set-desc">
        Masked values go out as placeholders such as &lt;EMAIL_1&gt; and are put back in the answers. Resource ids (accounts, projects,
        subscriptions, ARNs, buckets) are never masked: asset-id extraction needs them.
      </p>
      <label>
        <input
          type="checkbox"
          checked={view.infoGate.enabled}
          data-testid="privacy-info-gate"
          onChange={(e) => save({ ...view, infoGate: { ...view.infoGate, enabled: e.target.checked } })}
        />{' '}
        Hold tickets that name no cloud, service or resource id, and say what to ask the customer for
      </label>
      {state.saving && <Spinner label="saving" />}
      {state.saved && (
        <span className="save-note ok" role="status">
          <Icon name="check" /> saved
        </span>
      )}
      {state.error && (
        <p className="notice error" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}

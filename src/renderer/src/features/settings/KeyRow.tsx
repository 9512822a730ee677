// Settings → Provider keys: one provider's key row. The key goes to the host's keychain; only
// "set" and its last 4 characters ever come back.
import { useEffect, useId, useRef, useState } from 'react';
import type { KeyStatus } from '#shared/routes.ts';
import { keyEnvOf } from '#shared/providers.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { PROVIDER_NAMES } from './settingsStore.ts';
import { SaveNote } from './settingFields.tsx';

export function KeyRow({ k, envOverride, attention }: { k: KeyStatus; envOverride: boolean; attention: boolean }) {
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

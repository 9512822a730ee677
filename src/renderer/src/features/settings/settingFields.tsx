// The building blocks every Settings section is made of: the titled section, the save note of one
// field (saving / saved / its error), and the text and whole-number fields that save on commit.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useS } from '#renderer/app/stores.tsx';
import { Icon, Spinner } from '#renderer/app/ui.tsx';

export function Section(props: { id: string; title: string; children: ReactNode; description?: ReactNode }) {
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

export function SaveNote({ field }: { field: string }) {
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

export function TextSetting(props: {
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

export function NumberSetting(props: {
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

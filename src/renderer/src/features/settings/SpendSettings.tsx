// Settings → Spending: today's, the latest run's and the total spend, and the workspace's daily
// spend limit (set through the status store).
import { useEffect, useId, useState } from 'react';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { Icon } from '#renderer/app/ui.tsx';
import { formatUsd } from '../spend/format.ts';

export function SpendSettings() {
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

// The estimate shown before spending (a batch, a large paste): calls, cost, today's spend against
// the daily limit, unpriced and deprecated models.
import type { SpendEstimate } from '#shared/spend.ts';
import { Icon } from '#renderer/app/ui.tsx';
import { formatUsd } from './format.ts';
import './spend.css';

export function EstimateLines({ e }: { e: SpendEstimate }) {
  const after = e.spentTodayUsd + e.usd;
  const over = e.dailyLimitUsd !== null && after > e.dailyLimitUsd;
  return (
    <div className="spend-estimate" data-testid="spend-estimate">
      <div className="spend-big">
        <span className="tabular" data-testid="estimate-usd">
          {e.simulated ? '$0 (demo: simulated)' : `≈ ${formatUsd(e.usd)}`}
        </span>
        <span className="muted small">
          {e.tickets.toLocaleString('en-US')} ticket{e.tickets === 1 ? '' : 's'} · {e.calls.toLocaleString('en-US')} calls (+ retries) ·
          prompt sizes × prices; answer lengths guessed
        </span>
      </div>
      <div className="muted small" data-testid="estimate-today">
        Spent today {formatUsd(e.spentTodayUsd)}
        {e.dailyLimitUsd !== null ? ` of the ${formatUsd(e.dailyLimitUsd)} daily limit` : ' (no daily limit set)'}
      </div>
      {over && (
        <div className="banner warn small" data-testid="estimate-over">
          <Icon name="warning" /> This would pass the daily limit: calls stop when it is reached, and the rest waits for Resume.
        </div>
      )}
      {e.unknownPrice.length > 0 && (
        <div className="muted small">
          <Icon name="warning" /> Price unknown (not in the estimate): {e.unknownPrice.join(', ')}
        </div>
      )}
      {e.warnings.map((w) => (
        <div key={w} className="muted small" data-testid="estimate-warning">
          <Icon name="warning" /> {w}
        </div>
      ))}
    </div>
  );
}

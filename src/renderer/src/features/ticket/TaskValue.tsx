// The answer of one task, drawn for a support engineer rather than as JSON.
import type { TaskId } from '#shared/tasks.ts';
import { asSeverity, asStringList, asTechnicalDetails, platformView } from './format.ts';
import './ticket.css';

function Raw({ value }: { value: unknown }) {
  return <code className="raw">{JSON.stringify(value)}</code>;
}

export function TaskValue({ task, value, compact = false }: { task: TaskId; value: unknown; compact?: boolean }) {
  const big = compact ? 'value-compact' : 'value-big';
  if (compact && task === 'technical_details') {
    const td = asTechnicalDetails(value);
    if (!td) return <Raw value={value} />;
    return (
      <div className="details-compact" title={[...td.present.map((d) => `✓ ${d}`), ...td.missing.map((d) => `? ${d}`)].join('\n')}>
        <span className="present">{td.present.length} present</span> · <span className="missing">{td.missing.length} missing</span>
        {td.present.length > 0 && <div className="small muted clamp">{td.present.join('; ')}</div>}
      </div>
    );
  }
  switch (task) {
    case 'platform': {
      const p = platformView(value);
      return (
        <p className={`${big}${p.known ? '' : ' muted'}`}>
          {p.name}
          {p.detail && <span className="value-detail">{p.detail}</span>}
        </p>
      );
    }
    case 'product':
      return typeof value === 'string' && value !== '' ? <p className={big}>{value}</p> : <p className={`${big} muted`}>Not identified</p>;
    case 'severity': {
      const sev = asSeverity(value);
      return sev ? (
        <p className={big}>
          <span className={`severity sev-${sev}`} data-severity={sev}>
            {sev}
          </span>
        </p>
      ) : (
        <Raw value={value} />
      );
    }
    case 'asset_ids': {
      const ids = asStringList(value);
      if (!ids) return <Raw value={value} />;
      if (ids.length === 0) return <p className="muted">No identifiers named</p>;
      return (
        <ul className="chips" aria-label="Asset ids">
          {ids.map((id) => (
            <li key={id} className="chip mono" title={id}>
              {id}
            </li>
          ))}
        </ul>
      );
    }
    case 'technical_details': {
      const td = asTechnicalDetails(value);
      if (!td) return <Raw value={value} />;
      return (
        <div className="details">
          <div>
            <h4 className="details-title present">Present · {td.present.length}</h4>
            {td.present.length ? (
              <ul className="details-list present">
                {td.present.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : (
              <p className="muted small">none</p>
            )}
          </div>
          <div>
            <h4 className="details-title missing">Missing · {td.missing.length}</h4>
            {td.missing.length ? (
              <ul className="details-list missing">
                {td.missing.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : (
              <p className="muted small">nothing missing</p>
            )}
          </div>
        </div>
      );
    }
  }
}

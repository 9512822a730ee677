// The bottom panel's timeline: the active ticket's calls as a waterfall on one time axis, the
// graph's dependencies drawn between them and the critical path in the accent colour.
import { useMemo } from 'react';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { useS } from '#renderer/app/stores.tsx';
import { useNow } from '#renderer/app/useNow.ts';
import { EmptyState } from '#renderer/app/ui.tsx';
import { formatMs } from '../ticket/format.ts';
import { useTicketCriticalPath } from '../ticket/TicketEditor.tsx';
import { buildWaterfall, niceTicks } from './waterfall.ts';
import { ModelSwatch } from '../plots/ModelSwatch.tsx';
import './timeline.css';

const ROW_H = 24;

export function TimelinePanel() {
  const ticketId = useS('editor', (s) => {
    const t = s.tabs.find((x) => x.id === s.activeId);
    return t?.kind === 'ticket' ? t.ticketId : null;
  });
  const compare = useS('editor', (s) => s.tabs.find((x) => x.id === s.activeId)?.kind === 'compare');
  if (!ticketId) {
    return (
      <EmptyState icon="graph-line" title={compare ? 'A comparison has no single timeline' : 'No ticket open'}>
        <p>
          {compare
            ? 'Latency per model and task is in each cell; open the ticket to see its own calls.'
            : 'Open a ticket to see its calls on a shared time axis.'}
        </p>
      </EmptyState>
    );
  }
  return <Timeline ticketId={ticketId} />;
}

function Timeline({ ticketId }: { ticketId: string }) {
  const tasks = useS('ticket', (s) => s.views[ticketId]?.tasks);
  const calls = useS('ticket', (s) => s.views[ticketId]?.calls);
  const state = useS('ticket', (s) => s.views[ticketId]?.state);
  const liveSince = useS('ticket', (s) => s.views[ticketId]?.liveSince ?? null);
  const live = state === 'running';
  const now = useNow(live);
  const path = useTicketCriticalPath(ticketId);
  const nowMs = live && liveSince !== null ? now - liveSince : null;
  const w = useMemo(() => (tasks && calls ? buildWaterfall(tasks, calls, nowMs) : null), [tasks, calls, nowMs]);
  if (!w || !tasks) return null;
  if (w.rows.every((r) => r.segments.length === 0) && !live) {
    return (
      <EmptyState icon="graph-line" title="No calls yet">
        <p>{state === 'new' ? 'This ticket has not been triaged.' : 'Nothing was sent to a model for this run.'}</p>
      </EmptyState>
    );
  }
  // While running, leave headroom so growing bars do not hit the edge at once.
  const span = live ? Math.max(w.spanMs * 1.2, 1000) : w.spanMs * 1.04;
  const ticks = niceTicks(span);
  const x = (ms: number): number => (ms / span) * 1000;
  const pct = (ms: number): string => `${Math.min(100, Math.max(0, (ms / span) * 100)).toFixed(3)}%`;
  const critical = new Set<TaskId>(path?.tasks ?? []);
  const rowIndex = new Map(TASK_IDS.map((t, i) => [t, i] as const));
  const anySplit = w.rows.some((r) => r.split);
  // The app's model colours (the same as in experiments and comparisons), over this ticket's models.
  const models = [...new Set(w.rows.flatMap((r) => (r.model ? [r.model] : [])))];

  return (
    <div className="timeline" data-testid="timeline" role="figure" aria-label="Timeline of the ticket's calls">
      <div className="tl-legend">
        <span title="Time an attempt waited for a free slot (concurrency or rate limit) before its request was sent">
          <i className="sw sw-wait" /> waiting for a slot
        </span>
        <span>
          <i className="sw sw-model" /> model
        </span>
        <span>
          <i className="sw sw-queue" /> queue
        </span>
        <span>
          <i className="sw sw-overhead" /> network + parsing
        </span>
        <span title="Request sent → answer received">
          <i className="sw sw-call" /> call
        </span>
        <span>
          <i className="sw sw-failed" /> failed attempt
        </span>
        {w.rows.some((r) => r.hedges > 0) && (
          <span title="A call still out past its model's p95 got one duplicate (lower half); the first answer was kept and the other cancelled">
            <i className="sw sw-cancelled" /> cancelled (a hedged call's slower half)
          </span>
        )}
        <span>
          <i className="sw sw-critical" /> critical path
        </span>
        {w.rows.some((r) => r.speculative || r.discarded > 0) && (
          <>
            <span title="Started at once on a platform/product guessed from keywords; the model's answer agreed, so this is the call a sequential run makes">
              <i className="sw sw-spec-kept" /> speculative, kept
            </span>
            <span title="Started on a guess the model's answer contradicted: cancelled or thrown away, its cost counted, never the fact">
              <i className="sw sw-discarded" /> discarded
            </span>
          </>
        )}
        {!anySplit && <span className="muted">queue vs model time appears where the provider reports it (Groq)</span>}
      </div>
      <div className="tl-grid">
        <div className="tl-axis-row">
          <span className="tl-label" />
          <div className="tl-axis">
            {ticks.map((t) => (
              <span key={t} className="tl-tick" style={{ left: pct(t) }}>
                {formatMs(t)}
              </span>
            ))}
          </div>
          <span className="tl-ms" />
        </div>
        <div className="tl-body">
          <div className="tl-rows">
            {w.rows.map((r) => (
              <div
                key={r.task}
                className={`tl-row${critical.has(r.task) ? ' critical' : ''}`}
                data-testid={`tl-row-${r.task}`}
                data-status={r.status}
              >
                <span className="tl-label" title={r.model ?? undefined}>
                  {r.model && <ModelSwatch spec={r.model} models={models} />} {r.label}
                  {r.attempts > 1 && <span className="tl-attempts"> ×{r.attempts}</span>}
                  {r.hedges > 0 && (
                    <span
                      className="tl-hedged"
                      data-testid={`tl-hedged-${r.task}`}
                      title="A duplicate was sent when the call ran past its model's p95; the first answer was kept"
                    >
                      {' '}
                      hedged
                    </span>
                  )}
                  {r.discarded > 0 && (
                    <span className="tl-attempts" data-testid={`tl-discarded-${r.task}`}>
                      {' '}
                      +{r.discarded} discarded
                    </span>
                  )}
                </span>
                <div className="tl-track">
                  {ticks.map((t) => (
                    <span key={t} className="tl-gridline" style={{ left: pct(t) }} />
                  ))}
                  {r.reused && <span className="tl-note">kept from the previous run</span>}
                  {r.status === 'skipped' && <span className="tl-note">skipped</span>}
                  {r.segments.map((s, i) => (
                    <span
                      key={i}
                      className={`tl-seg seg-${s.kind}${s.band ? ` band-${s.band}` : ''}${s.speculation ? ` spec-${s.speculation}` : ''}`}
                      style={{ left: pct(s.startMs), width: pct(Math.max(s.endMs - s.startMs, span * 0.003)) }}
                      title={`${r.label}: ${s.title} (${formatMs(s.startMs)} → ${formatMs(s.endMs)})`}
                    />
                  ))}
                </div>
                <span
                  className="tl-ms tabular"
                  title={
                    r.latencyMs !== null
                      ? `call ${formatMs(r.latencyMs)}${r.slotWaitMs !== null ? `; waited ${formatMs(r.slotWaitMs)} for a slot before it` : ''}`
                      : undefined
                  }
                >
                  {r.latencyMs !== null ? formatMs(r.latencyMs) : ''}
                </span>
              </div>
            ))}
          </div>
          <svg
            className="tl-edges"
            viewBox={`0 0 1000 ${w.rows.length * ROW_H}`}
            preserveAspectRatio="none"
            aria-hidden="true"
            style={{ height: w.rows.length * ROW_H }}
          >
            {w.edges.map((e) => {
              const from = w.rows[rowIndex.get(e.from)!]!;
              const to = w.rows[rowIndex.get(e.to)!]!;
              if (from.endMs === null || to.startMs === null) return null;
              const y1 = rowIndex.get(e.from)! * ROW_H + ROW_H / 2;
              const y2 = rowIndex.get(e.to)! * ROW_H + ROW_H / 2;
              const x1 = x(from.endMs);
              const x2 = Math.max(x1, x(to.startMs));
              const hot = critical.has(e.from) && critical.has(e.to);
              return (
                <path
                  key={`${e.from}-${e.to}`}
                  className={`tl-edge${hot ? ' hot' : ''}`}
                  d={`M ${x1} ${y1} V ${y2} H ${x2}`}
                  vectorEffect="non-scaling-stroke"
                />
              );
            })}
          </svg>
        </div>
      </div>
    </div>
  );
}

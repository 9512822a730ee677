// One imported trace, drawn as Langfuse and Phoenix draw one (issue 14 §3): the span tree with a
// waterfall of timings on the left; on the right the selected span — for a model call its input
// messages, output (text, tool calls, reasoning, structured output), model, tokens, cost, latency,
// TTFT, errors, metadata and the scores (the source's own and reviewers'). j/k move between model
// calls, ↑/↓ between all spans; nothing here asks a provider anything.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SpanNodeView, TraceCallView, TraceView } from '#shared/traceView.ts';
import type { AppErrorShape } from '#shared/errors.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Kbd, Spinner } from '#renderer/app/ui.tsx';
import { openTicketAt } from '#renderer/commands/actions.ts';
import { formatCost, formatMs } from '../ticket/format.ts';
import { OriginParts } from '../traces/OriginLine.tsx';
import { formatLabel } from '../traces/formatLabel.ts';
import { useEditorKeys } from './useEditorKeys.ts';
import { nextCall, scoreText } from './traceModel.ts';
import './traceView.css';
import './traceReview.css';

const n = (v: number | null): string => (v === null ? '—' : v.toLocaleString('en'));

function Json({ value, testId }: { value: unknown; testId?: string }) {
  if (value === null || value === undefined) return <p className="faint small">—</p>;
  return (
    <pre className="tv-pre" data-testid={testId}>
      {typeof value === 'string' ? value : JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function ScoreList({ scores }: { scores: TraceCallView['scores'] }) {
  if (scores.length === 0) return <p className="faint small">No scores yet. A review queue over this file scores its calls.</p>;
  return (
    <table className="tv-scores" data-testid="tv-scores">
      <tbody>
        {scores.map((s) => (
          <tr key={s.id}>
            <td className="mono small">{s.criterion}</td>
            <td className={`tv-score-v ${s.value === true ? 'pass' : s.value === false ? 'fail' : ''}`}>{scoreText(s)}</td>
            <td className="small">{s.reviewer}</td>
            <td className="small muted">{s.note ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Messages({ messages }: { messages: TraceCallView['input'] }) {
  if (messages.length === 0) return <p className="faint small">The source recorded no input messages.</p>;
  return (
    <ol className="tv-msgs" data-testid="tv-input">
      {messages.map((m, i) => (
        <li key={i} className={`tv-msg role-${m.role}`}>
          <span className="tv-role">{m.role}</span>
          <pre className="tv-pre">{m.content}</pre>
        </li>
      ))}
    </ol>
  );
}

/** Output of a call: text, tool calls, reasoning, structured output (what the source kept). */
export function Output({ c }: { c: TraceCallView }) {
  const parsedDiffers = c.parsedOutput !== null && JSON.stringify(c.parsedOutput) !== JSON.stringify(c.output);
  return (
    <div data-testid="tv-output">
      {c.output ? (
        <pre className="tv-pre tv-answer">{c.output}</pre>
      ) : (
        <p className="faint small">No output text{c.status === 'error' ? ' (the call failed)' : ''}.</p>
      )}
      {c.reasoning && (
        <>
          <h5 className="tv-h5">Reasoning</h5>
          <pre className="tv-pre tv-reasoning">{c.reasoning}</pre>
        </>
      )}
      {c.toolCalls.length > 0 && (
        <>
          <h5 className="tv-h5">Tool calls</h5>
          <Json value={c.toolCalls} />
        </>
      )}
      {parsedDiffers && (
        <>
          <h5 className="tv-h5">Structured output</h5>
          <Json value={c.parsedOutput} />
        </>
      )}
    </div>
  );
}

function CallDetail({ c }: { c: TraceCallView }) {
  const { stores } = useApp();
  const stat = (label: string, value: string, testId?: string) => (
    <div className="tv-stat" data-testid={testId}>
      <span className="tv-stat-l">{label}</span>
      <span className="tv-stat-v tabular">{value}</span>
    </div>
  );
  return (
    <div className="tv-detail-body" data-testid="tv-call" data-call-id={c.callId}>
      <div className="tv-detail-head">
        <Icon name="sparkle" />
        <h3 className="tv-detail-title">{c.name}</h3>
        <span className={c.status === 'ok' ? 'st-done' : 'st-failed'}>{c.status === 'ok' ? 'ok' : (c.errorCode ?? 'error')}</span>
      </div>
      <div className="tv-stats">
        {stat('model', c.modelSpec, 'tv-model')}
        {stat('latency', formatMs(c.latencyMs), 'tv-latency')}
        {stat('TTFT', formatMs(c.ttftMs))}
        {stat('tokens', `${n(c.inputTokens)} → ${n(c.outputTokens)}`, 'tv-tokens')}
        {c.cachedTokens !== null && stat('cached', n(c.cachedTokens))}
        {c.reasoningTokens !== null && stat('reasoning', n(c.reasoningTokens))}
        {stat('cost', formatCost(c.costUsd), 'tv-cost')}
        {stat('started', new Date(c.startedAt).toISOString().replace('T', ' ').replace('Z', ' UTC'))}
        {c.requestId && stat('request', c.requestId)}
        {c.httpStatus !== null && stat('HTTP', String(c.httpStatus))}
      </div>
      {c.status === 'error' && (
        <div className="notice error" data-testid="tv-error">
          <strong>{c.errorCode ?? 'error'}</strong> {c.errorMessage}
        </div>
      )}
      {c.ticketId && (
        <p className="small">
          This call belongs to ticket{' '}
          <button type="button" className="link-btn" onClick={() => openTicketAt(stores, c.ticketId!, c.ticketId!, true)}>
            {c.ticketId}
          </button>
          .
        </p>
      )}
      <h4 className="tv-h4">Input</h4>
      <Messages messages={c.input} />
      <h4 className="tv-h4">Output</h4>
      <Output c={c} />
      <h4 className="tv-h4">Scores</h4>
      <ScoreList scores={c.scores} />
      <details className="tv-meta">
        <summary>Metadata</summary>
        <Json value={c.metadata} />
      </details>
      {c.origin && (
        <p className="small muted tv-origin">
          <OriginParts o={c.origin} />
        </p>
      )}
    </div>
  );
}

function SpanDetail({ node }: { node: SpanNodeView }) {
  const s = node.span!;
  return (
    <div className="tv-detail-body" data-testid="tv-span">
      <div className="tv-detail-head">
        <Icon name="symbol-event" />
        <h3 className="tv-detail-title">{node.name}</h3>
        {node.type && <span className="kind-tag">{node.type}</span>}
        <span className={node.status === 'ok' ? 'st-done' : 'st-failed'}>{node.status}</span>
      </div>
      <div className="tv-stats">
        <div className="tv-stat">
          <span className="tv-stat-l">start</span>
          <span className="tv-stat-v tabular">+{formatMs(node.startMs)}</span>
        </div>
        <div className="tv-stat">
          <span className="tv-stat-l">duration</span>
          <span className="tv-stat-v tabular">{formatMs(node.durationMs)}</span>
        </div>
        <div className="tv-stat">
          <span className="tv-stat-l">span</span>
          <span className="tv-stat-v mono">{s.spanId}</span>
        </div>
      </div>
      {s.error && <div className="notice error">{s.error}</div>}
      <h4 className="tv-h4">Input</h4>
      <Json value={s.input} />
      <h4 className="tv-h4">Output</h4>
      <Json value={s.output} />
      <details className="tv-meta">
        <summary>Metadata</summary>
        <Json value={s.metadata} />
      </details>
      {s.locator && <p className="small faint">{s.locator}</p>}
    </div>
  );
}

/** The span tree with a waterfall column: each row's bar placed by its start and length within the trace. */
function SpanTree({ t, sel, onSelect }: { t: TraceView; sel: number; onSelect: (i: number) => void }) {
  const total =
    t.durationMs && t.durationMs > 0 ? t.durationMs : Math.max(1, ...t.nodes.map((x) => (x.startMs ?? 0) + (x.durationMs ?? 0)));
  const listRef = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: sel is the trigger: scroll the selected node into view
  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [sel]);
  return (
    <div className="tv-tree" role="tree" aria-label="Spans" ref={listRef} data-testid="tv-tree">
      <div className="tv-tree-head small faint">
        <span>span</span>
        <span className="tv-axis">
          <span>0</span>
          <span>{formatMs(total / 2)}</span>
          <span>{formatMs(total)}</span>
        </span>
        <span className="num">duration</span>
      </div>
      {t.nodes.map((node, i) => {
        const left = node.startMs !== null ? (node.startMs / total) * 100 : 0;
        const width = node.durationMs !== null ? Math.max(0.6, (node.durationMs / total) * 100) : 0.6;
        return (
          <div
            key={node.key}
            role="treeitem"
            aria-level={node.depth + 1}
            aria-selected={i === sel}
            tabIndex={i === sel ? 0 : -1}
            className={`tv-node ${node.kind}${i === sel ? ' selected' : ''}${node.status === 'error' ? ' err' : ''}`}
            data-testid="tv-node"
            data-kind={node.kind}
            onClick={() => onSelect(i)}
          >
            <span className="tv-name" style={{ paddingLeft: `${node.depth * 14 + 4}px` }} title={node.name}>
              <Icon
                name={
                  node.kind === 'call'
                    ? 'sparkle'
                    : node.type === 'tool' || node.type === 'TOOL'
                      ? 'tools'
                      : node.type === 'trace'
                        ? 'list-tree'
                        : 'symbol-event'
                }
              />
              <span className="clip">{node.name}</span>
              {node.kind === 'call' && node.call !== null && (
                <span className="tv-node-model faint small clip">{t.calls[node.call]!.modelSpec.split(':').pop()}</span>
              )}
            </span>
            <span className="tv-bar-cell">
              <span
                className={`tv-bar ${node.kind}${node.status === 'error' ? ' err' : ''}`}
                style={{ left: `${Math.min(left, 99.4)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.4))}%` }}
                data-testid="tv-bar"
              />
            </span>
            <span className="num tabular small">{formatMs(node.durationMs)}</span>
          </div>
        );
      })}
    </div>
  );
}

export function TraceEditor({ callId }: { callId: number }) {
  const { transport, stores } = useApp();
  const [t, setT] = useState<TraceView | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [sel, setSel] = useState(0);
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    void transport.request('traces.trace', { callId }).then((r) => {
      if (!live) return;
      if (!r.ok) return setError(r.error);
      setT(r.data);
      const i = r.data.nodes.findIndex((x) => x.call === r.data.focus);
      setSel(Math.max(0, i));
      stores.editor.getState().actions.retitle(`tracecall:${callId}`, `◇ ${r.data.name.slice(0, 40)}`);
    });
    return () => {
      live = false;
    };
  }, [callId, transport, stores]);
  const move = useCallback(
    (key: string) => {
      if (!t) return false;
      if (key === 'j' || key === 'k') {
        const i = nextCall(t.nodes, sel, key === 'j' ? 1 : -1);
        if (i !== null) setSel(i);
        return true;
      }
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        setSel((s) => Math.max(0, Math.min(t.nodes.length - 1, s + (key === 'ArrowDown' ? 1 : -1))));
        return true;
      }
      if (key === 'Home' || key === 'End') {
        setSel(key === 'Home' ? 0 : t.nodes.length - 1);
        return true;
      }
      return false;
    },
    [t, sel],
  );
  useEditorKeys(rootRef, move);
  const node = t?.nodes[sel] ?? null;
  const callView = useMemo(() => (t && node?.call !== null && node?.call !== undefined ? t.calls[node.call]! : null), [t, node]);
  if (error) {
    return (
      <EmptyState icon="warning" title="This trace cannot be shown">
        <p>{error.message}</p>
      </EmptyState>
    );
  }
  if (!t) {
    return (
      <div className="editor-loading">
        <Spinner label="Loading the trace" />
      </div>
    );
  }
  const callIdx = t.nodes.filter((x) => x.kind === 'call');
  const pos = node?.kind === 'call' ? callIdx.indexOf(node) + 1 : null;
  return (
    <div className="trace-view" ref={rootRef} tabIndex={-1} data-testid="trace-view" data-call-id={callId}>
      <header className="editor-head">
        <div className="eh-titles">
          <h2 className="eh-title" data-testid="tv-title">
            {t.name}
          </h2>
          <p className="eh-sub">
            {formatLabel(t.format)} · {t.file} · trace <span className="mono">{t.traceId ?? '—'}</span>
            {t.startedAt !== null && <> · {new Date(t.startedAt).toLocaleString()}</>}
            {t.approximateTimes && <span className="faint"> · the source records no per-call times: bars start together</span>}
          </p>
        </div>
        <div className="tv-totals" data-testid="tv-totals">
          <span>
            <strong className="tabular">{formatMs(t.durationMs)}</strong> total
          </span>
          <span>
            <strong className="tabular">{t.totals.calls}</strong> call{t.totals.calls === 1 ? '' : 's'}
            {t.totals.errors ? <span className="st-failed"> · {t.totals.errors} failed</span> : null}
          </span>
          <span className="tabular">
            {n(t.totals.inputTokens)} → {n(t.totals.outputTokens)} tokens
          </span>
          <span className="tabular" data-testid="tv-total-cost">
            {formatCost(t.totals.costUsd)}
            {t.totals.unpriced > 0 && t.totals.costUsd !== null ? ` + ${t.totals.unpriced} unpriced` : ''}
          </span>
        </div>
      </header>
      <div className="tv-body">
        <div className="tv-left">
          <SpanTree t={t} sel={sel} onSelect={setSel} />
          <p className="tv-keys small faint">
            <Kbd chord="j" />/<Kbd chord="k" /> next / previous model call{pos !== null ? ` (${pos} of ${callIdx.length})` : ''} ·{' '}
            <Kbd chord="↓" />/<Kbd chord="↑" /> every span
          </p>
        </div>
        <div className="tv-detail" data-testid="tv-detail">
          {callView ? <CallDetail c={callView} /> : node?.span ? <SpanDetail node={node} /> : <p className="muted">Pick a span.</p>}
        </div>
      </div>
    </div>
  );
}

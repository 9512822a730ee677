// Human-readable lines for facts as they arrive on a terminal.
import type { TaskResult } from '#shared/results.ts';
import { TASKS } from '#shared/tasks.ts';

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** A fact's value as a short string. */
export function formatValue(r: TaskResult): string {
  if (r.status !== 'ok') return r.error ? `${r.error.code}: ${r.error.message}` : r.status;
  const v = r.value;
  if (v === null || v === undefined) return '(none)';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '(none)';
  if (typeof v === 'object') {
    const td = v as { present?: string[]; missing?: string[] };
    const present = td.present?.length ? td.present.join('; ') : 'none';
    const missing = td.missing?.length ? td.missing.join('; ') : 'none';
    return `present: ${present} | missing: ${missing}`;
  }
  return String(v);
}

/** "usd 0.000123", or "price unknown" when the cost is null. */
export function formatCost(c: number | null): string {
  return c === null ? 'price unknown' : c === 0 ? '$0' : `$${c < 0.01 ? c.toPrecision(2) : c.toFixed(4)}`;
}

/** One line per arriving fact: ms, task, value, model, tokens, cost. */
export function factLine(r: TaskResult, color: boolean): string {
  const mark = r.status === 'ok' ? '✓' : r.status === 'skipped' ? '–' : '✗';
  const c = (code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const markC = r.status === 'ok' ? c('32', mark) : r.status === 'skipped' ? c('2', mark) : c('31', mark);
  const ms = r.status === 'skipped' ? '     —' : `${lpad(r.latencyMs.toFixed(0), 6)} ms`;
  const tokens = r.inputTokens !== null ? `${r.inputTokens}→${r.outputTokens ?? '?'} tok` : '';
  const meta =
    r.status === 'skipped'
      ? ''
      : c('2', `  ${r.provider}:${r.model}  ${tokens}  ${r.status === 'ok' ? formatCost(r.costUsd) : ''}`.trimEnd());
  return `${markC} ${ms}  ${pad(TASKS[r.task].label, 18)} ${formatValue(r)}${meta}`;
}

/** "1m05s", "42s" for ETAs. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

// The Traces list (issue 14 §3): imported calls that are not casebench tasks and name no ticket,
// grouped per trace (the importer's trace key), newest first, with filters and their facets.
import type { TraceListFilter, TraceListView, TraceRow } from '#shared/traceView.ts';
import type { Store } from '../store/store.ts';
import type { Row } from './traceQueries.ts';
import { messages } from './traceView.ts';

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The first user message of a call's input, cut for a list. */
function preview(inputMessages: unknown): string {
  const ms = messages(inputMessages);
  const m = ms.find((x) => x.role === 'user') ?? ms[0];
  const t = (m?.content ?? '').replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 199)}…` : t;
}

const LIST_SQL = `
SELECT c.run_id, c.ticket_id AS grp,
  (SELECT x.id FROM calls x WHERE x.run_id = c.run_id AND x.ticket_id = c.ticket_id ORDER BY x.started_at, x.id LIMIT 1) AS first_call, count(*) AS n, sum(c.status <> 'ok') AS errors,
  min(c.started_at) AS t0, max(c.started_at + coalesce(c.latency_ms, 0)) AS t1,
  sum(c.input_tokens) AS tin, sum(c.output_tokens) AS tout, sum(c.cost_usd) AS cost, sum(c.cost_usd IS NULL) AS unpriced,
  group_concat(DISTINCT c.model_spec) AS models,
  (SELECT count(*) FROM trace_reviews r WHERE r.call_id IN (SELECT x.id FROM calls x WHERE x.run_id = c.run_id AND x.ticket_id = c.ticket_id)) AS scores
FROM call_origins o INDEXED BY call_origins_generic JOIN calls c ON c.id = o.call_id
WHERE o.generic = 1 %RUN%
GROUP BY c.run_id, c.ticket_id
ORDER BY t0 DESC, first_call DESC`;

/** Generic traces, newest first, filtered; with the facets the filters offer. */
export function listGenericTraces(store: Store, f: TraceListFilter = {}): TraceListView {
  const rows = (
    f.runId ? store.prepare(LIST_SQL.replace('%RUN%', 'AND o.run_id = ?')).all(f.runId) : store.prepare(LIST_SQL.replace('%RUN%', '')).all()
  ) as Row[];
  const firstOf = store.prepare(
    `SELECT c.task, c.model_spec, o.trace_id, o.format, o.file, o.input_messages, o.parent_span_id FROM calls c JOIN call_origins o ON o.call_id = c.id WHERE c.id = ?`,
  );
  const rootSpan = store.prepare(
    `SELECT name FROM trace_spans WHERE run_id = ? AND trace_id = ? AND parent_span_id IS NULL ORDER BY start_ns LIMIT 1`,
  );
  const search = f.search?.trim().toLowerCase() ?? '';
  const limit = f.limit ?? 1000;
  const out: TraceRow[] = [];
  let total = 0;
  for (const r of rows) {
    const models = String(r.models ?? '')
      .split(',')
      .filter(Boolean)
      .sort();
    if (f.model && !models.includes(f.model)) continue;
    const errors = num(r.errors) ?? 0;
    if (f.status === 'error' && errors === 0) continue;
    if (f.status === 'ok' && errors > 0) continue;
    const callId = num(r.first_call)!;
    const c = firstOf.get(callId) as Row;
    const traceId = str(c.trace_id);
    const root = traceId ? (rootSpan.get(String(r.run_id), traceId) as Row | undefined) : undefined;
    const name = str(root?.name) ?? String(c.task);
    const pv = preview(c.input_messages);
    if (search && ![name, pv, String(r.grp), traceId ?? '', ...models].some((s) => s.toLowerCase().includes(search))) continue;
    total++;
    if (out.length >= limit) continue;
    const t0 = num(r.t0);
    const t1 = num(r.t1);
    out.push({
      callId,
      runId: String(r.run_id),
      file: String(c.file),
      format: String(c.format),
      traceId,
      name,
      preview: pv,
      models,
      calls: num(r.n) ?? 0,
      errors,
      startedAt: t0,
      durationMs: t0 !== null && t1 !== null ? t1 - t0 : null,
      inputTokens: num(r.tin),
      outputTokens: num(r.tout),
      costUsd: num(r.cost),
      unpriced: num(r.unpriced) ?? 0,
      scores: num(r.scores) ?? 0,
    });
  }
  const files = (
    store
      .prepare(
        `SELECT o.run_id, o.file, count(DISTINCT c.ticket_id) AS n FROM call_origins o INDEXED BY call_origins_generic JOIN calls c ON c.id = o.call_id WHERE o.generic = 1 GROUP BY o.run_id ORDER BY o.run_id`,
      )
      .all() as Row[]
  ).map((r) => ({ runId: String(r.run_id), file: String(r.file), traces: num(r.n) ?? 0 }));
  const models = (
    store
      .prepare(
        `SELECT DISTINCT c.model_spec FROM call_origins o INDEXED BY call_origins_generic JOIN calls c ON c.id = o.call_id WHERE o.generic = 1 ORDER BY 1`,
      )
      .all() as Row[]
  ).map((r) => String(r.model_spec));
  return { rows: out, total, all: files.reduce((s, x) => s + x.traces, 0), files, models };
}

// The ticket list of the workbench: each ticket's latest triage, its facts read per run, filtered
// and searched in SQL; one ticket's row of it; and the state a ticket's run puts it in.
import type { TicketFilter, TicketSummary, TicketsPage } from '#shared/routes.ts';
import type { StatementSync } from 'node:sqlite';
import type { Store } from '../store/store.ts';
import { titleOf } from '#shared/ticketTitle.ts';

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Run kinds whose results are a ticket's own triage (not comparisons or experiments). */
export const TRIAGE_KINDS = ['triage', 'run'] as const;
export const TRIAGE_KINDS_SQL = TRIAGE_KINDS.map((k) => `'${k}'`).join(',');

// Each ticket with its latest triage run (by start time) and that run's status; a ticket that was
// never triaged but came with trace imports shows its latest import (what opening it shows). The
// run's facts are read per run in a second pass (one indexed scan per run), which is far cheaper
// for 10,000 tickets than a correlated lookup per ticket and task.
const LATEST_SQL = `
WITH latest AS MATERIALIZED (
  SELECT t.rowid AS rid, t.id, t.title, substr(t.text, 1, 400) AS head, t.source, t.added_at,
    (SELECT count(*) FROM ticket_versions v WHERE v.ticket_id = t.id) AS versions,
    coalesce(
      (SELECT rt.run_id FROM run_tickets rt JOIN runs r ON r.id = rt.run_id
         WHERE rt.ticket_id = t.id AND r.kind IN (${TRIAGE_KINDS_SQL})
         ORDER BY rt.started_at DESC, rt.rowid DESC LIMIT 1),
      (SELECT rt.run_id FROM run_tickets rt JOIN runs r ON r.id = rt.run_id
         WHERE rt.ticket_id = t.id AND r.kind = 'import'
         ORDER BY r.created_at DESC, rt.rowid DESC LIMIT 1)) AS run_id
  FROM tickets t %TICKET_WHERE%
)
SELECT l.rid, l.id, l.title, l.head, l.source, l.added_at, l.versions, l.run_id, rt.status AS rt_status, rt.total_ms, r.status AS run_status, r.kind AS run_kind
FROM latest l
LEFT JOIN run_tickets rt ON rt.run_id = l.run_id AND rt.ticket_id = l.id
LEFT JOIN runs r ON r.id = l.run_id
`;

interface Facts {
  platform: string | null;
  product: string | null;
  severity: string | null;
  details: number | null;
  n: number;
  failed: number;
  /** Tasks the information gate held (NEEDS_INFO). */
  held: number;
}

const jsonString = (v: unknown): string | null => {
  if (typeof v !== 'string') return null;
  try {
    const x = JSON.parse(v) as unknown;
    return typeof x === 'string' ? x : null;
  } catch {
    return null;
  }
};

const FACTS_SQL = `%WITH%SELECT ticket_id,
  max(CASE WHEN task = 'platform' AND status = 'ok' THEN value END) AS platform,
  max(CASE WHEN task = 'product' AND status = 'ok' THEN value END) AS product,
  max(CASE WHEN task = 'severity' AND status = 'ok' THEN value END) AS severity,
  max(CASE WHEN task = 'technical_details' AND status = 'ok' THEN json_array_length(value, '$.present') END) AS details,
  count(*) AS n, sum(status != 'ok') AS failed, sum(error_code = 'NEEDS_INFO') AS held
FROM results WHERE run_id = ?1 %AND% GROUP BY ticket_id`;

// For an import holding answers of several models per task (an imported experiment): the facts
// are the assigned model's. ?3 is the run's assignment ({task: model}).
const ASSIGNED_WITH = `WITH assigned AS MATERIALIZED (SELECT key AS task, value AS model FROM json_each(?3)) `;
const ASSIGNED_AND = ' AND model_spec = (SELECT model FROM assigned a WHERE a.task = results.task)';

const factsSql = (ticket: boolean, assigned: boolean): string =>
  FACTS_SQL.replace('%WITH%', assigned ? ASSIGNED_WITH : '').replace(
    '%AND%',
    `${ticket ? 'AND ticket_id = ?2' : ''}${assigned ? ASSIGNED_AND : ''}`,
  );

/** An import run's assignment, when its results hold several models for a task; else null. */
function modelFilter(store: Store, runId: string): string | null {
  const run = store.prepare('SELECT assignment FROM runs WHERE id = ?').get(runId) as Row | undefined;
  if (!run || typeof run.assignment !== 'string') return null;
  const multi = store
    .prepare('SELECT 1 FROM results WHERE run_id = ? GROUP BY task HAVING count(DISTINCT model_spec) > 1 LIMIT 1')
    .get(runId);
  return multi ? run.assignment : null;
}

/** The facts of every (run, ticket) asked for: one grouped, indexed scan per run. */
function factsFor(store: Store, pairs: Array<{ runId: string; ticketId: string; kind: string | null }>): Map<string, Facts> {
  const byRun = new Map<string, { kind: string | null; tickets: Set<string> }>();
  for (const p of pairs) {
    let s = byRun.get(p.runId);
    if (!s) byRun.set(p.runId, (s = { kind: p.kind, tickets: new Set() }));
    s.tickets.add(p.ticketId);
  }
  const out = new Map<string, Facts>();
  const stmt = (ticket: boolean, assigned: boolean): StatementSync => store.prepare(factsSql(ticket, assigned));
  const plain = { whole: stmt(false, false), ticket: stmt(true, false) };
  for (const [runId, { kind, tickets }] of byRun) {
    // only an import can hold several models per task (triage runs: one each, no lookup)
    const models = kind === 'import' ? modelFilter(store, runId) : null;
    const whole = tickets.size > 20;
    const st = models === null ? (whole ? plain.whole : plain.ticket) : stmt(!whole, true);
    // ?1 run, ?2 ticket, ?3 assignment: numbered, so ?3 keeps its place when ?2 is not in the text
    const args = (t: string | null): Array<string | null> => (models !== null ? [runId, t, models] : whole ? [runId] : [runId, t]);
    const rows = (whole ? st.all(...args(null)) : [...tickets].flatMap((t) => st.all(...args(t)))) as Row[];
    for (const r of rows) {
      const ticketId = String(r.ticket_id);
      if (!tickets.has(ticketId)) continue;
      out.set(`${runId}\u0000${ticketId}`, {
        platform: jsonString(r.platform),
        product: jsonString(r.product),
        severity: jsonString(r.severity),
        details: num(r.details),
        n: num(r.n) ?? 0,
        failed: num(r.failed) ?? 0,
        held: num(r.held) ?? 0,
      });
    }
  }
  return out;
}

export function stateOf(runId: string | null, rtStatus: string | null, runStatus: string | null): TicketSummary['state'] {
  if (!runId) return 'new';
  if (rtStatus === 'done') return 'done';
  if (rtStatus === 'pending' && runStatus === 'running') return 'running';
  // A batch of this session waiting for its go-ahead, or stopped (Stop, spend limit): not a closed session's leftover.
  if (runStatus === 'held') return 'waiting';
  return 'interrupted';
}

function toSummary(r: Row, f: Facts | undefined): TicketSummary {
  const runId = str(r.run_id);
  const details = f?.details ?? null;
  return {
    id: String(r.id),
    title: titleOf(str(r.title), String(r.head ?? '')),
    source: str(r.source),
    addedAt: num(r.added_at) ?? 0,
    state: stateOf(runId, str(r.rt_status), str(r.run_status)),
    runId,
    platform: f?.platform ?? null,
    product: f?.product ?? null,
    severity: f?.severity ?? null,
    hasDetails: details === null ? null : details > 0,
    failed: f?.failed ?? 0,
    held: (f?.held ?? 0) > 0,
    doneTasks: f?.n ?? 0,
    totalMs: num(r.total_ms),
    versions: Math.max(1, num(r.versions) ?? 1),
  };
}

function matches(s: TicketSummary, f: TicketFilter): boolean {
  if (f.platform) {
    const p = s.platform?.toLowerCase() ?? null;
    if (f.platform === 'none' ? p !== null : f.platform === 'other' ? !p?.startsWith('other:') : p !== f.platform.toLowerCase())
      return false;
  }
  if (f.product && (s.product ?? '').toLowerCase() !== f.product.toLowerCase()) return false;
  if (f.severity && s.severity !== f.severity) return false;
  if (f.hasDetails !== undefined && s.hasDetails !== f.hasDetails) return false;
  if (f.failed !== undefined && s.failed > 0 !== f.failed) return false;
  if (f.held !== undefined && (s.held ?? false) !== f.held) return false;
  if (f.state && s.state !== f.state) return false;
  return true;
}

/** The ticket list, newest first: every ticket matching the filter, with its latest triage's facts. */
export function listTickets(store: Store, filter: TicketFilter = {}): TicketsPage {
  const search = filter.search?.trim() ?? '';
  const where = search
    ? `WHERE instr(lower(t.id), ?1) > 0 OR instr(lower(coalesce(t.title, '')), ?1) > 0 OR instr(lower(t.text), ?1) > 0`
    : '';
  // Newest first; tickets added together (one file) keep the file's order.
  const sql = `${LATEST_SQL.replace('%TICKET_WHERE%', where)} ORDER BY l.added_at DESC, l.rid ASC`;
  const stmt = store.prepare(sql);
  const rows = (search ? stmt.all(search.toLowerCase()) : stmt.all()) as Row[];
  const facts = factsFor(
    store,
    rows.flatMap((r) => (typeof r.run_id === 'string' ? [{ runId: r.run_id, ticketId: String(r.id), kind: str(r.run_kind) }] : [])),
  );
  const out: TicketSummary[] = [];
  for (const r of rows) {
    const s = toSummary(r, typeof r.run_id === 'string' ? facts.get(`${r.run_id}\u0000${String(r.id)}`) : undefined);
    if (matches(s, filter)) out.push(s);
  }
  const total = num((store.prepare('SELECT count(*) AS n FROM tickets').get() as Row).n) ?? 0;
  const products = (
    store
      .prepare(
        `SELECT DISTINCT value ->> '$' AS p FROM results WHERE task = 'product' AND status = 'ok' AND value IS NOT NULL AND value != 'null' ORDER BY 1 LIMIT 300`,
      )
      .all() as Row[]
  )
    .map((r) => str(r.p))
    .filter((p): p is string => Boolean(p));
  return { total, rows: out, products };
}

/** One ticket's row of the list, or null when it does not exist. */
export function ticketSummary(store: Store, ticketId: string): TicketSummary | null {
  const r = store.prepare(`${LATEST_SQL.replace('%TICKET_WHERE%', 'WHERE t.id = ?')}`).get(ticketId) as Row | undefined;
  if (!r) return null;
  const runId = typeof r.run_id === 'string' ? r.run_id : null;
  return toSummary(r, runId ? factsFor(store, [{ runId, ticketId, kind: str(r.run_kind) }]).get(`${runId}\u0000${ticketId}`) : undefined);
}

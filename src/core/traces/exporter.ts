// `casebench export`: the workspace as casebench JSONL (lossless), OTLP/JSON Lines (GenAI
// semconv), or CSV report rows per task × model. Written through an OutTarget (sync; "-" is stdout), record by
// record; with `redact`, every exported string passes the redactor first and the counts come back.
import { stringify } from 'csv-stringify/sync';
import { OutTarget } from '../outTarget.ts';
import { latencySummary } from '../metrics/quantiles.ts';
import type { Store } from '../store/store.ts';
import { exportRecords, type ExportRecord } from './exportRecords.ts';
import { callToTracesData, type ReviewEvent } from './otlpExport.ts';
import { Redactor, type RedactionCounts } from './redact.ts';
import { hasTable, tableColumns, UNKNOWN_TASK, type Row } from './traceQueries.ts';
import { msToNs } from './values.ts';
import type { Scrubber } from '../secrets/scrub.ts';

export const EXPORT_FORMATS = ['jsonl', 'otlp', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  out: string;
  redact?: boolean;
  /** Only these runs (default: every run). */
  runIds?: readonly string[];
  /** casebench version, written into OTLP resource/scope. */
  version?: string;
  /**
   * Every key the product holds (default: the store's scrubber): masked in every exported string,
   * with or without `redact` — a workspace recorded before keys were scrubbed may still hold one.
   */
  scrubber?: Scrubber | null;
}

export interface ExportSummary {
  format: ExportFormat;
  out: string;
  calls: number;
  tickets: number;
  results: number;
  reviews: number;
  /** CSV rows (task × model). */
  rows: number;
  redacted: RedactionCounts | null;
  redactionSummary: string | null;
  /** Stored rows that could not be exported, each with where and why (absent when none). */
  skipped?: string[];
}

function reviewIndex(store: Store): Map<string, ReviewEvent[]> | null {
  if (!hasTable(store, 'reviews')) return null;
  const cols = new Set(tableColumns(store, 'reviews'));
  const modelCol = cols.has('model_spec') ? 'model_spec' : cols.has('model') ? 'model' : null;
  if (!cols.has('ticket_id') || !cols.has('task') || !modelCol) return null;
  const out = new Map<string, ReviewEvent[]>();
  const live = cols.has('superseded_by') ? ' WHERE superseded_by IS NULL' : '';
  for (const r of store.prepare(`SELECT * FROM reviews${live}`).iterate() as Iterable<Row>) {
    const key = `${String(r.ticket_id)}\u0000${String(r.task)}\u0000${String(r[modelCol])}`;
    const at = typeof r.scored_at === 'string' ? Date.parse(r.scored_at) : NaN;
    const ev: ReviewEvent = {
      name: `review:${typeof r.reviewer === 'string' ? r.reviewer : 'reviewer'}`,
      score: typeof r.score === 'number' ? r.score : null,
      label: typeof r.correct_value === 'string' ? r.correct_value : null,
      // the reviewer and the rubric score; the note is the reviewer's explanation
      explanation: typeof r.note === 'string' ? r.note : null,
      timeNs: Number.isFinite(at) ? msToNs(at) : null,
    };
    const list = out.get(key);
    if (list) list.push(ev);
    else out.set(key, [ev]);
  }
  return out;
}

/** Writes the export file (to a temp name, renamed when complete, so a failure leaves no half file). */
export function exportTraces(store: Store, o: ExportOptions): ExportSummary {
  const known = o.scrubber ?? store.secretScrubber;
  const red = o.redact ? new Redactor({ known }) : null;
  // Without --redact, only the known keys are masked (the export stays otherwise lossless).
  const clean = <T>(v: T): T => (red ? red.value(v) : known ? known.scrubDeep(v) : v);
  const cleanText = (s: string): string => (red ? red.text(s) : known ? known.scrubKnown(s) : s);
  const summary: ExportSummary = {
    format: o.format,
    out: o.out,
    calls: 0,
    tickets: 0,
    results: 0,
    reviews: 0,
    rows: 0,
    redacted: null,
    redactionSummary: null,
  };
  const f = new OutTarget(o.out);
  try {
    if (o.format === 'csv') summary.rows = writeCsv(store, f, cleanText, o.runIds);
    else {
      const reviews = o.format === 'otlp' ? reviewIndex(store) : null;
      for (const rec of exportRecords(store, { runIds: o.runIds })) {
        if (rec.type === 'skipped') {
          (summary.skipped ??= []).push(`${rec.where}: ${rec.message}; skipped`);
          continue;
        }
        count(summary, rec);
        if (o.format === 'jsonl') f.write(`${JSON.stringify(clean(rec.line))}\n`);
        else if (rec.type === 'call') {
          const line = clean(rec.line);
          const text = rec.ticketText !== null ? cleanText(rec.ticketText) : rec.ticketText;
          const evs =
            reviews?.get(`${rec.line.ticket_id}\u0000${rec.line.task}\u0000${rec.line.model_spec}`) ??
            reviews?.get(`${rec.line.ticket_id}\u0000${rec.line.task}\u0000${rec.line.model}`) ??
            [];
          f.write(`${JSON.stringify(callToTracesData(line, text, o.version ?? '0', clean(evs)))}\n`);
        }
      }
    }
    f.commit();
  } catch (e) {
    f.abort();
    throw e;
  }
  if (red) {
    summary.redacted = red.counts;
    summary.redactionSummary = red.summary();
  }
  return summary;
}

function count(s: ExportSummary, r: ExportRecord): void {
  if (r.type === 'call') s.calls++;
  else if (r.type === 'ticket') s.tickets++;
  else if (r.type === 'result') s.results++;
  else if (r.type === 'review') s.reviews++;
}

export const CSV_COLUMNS = ['task', 'model', 'n', 'success_rate', 'median_ms', 'p95_ms', 'mean_cost_usd', 'cost_note', 'origin'] as const;

/**
 * Report rows per task × model over every call (latency of successful calls, leaving out cold ones
 * where warm ones exist, as the report does; cost where priced).
 */
export function reportRows(store: Store, runIds?: readonly string[]): Array<Record<(typeof CSV_COLUMNS)[number], string | number | null>> {
  const where = runIds ? `WHERE c.run_id IN (${runIds.map(() => '?').join(', ')})` : '';
  const sql = `SELECT c.task, c.model_spec, c.status, c.latency_ms, c.cost_usd, c.cold, o.format IS NOT NULL AS imported
    FROM calls c LEFT JOIN call_origins o ON o.call_id = c.id ${where} ORDER BY c.task, c.model_spec`;
  type Acc = { n: number; ok: number; lat: number[]; coldLat: number[]; cost: number; priced: number; imported: number };
  const groups = new Map<string, Acc>();
  for (const r of store.prepare(sql).iterate(...(runIds ?? [])) as Iterable<Row>) {
    const key = `${String(r.task)}\u0000${String(r.model_spec)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { n: 0, ok: 0, lat: [], coldLat: [], cost: 0, priced: 0, imported: 0 }));
    g.n++;
    if (Number(r.imported)) g.imported++;
    if (r.status === 'ok') {
      g.ok++;
      if (typeof r.latency_ms === 'number') (Number(r.cold) === 1 ? g.coldLat : g.lat).push(r.latency_ms);
    }
    if (typeof r.cost_usd === 'number') {
      g.cost += r.cost_usd;
      g.priced++;
    }
  }
  const round = (x: number | null, d: number): number | null => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
  return [...groups.entries()].map(([key, g]) => {
    const [task, model] = key.split('\u0000') as [string, string];
    const lat = latencySummary(g.lat.length > 0 ? g.lat : g.coldLat);
    return {
      task: task === UNKNOWN_TASK ? '' : task,
      model,
      n: g.n,
      success_rate: round(g.ok / g.n, 4),
      median_ms: round(lat.median, 1),
      p95_ms: round(lat.p95, 1),
      // never 0 for an unknown price (contracts §5): empty, with a note
      mean_cost_usd: g.priced ? round(g.cost / g.priced, 10) : null,
      cost_note: g.priced === 0 ? 'price unknown' : g.priced < g.n ? `price unknown for ${g.n - g.priced} of ${g.n} calls` : '',
      origin: g.imported === 0 ? 'recorded' : g.imported === g.n ? 'imported' : 'mixed',
    };
  });
}

function writeCsv(store: Store, f: OutTarget, clean: (s: string) => string, runIds?: readonly string[]): number {
  const rows = reportRows(store, runIds);
  const cells = rows.map((r) =>
    CSV_COLUMNS.map((c) => {
      const v = r[c];
      return typeof v === 'string' ? clean(v) : v;
    }),
  );
  f.write(stringify(cells, { header: true, columns: [...CSV_COLUMNS] }));
  return rows.length;
}

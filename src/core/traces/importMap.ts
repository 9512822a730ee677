// The first half of an import: trace items (calls, issues, casebench lines) become write
// operations, flat tuples holding the exact statement parameters, with no database in sight. All
// the per-record work (judging answers with our parser, ids, times, JSON columns) happens here,
// so it can run on a worker thread while the main thread only writes (importWrite.ts). The same
// mapper runs in-process for small files: one code path either way. The operations' shape is
// writeOps.ts.
import { createHash } from 'node:crypto';
import { isTaskId } from '#shared/tasks.ts';
import { parseAnswer } from '../graph/normalise.ts';
import type { CasebenchItem } from './plan.ts';
import type { TraceFileInfo, TraceItem } from './reader.ts';
import { UNKNOWN_TASK } from './traceQueries.ts';
import { ImportPricer, type PriceEntry } from './importPricing.ts';
import type { ImportedCall, SpanDraft } from './types.ts';
import { sourceScores } from './sourceScores.ts';
import { spanValue } from './spans.ts';
import { nsToMs, num, obj, str } from './values.ts';
import { OP, type SqlValue, type WriteOp } from './writeOps.ts';

export function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

export interface MapperSetup {
  info: TraceFileInfo;
  /** Prefix of the import run ids (import-<fingerprint16>, plus a suffix when a file with that fingerprint was imported before). */
  base: string;
  /** The import's clock reading, for recorded_at of result lines that carry none. */
  at: number;
  /** Prices for calls that carry tokens but no cost (importPricing.ts); none = such calls stay "price unknown". */
  prices?: readonly PriceEntry[];
}

export class ImportMapper {
  private readonly info: TraceFileInfo;
  private readonly base: string;
  private readonly at: number;
  private readonly pricer: ImportPricer;
  private readonly runs = new Map<string, string>();
  /** Ticket ids whose text was already sent (true) or that were sent without one (false). */
  private readonly tickets = new Map<string, boolean>();

  constructor(s: MapperSetup) {
    this.info = s.info;
    this.base = s.base;
    this.at = s.at;
    this.pricer = new ImportPricer(s.prices ?? []);
  }

  /** Appends the operations for one item to out. */
  map(item: TraceItem, out: WriteOp[]): void {
    if (item.kind === 'call') this.call(item.call, out);
    else if (item.kind === 'span') this.span(item.span, out);
    else if (item.kind === 'issue') out.push([OP.issue, item.issue.where, item.issue.message]);
    else if (item.kind === 'note') out.push([OP.note, item.note]);
    else this.line(item.item, out);
  }

  private runFor(orig: { id: string; kind: string; label: string | null } | null, out: WriteOp[]): string {
    const key = orig ? orig.id : '';
    let id = this.runs.get(key);
    if (id) return id;
    const { info } = this;
    id = orig ? `${this.base}-${shortHash(orig.id)}` : this.base;
    const label = orig ? `${info.name} · ${orig.label ?? orig.id}` : info.name;
    const config: Record<string, unknown> = {
      format: info.family,
      detected: info.label,
      file: info.name,
      path: info.path,
      sha256: info.sha256,
      fingerprint: info.fingerprint,
      bytes: info.bytes,
      ...(orig ? { source_run: orig } : {}),
    };
    out.push([OP.run, key, id, label, config]);
    this.runs.set(key, id);
    return id;
  }

  /** The ticket text to send with a call: only the first time there is one for this ticket. */
  private ticketText(id: string, text: string | null): string | null {
    if (this.tickets.get(id) === true) return null;
    this.tickets.set(id, Boolean(text));
    return text || null;
  }

  private call(c: ImportedCall, out: WriteOp[]): void {
    const r = c.record;
    const { info } = this;
    if (r.status === 'pending') {
      out.push([OP.issue, c.where, 'the call was still running when the file was written (no end time)']);
      return;
    }
    const foreign = info.family !== 'casebench';
    const runId = this.runFor(c.x.run, out);
    const format = foreign ? r.metadata.source.format : 'casebench';
    const ticketId = r.ticket_id ?? c.x.groupKey ?? `${r.metadata.source.format}:${r.trace_id}`;
    const task = r.task ?? UNKNOWN_TASK;
    // Not one of casebench's tasks and no ticket named: a generic trace (a chat, an agent step, an
    // eval case), listed under Traces and never made into a support ticket.
    const generic = foreign ? r.ticket_id === null && !isTaskId(task) : c.x.generic;
    // Without a ticket text in the trace, the user's message is the closest thing to one.
    const text = generic ? null : (c.x.ticketText ?? (foreign ? (r.input_messages.find((m) => m.role === 'user')?.content ?? null) : null));
    let status: 'ok' | 'error' = r.status === 'success' ? 'ok' : 'error';
    let errorCode = status === 'error' ? (c.x.errorCode ?? 'PROVIDER_ERROR') : c.x.errorCode;
    let errorMessage = r.error;
    let value: string | null = null;
    // metadata.source has its own column; the rest is stored as metadata. (The record is this
    // mapper's to change: it is dropped once mapped. Deleting the last-added key is cheap in V8.)
    const meta = r.metadata as Record<string, unknown>;
    const { source } = r.metadata;
    delete meta.source;
    if (foreign && status === 'ok' && isTaskId(task) && r.output_text !== null) {
      // An answer to a casebench task is judged as casebench judges its own calls (contracts §2).
      const parsed = parseAnswer(task, r.output_text);
      if (parsed.ok) value = JSON.stringify(parsed.value);
      else {
        status = 'error';
        errorCode = parsed.code;
        errorMessage = parsed.message;
        meta.source_status = 'success';
      }
    }
    const { startNs, endNs } = c.x;
    let cost = r.cost_usd;
    if (foreign && cost === null) {
      // tokens on record but no cost: priced from resources/models.json when the model is known there
      const priced = this.pricer.cost(r.provider, r.model, r.input_tokens, r.output_tokens, c.x.cachedTokens);
      if (priced) {
        cost = priced.usd;
        meta.cost_estimate = priced.note;
      }
    }
    const provider = r.provider ?? 'unknown';
    const model = r.model ?? 'unknown';
    const spec = c.x.modelSpec ?? `${provider}:${model}`;
    const startMs = c.x.startedAtMs ?? nsToMs(startNs);
    const call: SqlValue[] = [
      runId,
      ticketId,
      task,
      spec,
      provider,
      model,
      c.x.attempt ?? 0,
      c.x.promptVersion,
      startMs,
      r.latency_ms,
      r.ttft_ms,
      c.x.queueTimeMs,
      c.x.providerTotalMs,
      status,
      errorCode,
      errorMessage,
      c.x.httpStatus,
      c.x.requestId,
      r.input_tokens,
      r.output_tokens,
      c.x.cachedTokens,
      c.x.reasoningTokens,
      cost,
      r.output_text,
      c.x.slotWaitMs ?? null,
      c.x.cold === undefined || c.x.cold === null ? null : c.x.cold ? 1 : 0,
      c.x.hedge ?? null,
      c.x.hedge ? (c.x.hedgeLost ? 1 : 0) : null,
    ];
    const at = c.where.startsWith(info.name) ? c.where.slice(info.name.length).replace(/^[: ]/, '') : c.where;
    const origin: SqlValue[] = [
      format,
      at || null,
      r.trace_id,
      c.x.spanId ?? source.id,
      c.x.parentSpanId ?? source.parent_id,
      JSON.stringify(source),
      startNs.toString(),
      endNs === null ? null : endNs.toString(),
      JSON.stringify(r.input_messages),
      json(r.parsed_output),
      JSON.stringify(meta),
      value,
      generic ? 1 : 0,
    ];
    out.push([
      OP.call,
      generic ? null : this.ticketText(ticketId, text),
      call,
      origin,
      foreign && !generic,
      c.x.attempt !== null,
      foreign ? sourceScores(format, meta) : null,
    ]);
  }

  private span(sp: SpanDraft, out: WriteOp[]): void {
    const runId = this.runFor(null, out);
    const { info } = this;
    const at = sp.where.startsWith(info.name) ? sp.where.slice(info.name.length).replace(/^[: ]/, '') : sp.where;
    out.push([
      OP.span,
      runId,
      [
        sp.traceId,
        sp.spanId,
        sp.parentSpanId,
        sp.name,
        sp.kind,
        sp.startNs === null ? null : sp.startNs.toString(),
        sp.endNs === null ? null : sp.endNs.toString(),
        sp.status,
        sp.error,
        spanValue(sp.input),
        spanValue(sp.output),
        sp.metadata ? spanValue(sp.metadata) : null,
        at || null,
      ],
    ]);
  }

  private runOf(o: Record<string, unknown>, out: WriteOp[]): string {
    const run = obj(o.run)!;
    return this.runFor({ id: String(run.id), kind: str(run.kind) ?? 'run', label: str(run.label) }, out);
  }

  private line(it: CasebenchItem, out: WriteOp[]): void {
    const o = it.line;
    switch (it.type) {
      case 'ticket': {
        const id = String(o.id);
        this.tickets.set(id, true);
        out.push([
          OP.ticket,
          id,
          String(o.text),
          str(o.title),
          str(o.created_at),
          o.labels === null || o.labels === undefined ? null : JSON.stringify(o.labels),
          str(o.source),
        ]);
        return;
      }
      case 'run': {
        // the full run as recorded: kept so the export gives it back as it was
        const { casebench: _tag, ...full } = o;
        const runId = this.runFor({ id: String(o.id), kind: String(o.kind), label: str(o.label) }, out);
        out.push([OP.runSource, runId, full]);
        return;
      }
      case 'run_ticket': {
        const runId = this.runOf(o, out);
        const ticketId = String(o.ticket_id);
        out.push([OP.runTicket, [runId, ticketId, String(o.status), num(o.total_ms), num(o.started_at), num(o.finished_at)]]);
        return;
      }
      case 'result': {
        const runId = this.runOf(o, out);
        const ticketId = String(o.ticket_id);
        out.push([
          OP.result,
          [
            runId,
            ticketId,
            String(o.task),
            String(o.model_spec),
            String(o.status),
            json(o.value),
            str(o.raw) ?? (typeof o.raw === 'string' ? o.raw : null),
            str(o.provider) ?? 'unknown',
            str(o.model) ?? 'unknown',
            str(o.prompt_version),
            num(o.started_ms),
            num(o.ended_ms),
            num(o.latency_ms),
            num(o.ttft_ms),
            num(o.queue_time_ms),
            num(o.provider_total_ms),
            num(o.input_tokens),
            num(o.output_tokens),
            num(o.cached_tokens),
            num(o.reasoning_tokens),
            num(o.cost_usd),
            num(o.attempts) ?? 0,
            str(o.error_code),
            typeof o.error_message === 'string' ? o.error_message : null,
            num(o.recorded_at) ?? this.at,
            num(o.slot_wait_ms),
          ],
        ]);
        return;
      }
      case 'review':
        out.push([OP.review, it.where, o]);
        return;
    }
  }
}

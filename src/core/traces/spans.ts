// The spans of an imported trace that are not model calls (a LangSmith chain or tool run, a
// Langfuse SPAN/AGENT/TOOL observation or the trace itself, an OTel span without gen_ai call
// attributes). The importer keeps them (trace_spans, migration 11) so the trace view can draw the
// whole span tree with timings, not only the model calls. Each adapter builds its draft here, so
// every format cuts and classifies the same way.
import type { SpanDraft } from './types.ts';

/** Largest input/output kept per span (characters of JSON): a tool's whole document is not needed to draw a tree. */
export const SPAN_VALUE_LIMIT = 16_384;

/** A span's input or output as stored: JSON text, cut at the limit (and marked) when longer. */
export function spanValue(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object' && Object.keys(v as object).length === 0) return null;
  let s: string;
  try {
    s = JSON.stringify(v);
  } catch {
    return null;
  }
  if (s.length <= SPAN_VALUE_LIMIT) return s;
  return JSON.stringify({ truncated: true, chars: s.length, head: s.slice(0, SPAN_VALUE_LIMIT) });
}

export function spanDraft(d: Partial<SpanDraft> & { spanId: string; where: string }): SpanDraft {
  return {
    traceId: d.traceId ?? null,
    spanId: d.spanId,
    parentSpanId: d.parentSpanId ?? null,
    name: d.name ?? null,
    kind: d.kind ?? null,
    startNs: d.startNs ?? null,
    endNs: d.endNs ?? null,
    status: d.status ?? 'ok',
    error: d.error ?? null,
    input: d.input ?? null,
    output: d.output ?? null,
    metadata: d.metadata ?? null,
    where: d.where,
  };
}

// How an imported call's origin reads: the format, the file, where in it, and the ids the producing
// tool gave it (trace, span, its own run/observation id).
import type { CallOriginView } from '#shared/traces.ts';

const FORMATS: Record<string, string> = {
  casebench: 'casebench',
  langsmith: 'LangSmith',
  langfuse: 'Langfuse',
  otlp: 'OTLP',
  openinference: 'OpenInference',
  promptfoo: 'promptfoo',
};

/** A long id shortened for a line (the full one goes in the tooltip). */
export function shortId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}

/** The source tool's own ids, besides format/trace/parent: "id 1f2e…", "eval eval-WJi…". */
export function sourceIds(o: CallOriginView): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const src = o.source ?? {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'format' || v === null || v === undefined || typeof v === 'object') continue;
    if ((k === 'trace_id' && v === o.traceId) || (k === 'parent_id' && v === o.parentSpanId)) continue;
    if (k === 'id' && v === o.spanId) continue;
    out.push([k.replace(/_/g, ' '), String(v)]);
  }
  return out;
}

/** The parts of the origin line, in reading order. */
export function originParts(o: CallOriginView): Array<{ label: string | null; value: string; full: string }> {
  const parts: Array<{ label: string | null; value: string; full: string }> = [
    { label: null, value: FORMATS[o.format] ?? o.format, full: o.format },
    { label: null, value: o.file, full: o.file },
  ];
  // JSONL and CSV records are "line", optionally followed by a path inside the line's JSON; that
  // path goes last (the line says where to look; the ids matter more than the path).
  const m = o.locator ? /^(\d+)(?:\s+(.+))?$/.exec(o.locator) : null;
  if (m) parts.push({ label: 'line', value: m[1]!, full: m[1]! });
  else if (o.locator) parts.push({ label: null, value: o.locator, full: o.locator });
  if (o.traceId) parts.push({ label: 'trace', value: shortId(o.traceId), full: o.traceId });
  if (o.spanId) parts.push({ label: 'span', value: shortId(o.spanId), full: o.spanId });
  for (const [k, v] of sourceIds(o).slice(0, 2)) parts.push({ label: k, value: shortId(v), full: v });
  if (m?.[2]) parts.push({ label: null, value: m[2], full: m[2] });
  return parts;
}

/** The whole origin as one line of text (tooltips, screen readers). */
export function originText(o: CallOriginView): string {
  return originParts(o)
    .map((p) => (p.label ? `${p.label} ${p.full}` : p.full))
    .join(' · ');
}

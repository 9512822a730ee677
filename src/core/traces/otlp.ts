// OTLP/JSON traces (a TracesData document or the OTel file exporter's JSONL, one TracesData a
// line) and a bare span attribute map: the walking of documents and lines down to each span. The
// envelope may be missing, as tools write it: ResourceSpans objects on their own (GitHub Copilot
// CLI), bare spans in OTLP form or as an SDK ReadableSpan (`startTime: [s, ns]`, a VS Code / Gemini
// CLI file exporter), one a line, one after another pretty-printed, or in a JSON array. Each span's
// GenAI / OpenInference attributes are mapped in otlpSpan.ts. Tolerates what real files contain:
// base64 ids, enum names, unquoted int64, {low,high} longs, attributes as a plain object.
import type { Decision, PathSeg } from './jsonStream.ts';
import { formatPath } from './jsonStream.ts';
import { walkPlan, type FileContext, type Plan, type Unit } from './plan.ts';
import { attributes, spanUnit } from './otlpSpan.ts';
import { at, obj, str, type Obj } from './values.ts';
import { isBareResourceSpans, isBareSpan } from './detect.ts';

export { anyValue, attributes, otelTime, spanUnit } from './otlpSpan.ts';

/** The OTLP layouts detection tells apart (detect.ts); 'line' = a JSONL line, any of them. */
export type OtlpShape = 'doc' | 'resourceSpans' | 'resourceSpansArray' | 'span' | 'spanArray' | 'line';

const SCOPE_SPANS = new Set(['scopeSpans', 'scope_spans', 'instrumentationLibrarySpans']);
const RESOURCE_SPANS = new Set(['resourceSpans', 'resource_spans']);

/**
 * Selection inside one ResourceSpans object (its path starts at `at0`): its resource, each scope
 * and each span; everything else is skipped.
 */
function selectInResourceSpans(p: readonly PathSeg[], at0: number): Decision {
  const n = p.length - at0;
  if (n === 0) return 'descend';
  const k = p[at0];
  if (k === 'resource') return n === 1 ? 'value' : 'skip';
  if (!SCOPE_SPANS.has(k as string)) return 'skip';
  if (n <= 2) return 'descend';
  const k2 = p[at0 + 2];
  if (n === 3) return k2 === 'scope' || k2 === 'instrumentationLibrary' ? 'value' : k2 === 'spans' ? 'descend' : 'skip';
  return n === 4 && k2 === 'spans' ? 'value' : 'skip';
}

/**
 * The plan for OTLP traces: a TracesData document, ResourceSpans objects without the envelope, bare
 * spans, or (in JSONL) any of them a line. A file of several documents one after another calls
 * startDocument between them, so each document's resources and scopes stay its own.
 */
export function otlpPlan(ctx: FileContext, shape: OtlpShape = 'doc'): Plan {
  let docNo = -1;
  // the ResourceSpans whose resource and scope are current: document number and index in it
  let resDoc = -2;
  let resIdx = -2;
  let resource: Obj = {};
  let scopeKey = '';
  let scope: Obj = {};
  // Where a ResourceSpans object starts in a path: TracesData → resourceSpans[i]; an array of them → [i]; a bare one → the root.
  const rsStart = (p: readonly PathSeg[]): number =>
    p.length > 0 && RESOURCE_SPANS.has(p[0] as string) ? 2 : shape === 'resourceSpansArray' ? 1 : 0;
  const select = (p: readonly PathSeg[]): Decision => {
    const n = p.length;
    if (shape === 'span' || shape === 'line') return n === 0 ? 'value' : 'skip';
    if (shape === 'spanArray') return n === 0 ? 'descend' : n === 1 ? 'value' : 'skip';
    if (n === 0) return 'descend';
    if (shape === 'resourceSpansArray') return n === 1 ? 'descend' : selectInResourceSpans(p, 1);
    // a TracesData document, or a bare ResourceSpans (either may follow the other in one file)
    if (RESOURCE_SPANS.has(p[0] as string)) return n <= 2 ? 'descend' : selectInResourceSpans(p, 2);
    return selectInResourceSpans(p, 0);
  };
  const resourceSpansValue = (p: readonly PathSeg[], v: unknown, where: string): Unit[] => {
    const at0 = rsStart(p);
    const ri = at0 === 0 ? -1 : (p[at0 - 1] as number);
    if (ri !== resIdx || docNo !== resDoc) {
      resDoc = docNo;
      resIdx = ri;
      resource = {};
      scopeKey = '';
      scope = {};
    }
    if (p[at0] === 'resource') {
      resource = attributes(obj(v)?.attributes);
      return [];
    }
    const sk = String(p[at0 + 1]);
    if (sk !== scopeKey) {
      scopeKey = sk;
      scope = {};
    }
    if (p[at0 + 2] === 'scope' || p[at0 + 2] === 'instrumentationLibrary') {
      const s = obj(v) ?? {};
      scope = { name: str(s.name), version: str(s.version) };
      return [];
    }
    return [spanUnit(v, resource, scope, `${where} ${formatPath(p)}`, ctx)];
  };
  // A span on its own carries its resource and scope itself (SDK ReadableSpan form), if at all.
  const bareSpan = (v: unknown, where: string): Unit => {
    const o = obj(v) ?? {};
    const sc = obj(o.instrumentationScope) ?? obj(o.instrumentationLibrary);
    return spanUnit(v, attributes(at(o, 'resource', 'attributes')), sc ? { name: str(sc.name), version: str(sc.version) } : {}, where, ctx);
  };
  const plan: Plan = {
    fallback: 'parent',
    select,
    startDocument() {
      docNo++;
    },
    onValue(p, v, where) {
      if (shape === 'span') return [bareSpan(v, where)];
      if (shape === 'spanArray') return [bareSpan(v, `${where} ${formatPath(p)}`)];
      if (shape === 'line') {
        // one JSONL line: a TracesData, a ResourceSpans or a span, walked as its own document
        const o = obj(v);
        if (o && !('resourceSpans' in o) && !('resource_spans' in o) && !isBareResourceSpans(o) && isBareSpan(o))
          return [bareSpan(v, where)];
        return walkPlan(v, inner, where);
      }
      return resourceSpansValue(p, v, where);
    },
    finish: () => [],
  };
  // JSONL lines holding a TracesData or a ResourceSpans are walked with the document selection.
  const inner: Plan = {
    fallback: 'parent',
    select: (p) =>
      p.length === 0
        ? 'descend'
        : RESOURCE_SPANS.has(p[0] as string)
          ? p.length <= 2
            ? 'descend'
            : selectInResourceSpans(p, 2)
          : selectInResourceSpans(p, 0),
    onValue: (p, v, where) => resourceSpansValue(p, v, where),
    finish: () => [],
  };
  return plan;
}

/** The plan for a bare span attribute map (no envelope, no times: the file's mtime stands in, flagged). */
export function attributeMapPlan(ctx: FileContext): Plan {
  let n = 0;
  return {
    fallback: 'parent',
    select: () => 'value',
    onValue(_p, v, where) {
      const a = obj(v);
      if (!a) return [{ issue: { where, message: 'not an attribute map' } }];
      const id = (n++).toString(16).padStart(16, '0');
      const traceId = `${ctx.fileId}${id}`;
      const u = spanUnit(
        { traceId, spanId: id, name: str(a['gen_ai.operation.name']) ?? 'span', startTimeUnixNano: ctx.mtimeNs.toString(), attributes: a },
        {},
        {},
        where,
        ctx,
      );
      if ('node' in u && u.node.call) {
        const rec = u.node.call.record;
        rec.ended_at = null;
        rec.latency_ms = null;
        rec.metadata.approximate_time = 'the record has no timestamps: started_at is the file modification time';
        rec.metadata.source.id = null;
        rec.metadata.source.trace_id = null;
      }
      return [u];
    },
    finish: () => [],
  };
}

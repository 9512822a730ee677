// Tells a trace file's format from its content, never its name (trace-formats note §7): the
// first JSONL line, the first element of a JSON document (found by streaming, so a huge first
// element is not needed whole), or a CSV header.
import { JsonScanner, type Decision, type PathSeg } from './jsonStream.ts';
import { OBSERVATION_TYPES } from './langfuse.ts';
import { arr, obj, parseJson, type Obj } from './values.ts';

export type Family = 'otlp' | 'attributes' | 'langfuse' | 'langsmith' | 'promptfoo' | 'casebench' | 'feedback';
export type Container = 'jsonl' | 'json' | 'csv';

export interface Detected {
  family: Family;
  container: Container;
  /** Variant of the family's layout, e.g. langsmith "ingest" or langfuse "trace". */
  shape: string;
  /** Human-readable name of what was found. */
  label: string;
}

const LABELS: Record<string, string> = {
  'otlp/doc': 'OTLP/JSON traces',
  'otlp/resourceSpans': 'OTLP ResourceSpans objects without a TracesData envelope (as GitHub Copilot CLI writes them)',
  'otlp/resourceSpansArray': 'a JSON array of OTLP ResourceSpans objects (no TracesData envelope)',
  'otlp/span': 'bare OpenTelemetry spans without a ResourceSpans envelope (as SDK file exporters write them)',
  'otlp/spanArray': 'a JSON array of bare OpenTelemetry spans (no ResourceSpans envelope)',
  'attributes/map': 'a span attribute map',
  'langfuse/trace': 'a Langfuse single-trace download',
  'langfuse/rows': 'a Langfuse observations export',
  'langfuse/array': 'a Langfuse observations export',
  'langsmith/run': 'a LangSmith run',
  'langsmith/runs': 'LangSmith runs',
  'langsmith/array': 'LangSmith runs',
  'langsmith/ingest': 'LangSmith ingest payloads (post/patch)',
  'promptfoo/output': 'a promptfoo eval output file',
  'promptfoo/rows': 'promptfoo eval results',
  'casebench/lines': 'casebench trace JSONL',
  'feedback/one': 'LangSmith feedback',
  'feedback/array': 'LangSmith feedback',
};

/** Which family and layout one record or document has, or null when it is none we know. */
export function classify(v: unknown): { family: Family; shape: string } | null {
  const o = obj(v);
  if (!o) return null;
  if ('resourceSpans' in o || 'resource_spans' in o) return { family: 'otlp', shape: 'doc' };
  if (typeof o.casebench === 'string') return { family: 'casebench', shape: 'lines' };
  if (obj(o.trace) && Array.isArray(o.observations)) return { family: 'langfuse', shape: 'trace' };
  if (
    typeof o.traceId === 'string' &&
    typeof o.type === 'string' &&
    OBSERVATION_TYPES.has(o.type.toUpperCase()) &&
    ('startTime' in o || 'usageDetails' in o)
  ) {
    return { family: 'langfuse', shape: 'rows' };
  }
  if (Array.isArray(o.runs)) return { family: 'langsmith', shape: 'runs' };
  if (Array.isArray(o.post) || Array.isArray(o.patch)) return { family: 'langsmith', shape: 'ingest' };
  if (typeof o.run_type === 'string' && ('id' in o || 'dotted_order' in o || 'trace_id' in o)) return { family: 'langsmith', shape: 'run' };
  if (typeof o.evalId === 'string' && obj(o.results)) return { family: 'promptfoo', shape: 'output' };
  if (('promptIdx' in o || 'testIdx' in o || 'gradingResult' in o) && ('provider' in o || 'response' in o))
    return { family: 'promptfoo', shape: 'rows' };
  if ('run_id' in o && 'key' in o && ('score' in o || 'value' in o || 'feedback_source' in o)) return { family: 'feedback', shape: 'one' };
  if (isBareResourceSpans(o)) return { family: 'otlp', shape: 'resourceSpans' };
  if (isBareSpan(o)) return { family: 'otlp', shape: 'span' };
  const keys = Object.keys(o);
  if (keys.some((k) => k === 'openinference.span.kind' || k.startsWith('gen_ai.') || k.startsWith('llm.')))
    return { family: 'attributes', shape: 'map' };
  return null;
}

/** An OTLP ResourceSpans object on its own: `{resource?, scopeSpans: […]}` (or the older instrumentationLibrarySpans). */
export function isBareResourceSpans(o: Obj): boolean {
  return Array.isArray(o.scopeSpans) || Array.isArray(o.scope_spans) || Array.isArray(o.instrumentationLibrarySpans);
}

/** An OpenTelemetry span on its own: OTLP's form (startTimeUnixNano) or an SDK ReadableSpan's (startTime as [s, ns]). */
export function isBareSpan(o: Obj): boolean {
  const ctx = obj(o.spanContext) ?? obj(o._spanContext);
  const hasIds =
    (('traceId' in o || 'trace_id' in o) && ('spanId' in o || 'span_id' in o)) || (ctx !== null && 'traceId' in ctx && 'spanId' in ctx);
  return (
    hasIds &&
    typeof o.name === 'string' &&
    ('startTimeUnixNano' in o || 'start_time_unix_nano' in o || Array.isArray(o.startTime) || 'attributes' in o)
  );
}

/** Classification of a top-level JSON array by its first element. */
export function classifyArray(first: unknown): { family: Family; shape: string } | null {
  const c = classify(first);
  if (!c) return null;
  if (c.family === 'langsmith' && c.shape === 'run') return { family: 'langsmith', shape: 'array' };
  if (c.family === 'langfuse' && c.shape === 'rows') return { family: 'langfuse', shape: 'array' };
  if (c.family === 'feedback') return { family: 'feedback', shape: 'array' };
  if (c.family === 'otlp' && c.shape === 'resourceSpans') return { family: 'otlp', shape: 'resourceSpansArray' };
  if (c.family === 'otlp' && c.shape === 'span') return { family: 'otlp', shape: 'spanArray' };
  return null;
}

/** The label for a detection. */
export function labelOf(family: Family, shape: string): string {
  return LABELS[`${family}/${shape}`] ?? family;
}

// Detection preview: the scalars of the first element of every array (later elements skipped),
// set into a skeleton as they arrive, so even a document whose first element is huge is told apart
// after a few kilobytes.
function previewSelect(p: readonly PathSeg[]): Decision {
  if (p.some((s) => typeof s === 'number' && s > 0)) return 'skip';
  return p.length <= 5 ? 'descend' : 'value';
}

function setAt(root: { v: unknown }, path: readonly PathSeg[], value: unknown): void {
  if (path.length === 0) {
    root.v = value;
    return;
  }
  if (root.v === undefined) root.v = typeof path[0] === 'number' ? [] : {};
  let cur = root.v as Obj | unknown[];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    const next = path[i + 1];
    const container = cur as Record<string | number, unknown>;
    if (last) container[seg] = value;
    else {
      if (container[seg] === undefined || typeof container[seg] !== 'object') container[seg] = typeof next === 'number' ? [] : {};
      cur = container[seg] as Obj | unknown[];
    }
  }
}

/** Streams chunks of a JSON document until its first records tell the format (or the input ends). */
export async function detectJsonDocument(
  chunks: AsyncIterable<string>,
  limitChars = 64 * 1024 * 1024,
): Promise<{ family: Family; shape: string } | { error: string }> {
  // several documents one after another: the first one tells the format
  const scanner = new JsonScanner(previewSelect, { multi: true });
  const root: { v: unknown } = { v: undefined };
  let seen = 0;
  let firstError: string | null = null;
  const decide = (): { family: Family; shape: string } | null => {
    if (Array.isArray(root.v)) return root.v.length ? classifyArray(root.v[0]) : null;
    const c = classify(root.v);
    // {trace, observations}: wait for both keys (trace usually comes first)
    if (c?.family === 'attributes') return null;
    return c;
  };
  for await (const chunk of chunks) {
    for (const e of scanner.push(chunk)) {
      if (e.kind === 'error') firstError ??= e.message;
      else if (e.doc === 0) {
        try {
          setAt(root, e.path, parseJson(e.text));
        } catch {
          // an unparsable element is reported by the import itself
        }
      }
    }
    const d = decide();
    if (d) return d;
    seen += chunk.length;
    if (seen > limitChars || firstError) break;
  }
  if (!firstError) {
    for (const e of scanner.end()) {
      if (e.kind !== 'value' || e.doc !== 0) continue;
      try {
        setAt(root, e.path, parseJson(e.text));
      } catch (err) {
        // A damaged value at the end of the head (e.g. `[0!`): the file's format cannot be told.
        firstError = (err as Error).message;
      }
    }
  }
  const c = Array.isArray(root.v) ? (root.v.length ? classifyArray(root.v[0]) : null) : classify(root.v);
  if (c) return c;
  if (Array.isArray(root.v))
    return { error: root.v.length ? 'a JSON array whose first element is no known trace record' : 'an empty JSON array' };
  if (obj(root.v))
    return {
      error: `a JSON object with keys ${Object.keys(root.v as Obj)
        .slice(0, 8)
        .map((k) => JSON.stringify(k))
        .join(', ')}, which is no known trace format`,
    };
  return { error: firstError ? `not valid JSON (${firstError})` : 'no JSON value found' };
}

/** Decides the container from the head of the file: JSONL when the first line is a whole JSON object. */
export function detectContainer(head: string): Container | { error: string } {
  const t = head.replace(/^\uFEFF/, '').trimStart();
  if (t === '') return { error: 'the file is empty' };
  if (t.startsWith('[')) return 'json';
  if (t.startsWith('{')) {
    const nl = t.indexOf('\n');
    const line = (nl < 0 ? t : t.slice(0, nl)).trim();
    if (nl >= 0 || line.endsWith('}')) {
      try {
        if (obj(parseJson(line))) return 'jsonl';
      } catch {
        // not a complete first line: a pretty-printed document
      }
    }
    return 'json';
  }
  const header = t.slice(0, t.indexOf('\n') < 0 ? t.length : t.indexOf('\n'));
  if (header.includes(',') && /(^|,)"?traceId"?(,|$)/.test(header) && /(^|,)"?type"?(,|$)/.test(header)) return 'csv';
  return { error: `not JSON, JSONL or a Langfuse CSV export (starts with ${JSON.stringify(t.slice(0, 20))})` };
}

/** For a JSONL line's object: its family and the layout its plan reads. */
export function classifyLine(v: unknown): { family: Family; shape: string } | null {
  const c = classify(v);
  if (c) return c;
  return Array.isArray(v) && arr(v).length ? classifyArray(v[0]) : null;
}

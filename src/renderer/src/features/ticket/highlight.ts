// Where the extracted facts sit in the ticket text: each asset id wherever it occurs, and each
// technical detail the model found present — verbatim when it is quoted, else its specific
// tokens (versions, ids, error codes, names with digits) — as non-overlapping ranges.

export type MarkKind = 'asset' | 'detail';

export interface Mark {
  start: number;
  end: number;
  kind: MarkKind;
  /** The fact this text stands for. */
  label: string;
}

export type Segment = { text: string; mark: Mark | null };

const STOP = new Set([
  'error',
  'errors',
  'since',
  'after',
  'before',
  'with',
  'from',
  'their',
  'about',
  'cluster',
  'project',
  'region',
  'version',
  'started',
  'customer',
  'customers',
  'which',
  'there',
  'these',
  'those',
  'service',
  'instance',
  'account',
]);

function occurrences(hay: string, needle: string): number[] {
  const out: number[] = [];
  if (needle.length < 2) return out;
  const h = hay.toLowerCase();
  const n = needle.toLowerCase();
  let i = h.indexOf(n);
  while (i !== -1) {
    // Whole-token matches only, so "42" does not light up inside "1429".
    const before = i === 0 ? '' : h[i - 1]!;
    const after = h[i + n.length] ?? '';
    if (!/[a-z0-9]/.test(before) || !/[a-z0-9]/.test(n[0]!)) {
      if (!/[a-z0-9]/.test(after) || !/[a-z0-9]/.test(n[n.length - 1]!)) out.push(i);
    }
    i = h.indexOf(n, i + 1);
  }
  return out;
}

/** The parts of a detail phrase worth finding in the text on their own. */
export function specificTokens(detail: string): string[] {
  const quoted = [...detail.matchAll(/["“'`]([^"”'`]{3,})["”'`]/g)].map((m) => m[1]!);
  const tokens = detail
    .split(/[\s,;()]+/)
    .map((t) => t.replace(/^[^\w]+|[^\w]+$/g, ''))
    .filter((t) => t.length >= 3 && !STOP.has(t.toLowerCase()))
    .filter((t) => /\d/.test(t) || /[-_./:]/.test(t) || /^[A-Z][A-Za-z]*[A-Z]/.test(t) || /^[A-Z]{2,}$/.test(t));
  return [...new Set([...quoted, ...tokens])];
}

/** Marks for the asset ids and present details in `text` (asset ids win overlaps). */
export function findMarks(text: string, assetIds: string[], details: string[]): Mark[] {
  const marks: Mark[] = [];
  const taken = (s: number, e: number): boolean => marks.some((m) => s < m.end && e > m.start);
  for (const id of [...assetIds].sort((a, b) => b.length - a.length)) {
    for (const at of occurrences(text, id.trim())) {
      const end = at + id.trim().length;
      if (!taken(at, end)) marks.push({ start: at, end, kind: 'asset', label: id });
    }
  }
  for (const d of details) {
    const whole = occurrences(text, d.trim());
    const parts = whole.length ? [d.trim()] : specificTokens(d);
    for (const p of parts.sort((a, b) => b.length - a.length)) {
      for (const at of occurrences(text, p)) {
        const end = at + p.length;
        if (!taken(at, end)) marks.push({ start: at, end, kind: 'detail', label: d });
      }
    }
  }
  return marks.sort((a, b) => a.start - b.start);
}

/** Splits the text into plain and marked segments, in order. */
export function segments(text: string, marks: Mark[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const m of marks) {
    if (m.start > at) out.push({ text: text.slice(at, m.start), mark: null });
    out.push({ text: text.slice(m.start, m.end), mark: m });
    at = m.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: null });
  return out;
}

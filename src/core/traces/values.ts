// Small, total readers for untrusted trace JSON: JSON with exact int64, timestamps to exact
// nanoseconds, ids in hex/base64/Buffer form, numbers that may arrive as strings. Nothing here
// throws on bad input; callers get null and decide what to report.
export type Obj = Record<string, unknown>;

/** The value as a plain object, or null. */
export function obj(v: unknown): Obj | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : null;
}

/** The value as an array, or an empty one. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A non-empty string, or null (numbers are accepted as their decimal text). */
export function str(v: unknown): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  return null;
}

/** A finite number from a number or a numeric string ("0.0021", "631"), else null. */
export function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

/** A whole number ≥ 0 (token counts), else null. */
export function count(v: unknown): number | null {
  const n = num(v);
  return n !== null && Number.isInteger(n) && n >= 0 ? n : null;
}

/** First argument that is not null/undefined. */
export function first<T>(...xs: Array<T | null | undefined>): T | null {
  for (const x of xs) if (x !== null && x !== undefined) return x;
  return null;
}

/** Follows a path of keys/indices through nested objects and arrays. */
export function at(v: unknown, ...path: Array<string | number>): unknown {
  let cur: unknown = v;
  for (const p of path) {
    if (typeof p === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[p < 0 ? cur.length + p : p];
    } else {
      const o = obj(cur);
      if (!o) return undefined;
      cur = o[p];
    }
  }
  return cur;
}

// A bare integer of 16+ digits may exceed 2^53; only then is the slower exact parser needed.
const LONG_INT = /[:,[]\s*-?\d{16,}\s*[,\]}]/;

/**
 * JSON.parse that keeps integers beyond 2^53 exact (as decimal strings); throws SyntaxError like
 * JSON.parse. The reviver's third argument (Node ≥ 21, V8's JSON.parse source text access) holds
 * a number's text as written, before it was rounded to a double.
 */
export function parseJson(text: string): unknown {
  if (!LONG_INT.test(text)) return JSON.parse(text);
  return JSON.parse(text, exactIntegers);
}
const exactIntegers = (_key: string, value: unknown, context?: { source?: string }): unknown =>
  typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?\d+$/.test(context.source)
    ? context.source
    : value;

/** Parses text that may hold JSON (an attribute or column carrying a JSON string); returns the text itself when it is not JSON. */
export function maybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('[') || t.startsWith('"'))) return v;
  try {
    return parseJson(t);
  } catch {
    return v;
  }
}

// ---------------------------------------------------------------- time

const NS_PER_MS = 1_000_000n;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Epoch ns of an ISO-8601 time; a time without offset is UTC (as LangSmith's own model reads it). */
export function isoToNs(s: string): bigint | null {
  // fast path for the canonical ms form ("2025-01-01T00:00:00.000Z"), by far the most common
  if (s.length === 24 && s.charCodeAt(23) === 90 && s.charCodeAt(19) === 46 && s.charCodeAt(10) === 84) {
    const ms = Date.parse(s);
    if (Number.isFinite(ms)) return BigInt(ms) * NS_PER_MS;
  }
  const m = ISO.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (!Number.isFinite(ms) || Number(mo) > 12 || Number(d) > 31 || Number(h) > 24 || Number(mi) > 59 || Number(sec) > 60) return null;
  let ns = BigInt(ms) * NS_PER_MS + BigInt((frac + '000000000').slice(0, 9));
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz.startsWith('-') ? -1n : 1n;
    const digits = tz.slice(1).replace(':', '');
    const offMin = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
    ns -= sign * offMin * 60_000n * NS_PER_MS;
  }
  return ns;
}

/** The latest time a call may carry: 9999-12-31T23:59:59.999Z (ISO-8601's four-digit years; JS dates end in 275760). */
export const MAX_TIME_NS = 253_402_300_799_999n * NS_PER_MS;

/** A stored ns time (decimal text) when it is a time a calendar can show (1970 … 9999), else null. */
export function storedTimeNs(v: unknown): bigint | null {
  if (typeof v !== 'string' || !/^\d{1,22}$/.test(v)) return null;
  const ns = BigInt(v);
  return ns <= MAX_TIME_NS ? ns : null;
}

/** ISO-8601 UTC with 3, 6 or 9 fraction digits, whichever keeps the value exact. */
export function nsToIso(ns: bigint): string {
  const sec = ns >= 0n ? ns / 1_000_000_000n : -((-ns + 999_999_999n) / 1_000_000_000n);
  const frac = ns - sec * 1_000_000_000n;
  const base = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  const f = frac.toString().padStart(9, '0');
  const digits = frac % 1_000_000n === 0n ? f.slice(0, 3) : frac % 1000n === 0n ? f.slice(0, 6) : f;
  return `${base}.${digits}Z`;
}

/** Epoch ms (a double) → epoch ns, rounding the fraction to whole ns. */
export function msToNs(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * NS_PER_MS + BigInt(Math.round((ms - whole) * 1e6));
}

/** Epoch ns → epoch ms as a double (sub-ms part kept as far as a double can). */
export function nsToMs(ns: bigint): number {
  const whole = ns / NS_PER_MS;
  return Number(whole) + Number(ns - whole * NS_PER_MS) / 1e6;
}

/** Difference of two ns times in ms. */
export function diffMs(startNs: bigint, endNs: bigint): number {
  return Number(endNs - startNs) / 1e6;
}

/** An OTLP int64 (decimal string, number, bigint or protobufjs {low, high}) as a bigint. */
export function int64(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  const o = obj(v);
  if (o && typeof o.low === 'number' && typeof o.high === 'number') {
    const lo = BigInt(o.low >>> 0);
    const hi = BigInt(o.unsigned ? o.high >>> 0 : o.high | 0);
    return (hi << 32n) | lo;
  }
  return null;
}

/** A time that may be ISO text or epoch ms (LangSmith's JS ingest payloads send ms numbers). */
export function timeToNs(v: unknown): bigint | null {
  if (typeof v === 'string') {
    if (/^\d{12,14}(\.\d+)?$/.test(v.trim())) return msToNs(Number(v));
    return isoToNs(v);
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    // seconds, ms, µs or ns by magnitude: 2001-09-09 is 1e9 s = 1e12 ms = 1e15 µs = 1e18 ns
    if (v < 1e11) return msToNs(v * 1000);
    if (v < 1e14) return msToNs(v);
    if (v < 1e17) return BigInt(Math.round(v)) * 1000n;
    return BigInt(Math.round(v));
  }
  return null;
}

// ---------------------------------------------------------------- ids

/** A trace/span id as lower-case hex: accepts hex, base64 (protobuf JSON from Python), Buffer JSON and byte arrays. */
export function normaliseId(v: unknown, bytes: 8 | 16): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '') return null;
    if (/^[0-9a-f]+$/i.test(s) && s.length === bytes * 2) return s.toLowerCase();
    if (/^[A-Za-z0-9+/_-]+=*$/.test(s) && s.length === Math.ceil(bytes / 3) * 4) {
      const b = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
      if (b.length === bytes) return b.toString('hex');
    }
    if (/^[0-9a-f]+$/i.test(s)) return s.toLowerCase();
    return s;
  }
  const o = obj(v);
  const data = o && o.type === 'Buffer' ? o.data : Array.isArray(v) ? v : null;
  if (Array.isArray(data) && data.every((x) => typeof x === 'number' && x >= 0 && x < 256)) {
    return Buffer.from(data as number[]).toString('hex');
  }
  return null;
}

// What providers say about their limits and waits, in headers and messages: the x-ratelimit-*
// headers, retry-after(-ms), "Please try again in 9m38.016s", and the duration strings they use.
// Read by the error classifier (a 429's wait) and by the providers on every answer (pacing).
import type { RateLimitInfo } from './types.ts';

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Parses the duration strings providers use ("2m59.56s", "7.66s", "12ms", "6m0s", "1h2m3s")
 * into ms; a bare number counts as seconds. Null when unparseable.
 */
export function parseDuration(text: string | null | undefined): number | null {
  if (text == null) return null;
  const t = text.trim();
  if (t === '') return null;
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t) * 1000;
  const m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(t);
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined && m[4] === undefined)) return null;
  const [, h, min, s, ms] = m;
  return Number(h ?? 0) * 3_600_000 + Number(min ?? 0) * 60_000 + Number(s ?? 0) * 1000 + Number(ms ?? 0);
}

/** Formats a wait for people: "12ms", "5.3s", "20s", "9m38s", "1h5m". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) {
    const s = Math.round(ms / 100) / 10;
    return `${Number.isInteger(s) ? s.toFixed(0) : s.toFixed(1)}s`;
  }
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${Math.floor((ms % 60_000) / 1000)}s`;
  return `${Math.floor(ms / 3_600_000)}h${Math.floor((ms % 3_600_000) / 60_000)}m`;
}

function toHeaderSource(headers: unknown): HeaderSource | null {
  if (headers == null || typeof headers !== 'object') return null;
  const h = headers as { get?: unknown };
  if (typeof h.get === 'function') return headers as HeaderSource;
  // Plain record (tests, recorded traces): case-insensitive lookup.
  const rec = headers as Record<string, unknown>;
  return {
    get(name: string) {
      const key = Object.keys(rec).find((k) => k.toLowerCase() === name.toLowerCase());
      const v = key === undefined ? undefined : rec[key];
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
    },
  };
}

function num(v: string | null): number | null {
  if (v == null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads the x-ratelimit-* headers both providers send. Null when none is present (Groq omits
 * them on 401; openai-compatible servers usually never send them).
 */
export function parseRateLimitHeaders(headers: unknown): RateLimitInfo | null {
  const h = toHeaderSource(headers);
  if (!h) return null;
  const info: RateLimitInfo = {
    limitRequests: num(h.get('x-ratelimit-limit-requests')),
    remainingRequests: num(h.get('x-ratelimit-remaining-requests')),
    resetRequestsMs: parseDuration(h.get('x-ratelimit-reset-requests')),
    limitTokens: num(h.get('x-ratelimit-limit-tokens')),
    remainingTokens: num(h.get('x-ratelimit-remaining-tokens')),
    resetTokensMs: parseDuration(h.get('x-ratelimit-reset-tokens')),
  };
  return Object.values(info).every((v) => v === null) ? null : info;
}

/** Server-requested wait: retry-after-ms, retry-after (seconds or HTTP date), else null. */
export function parseRetryAfterHeaders(headers: unknown, nowMs: number = Date.now()): number | null {
  const h = toHeaderSource(headers);
  if (!h) return null;
  const ms = num(h.get('retry-after-ms'));
  if (ms !== null && ms >= 0) return ms;
  const ra = h.get('retry-after');
  if (ra == null || ra.trim() === '') return null;
  const secs = num(ra);
  if (secs !== null) return secs >= 0 ? secs * 1000 : null;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

/** The wait named in a rate-limit message: "Please try again in 9m38.016s" → 578016. */
export function parseRetryAfterMessage(message: string | null | undefined): number | null {
  if (!message) return null;
  const m = /try again in\s+([0-9][0-9hms.]*)/i.exec(message);
  return m?.[1] ? parseDuration(m[1].replace(/\.$/, '')) : null;
}

// The per-model sliding rpm/tpm windows (and Groq's daily request count): the refusal a request
// over a limit gets, and the figures each flavour's x-ratelimit-* headers report.
import { perModel } from './helpers.ts';
import type { ErrBody } from './errors.ts';
import type { Flavour } from './flavours.ts';
import type { Resolved } from './options.ts';

interface TokenEntry {
  t: number;
  tokens: number;
}

/** One model's window as the rate-limit headers see it. */
export interface RateView {
  now: number;
  windowMs: number;
  rpm: number | null;
  tpm: number | null;
  /** Arrival times in the window. */
  reqs: number[];
  toks: TokenEntry[];
  usedTokens: number;
  /** Requests since start (or resetLimits()): Groq's request headers count the day. */
  usedDay: number;
}

/**
 * What is left of a limit. A limit not enforced never runs out: a server that refuses nothing
 * must not say the budget is gone (clients pace by these), so it stops at half the nominal limit.
 */
export function left(limit: number, used: number, enforced: boolean): number {
  return enforced ? Math.max(0, limit - used) : Math.max(limit - used, Math.ceil(limit / 2));
}

/**
 * Until the token window is whole again. An enforced window reports, truthfully, when its newest
 * entry leaves it; otherwise the figures of a provider refilling continuously (OpenAI: "12ms").
 */
export function resetTokensMs(v: RateView, limitTokens: number): number {
  const newest = v.toks.at(-1);
  return v.tpm !== null ? (newest ? newest.t + v.windowMs - v.now : 0) : (v.usedTokens * v.windowMs) / limitTokens;
}

export interface RateWindows {
  /** Rate-limit check; returns the 413/429 to send, or null and records the request. */
  check(f: Flavour, model: string, requestedTokens: number): ErrBody | null;
  headers(f: Flavour, model: string): Record<string, string>;
  reset(): void;
}

export function createRateWindows(options: () => Resolved): RateWindows {
  const requestWindow = new Map<string, number[]>();
  const tokenWindow = new Map<string, TokenEntry[]>();
  const dayCount = new Map<string, number>();

  function pruned<T extends TokenEntry | number>(list: T[], now: number): T[] {
    const cutoff = now - options().limitWindowMs;
    while (list.length) {
      const first = list[0] as T;
      const t = typeof first === 'number' ? first : first.t;
      if (t > cutoff) break;
      list.shift();
    }
    return list;
  }

  function windowOf(model: string, now: number): { reqs: number[]; toks: TokenEntry[]; usedTokens: number } {
    let reqs = requestWindow.get(model);
    if (!reqs) requestWindow.set(model, (reqs = []));
    let toks = tokenWindow.get(model);
    if (!toks) tokenWindow.set(model, (toks = []));
    pruned(reqs, now);
    pruned(toks, now);
    return { reqs, toks, usedTokens: toks.reduce((a, b) => a + b.tokens, 0) };
  }

  return {
    check(f, model, requestedTokens) {
      const opts = options();
      const now = Date.now();
      const w = windowOf(model, now);
      const tpm = perModel(opts.tpm, model);
      const rpm = perModel(opts.rpm, model);
      if (tpm !== null && requestedTokens > tpm) return f.tooLarge(model, tpm, requestedTokens);
      if (rpm !== null && w.reqs.length >= rpm) {
        const waitMs = Math.max(1, (w.reqs[0] ?? now) + opts.limitWindowMs - now);
        return f.rateLimited(model, 'requests', rpm, w.reqs.length, 1, waitMs);
      }
      if (tpm !== null && w.usedTokens + requestedTokens > tpm) {
        // Wait until enough of the window's tokens expire.
        let free = tpm - w.usedTokens;
        let waitMs = 1;
        for (const e of w.toks) {
          free += e.tokens;
          waitMs = Math.max(1, e.t + opts.limitWindowMs - now);
          if (free >= requestedTokens) break;
        }
        return f.rateLimited(model, 'tokens', tpm, w.usedTokens, requestedTokens, waitMs);
      }
      w.reqs.push(now);
      w.toks.push({ t: now, tokens: requestedTokens });
      dayCount.set(model, (dayCount.get(model) ?? 0) + 1);
      return null;
    },
    headers(f, model) {
      const opts = options();
      const now = Date.now();
      const w = windowOf(model, now);
      return f.rateHeaders({
        now,
        windowMs: opts.limitWindowMs,
        rpm: perModel(opts.rpm, model),
        tpm: perModel(opts.tpm, model),
        reqs: w.reqs,
        toks: w.toks,
        usedTokens: w.usedTokens,
        usedDay: dayCount.get(model) ?? 0,
      });
    },
    reset() {
      requestWindow.clear();
      tokenWindow.clear();
      dayCount.clear();
    },
  };
}

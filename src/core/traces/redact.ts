// Masks personal data and secrets in exported text with the shared rule set (secrets/rules.ts,
// also used to mask tickets before model calls): e-mail and IP addresses, phone numbers, names,
// bearer/API tokens, and cloud credentials (AWS access and secret keys, GCP service-account private keys and key
// blobs, Azure connection-string secrets and SAS signatures, Groq/OpenAI/other provider keys).
// Errs on the side of masking: a 40-character mixed-case base64 run is treated as an AWS secret
// key even without context, because a leaked key costs far more than a masked string.

import type { Scrubber } from '../secrets/scrub.ts';
import { findSensitive, type RedactionKind } from '../secrets/rules.ts';

export type { RedactionKind } from '../secrets/rules.ts';

const SECRET_KEY =
  /^(?:.*[_.-])?(?:password|passwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|private[_-]?key(?:[_-]?id)?|client[_-]?secret|credentials?|account[_-]?key|connection[_-]?string)$/i;

/** Counts of what was masked, per kind. */
export type RedactionCounts = Partial<Record<RedactionKind, number>>;

export class Redactor {
  readonly counts: RedactionCounts = {};
  private readonly known: Scrubber | null;

  /** `known`: the keys the product holds, masked first whatever their shape (an OpenAI-compatible key may look like anything). */
  constructor(opts: { known?: Scrubber | null } = {}) {
    this.known = opts.known ?? null;
  }

  /** The text with every match masked as "[REDACTED:<kind>]". */
  text(s: string): string {
    if (s.length < 6) return s;
    let out = s;
    if (this.known) {
      const m = this.known.maskKnown(out, '[REDACTED:api_key]');
      if (m.count) this.counts.api_key = (this.counts.api_key ?? 0) + m.count;
      out = m.text;
    }
    // The shared rule set (secrets/rules.ts), the same the pre-call masker uses.
    const found = findSensitive(out, { serviceAccounts: 'mask' });
    if (found.length === 0) return out;
    let masked = '';
    let at = 0;
    for (const f of found) {
      this.counts[f.kind] = (this.counts[f.kind] ?? 0) + 1;
      masked += `${out.slice(at, f.start)}[REDACTED:${f.kind}]`;
      at = f.end;
    }
    out = masked + out.slice(at);
    return out;
  }

  /** A deep copy of a JSON-like value with every string (keys included) redacted. */
  value<T>(v: T): T {
    return this.walk(v) as T;
  }

  private walk(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.walk(x));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (typeof x === 'string' && SECRET_KEY.test(k) && x.length >= 6 && !x.startsWith('[REDACTED')) {
          // {"password": "hunter2"}: the key says what the value is, whatever it looks like
          this.counts.secret_assignment = (this.counts.secret_assignment ?? 0) + 1;
          out[this.text(k)] = '[REDACTED:secret_assignment]';
        } else out[this.text(k)] = this.walk(x);
      }
      return out;
    }
    return v;
  }

  /** Total masked. */
  total(): number {
    return Object.values(this.counts).reduce((a, b) => a + (b ?? 0), 0);
  }

  /** "3 email, 1 aws_access_key" (or "nothing"). */
  summary(): string {
    const parts = Object.entries(this.counts)
      .filter(([, n]) => n)
      .map(([k, n]) => `${n} ${k}`);
    return parts.length ? parts.join(', ') : 'nothing';
  }
}

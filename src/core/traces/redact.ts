// Masks personal data and secrets in exported text: e-mail and IP addresses, bearer/API tokens,
// and cloud credentials (AWS access and secret keys, GCP service-account private keys and key
// blobs, Azure connection-string secrets and SAS signatures, Groq/OpenAI/other provider keys).
// Errs on the side of masking: a 40-character mixed-case base64 run is treated as an AWS secret
// key even without context, because a leaked key costs far more than a masked string.

import type { Scrubber } from '../secrets/scrub.ts';

export type RedactionKind =
  | 'private_key' | 'gcp_service_account' | 'aws_access_key' | 'aws_secret_key' | 'azure_secret' | 'jwt' | 'bearer_token'
  | 'api_key' | 'secret_assignment' | 'url_credentials' | 'email' | 'ip_address';

interface Rule {
  kind: RedactionKind;
  re: RegExp;
  /** Index of the capture group holding the secret (0 = whole match). */
  group: number;
}

// Order matters: whole blocks first (a PEM key or key blob), then specific key shapes, then the
// generic "secret = value" assignments, then e-mails and IPs.
const RULES: Rule[] = [
  { kind: 'private_key', re: /-----BEGIN[A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END[A-Z ]*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)/g, group: 0 },
  { kind: 'gcp_service_account', re: /(private_key_id\\*["']?\s*:\s*\\*["']?)([0-9a-f]{16,})/gi, group: 2 },
  { kind: 'aws_access_key', re: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g, group: 0 },
  { kind: 'aws_secret_key', re: /((?:aws_?secret_?access_?key|secret_?access_?key|SecretAccessKey|aws_secret)\\*["']?\s*[:=]\s*\\*["']?)([A-Za-z0-9/+=]{30,64})(?![A-Za-z0-9/+=])/gi, group: 2 },
  { kind: 'aws_secret_key', re: /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, group: 0 },
  { kind: 'azure_secret', re: /((?:AccountKey|SharedAccessKey|SharedAccessSignature|SharedSecretValue|Password)\s*=\s*)([^;"'\s]+)/gi, group: 2 },
  { kind: 'azure_secret', re: /([?&]sig=)([A-Za-z0-9%+/=]{16,})/gi, group: 2 },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, group: 0 },
  { kind: 'bearer_token', re: /(\b(?:Bearer|Basic|Token)\s+)([A-Za-z0-9._~+/=-]{8,})/g, group: 2 },
  { kind: 'api_key', re: /\bgsk_[A-Za-z0-9]{16,}/g, group: 0 },
  { kind: 'api_key', re: /\bsk-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{16,}/g, group: 0 },
  { kind: 'api_key', re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{30,}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,})/g, group: 0 },
  {
    kind: 'secret_assignment',
    re: /((?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|secret[_-]?key|secret|token|password|passwd|pwd)\\*["']?\s*[:=]\s*\\*["']?)([^\s"'\\,;&]{6,})/gi,
    group: 2,
  },
  { kind: 'url_credentials', re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi, group: 2 },
  { kind: 'email', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, group: 0 },
  { kind: 'ip_address', re: /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/g, group: 0 },
  {
    kind: 'ip_address',
    re: /(?<![0-9A-Fa-f:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?|::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})(?![0-9A-Fa-f:])/g,
    group: 0,
  },
];

const SECRET_KEY = /^(?:.*[_.-])?(?:password|passwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|private[_-]?key(?:[_-]?id)?|client[_-]?secret|credentials?|account[_-]?key|connection[_-]?string)$/i;

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
    for (const r of RULES) {
      r.re.lastIndex = 0;
      if (!r.re.test(out)) continue;
      r.re.lastIndex = 0;
      out = out.replace(r.re, (...m: unknown[]) => {
        const groups = m.slice(0, -2) as Array<string | undefined>;
        const whole = groups[0] ?? '';
        const secret = groups[r.group] ?? '';
        if (secret === '' || secret.startsWith('[REDACTED')) return whole;
        if (r.kind === 'ip_address' && !isIp(whole)) return whole;
        this.counts[r.kind] = (this.counts[r.kind] ?? 0) + 1;
        if (r.group === 0) return `[REDACTED:${r.kind}]`;
        // keep what came before the secret ("AccountKey=", "Bearer "), mask only the value
        const before = groups.slice(1, r.group).join('');
        const after = groups.slice(r.group + 1).join('');
        return `${before}[REDACTED:${r.kind}]${after}`;
      });
    }
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
    const parts = Object.entries(this.counts).filter(([, n]) => n).map(([k, n]) => `${n} ${k}`);
    return parts.length ? parts.join(', ') : 'nothing';
  }
}

// "1.2.3.4" is also how some version strings look; an IPv6 rule must not eat "a::b" words only.
function isIp(s: string): boolean {
  if (s.includes(':')) return /\d/.test(s) && s.replace(/:/g, '').length >= 2 && (s.split(':').length >= 3);
  return true;
}

// Removes secrets from any text that may be stored, logged, exported or shown.
//
// One `Scrubber` per process holds every key the product has held (Groq, OpenAI, the
// OpenAI-compatible endpoint's key, keys set in Settings or with `casebench keys set`); the runtime
// owns it and adds keys as they are resolved, and never forgets one (a replaced key stays
// scrubbed). It is applied at every boundary a string crosses: the engine's published results and
// attempts, the store's write path, the event emitter and route responses, CLI stdout/stderr, and
// the exporters. Two strengths:
//   - `scrubKnown`: only the known keys, in every form a gateway or log might echo them (raw —
//     which covers `Bearer <key>` —, URL-encoded, JSON-escaped, inside base64 at any alignment,
//     e.g. `Basic base64(user:key)`, and the pieces of 12+ characters either side of a `=`, `:`,
//     `/`… in the key, where a parser may cut it). Safe on user data (ticket text, imported traces): nothing else
//     is touched.
//   - `scrub`: known keys plus anything shaped like a provider key (sk-…, gsk_…, xai-…) or a bearer
//     token. For provider-originated text (error bodies, raw answers, request ids).

import { BEARER_SHAPED, PROVIDER_KEY_SHAPED } from './rules.ts';

const MARK = '[redacted]';
/** Short strings like 'none' (keyless endpoints) are not secrets and would mangle text. */
export const MIN_SECRET_LENGTH = 8;

// The shapes come from the shared rule set (rules.ts), which masks tickets and exports too.
const KEY_SHAPED = PROVIDER_KEY_SHAPED;
const BEARER = BEARER_SHAPED;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The parts of base64(prefix + key) that depend on the key's bytes alone, for each of the three
 * alignments a key can have inside a longer encoded string (standard and URL-safe alphabets).
 */
function base64Cores(key: string): string[] {
  const bytes = Buffer.from(key, 'utf8');
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const b64 = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    const core = b64.slice(start, end);
    if (core.length >= MIN_SECRET_LENGTH) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

// Where casebench (or a user's tool) may cut a pasted key in two: `task=spec`, `provider:model`,
// `user:password`, URL parts. A long enough piece on either side is itself a secret.
const CUT = /[=:/+,;&@?#]/g;
const MIN_PIECE = 12;

/** Every form of a key worth looking for. */
export function secretForms(key: string): string[] {
  const forms = new Set<string>([key]);
  for (const m of key.matchAll(CUT)) {
    const before = key.slice(0, m.index);
    const after = key.slice(m.index + 1);
    if (before.length >= MIN_PIECE) forms.add(before);
    if (after.length >= MIN_PIECE) forms.add(after);
  }
  forms.add(encodeURIComponent(key));
  forms.add(JSON.stringify(key).slice(1, -1));
  for (const f of base64Cores(key)) forms.add(f);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

export class Scrubber {
  private readonly keys = new Set<string>();
  private known: RegExp | null = null;
  private listeners = new Set<() => void>();

  constructor(keys: Iterable<string | null | undefined> = []) {
    this.add(keys);
  }

  /** Remembers keys (their every form); short or empty values are ignored. Returns this. */
  add(keys: Iterable<string | null | undefined> | string | null | undefined): this {
    const list = typeof keys === 'string' || keys == null ? [keys] : keys;
    let grew = false;
    for (const raw of list) {
      const k = raw?.trim();
      if (!k || k.length < MIN_SECRET_LENGTH || this.keys.has(k)) continue;
      this.keys.add(k);
      grew = true;
    }
    if (grew) {
      // Longest first, so a key is never half-replaced by one of its own shorter forms.
      const forms = [...new Set([...this.keys].flatMap(secretForms))].sort((a, b) => b.length - a.length);
      this.known = new RegExp(forms.map(escapeRe).join('|'), 'g');
      for (const l of this.listeners) l();
    }
    return this;
  }

  /** How many keys it knows. */
  get size(): number {
    return this.keys.size;
  }

  /** Called whenever a key is added (e.g. to rebuild a cache). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** True when the text holds a known key in any form. */
  has(text: string): boolean {
    if (!this.known || text.length < MIN_SECRET_LENGTH) return false;
    this.known.lastIndex = 0;
    return this.known.test(text);
  }

  /** Known keys, in every form, replaced with "[redacted]"; nothing else changes. */
  readonly scrubKnown = (text: string): string => {
    if (!this.has(text)) return text;
    this.known!.lastIndex = 0;
    return text.replace(this.known!, MARK);
  };

  /** Known keys replaced with `mark`, and how many were. */
  maskKnown(text: string, mark: string): { text: string; count: number } {
    if (!this.has(text)) return { text, count: 0 };
    let count = 0;
    this.known!.lastIndex = 0;
    const out = text.replace(this.known!, () => {
      count++;
      return mark;
    });
    return { text: out, count };
  }

  /** Known keys plus anything shaped like a provider key or bearer token (provider-originated text). */
  readonly scrub = (text: string): string => scrubPatterns(this.scrubKnown(text));

  /** A copy of a JSON-like value with every string (object keys included) passed through scrubKnown. */
  readonly scrubDeep = <T>(value: T): T => (this.known ? (walk(value, this.scrubKnown) as T) : value);
}

function walk(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x = walk(v[i], f);
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  let out: Record<string, unknown> | null = null;
  for (const [k, x] of Object.entries(v)) {
    const y = walk(x, f);
    const k2 = f(k);
    if (y !== x || k2 !== k) {
      out ??= { ...(v as Record<string, unknown>) };
      if (k2 !== k) delete out[k];
      out[k2] = y;
    }
  }
  return out ?? v;
}

function scrubPatterns(text: string): string {
  return text.replace(KEY_SHAPED, '[redacted key]').replace(BEARER, 'Bearer [redacted]');
}

/** Replaces known key values (every form) and anything shaped like a provider key or bearer token. */
export function scrubSecrets(text: string, knownKeys: Iterable<string | null | undefined> = []): string {
  return new Scrubber(knownKeys).scrub(text);
}

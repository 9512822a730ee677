// Masks a ticket before any model call: each secret (and, when the workspace asks, each piece of
// personal data) found by the shared rule set (rules.ts) becomes a stable placeholder such as
// <EMAIL_1> or <AWS_ACCESS_KEY_1>; the same value gets the same placeholder everywhere in the
// ticket. The mapping lives only in memory for the ticket's calls and is used to put the values
// back into the answers. It is never stored: the ticket's text is in the workspace already, and
// the mapping is recomputed from it (same rules, same text → same placeholders).
import type { Scrubber } from './scrub.ts';
import { findSensitive, RULES_VERSION, type RedactionCategory, type RedactionKind } from './rules.ts';

export interface RedactionSettings {
  /** Mask secrets (keys, passwords, tokens, private keys). Default on. */
  secrets: boolean;
  /** Mask personal data (e-mails, phone numbers, names, IP addresses). Default off. */
  personal: boolean;
}

export const DEFAULT_REDACTION: RedactionSettings = { secrets: true, personal: false };

export interface MaskedItem {
  placeholder: string;
  kind: RedactionKind | 'known_key';
  category: RedactionCategory;
  /** Where the value was in the original text. */
  start: number;
  end: number;
  value: string;
}

export interface MaskedTicket {
  /** The text models are sent. */
  text: string;
  /** Every masked occurrence, in text order. */
  items: MaskedItem[];
  rulesVersion: string;
  /** A copy of a value (string, array, object) with every placeholder put back. */
  restore<T>(value: T): T;
}

const LABEL: Record<RedactionKind | 'known_key', string> = {
  private_key: 'PRIVATE_KEY',
  gcp_service_account: 'GCP_KEY_ID',
  aws_access_key: 'AWS_ACCESS_KEY',
  aws_secret_key: 'AWS_SECRET_KEY',
  azure_secret: 'AZURE_SECRET',
  jwt: 'TOKEN',
  bearer_token: 'TOKEN',
  api_key: 'API_KEY',
  secret_assignment: 'PASSWORD',
  url_credentials: 'PASSWORD',
  email: 'EMAIL',
  phone: 'PHONE',
  person_name: 'NAME',
  ip_address: 'IP_ADDRESS',
  known_key: 'API_KEY',
};

const PLACEHOLDER = /<([A-Z_]+_\d+)>/g;

/** Masks what the settings ask for; `known` masks the product's own keys whatever their shape. */
export function maskTicket(text: string, settings: RedactionSettings = DEFAULT_REDACTION, known?: Scrubber | null): MaskedTicket {
  const categories: RedactionCategory[] = [];
  if (settings.secrets) categories.push('secret');
  if (settings.personal) categories.push('personal');
  const found: Array<{ kind: MaskedItem['kind']; category: RedactionCategory; start: number; end: number; value: string }> =
    categories.length ? findSensitive(text, { categories }) : [];
  const taken = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) taken.add(m[0]);
  const byValue = new Map<string, string>();
  const next = new Map<string, number>();
  const items: MaskedItem[] = [];
  let out = '';
  let at = 0;
  for (const f of found) {
    let ph = byValue.get(f.value);
    if (!ph) {
      const label = LABEL[f.kind];
      let n = next.get(label) ?? 1;
      // never reuse a placeholder that the ticket itself already contains
      while (taken.has(`<${label}_${n}>`)) n++;
      ph = `<${label}_${n}>`;
      next.set(label, n + 1);
      taken.add(ph);
      byValue.set(f.value, ph);
    }
    items.push({ placeholder: ph, kind: f.kind, category: f.category, start: f.start, end: f.end, value: f.value });
    out += text.slice(at, f.start) + ph;
    at = f.end;
  }
  out += text.slice(at);
  // The product's own keys, in whatever shape an OpenAI-compatible endpoint gave them: masked and
  // never put back (an answer must not carry one of our keys); the value is not kept either.
  if (settings.secrets && known?.size) {
    const k = known.maskKnown(out, '<OUR_API_KEY>');
    if (k.count) {
      out = k.text;
      items.push({ placeholder: '<OUR_API_KEY>', kind: 'known_key', category: 'secret', start: -1, end: -1, value: '' });
    }
  }
  const back = new Map([...byValue].map(([v, p]) => [p, v]));
  const restoreText = (s: string): string => (back.size && s.includes('<') ? s.replace(PLACEHOLDER, (m) => back.get(m) ?? m) : s);
  return { text: out, items, rulesVersion: RULES_VERSION, restore: <T>(v: T): T => (back.size ? mapStrings(v, restoreText) : v) };
}

/**
 * A copy of a value (string, array, object) with every value a ticket's masking found replaced by
 * its placeholder: what a judge is shown of an answer given the masked ticket.
 */
export function maskWith<T>(value: T, items: ReadonlyArray<Pick<MaskedItem, 'value' | 'placeholder'>>): T {
  const pairs = [...new Map(items.map((i) => [i.value, i.placeholder])).entries()]
    .filter(([v]) => v !== '')
    .sort((a, b) => b[0].length - a[0].length);
  if (pairs.length === 0) return value;
  return mapStrings(value, (s) => pairs.reduce((acc, [v, p]) => acc.split(v).join(p), s));
}

/** A copy of a value (string, array, plain object) with `f` applied to every string in it. */
function mapStrings<T>(value: T, f: (s: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return f(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** "2 EMAIL, 1 AWS_ACCESS_KEY" style summary of the distinct values masked, per kind. */
export function maskSummary(items: readonly MaskedItem[]): Partial<Record<MaskedItem['kind'], number>> {
  const seen = new Map<string, MaskedItem['kind']>();
  for (const i of items) seen.set(i.placeholder, i.kind);
  const out: Partial<Record<MaskedItem['kind'], number>> = {};
  for (const k of seen.values()) out[k] = (out[k] ?? 0) + 1;
  return out;
}

// The one rule set for secrets and personal data in text. Three users:
//   - the pre-call masker (mask.ts): a ticket's secrets (and, per workspace setting, its personal
//     data) become stable placeholders like <EMAIL_1> before any model sees the ticket;
//   - `export --redact` (traces/redact.ts): the same findings become "[REDACTED:<kind>]";
//   - the key scrubber (scrub.ts): its provider-key and bearer shapes are PROVIDER_KEY_SHAPED and
//     BEARER_SHAPED below, which are also rules of the set (the scrubber keeps its own marks).
// Resource identifiers (ARNs, account/project/subscription ids, bucket and storage-account names,
// service-account e-mails) are what asset-id extraction needs: a shape-based rule never masks
// text inside one. Rules keyed by an explicit word ("password=", "AccountKey=") still win there:
// the word says what the value is.
import { extractAssetIds } from '../providers/demo/heuristicAnswers.ts';

export type SecretKind =
  | 'private_key'
  | 'gcp_service_account'
  | 'aws_access_key'
  | 'aws_secret_key'
  | 'azure_secret'
  | 'jwt'
  | 'bearer_token'
  | 'api_key'
  | 'secret_assignment'
  | 'url_credentials';
export type PersonalKind = 'email' | 'phone' | 'person_name' | 'ip_address';
export type RedactionKind = SecretKind | PersonalKind;
export type RedactionCategory = 'secret' | 'personal';

export const SECRET_KINDS: readonly SecretKind[] = [
  'private_key',
  'gcp_service_account',
  'aws_access_key',
  'aws_secret_key',
  'azure_secret',
  'jwt',
  'bearer_token',
  'api_key',
  'secret_assignment',
  'url_credentials',
];
export const PERSONAL_KINDS: readonly PersonalKind[] = ['email', 'phone', 'person_name', 'ip_address'];

export function categoryOf(kind: RedactionKind): RedactionCategory {
  return (PERSONAL_KINDS as readonly string[]).includes(kind) ? 'personal' : 'secret';
}

/** Bumped whenever a rule changes, and recorded with each run that masked tickets. */
export const RULES_VERSION = 'r1';

/** Anything shaped like a provider key (Groq gsk_, OpenAI sk-, xAI xai-), of any length: the scrubber's pattern. */
export const PROVIDER_KEY_SHAPED = /\b(?:sk|gsk|xai)[-_][^\s"'`,;)]*/g;
/** A bearer token as sent in an Authorization header: the scrubber's pattern. */
export const BEARER_SHAPED = /\bBearer\s+[^\s"'`,;)]+/gi;

interface Rule {
  kind: RedactionKind;
  re: RegExp;
  /** Index of the capture group holding the secret (0 = whole match). */
  group: number;
  /** Keyed by an explicit word before the value: applies even inside a resource identifier. */
  keyed?: boolean;
  /** Refuses a match (e.g. a version string that looks like an IP). */
  accept?: (value: string, text: string, start: number) => boolean;
}

const NAME_WORD = "[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?";
const NAME = `${NAME_WORD}(?:\\s+${NAME_WORD}){1,2}`;
// Words that start sign-offs or follow "my name is" but are not names.
const NOT_NAMES =
  /^(?:The|Our|We|Team|Support|Customer|Cloud|Google|Amazon|Microsoft|Azure|AWS|Thanks|Thank|Regards|Best|Kind|Engineering|Platform|Operations|Ops|DevOps|Production|Hello|Hi|Dear)\b/;

/** A phone number has 8 to 15 digits (E.164). */
const phoneDigits = (v: string): boolean => {
  const n = v.replace(/\D/g, '').length;
  return n >= 8 && n <= 15;
};

// Order matters: whole blocks first (a PEM key or key blob), then specific key shapes, then the
// generic "secret = value" assignments, then personal data.
const RULES: Rule[] = [
  {
    kind: 'private_key',
    re: /-----BEGIN[A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END[A-Z ]*PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)/g,
    group: 0,
    keyed: true,
  },
  { kind: 'gcp_service_account', re: /(private_key_id\\*["']?\s*:\s*\\*["']?)([0-9a-f]{16,})/gi, group: 2, keyed: true },
  { kind: 'aws_access_key', re: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g, group: 0, keyed: true },
  {
    kind: 'aws_secret_key',
    re: /((?:aws_?secret_?access_?key|secret_?access_?key|SecretAccessKey|aws_secret)\\*["']?\s*[:=]\s*\\*["']?)([A-Za-z0-9/+=]{30,64})(?![A-Za-z0-9/+=])/gi,
    group: 2,
    keyed: true,
  },
  // A 40-character mixed-case base64 run is treated as an AWS secret key even without context.
  {
    kind: 'aws_secret_key',
    re: /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]*[A-Z])(?=[A-Za-z0-9/+]*[a-z])(?=[A-Za-z0-9/+]*[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    group: 0,
  },
  {
    kind: 'azure_secret',
    re: /((?:AccountKey|SharedAccessKey|SharedAccessSignature|SharedSecretValue)\s*=\s*)([^;"'\s]+)/gi,
    group: 2,
    keyed: true,
  },
  // Password= inside a connection string (after a ';'); a plain "password=…" in prose is a secret assignment.
  { kind: 'azure_secret', re: /(;\s*Password\s*=\s*)([^;"'\s]+)/gi, group: 2, keyed: true },
  { kind: 'azure_secret', re: /([?&]sig=)([A-Za-z0-9%+/=]{16,})/gi, group: 2, keyed: true },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, group: 0, keyed: true },
  { kind: 'bearer_token', re: /(\b(?:Bearer|Basic|Token)\s+)([A-Za-z0-9._~+/=-]{8,})/g, group: 2, keyed: true },
  { kind: 'api_key', re: /\bgsk_[A-Za-z0-9]{16,}/g, group: 0, keyed: true },
  { kind: 'api_key', re: /\bsk-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{16,}/g, group: 0, keyed: true },
  {
    kind: 'api_key',
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{30,}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,})/g,
    group: 0,
    keyed: true,
  },
  // The scrubber's own shapes: a provider key of any length, a bearer header.
  { kind: 'api_key', re: PROVIDER_KEY_SHAPED, group: 0, keyed: true, accept: (v) => v.length >= 12 },
  { kind: 'bearer_token', re: /(\bBearer\s+)([^\s"'`,;)]+)/gi, group: 2, keyed: true },
  {
    kind: 'secret_assignment',
    re: /((?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|client[_-]?secret|secret[_-]?key|secret|token|password|passwd|pwd)\\*["']?\s*[:=]\s*\\*["']?)([^\s"'\\,;&]{6,})/gi,
    group: 2,
    keyed: true,
  },
  // Prose: "the password is hunter22", "password: hunter22" is covered above.
  {
    kind: 'secret_assignment',
    re: /(\b(?:password|passphrase|passwd|pwd|secret|token)\s+(?:is|was|=)\s+[`'"]?)([^\s"'`,;]{5,}[^\s"'`,;.!?:])/gi,
    group: 2,
    keyed: true,
  },
  { kind: 'url_credentials', re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi, group: 2, keyed: true },
  { kind: 'email', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, group: 0 },
  // Phones: an international "+" form, a parenthesised area code, or digits after a phone word.
  // Plain 12-digit runs are AWS account ids and are never phones.
  {
    kind: 'phone',
    re: /(?<![\w+-])\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]\d{1,8}){1,5}(?![\w-])/g,
    group: 0,
    accept: phoneDigits,
  },
  { kind: 'phone', re: /(?<![\w-])\(\d{3}\)\s?\d{3}[ .-]\d{4}(?![\w-])/g, group: 0 },
  {
    kind: 'phone',
    re: /(\b(?:phone|tel|telephone|mobile|cell|call me|reach me|whatsapp)\b(?:\s+(?:number|no\.?|on|at))?\s*[:#]?\s*)(\+?\d[\d .-]{6,16}\d)/gi,
    group: 2,
  },
  // Names: after "my name is", "I'm"/"this is", "contact"/"reach out to", and sign-offs.
  {
    kind: 'person_name',
    re: new RegExp(
      `(\\b(?:[Mm]y name is|[Tt]his is|I am|I'm|[Cc]ontact(?: person)?:?|[Rr]each out to|[Aa]sk for|[Cc]olleague|[Mm]anager|[Ee]ngineer)\\s+)(${NAME})`,
      'g',
    ),
    group: 2,
  },
  {
    kind: 'person_name',
    re: new RegExp(
      `((?:^|\\n)\\s*(?:Thanks|Thank you|Regards|Best regards|Kind regards|Best|Cheers|Sincerely|Cordialement)[,!.]?\\s*(?:\\n\\s*|\\s+-?\\s*))(${NAME})`,
      'g',
    ),
    group: 2,
  },
  {
    kind: 'person_name',
    re: new RegExp(`(^|\\n)(?:\\s*(?:Hi|Hello|Dear)\\s+)(${NAME_WORD}(?:\\s+${NAME_WORD})?)(?=[,!\\n])`, 'g'),
    group: 2,
  },
  { kind: 'ip_address', re: /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\d|\.\d)/g, group: 0 },
  {
    kind: 'ip_address',
    re: /(?<![0-9A-Fa-f:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?|::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})(?![0-9A-Fa-f:])/g,
    group: 0,
    accept: (v) => /\d/.test(v) && v.replace(/:/g, '').length >= 2 && v.split(':').length >= 3,
  },
];

/** One thing the rules found: [start, end) of the value to mask in the text. */
export interface Finding {
  kind: RedactionKind;
  category: RedactionCategory;
  start: number;
  end: number;
  value: string;
}

export interface FindOptions {
  /** Which categories to look for (default both). */
  categories?: readonly RedactionCategory[];
  /**
   * Service-account e-mails (…@…iam.gserviceaccount.com) are resource identifiers before a model
   * call (kept, default) but identities in an export, which has always masked them ('mask').
   */
  serviceAccounts?: 'keep' | 'mask';
}

const SA_EMAIL =
  /[a-z0-9-]+@[a-z0-9-]+\.iam\.gserviceaccount\.com|[0-9]+(?:-compute)?@(?:developer|cloudservices|cloudbuild)\.gserviceaccount\.com|[a-z0-9-]+@[a-z0-9-]+\.gserviceaccount\.com/gi;
const STORAGE_HOST = /\b[a-z0-9]{3,24}\.(?:blob|file|queue|table|dfs)\.core\.windows\.net\b/g;
// Already masked: our placeholders and export marks.
const MASKED = /^(?:<[A-Z_]+_\d+>|\[REDACTED)/;

/** The spans of resource identifiers in a text: never masked by a shape-based rule. */
export function resourceSpans(text: string, serviceAccounts: 'keep' | 'mask' = 'keep'): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  const add = (v: string): void => {
    if (v.length < 3) return;
    for (let i = text.indexOf(v); i >= 0; i = text.indexOf(v, i + 1)) spans.push({ start: i, end: i + v.length });
  };
  for (const v of extractAssetIds(text)) add(v);
  if (serviceAccounts === 'keep') for (const m of text.matchAll(SA_EMAIL)) spans.push({ start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(STORAGE_HOST)) spans.push({ start: m.index, end: m.index + m[0].length });
  return spans;
}

const overlaps = (spans: ReadonlyArray<{ start: number; end: number }>, start: number, end: number): boolean =>
  spans.some((s) => start < s.end && end > s.start);

/** Everything the rule set finds in a text, in text order, without overlaps. */
export function findSensitive(text: string, opts: FindOptions = {}): Finding[] {
  if (text.length < 6) return [];
  const cats = opts.categories ?? ['secret', 'personal'];
  const resources = resourceSpans(text, opts.serviceAccounts);
  const taken: Finding[] = [];
  for (const r of RULES) {
    const category = categoryOf(r.kind);
    if (!cats.includes(category)) continue;
    const re = new RegExp(r.re.source, r.re.flags.includes('d') ? r.re.flags : r.re.flags + 'd');
    for (const m of text.matchAll(re)) {
      const idx = m.indices?.[r.group];
      const value = m[r.group];
      if (!idx || !value) continue;
      const [start, end] = idx;
      if (MASKED.test(value) || value.includes('[REDACTED')) continue;
      if (r.accept && !r.accept(value, text, start)) continue;
      if (r.kind === 'person_name' && NOT_NAMES.test(value)) continue;
      if (overlaps(taken, start, end)) continue;
      if (!r.keyed && overlaps(resources, start, end)) continue;
      taken.push({ kind: r.kind, category, start, end, value });
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

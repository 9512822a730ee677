// Removes secrets from any text that may be stored, logged, exported or shown.

const KEY_PATTERNS: RegExp[] = [
  /gsk_[A-Za-z0-9]{8,}/g, // Groq
  /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, // OpenAI
  /(Bearer\s+)[A-Za-z0-9._~+/-]{12,}=*/gi,
];

/** Replaces known key values and anything shaped like a provider key with "[redacted]". */
export function scrubSecrets(text: string, knownKeys: Iterable<string | null | undefined> = []): string {
  let out = text;
  for (const k of knownKeys) {
    if (k && k.length >= 6) out = out.split(k).join('[redacted]');
  }
  for (const re of KEY_PATTERNS) {
    out = out.replace(re, (m, bearer: unknown) => (typeof bearer === 'string' && /^Bearer/i.test(m) ? `${bearer}[redacted]` : '[redacted]'));
  }
  return out;
}

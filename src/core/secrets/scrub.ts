// Removes secrets from any text that may be stored, logged, exported or shown. One place, used
// by the providers' error classification and by the engine for everything it publishes.

/** Replaces known key values and anything shaped like a provider key or bearer token with a marker. */
export function scrubSecrets(text: string, knownKeys: Iterable<string | null | undefined> = []): string {
  let out = text;
  for (const k of knownKeys) {
    // Short strings like 'none' (keyless endpoints) are not secrets and would mangle text.
    if (k && k.length >= 8) out = out.split(k).join('[redacted]');
  }
  return out
    .replace(/\b(?:sk|gsk|xai)[-_][^\s"'`,;)]*/g, '[redacted key]')
    .replace(/\bBearer\s+[^\s"'`,;)]+/gi, 'Bearer [redacted]');
}

// API keys for tests. They have the providers' shape (gsk_… for Groq, sk-… for OpenAI, 36
// characters) so the code that recognises and scrubs keys treats them as keys, and every one says
// FAKE. They are put together when the test runs, so no committed literal looks like a live
// credential to a secret scanner.
const PREFIX = { groq: ['gsk', '_'], openai: ['sk', '-'] } as const;

/** A key-shaped test value, e.g. fakeKey('groq', 'shadow') → "gsk_FAKESHADOW0000…" (36 characters). */
export function fakeKey(provider: 'groq' | 'openai', label: string): string {
  return `${PREFIX[provider].join('')}FAKE${label.toUpperCase()}`.padEnd(36, '0');
}

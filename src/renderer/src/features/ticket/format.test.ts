import { describe, expect, it } from 'vitest';
import { describeKey } from '../settings/settingsStore.ts';
import { formatCost, formatMs, formatTokens, platformView, splitSpec } from './format.ts';

describe('formatting', () => {
  it('never shows an unknown price as $0', () => {
    expect(formatCost(null)).toBe('price unknown');
    expect(formatCost(0.0000672)).toBe('$0.000067');
    expect(formatCost(0.0123)).toBe('$0.0123');
  });
  it('reads times and tokens', () => {
    expect(formatMs(250.6)).toBe('251 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(null)).toBe('—');
    expect(formatTokens(412, 9)).toBe('412 in · 9 out');
  });
  it('names platforms', () => {
    expect(platformView('gcp').name).toBe('Google Cloud');
    expect(platformView('other:Cloudflare')).toMatchObject({ name: 'Cloudflare', detail: 'other vendor' });
    expect(platformView(null)).toMatchObject({ name: 'Not identified', known: false });
    expect(splitSpec('groq:openai/gpt-oss-120b')).toEqual({ provider: 'groq', model: 'openai/gpt-oss-120b' });
  });
  it('shows only set/not set and the last 4 characters of keys', () => {
    expect(describeKey({ provider: 'groq', set: true, last4: 'abcd', source: 'keychain' })).toBe('Groq key: set …abcd');
    expect(describeKey({ provider: 'openai', set: false, last4: null, source: null })).toBe('OpenAI key: not set');
  });
});

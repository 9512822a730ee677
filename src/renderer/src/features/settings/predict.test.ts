import { describe, expect, it } from 'vitest';
import { predictCriticalPath } from './predict.ts';

const e = (medianMs: number) => ({ medianMs, n: 10, source: 'recorded' as const });
const table = {
  'groq:a': { platform: e(100), product: e(120), technical_details: e(300), asset_ids: e(90), severity: e(110) },
  'openai:b': { platform: e(500), product: e(600), technical_details: e(1900), asset_ids: e(550), severity: e(650) },
};
const all = (spec: string) => ({ platform: spec, product: spec, technical_details: spec, asset_ids: spec, severity: spec });

describe('predicted critical path', () => {
  it('is the slowest of the three chains', () => {
    const p = predictCriticalPath(all('groq:a'), table);
    expect(p.ms).toBe(520);
    expect(p.path).toEqual(['platform', 'product', 'technical_details']);
  });
  it('moves when one task gets a slower model', () => {
    const p = predictCriticalPath({ ...all('groq:a'), severity: 'openai:b' }, table);
    expect(p.ms).toBe(650);
    expect(p.path).toEqual(['severity']);
  });
  it('says which tasks have no known latency instead of guessing', () => {
    const p = predictCriticalPath({ ...all('groq:a'), asset_ids: 'groq:unknown' }, table);
    expect(p.ms).toBeNull();
    expect(p.unknown).toEqual(['asset_ids']);
  });

  it('predicts nothing for an assignment with a retired model, however fast it was', () => {
    const p = predictCriticalPath({ ...all('groq:a'), severity: 'openai:b' }, table, new Set(['openai:b']));
    expect(p.ms).toBeNull();
    expect(p.retired).toEqual(['severity']);
  });
});

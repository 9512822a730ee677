import { describe, expect, it } from 'vitest';
import { TASKS } from '#shared/tasks.ts';
import {
  DEFAULT_BASELINE,
  DEFAULT_MODELS,
  costUsd,
  deprecationWarning,
  findModel,
  loadModels,
  parseModelSpec,
  responseFormatFor,
  retiredInfo,
} from './models.ts';

const reg = loadModels();

describe('findModel', () => {
  it('finds models by spec, alias and OpenAI dated snapshot', () => {
    expect(findModel('groq:openai/gpt-oss-20b', reg)?.displayName).toMatch(/GPT-OSS 20B/);
    expect(findModel('openai:gpt-4.1-mini-2025-04-14', reg)?.id).toBe('openai:gpt-4.1-mini');
    expect(findModel('openai:gpt-4o-2099-01-01', reg)?.id).toBe('openai:gpt-4o');
    expect(findModel('groq:llama-3.3-70b', reg)?.id).toBe('groq:llama-3.3-70b-versatile');
  });

  it('returns null for unknown models and malformed specs', () => {
    expect(findModel('openai-compatible:my-local-model', reg)).toBeNull();
    expect(findModel('gpt-4o', reg)).toBeNull();
    expect(findModel('nosuch:gpt-4o', reg)).toBeNull();
  });

  it('records a price date and source for every priced model', () => {
    for (const m of reg.models) {
      if (m.price) {
        expect(m.priceDate, m.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(m.priceSource, m.id).toBeTruthy();
      }
    }
  });

  it('knows every default model and the baseline', () => {
    for (const s of [...DEFAULT_MODELS, DEFAULT_BASELINE]) expect(findModel(s, reg), s).not.toBeNull();
  });
});

describe('parseModelSpec', () => {
  it('splits at the first colon only', () => {
    expect(parseModelSpec('groq:openai/gpt-oss-20b')).toEqual({ provider: 'groq', model: 'openai/gpt-oss-20b' });
    expect(parseModelSpec('openai-compatible:ollama:llama3')).toEqual({ provider: 'openai-compatible', model: 'ollama:llama3' });
  });
  it('rejects unknown providers and missing parts with BAD_INPUT', () => {
    expect(() => parseModelSpec('anthropic:claude')).toThrow(/unknown provider "anthropic"/);
    expect(() => parseModelSpec('gpt-4o')).toThrow(/no provider prefix/);
    expect(() => parseModelSpec('groq:')).toThrow(/names no model/);
  });
});

describe('costUsd', () => {
  it('prices input, output and cached input separately', () => {
    // gpt-4o: 2.50 in / 1.25 cached / 10.00 out per 1M.
    const c = costUsd('openai:gpt-4o', { inputTokens: 1000, cachedTokens: 400, outputTokens: 10 }, reg);
    expect(c).toBeCloseTo((600 * 2.5 + 400 * 1.25 + 10 * 10) / 1e6, 12);
    // The contracts' example: 412 in, 9 out on gpt-oss-120b.
    expect(costUsd('groq:openai/gpt-oss-120b', { inputTokens: 412, outputTokens: 9 }, reg)).toBeCloseTo((412 * 0.15 + 9 * 0.6) / 1e6, 12);
  });

  it('bills cached tokens at the input rate when no cached price is known', () => {
    const a = costUsd('groq:qwen/qwen3.8-27b', { inputTokens: 1000, cachedTokens: 500, outputTokens: 0 }, reg);
    expect(a).toBeCloseTo((1000 * 0.8) / 1e6, 12);
  });

  it('is null — never 0 — when the price or the token counts are unknown', () => {
    expect(costUsd('openai-compatible:local', { inputTokens: 100, outputTokens: 10 }, reg)).toBeNull();
    expect(costUsd('openai:gpt-6.1-terra', { inputTokens: 100, outputTokens: 10 }, reg)).toBeNull();
    expect(costUsd('openai:gpt-4o', { inputTokens: null, outputTokens: 10 }, reg)).toBeNull();
    expect(costUsd('openai:gpt-4o', { inputTokens: 10, outputTokens: null }, reg)).toBeNull();
  });

  it('prices demo models like the models they simulate', () => {
    const u = { inputTokens: 500, outputTokens: 20 };
    expect(costUsd('demo:llama-3.3-70b', u, reg)).toBe(costUsd('groq:llama-3.3-70b-versatile', u, reg));
    expect(costUsd('demo:gpt-4o', u, reg)).toBe(costUsd('openai:gpt-4o', u, reg));
  });
});

describe('retiredInfo', () => {
  it('reports Groq retirements with their replacement', () => {
    expect(retiredInfo('groq', 'llama-3.3-70b-versatile', '2026-11-25', reg)).toEqual({
      retiredOn: '2026-08-16',
      replacement: 'groq:openai/gpt-oss-120b',
    });
    expect(retiredInfo('groq', 'llama-3.1-8b-instant', '2026-11-25', reg)?.replacement).toBe('groq:openai/gpt-oss-20b');
    expect(retiredInfo('groq', 'meta-llama/llama-4-scout-17b-16e-instruct', '2026-11-25', reg)?.retiredOn).toBe('2026-07-17');
  });

  it('counts a model as retired from its shutdown date on', () => {
    expect(retiredInfo('openai', 'gpt-5-mini', '2026-12-10', reg)).toBeNull();
    expect(retiredInfo('openai', 'gpt-5-mini', '2026-12-11', reg)).toEqual({
      retiredOn: '2026-12-11',
      replacement: 'openai:gpt-6.1-terra',
    });
    expect(retiredInfo('openai', 'gpt-4.1-mini', new Date('2027-01-14T12:00:00Z'), reg)?.retiredOn).toBe('2027-01-14');
  });

  it('is null for current and unknown models', () => {
    expect(retiredInfo('groq', 'openai/gpt-oss-20b', '2026-11-25', reg)).toBeNull();
    expect(retiredInfo('openai-compatible', 'whatever', '2026-11-25', reg)).toBeNull();
  });
});

describe('deprecationWarning', () => {
  it('warns ahead of a scheduled shutdown with the days left', () => {
    expect(deprecationWarning('openai:gpt-5-mini', '2026-11-25', reg)).toBe(
      'gpt-5-mini shuts down on 2026-12-11 (16 days); replacement gpt-6.1-terra',
    );
  });
  it('says a retired model was shut down', () => {
    expect(deprecationWarning('groq:llama-3.1-8b-instant', '2026-11-25', reg)).toBe(
      'llama-3.1-8b-instant was shut down on 2026-08-16; replacement openai/gpt-oss-20b',
    );
    expect(deprecationWarning('groq:qwen/qwen3-32b', '2026-11-25', reg)).toMatch(/shut down in 2026-08/);
  });
  it('is quiet for current models', () => {
    expect(deprecationWarning('groq:openai/gpt-oss-120b', '2026-11-25', reg)).toBeNull();
    expect(deprecationWarning('demo:llama-3.3-70b', '2026-11-25', reg)).toBeNull();
  });
});

describe('responseFormatFor', () => {
  it('asks strict-capable models for a strict json_schema named after the task', () => {
    expect(responseFormatFor('groq:openai/gpt-oss-20b', 'severity', reg)).toEqual({
      type: 'json_schema',
      name: 'severity',
      schema: TASKS.severity.jsonSchema,
      strict: true,
    });
  });
  it('uses non-strict json_schema where only best effort exists, and for unknown models', () => {
    expect(responseFormatFor('groq:qwen/qwen3.8-27b', 'product', reg)).toMatchObject({ type: 'json_schema', strict: false });
    expect(responseFormatFor('openai-compatible:local', 'platform', reg)).toMatchObject({
      type: 'json_schema',
      name: 'platform',
      strict: false,
    });
  });
  it('falls back to JSON mode for models without json_schema (llama-3.3-70b answered 400)', () => {
    expect(responseFormatFor('groq:llama-3.3-70b-versatile', 'asset_ids', reg)).toEqual({ type: 'json_object' });
    expect(responseFormatFor('demo:llama-3.1-8b', 'asset_ids', reg)).toEqual({ type: 'json_object' });
  });
});

import { describe, expect, it } from 'vitest';
import { readExperimentConfig } from './runConfig.ts';

describe("an experiment run's recorded config", () => {
  it('reads what runExperiment and the workbench wrote', () => {
    expect(
      readExperimentConfig({
        models: ['groq:a', 'openai:b'],
        baseline: 'openai:b',
        upstream: 'baseline',
        source: 'tickets.jsonl',
        concurrency: 3,
        rpm: 'groq=30',
        from: 'workbench',
      }),
    ).toEqual({
      models: ['groq:a', 'openai:b'],
      baseline: 'openai:b',
      upstream: 'baseline',
      source: 'tickets.jsonl',
      concurrency: 3,
      rpm: 'groq=30',
      from: 'workbench',
    });
  });
  it('reads a missing or damaged field as not recorded, so an old run still opens and resumes', () => {
    expect(readExperimentConfig(null)).toEqual({ models: [] });
    expect(readExperimentConfig({ models: 'groq:a', baseline: 7, concurrency: '4', rpm: null })).toEqual({ models: [], rpm: null });
    expect(readExperimentConfig({ models: ['groq:a', 3, null] }).models).toEqual(['groq:a']);
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '#shared/errors.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { DEFAULT_ASSIGNMENT, DEMO_ASSIGNMENT, assignmentWarnings, formatAssignment, parseAssignment } from './assignment.ts';
import { findModel, loadModels, retiredInfo } from './models.ts';

function badInput(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('BAD_INPUT');
    return (e as AppError).message;
  }
  throw new Error('expected BAD_INPUT');
}

describe('parseAssignment', () => {
  it('reads task=model pairs and fills the rest from the fallback', () => {
    const a = parseAssignment('platform=groq:openai/gpt-oss-20b, severity=openai:gpt-4o', {
      fallback: DEMO_ASSIGNMENT,
    });
    expect(a).toEqual({ ...DEMO_ASSIGNMENT, platform: 'groq:openai/gpt-oss-20b', severity: 'openai:gpt-4o' });
    expect(parseAssignment('product=openai:gpt-4.1-mini').platform).toBe(DEFAULT_ASSIGNMENT.platform);
  });

  it('uses one model for every task', () => {
    const a = parseAssignment('openai:gpt-4o');
    for (const t of TASK_IDS) expect(a[t]).toBe('openai:gpt-4o');
  });

  it('"*" sets every task the spec does not name', () => {
    const a = parseAssignment('*=groq:openai/gpt-oss-20b,severity=openai:gpt-4o');
    expect(a.platform).toBe('groq:openai/gpt-oss-20b');
    expect(a.severity).toBe('openai:gpt-4o');
  });

  it('reads a JSON plan file', () => {
    const files: Record<string, string> = { 'plans/fast.json': '{"platform": "groq:openai/gpt-oss-120b", "product": "openai:gpt-4o"}' };
    const a = parseAssignment('plans/fast.json', { readFile: (p) => files[p] ?? '' });
    expect(a.platform).toBe('groq:openai/gpt-oss-120b');
    expect(a.product).toBe('openai:gpt-4o');
    expect(a.severity).toBe(DEFAULT_ASSIGNMENT.severity);
  });

  it('"demo" is the article\'s final plan on the demo provider', () => {
    expect(parseAssignment('demo')).toEqual({
      platform: 'demo:llama-3.3-70b',
      product: 'demo:llama-3.1-8b',
      technical_details: 'demo:llama-3.1-8b',
      asset_ids: 'demo:llama-3.3-70b',
      severity: 'demo:llama-3.3-70b',
    });
  });

  it('names what is wrong', () => {
    expect(badInput(() => parseAssignment('platfrom=groq:openai/gpt-oss-20b'))).toMatch(/unknown task "platfrom"/);
    expect(badInput(() => parseAssignment('platform=anthropic:claude'))).toMatch(/unknown provider "anthropic"/);
    expect(badInput(() => parseAssignment('platform='))).toMatch(/no model given for "platform"/);
    expect(badInput(() => parseAssignment('platform=groq:a,,severity=groq:b'))).toMatch(/empty entry/);
    expect(badInput(() => parseAssignment('platform=groq:a,groq:b'))).toMatch(/"groq:b" is not task=provider:model/);
    expect(badInput(() => parseAssignment('platform=groq:a,platform=groq:b'))).toMatch(/assigned twice/);
    expect(badInput(() => parseAssignment('gpt-4o'))).toMatch(/no provider prefix/);
    expect(badInput(() => parseAssignment(''))).toMatch(/empty/);
    expect(
      badInput(() =>
        parseAssignment('missing.json', {
          readFile: () => {
            throw Object.assign(new Error('x'), { code: 'ENOENT' });
          },
        }),
      ),
    ).toMatch(/missing\.json: cannot read \(ENOENT\)/);
    expect(badInput(() => parseAssignment('p.json', { readFile: () => '{"platform": 3}' }))).toMatch(/p\.json/);
    expect(badInput(() => parseAssignment('p.json', { readFile: () => '{"sevrity": "openai:gpt-4o"}' }))).toMatch(/unknown task "sevrity"/);
  });
});

describe('formatAssignment', () => {
  it('round-trips through parseAssignment', () => {
    for (const a of [DEFAULT_ASSIGNMENT, DEMO_ASSIGNMENT]) expect(parseAssignment(formatAssignment(a))).toEqual(a);
    expect(formatAssignment(DEMO_ASSIGNMENT)).toMatch(/^platform=demo:llama-3.3-70b,product=demo:llama-3.1-8b,/);
  });
});

describe('default plans', () => {
  const reg = loadModels();
  it('use only models that exist and are not retired today', () => {
    for (const spec of [...Object.values(DEFAULT_ASSIGNMENT), ...Object.values(DEMO_ASSIGNMENT)]) {
      const m = findModel(spec, reg);
      expect(m, spec).not.toBeNull();
      expect(retiredInfo(m!.provider, m!.model, '2026-11-25', reg), spec).toBeNull();
    }
    expect(assignmentWarnings(DEFAULT_ASSIGNMENT, '2026-11-25', reg)).toEqual([]);
  });
  it('warns about retiring models in a plan', () => {
    const a = parseAssignment('openai:gpt-5-mini');
    expect(assignmentWarnings(a, '2026-11-25', reg)).toEqual(['gpt-5-mini shuts down on 2026-12-11 (16 days); replacement gpt-6.1-terra']);
  });
});

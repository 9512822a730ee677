import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog.ts';
import { parseAnswer } from './normalise.ts';

const catalog = loadCatalog();

function err(r: { ok: boolean; message?: string; code?: string }): string {
  expect(r.ok).toBe(false);
  expect(r.code).toBe('INVALID_OUTPUT');
  return r.message ?? '';
}

describe('parseAnswer', () => {
  it('accepts plain JSON, surrounding whitespace and one ```json fence', () => {
    expect(parseAnswer('severity', '{"severity":"high"}')).toEqual({ ok: true, value: 'high' });
    expect(parseAnswer('severity', '\n  {"severity": "low"}  \n')).toEqual({ ok: true, value: 'low' });
    expect(parseAnswer('severity', '```json\n{"severity": "urgent"}\n```')).toEqual({ ok: true, value: 'urgent' });
    expect(parseAnswer('severity', '```\n{"severity": "normal"}\n```')).toEqual({ ok: true, value: 'normal' });
  });

  it('never digs JSON out of prose', () => {
    expect(err(parseAnswer('severity', 'Sure! Here it is: {"severity": "high"}'))).toMatch(/^not valid JSON at position 0/);
    expect(err(parseAnswer('severity', '{"severity": "high"} I hope this helps'))).toMatch(/^not valid JSON at position 21/);
    expect(err(parseAnswer('severity', 'The answer:\n```json\n{"severity": "high"}\n```'))).toMatch(/^not valid JSON/);
  });

  it('says where the JSON breaks', () => {
    expect(err(parseAnswer('platform', '{"platform": aws}'))).toMatch(/^not valid JSON at position 13/);
    expect(err(parseAnswer('platform', '{"platform": "aws"'))).toMatch(/^not valid JSON/);
    expect(err(parseAnswer('platform', ''))).toBe('not valid JSON: the answer is empty');
  });

  it('names missing fields and wrong values', () => {
    expect(err(parseAnswer('severity', '{"priority": "high"}'))).toBe('missing field `severity`');
    expect(err(parseAnswer('severity', '{"severity": "critical"}'))).toBe(
      'severity must be one of low, normal, high, urgent; got `critical`',
    );
    expect(err(parseAnswer('technical_details', '{"present": ["region"]}'))).toBe('missing field `missing`');
    expect(err(parseAnswer('asset_ids', '{"asset_ids": "123456789012"}'))).toBe('`asset_ids` must be an array; got a string');
    expect(err(parseAnswer('asset_ids', '["a"]'))).toBe('expected a JSON object, got an array');
    expect(err(parseAnswer('platform', '{"platform": "Amazon Web Services"}'))).toMatch(
      /^platform must be "aws", "gcp", "azure", "other:<vendor>" or null; got `Amazon Web Services`/,
    );
  });

  it('normalises platform to lower case', () => {
    expect(parseAnswer('platform', '{"platform": "other:Snowflake"}')).toEqual({ ok: true, value: 'other:snowflake' });
    expect(parseAnswer('platform', '{"platform": "OTHER: MongoDB "}')).toEqual({ ok: true, value: 'other:mongodb' });
    expect(parseAnswer('platform', '{"platform": null}')).toEqual({ ok: true, value: null });
    expect(parseAnswer('platform', '{"platform": "gcp"}')).toEqual({ ok: true, value: 'gcp' });
    expect(parseAnswer('platform', '{"platform": " AWS "}')).toEqual({ ok: true, value: 'aws' });
    expect(err(parseAnswer('platform', '{"platform": "other:  "}'))).toMatch(/^platform must be/);
  });

  it('folds products through the catalog with the platform as context', () => {
    expect(parseAnswer('product', '{"product": "Amazon S3"}', { platform: 'aws', catalog })).toEqual({ ok: true, value: 'S3' });
    expect(parseAnswer('product', '{"product": "billing"}', { platform: 'azure', catalog })).toEqual({
      ok: true,
      value: 'Cost Management',
    });
    expect(parseAnswer('product', '{"product": " Virtual Warehouses "}', { platform: 'other:snowflake', catalog })).toEqual({
      ok: true,
      value: 'Virtual Warehouses',
    });
    expect(parseAnswer('product', '{"product": null}', { catalog })).toEqual({ ok: true, value: null });
  });

  it('trims and de-duplicates asset ids and details, keeping order', () => {
    expect(parseAnswer('asset_ids', '{"asset_ids": [" prod-db ", "482913557201", "prod-db", "", "  "]}')).toEqual({
      ok: true,
      value: ['prod-db', '482913557201'],
    });
    expect(parseAnswer('asset_ids', '{"asset_ids": []}')).toEqual({ ok: true, value: [] });
    expect(
      parseAnswer('technical_details', '{"present": ["region", " region", "error message"], "missing": ["", "engine version"]}'),
    ).toEqual({ ok: true, value: { present: ['region', 'error message'], missing: ['engine version'] } });
  });
});

// The redaction corpus (test/fixtures/traces/redaction-corpus.json): every secret in it is masked,
// wherever it sits in a record; ordinary trace content is left alone.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redactor } from './redact.ts';

const corpus = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../test/fixtures/traces/redaction-corpus.json', import.meta.url)), 'utf8'),
) as Array<{ kind: string; text: string; secret: string }>;

describe('redaction', () => {
  it.each(corpus.map((c, i) => [i, c.kind, c] as const))('corpus #%i (%s): the secret does not survive', (_i, _k, c) => {
    // as plain text, as a JSON string value, and as JSON inside a JSON string (escaped quotes)
    for (const text of [c.text, JSON.stringify({ note: c.text }), JSON.stringify({ raw: JSON.stringify({ note: c.text }) })]) {
      const r = new Redactor();
      expect(r.text(text)).not.toContain(c.secret);
      expect(r.total()).toBeGreaterThan(0);
    }
  });

  it('masks inside nested records and JSON-in-strings, and counts per kind', () => {
    const r = new Redactor();
    const out = r.value({
      a: [{ b: `x ${corpus[0]!.text}` }],
      password: 'correct horse battery',
      n: 3,
      msg: JSON.stringify({ key: corpus[6]!.text }),
    });
    const s = JSON.stringify(out);
    expect(s).not.toContain(corpus[0]!.secret);
    expect(s).not.toContain('correct horse battery');
    expect(s).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(r.counts).toMatchObject({ email: 1, secret_assignment: 1, aws_access_key: 1 });
    expect(r.summary()).toMatch(/1 email/);
  });

  it('leaves ordinary trace content alone: ids, times, model names, token counts', () => {
    const r = new Redactor();
    const rec = {
      trace_id: '4fa9e1fe632420e35aa077b04bd51623',
      span_id: 'd2d12a2700a9bd4d',
      run: 'fe8ffecb-72ce-4cd2-bdb7-01f34654c391',
      started_at: '2024-10-11T20:58:20.695375Z',
      model: 'openai/gpt-oss-120b',
      sha: 'be8abdb2d11261b80d3ce41bf8b4160644617d79',
      text: 'S3 bucket logs-1 in account 123456789012 returns AccessDenied since 09:00:12; input_tokens: 412, max_tokens=200, version 1.37.0',
    };
    expect(r.value(rec)).toEqual(rec);
    expect(r.total()).toBe(0);
  });
});

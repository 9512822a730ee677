import { describe, expect, it } from 'vitest';
import { Scrubber, scrubSecrets, secretForms } from './scrub.ts';
import { Redactor } from '../traces/redact.ts';

// Shaped like no provider's key, so only knowing it can catch it; '/', '+' and '=' change under
// URL-encoding.
const KEY = 'vllm/local+KEY=7c1e9a3b5d';
const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('Scrubber', () => {
  it('masks a known key in the forms a gateway or log echoes: raw, Bearer, URL-encoded, JSON-escaped', () => {
    const s = new Scrubber([KEY]);
    expect(s.scrubKnown(`x-request-id: Bearer ${KEY}`)).toBe('x-request-id: Bearer [redacted]');
    expect(s.scrubKnown(`GET /v1/models?api_key=${encodeURIComponent(KEY)}&x=1`)).toBe('GET /v1/models?api_key=[redacted]&x=1');
    const quoted = new Scrubber(['abc"def\\ghi-123']);
    expect(quoted.scrubKnown(JSON.stringify({ auth: 'abc"def\\ghi-123' }))).toBe('{"auth":"[redacted]"}');
  });

  it('masks the long pieces a parser cuts a key into at "=", ":", "/"…', () => {
    const s = new Scrubber([KEY, 'proj:0123456789abcdef']);
    expect(s.scrubKnown('unknown task "vllm/local+KEY"')).toBe('unknown task "[redacted]"'); // before the "="
    expect(s.scrubKnown('model "0123456789abcdef"')).toBe('model "[redacted]"'); // after the ":"
    expect(s.scrubKnown('vllm and local+KEY')).toBe('vllm and local+KEY'); // short pieces are not secrets
  });

  it('masks the key inside base64 whatever precedes it (Basic auth with any user name)', () => {
    const s = new Scrubber([KEY]);
    for (const user of ['', 'a', 'ab', 'api', 'user@example.com']) {
      const header = `Authorization: Basic ${b64(`${user}:${KEY}`)}`;
      const out = s.scrubKnown(header);
      expect(out, user).toContain('[redacted]');
      // what is left of the encoding no longer decodes to the key or any long part of it
      expect(Buffer.from(out.replace(/^.*Basic /, '').replace('[redacted]', ''), 'base64').toString('latin1')).not.toContain(
        KEY.slice(2, 10),
      );
    }
    expect(s.scrubKnown(b64(KEY).replace(/\+/g, '-').replace(/\//g, '_'))).toContain('[redacted]'); // base64url
  });

  it('touches nothing else, and ignores values too short to be keys', () => {
    const s = new Scrubber(['none', '', null, undefined, 'short']);
    expect(s.size).toBe(0);
    const text = 'Bearer none of sk-this is touched by scrubKnown';
    expect(s.scrubKnown(text)).toBe(text);
    expect(secretForms('abcdefgh')).toContain('abcdefgh');
  });

  it('scrub also masks key-shaped strings and bearer tokens (provider-originated text)', () => {
    const s = new Scrubber([KEY]);
    expect(s.scrub(`key gsk_ABCdef123 and sk-proj-xyz, Bearer abc.def and ${KEY}`)).toBe(
      'key [redacted key] and [redacted key], Bearer [redacted] and [redacted]',
    );
    expect(scrubSecrets(`oops ${KEY} leaked`, [KEY])).toBe('oops [redacted] leaked');
  });

  it('remembers every key added, longest form first, and says when it learns one', () => {
    const s = new Scrubber(['first-key-123456']);
    let changes = 0;
    s.onChange(() => changes++);
    s.add('first-key-123456-and-longer');
    s.add('first-key-123456'); // known already
    expect(changes).toBe(1);
    expect(s.scrubKnown('a first-key-123456-and-longer b first-key-123456')).toBe('a [redacted] b [redacted]');
  });

  it('scrubDeep copies only what changes, object keys included', () => {
    const s = new Scrubber([KEY]);
    const clean = { a: ['x', { b: 1 }], c: null };
    expect(s.scrubDeep(clean)).toBe(clean);
    const dirty = { a: ['x', { b: `Bearer ${KEY}` }], [KEY]: 2 };
    const out = s.scrubDeep(dirty);
    expect(out).toEqual({ a: ['x', { b: 'Bearer [redacted]' }], '[redacted]': 2 });
    expect(dirty.a[1]).toEqual({ b: `Bearer ${KEY}` }); // the input is left as it was
    expect(new Scrubber().scrubDeep(dirty)).toBe(dirty);
  });
});

describe('Redactor with the known keys', () => {
  it('masks a key of no recognisable shape and counts it as an api_key', () => {
    const r = new Redactor({ known: new Scrubber([KEY]) });
    expect(r.text(`gateway said ${KEY} twice: ${KEY}`)).toBe('gateway said [REDACTED:api_key] twice: [REDACTED:api_key]');
    expect(r.counts.api_key).toBe(2);
    expect(new Redactor().text(`gateway said ${KEY}`)).toContain(KEY.slice(0, 10));
  });
});

// The information gate holds tickets that name no cloud, service or identifier, says what to ask
// for, and holds none of the corpus's triageable tickets.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkInformation } from './infoGate.ts';

const corpus = readFileSync(fileURLToPath(new URL('../../../test/fixtures/privacy/corpus.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; text: string; triageable: boolean });

describe('information gate', () => {
  it('holds "Our website is slow, please check." and asks for the cloud, the service and the resource', () => {
    const c = checkInformation('Our website is slow, please check.');
    expect(c.held).toBe(true);
    expect(c.found).toEqual({ symptom: 'slow' });
    expect(c.message).toMatch(/no cloud provider, no service and no resource id/);
    expect(c.message).toMatch(/which cloud provider/);
    expect(c.message).toMatch(/account, project or subscription id/);
    expect(c.message).not.toMatch(/exact error message/); // a symptom was given
  });

  it('passes a terse ticket that names a service or an identifier', () => {
    expect(checkInformation('Our Lambda functions time out.').held).toBe(false);
    expect(checkInformation('Login page https://shop.acme.io returns 502 now.').held).toBe(false);
  });

  it('is configurable: off, or with the symptom counted as enough', () => {
    expect(checkInformation('Our website is slow, please check.', { enabled: false, anchors: ['cloud'] }).held).toBe(false);
    expect(checkInformation('Our website is slow, please check.', { enabled: true, anchors: ['cloud', 'symptom'] }).held).toBe(false);
  });

  it.each(corpus.map((t) => [t.id, t] as const))('%s: held only when the labelled set says it is not triageable', (_id, t) => {
    expect(checkInformation(t.text).held).toBe(!t.triageable);
  });
});

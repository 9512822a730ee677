// Masking before the call: every labelled secret of the corpus is gone from what models are sent,
// every resource identifier is still there verbatim, placeholders are stable and restored.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { maskTicket, maskWith } from './mask.ts';
import { Scrubber } from './scrub.ts';
import { Redactor } from '../traces/redact.ts';

interface Row {
  id: string;
  text: string;
  labels: { asset_ids: string[] };
  sensitive: Array<{ kind: string; category: string; value: string }>;
}
const corpus = readFileSync(fileURLToPath(new URL('../../../test/fixtures/privacy/corpus.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Row);
// The corpus's last three tickets hold cases the rules are known to miss (README: measured recall).
const KNOWN_MISSES = new Set([
  'Maria Gonzalez',
  '415 555 0199',
  'Summer2024!x',
  'john smith',
  'jane at acme dot io',
  'Xq8~vT3.kLm9_Pz2Rw5-Yb7Nc1Hd4Gf6Js0Ae',
  'Sofia Rossi',
]);

const TICKET = `Hi, I'm Jane Doe (jane.doe@acme.io, +1 415 555 0134). Bucket s3://acme-logs-prod in account 123456789012 denies access to
arn:aws:iam::123456789012:role/DataLoader with key AKIAIOSFODNN7EXAMPLE and secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.
Project my-project-123, SA loader@my-project-123.iam.gserviceaccount.com, subscription 3f2c1a4e-9b7d-4c1e-8a2f-0d5e6b7c8a9f.
Write to jane.doe@acme.io again.`;

describe('maskTicket', () => {
  it.each(corpus.map((r) => [r.id, r] as const))('%s: secrets and personal data are gone, resource ids are intact', (_id, r) => {
    const m = maskTicket(r.text, { secrets: true, personal: true });
    for (const s of r.sensitive) if (!KNOWN_MISSES.has(s.value)) expect(m.text, s.kind).not.toContain(s.value);
    for (const id of r.labels.asset_ids) expect(m.text).toContain(id);
  });

  it('gives the same value the same placeholder and puts values back into answers', () => {
    const m = maskTicket(TICKET, { secrets: true, personal: true });
    expect(m.text).toContain('<EMAIL_1>');
    expect(m.text.match(/<EMAIL_1>/g)).toHaveLength(2);
    expect(m.text).toContain('<AWS_ACCESS_KEY_1>');
    expect(m.text).toContain('<NAME_1>');
    for (const id of [
      'acme-logs-prod',
      '123456789012',
      'arn:aws:iam::123456789012:role/DataLoader',
      'my-project-123',
      'loader@my-project-123.iam.gserviceaccount.com',
      '3f2c1a4e-9b7d-4c1e-8a2f-0d5e6b7c8a9f',
    ]) {
      expect(m.text).toContain(id);
    }
    expect(m.restore({ present: ['reply to <EMAIL_1>', 'key <AWS_ACCESS_KEY_1>'], n: 3 })).toEqual({
      present: ['reply to jane.doe@acme.io', 'key AKIAIOSFODNN7EXAMPLE'],
      n: 3,
    });
    // A placeholder the model made up stays as it is.
    expect(m.restore('<EMAIL_9>')).toBe('<EMAIL_9>');
  });

  it('masks an answer with the ticket’s placeholders (what a judge is shown), the inverse of restore', () => {
    const m = maskTicket(TICKET, { secrets: true, personal: true });
    const answer = { present: ['reply to jane.doe@acme.io', 'key AKIAIOSFODNN7EXAMPLE', 'bucket acme-logs-prod'], n: 3 };
    const shown = maskWith(answer, m.items);
    expect(shown).toEqual({ present: ['reply to <EMAIL_1>', 'key <AWS_ACCESS_KEY_1>', 'bucket acme-logs-prod'], n: 3 });
    expect(m.restore(shown)).toEqual(answer);
    expect(maskWith('nothing to hide', m.items)).toBe('nothing to hide');
  });

  it('masks personal data only when the workspace asks for it', () => {
    const m = maskTicket(TICKET, { secrets: true, personal: false });
    expect(m.text).toContain('jane.doe@acme.io');
    expect(m.text).toContain('Jane Doe');
    expect(m.text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(maskTicket(TICKET, { secrets: false, personal: false }).text).toBe(TICKET);
  });

  it("never reuses a placeholder the ticket already contains, and masks the product's own keys without restoring them", () => {
    const own = 'my-gateway-key-Zq81xx07-not-shaped';
    const text = `Template shows <EMAIL_1> literally; real contact bob@acme.io; our gateway key ${own} leaked into the ticket.`;
    const m = maskTicket(text, { secrets: true, personal: true }, new Scrubber([own]));
    expect(m.text).toContain('<EMAIL_1> literally');
    expect(m.text).toContain('<EMAIL_2>');
    expect(m.text).not.toContain(own);
    expect(m.restore('<OUR_API_KEY>')).toBe('<OUR_API_KEY>');
  });

  it('is the rule set export --redact uses: the same values are masked there', () => {
    const r = new Redactor();
    const out = r.text(TICKET);
    expect(out).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(out).not.toContain('+1 415 555 0134');
    expect(out).toContain('arn:aws:iam::123456789012:role/DataLoader');
    expect(r.counts).toMatchObject({ phone: 1, person_name: 1 });
  });
});

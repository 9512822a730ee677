import { describe, expect, it } from 'vitest';
import { checkTicket, countWords } from './ticketGate.ts';

describe('checkTicket', () => {
  it('refuses empty and whitespace-only tickets', () => {
    for (const t of ['', '   \n\t ']) {
      expect(checkTicket(t)).toEqual({ ok: false, code: 'EMPTY_TICKET', message: 'nothing to triage: the ticket is empty' });
    }
  });

  it('refuses tickets with too few words', () => {
    expect(checkTicket('help pls')).toEqual({ ok: false, code: 'EMPTY_TICKET', message: 'too little to triage: 2 words (minimum 4)' });
    expect(checkTicket('urgent!!! ??? ---')).toMatchObject({ message: 'too little to triage: 1 word (minimum 4)' });
  });

  it('refuses tickets with too few characters', () => {
    expect(checkTicket('a b c d')).toMatchObject({ code: 'EMPTY_TICKET', message: 'too little to triage: 7 characters (minimum 20)' });
  });

  it('accepts a short but meaningful ticket', () => {
    expect(checkTicket('Our RDS instance is down since 9am')).toMatchObject({ ok: true, words: 7 });
  });

  it('honours custom minimums', () => {
    expect(checkTicket('help pls', { minWords: 2, minChars: 5 }).ok).toBe(true);
    expect(checkTicket('one two three four five six', { minWords: 10 })).toMatchObject({
      message: 'too little to triage: 6 words (minimum 10)',
    });
  });

  it('refuses oversized tickets with BAD_INPUT stating the limit', () => {
    const big = 'x '.repeat(600 * 1024);
    expect(checkTicket(big)).toEqual({ ok: false, code: 'BAD_INPUT', message: 'ticket too large: 1.17 MB (limit 1 MB)' });
    expect(checkTicket('é'.repeat(20) + ' a b c d', { maxBytes: 40 })).toMatchObject({
      code: 'BAD_INPUT',
      message: 'ticket too large: 48 bytes (limit 40 bytes)',
    });
  });

  it('counts words in any script, not punctuation', () => {
    expect(countWords('Die Datenbank läuft nicht — bitte helfen')).toBe(6);
    expect(countWords('データベースが 落ちました 助けて ください')).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '#shared/errors.ts';
import { ERROR_WORDS, errorWords } from './errorWords.tsx';

describe('error codes in words', () => {
  it('has words for every code the core can return, none of them the code itself', () => {
    for (const code of ERROR_CODES) {
      expect(ERROR_WORDS[code], code).toBeTruthy();
      expect(errorWords(code)).not.toMatch(/[A-Z]{2,}_/);
    }
    expect(errorWords('EMPTY_TICKET')).toBe('Nothing to triage');
    expect(errorWords('BAD_INPUT')).toBe('Not accepted');
  });

  it('reads a code it does not know as a sentence, and a missing one as "Failed"', () => {
    expect(errorWords('SOME_NEW_CODE')).toBe('Some new code');
    expect(errorWords(null)).toBe('Failed');
  });
});

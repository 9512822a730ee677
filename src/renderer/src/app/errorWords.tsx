// Error codes in words. The workbench shows what went wrong the way a person would say it; the
// code itself (what the CLI prints and the logs record) stays in the tooltip and in data-code,
// for a bug report or a search.
import type { ErrorCode as Code } from '#shared/errors.ts';

export const ERROR_WORDS: Record<Code, string> & Record<string, string> = {
  RATE_LIMITED: 'Rate limited',
  TIMEOUT: 'No answer in time',
  INVALID_OUTPUT: 'Unusable answer',
  AUTH: 'Key rejected',
  KEY_MISSING: 'No API key',
  MODEL_RETIRED: 'Model retired',
  MODEL_NOT_FOUND: 'Unknown model',
  BAD_REQUEST: 'Request refused',
  PROVIDER_ERROR: 'Provider error',
  NETWORK: 'Provider unreachable',
  CANCELLED: 'Cancelled',
  SPEND_LIMIT: 'Spend limit reached',
  CONFIRM_SPEND: 'Waiting for your go-ahead',
  SKIPPED: 'Not called',
  EMPTY_TICKET: 'Nothing to triage',
  NEEDS_INFO: 'Held: needs information',
  BAD_INPUT: 'Not accepted',
  STORAGE: 'Workspace cannot be written',
  INTERNAL: 'Unexpected error',
  RUN_BUSY: 'Running elsewhere',
};

/** Words for a code; an unknown code reads as a sentence ("SOME_CODE" → "Some code"). */
export function errorWords(code: string | null | undefined): string {
  if (!code) return 'Failed';
  const known = ERROR_WORDS[code];
  if (known) return known;
  const s = code.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** An error's code as words, the code itself in the tooltip. */
export function ErrorCode({ code, className = '' }: { code: string | null | undefined; className?: string }) {
  return (
    <span className={`code-words ${className}`.trim()} title={code ? `error code ${code}` : undefined} data-code={code ?? undefined}>
      {errorWords(code)}
    </span>
  );
}

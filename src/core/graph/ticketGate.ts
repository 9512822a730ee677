// The minimum-information gate: the seed article saw nonsense answers for tickets with too little
// text, so such tickets are refused before any model is called.
export interface TicketGateOptions {
  /** Minimum characters after trimming (default 20). */
  minChars?: number;
  /** Minimum words, counting only tokens with a letter or digit (default 4). */
  minWords?: number;
  /** Maximum UTF-8 size in bytes (default 1 MB). */
  maxBytes?: number;
}

export type TicketCheck = { ok: true; chars: number; words: number } | { ok: false; code: 'EMPTY_TICKET' | 'BAD_INPUT'; message: string };

export const DEFAULT_MAX_TICKET_BYTES = 1024 * 1024;

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(2)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

// No Buffer: the renderer runs this gate too, for live feedback while a ticket is typed.
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Counts words: whitespace-separated tokens that contain a letter or digit. */
export function countWords(text: string): number {
  let n = 0;
  for (const tok of text.split(/\s+/)) if (/[\p{L}\p{N}]/u.test(tok)) n++;
  return n;
}

/** Decides whether a ticket carries enough text to triage (EMPTY_TICKET) and is not oversized (BAD_INPUT). */
export function checkTicket(text: string, opts: TicketGateOptions = {}): TicketCheck {
  const { minChars = 20, minWords = 4, maxBytes = DEFAULT_MAX_TICKET_BYTES } = opts;
  const bytes = utf8Length(text);
  if (bytes > maxBytes) {
    return { ok: false, code: 'BAD_INPUT', message: `ticket too large: ${formatBytes(bytes)} (limit ${formatBytes(maxBytes)})` };
  }
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, code: 'EMPTY_TICKET', message: 'nothing to triage: the ticket is empty' };
  const words = countWords(trimmed);
  if (words < minWords) {
    return { ok: false, code: 'EMPTY_TICKET', message: `too little to triage: ${plural(words, 'word')} (minimum ${minWords})` };
  }
  const chars = [...trimmed].length;
  if (chars < minChars) {
    return { ok: false, code: 'EMPTY_TICKET', message: `too little to triage: ${plural(chars, 'character')} (minimum ${minChars})` };
  }
  return { ok: true, chars, words };
}

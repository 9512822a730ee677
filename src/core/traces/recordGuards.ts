// Per-record guards every trace reader applies, whatever the format: records nested too deep to
// map, and call times no calendar can show, become that record's issue instead of ending the import.
import type { ImportedCall, ImportIssue } from './types.ts';
import { MAX_TIME_NS } from './values.ts';

/** Records nested deeper than this are refused (JSON.parse reads them; mapping them would recurse that deep). */
export const MAX_NESTING = 1000;

/** How deep a parsed JSON value nests, counted without recursion (stops counting past `stop`). */
export function nestingDepth(v: unknown, stop = Infinity): number {
  let max = 0;
  const stack: Array<{ v: unknown; d: number }> = [{ v, d: 0 }];
  while (stack.length > 0) {
    const { v: x, d } = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stop) return max;
    for (const k in x) if (Object.hasOwn(x, k)) stack.push({ v: (x as Record<string, unknown>)[k], d: depth });
  }
  return max;
}

/**
 * The issue for a record nested deeper than MAX_NESTING, else null. Cheap for every record: the
 * depth can only pass the limit when the text has more `{` and `[` than that (counted by indexOf,
 * stopping at the limit); only then is the parsed value measured.
 */
export function tooDeep(text: string, value: unknown, where: string): ImportIssue | null {
  let opens = 0;
  for (let i = text.indexOf('{'); i >= 0 && opens <= MAX_NESTING; i = text.indexOf('{', i + 1)) opens++;
  for (let i = text.indexOf('['); i >= 0 && opens <= MAX_NESTING; i = text.indexOf('[', i + 1)) opens++;
  if (opens <= MAX_NESTING) return null;
  return nestingDepth(value, MAX_NESTING) > MAX_NESTING
    ? { where, message: `nested deeper than ${MAX_NESTING.toLocaleString('en-US')} levels` }
    : null;
}

/**
 * Maps one record; a record too deep to map (the adapters walk values recursively) becomes that
 * record's issue instead of ending the import — this file's other records and the next files go on.
 */
export function guardRecord(value: unknown, where: string, fn: () => void): ImportIssue | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (!(e instanceof RangeError) || !/call stack/i.test(e.message)) throw e;
    const depth = value === null ? 0 : nestingDepth(value);
    const message =
      depth > MAX_NESTING
        ? `nested deeper than ${MAX_NESTING.toLocaleString('en-US')} levels (${depth.toLocaleString('en-US')})`
        : depth > 0
          ? `nested too deeply to read (${depth.toLocaleString('en-US')} levels)`
          : 'nested too deeply to read';
    return { where, message };
  }
}

/** A reason to refuse a call's times (out of any calendar's range, or negative), or null when they are fine. */
export function badTimes(c: ImportedCall): string | null {
  const check = (ns: bigint | null, what: string): string | null => {
    if (ns === null) return null;
    if (ns < 0n) return `${what} ${ns} ns is before 1970-01-01`;
    if (ns > MAX_TIME_NS) return `${what} ${ns} ns is after 9999-12-31 (not a real time: the field is probably in the wrong unit)`;
    return null;
  };
  return check(c.x.startNs, 'start time') ?? check(c.x.endNs, 'end time');
}

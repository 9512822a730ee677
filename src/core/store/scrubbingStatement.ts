// The statement wrapper behind the Store's scrubbing: a write's string parameters pass the
// scrubber current at the time of the call, so no key the product holds reaches the file.
import type { StatementSync } from 'node:sqlite';
import type { Scrubber } from '../secrets/scrub.ts';

/**
 * The statement with every string parameter (positional, or a named-parameter object's values)
 * passed through the scrubber first; nothing is done while the scrubber knows no key.
 */
export function scrubbingStatement(s: StatementSync, current: () => Scrubber | null): StatementSync {
  const clean = (args: unknown[]): unknown[] => {
    const sc = current();
    if (!sc || sc.size === 0) return args;
    return args.map((a) => {
      if (typeof a === 'string') return sc.scrubKnown(a);
      if (a && typeof a === 'object' && !ArrayBuffer.isView(a)) {
        const o: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(a)) o[k] = typeof v === 'string' ? sc.scrubKnown(v) : v;
        return o;
      }
      return a;
    });
  };
  const w = Object.create(null) as Record<string, unknown>;
  const proto = Object.getPrototypeOf(s) as object;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor') continue;
    const d = Object.getOwnPropertyDescriptor(proto, name)!;
    if (typeof d.value === 'function') {
      const f = d.value as (...a: unknown[]) => unknown;
      w[name] = ['run', 'get', 'all', 'iterate'].includes(name)
        ? (...a: unknown[]) => f.apply(s, clean(a))
        : (...a: unknown[]) => f.apply(s, a);
    } else if (d.get) {
      const g = d.get;
      Object.defineProperty(w, name, { get: () => g.call(s), enumerable: true });
    }
  }
  return w as unknown as StatementSync;
}

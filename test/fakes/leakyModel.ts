// A model that copies few-shot examples (the seed article's leak: `my-project-123` from the prompt's
// example returned for a ticket naming no project), for the fake provider server's `answer` hook.
// It leaks only when the system prompt does not tell it never to return an example's values — the
// shipped asset-id prompt does, so it passes; a version that drops that rule does not.
import type { AnswerInfo } from './fakeProviderServer.ts';

/** The ids in the system prompt's <example_answer> blocks (asset_ids lists). */
export function exampleAnswerIds(system: string): string[] {
  const out: string[] = [];
  for (const m of system.matchAll(/<example_answer>([\s\S]*?)<\/example_answer>/g)) {
    try {
      const v = JSON.parse(m[1] ?? '') as { asset_ids?: unknown };
      if (Array.isArray(v.asset_ids)) out.push(...v.asset_ids.filter((x): x is string => typeof x === 'string'));
    } catch {
      // not JSON: nothing to copy
    }
  }
  return out;
}

/** `answer` hook: models whose id starts with `fake-leaky` echo example ids on asset-id requests of an unguarded prompt. */
export function leakyAnswer(info: AnswerInfo): unknown {
  if (!info.model.startsWith('fake-leaky') || info.task !== 'asset_ids') return undefined;
  const msgs = Array.isArray(info.messages) ? (info.messages as Array<{ role?: string; content?: unknown }>) : [];
  const system = String(msgs.find((m) => m.role === 'system')?.content ?? '');
  if (/never return a value or identifier that appears in an example/i.test(system)) return undefined;
  const ids = exampleAnswerIds(system);
  return ids.length ? { asset_ids: ids } : undefined;
}

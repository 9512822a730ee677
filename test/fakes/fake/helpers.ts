// Small helpers of the fake server: seeded randomness, ids, durations as each API writes them,
// per-model options, token counts, key masking, and reading casebench's prompt back.
import { randomBytes, createHash } from 'node:crypto';
import { isTaskId } from '#shared/tasks.ts';
import type { TaskId } from '#shared/tasks.ts';
import { seededRandom } from '#core/random.ts';
import type { PerModel } from './types.ts';

// ---------------------------------------------------------------------------------------------
// small helpers

export const makeRng = seededRandom;

export const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 26-char lower-case ULID, as in Groq's req_01… ids. */
export function ulid(): string {
  let time = Date.now();
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD.charAt(time % 32) + head;
    time = Math.floor(time / 32);
  }
  const bytes = randomBytes(16);
  let tail = '';
  for (const b of bytes) tail += CROCKFORD.charAt(b % 32);
  return head + tail;
}

export function randomAlnum(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (const b of bytes) s += ALNUM.charAt(b % ALNUM.length);
  return s;
}

export function fingerprint(model: string): string {
  return 'fp_' + createHash('sha256').update(model).digest('hex').slice(0, 10);
}

export function round9(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Go-style duration as Groq prints it: "860ms", "5.289s", "9m38.016s", "2m59.56s". */
export function goDuration(ms: number, decimals: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const totalS = ms / 1000;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS - h * 3600) / 60);
  const s = totalS - h * 3600 - m * 60;
  const sStr = s.toFixed(decimals).replace(/\.?0+$/, '') || '0';
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${sStr}s`;
}

/** OpenAI's header durations, Go style: "12ms", "1s", "5.6s", "6m0s" (to the ms, so a client can pace exactly). */
export function openaiDuration(ms: number): string {
  return goDuration(ms, 3);
}

export function perModel<T>(v: PerModel<T> | null | undefined, model: string): T | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return (v as Record<string, T>)[model] ?? null;
  return v;
}

export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p: unknown) =>
        p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '',
      )
      .join('');
  }
  return '';
}

export function tokensOf(s: string): number {
  return Math.ceil(s.length / 4);
}

/** Masks a key the way OpenAI does: a short prefix, stars, the last four characters. */
export function maskKey(key: string): string {
  const prefix = key.startsWith('sk-proj-') ? 'sk-proj-' : key.startsWith('sk-') ? 'sk-' : '';
  const suffix = key.length >= 12 ? key.slice(-4) : '';
  const stars = '*'.repeat(Math.min(40, Math.max(4, key.length - prefix.length - suffix.length)));
  return prefix + stars + suffix;
}

export interface ParsedPrompt {
  task: TaskId | null;
  ticketText: string;
  platform: string | null;
  product: string | null;
}

export function ctxValue(v: string | undefined): string | null {
  if (v === undefined) return null;
  const s = v.trim();
  if (s === '' || /^(?:null|none|unknown|n\/a|-)$/i.test(s)) return null;
  return s;
}

/** Finds the task, the ticket text and the upstream answers in a chat request. */
export function parsePrompt(body: { messages?: unknown; response_format?: unknown }): ParsedPrompt {
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: unknown; content?: unknown }[]) : [];
  let task: TaskId | null = null;
  const rf = body.response_format as { type?: unknown; json_schema?: { name?: unknown } } | undefined;
  const schemaName = rf && typeof rf === 'object' ? rf.json_schema?.name : undefined;
  if (typeof schemaName === 'string' && isTaskId(schemaName)) task = schemaName;
  if (!task) {
    for (const m of messages) {
      if (m?.role !== 'system' && m?.role !== 'developer') continue;
      const hit = /^\s*Task:\s*([a-z_]+)\s*$/im.exec(textOf(m.content));
      if (hit?.[1] && isTaskId(hit[1])) {
        task = hit[1];
        break;
      }
    }
  }
  const users = messages.filter((m) => m?.role === 'user').map((m) => textOf(m.content));
  const lastUser = users[users.length - 1] ?? '';
  // The ticket is the last <ticket> block; few-shot tickets sit in <example_ticket> blocks.
  let ticketText = '';
  let before = lastUser;
  const blocks = [...lastUser.matchAll(/<ticket>([\s\S]*?)<\/ticket>/g)];
  const last = blocks[blocks.length - 1];
  if (last) {
    ticketText = (last[1] ?? '').trim();
    before = lastUser.slice(0, last.index);
  } else {
    ticketText = lastUser.replace(/<(example[\w-]*)>[\s\S]*?<\/\1>/g, '').trim();
  }
  // Upstream answers come as "Platform: x" / "Product: y" lines before the ticket, outside examples.
  const outsideExamples = before.replace(/<(example[\w-]*)>[\s\S]*?<\/\1>/g, '');
  const platforms = [...outsideExamples.matchAll(/^\s*Platform:[ \t]*(.*)$/gim)];
  const products = [...outsideExamples.matchAll(/^\s*Product:[ \t]*(.*)$/gim)];
  return {
    task,
    ticketText,
    platform: ctxValue(platforms[platforms.length - 1]?.[1]),
    product: ctxValue(products[products.length - 1]?.[1]),
  };
}

// ---------------------------------------------------------------------------------------------
// error bodies

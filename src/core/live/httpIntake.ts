// Tickets posted by a helpdesk webhook to `casebench serve` (POST /intake/tickets): the body is one
// ticket {id?, text, title?} or an array of them; each is stored and queued for triage like a
// pasted or imported one (and so shadowed like them). The HTTP side (status codes, the token, body
// size) is src/server/intakeEndpoint.ts; this is what the body means.
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.ts';
import type { Intake } from './intake.ts';

/** Tickets in one request at most. */
export const MAX_INTAKE_TICKETS = 1000;
/** Largest ticket text, bytes (as `triage`'s text). */
export const MAX_INTAKE_TEXT_BYTES = 1024 * 1024;
const MAX_ID = 200;
const MAX_TITLE = 1000;

export interface IntakeTicket {
  id: string;
  text: string;
  title?: string;
}

export type IntakeParse = { ok: true; tickets: IntakeTicket[] } | { ok: false; message: string };

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern finds
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Checks a parsed JSON body; the first problem is named with where it is (`[3].text: …`). */
export function parseIntakeBody(body: unknown, newId: () => string = () => `h-${randomUUID().slice(0, 8)}`): IntakeParse {
  const many = Array.isArray(body);
  const items: unknown[] = many ? (body as unknown[]) : [body];
  const at = (i: number, field?: string): string => `${many ? `[${i}]` : 'body'}${field ? `.${field}` : ''}`;
  if (many && items.length === 0) return { ok: false, message: 'body: an empty array holds no ticket' };
  if (items.length > MAX_INTAKE_TICKETS)
    return { ok: false, message: `body: ${items.length} tickets in one request; at most ${MAX_INTAKE_TICKETS}` };
  const out: IntakeTicket[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (it === null || typeof it !== 'object' || Array.isArray(it)) {
      return {
        ok: false,
        message: `${at(i)}: expected a ticket object {"id"?, "text", "title"?}, got ${it === null ? 'null' : Array.isArray(it) ? 'an array' : typeof it}`,
      };
    }
    const o = it as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !['id', 'text', 'title'].includes(k));
    if (unknown.length)
      return {
        ok: false,
        message: `${at(i)}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')} (a ticket has id, text, title)`,
      };
    if (typeof o.text !== 'string')
      return { ok: false, message: `${at(i, 'text')}: ${o.text === undefined ? 'missing' : `expected a string, got ${typeof o.text}`}` };
    if (o.text.trim() === '') return { ok: false, message: `${at(i, 'text')}: empty; nothing to triage` };
    if (Buffer.byteLength(o.text, 'utf8') > MAX_INTAKE_TEXT_BYTES)
      return { ok: false, message: `${at(i, 'text')}: over the limit of ${MAX_INTAKE_TEXT_BYTES} bytes (1 MB) per ticket` };
    let id: string;
    if (o.id === undefined || o.id === null) id = newId();
    else if (typeof o.id === 'string' || typeof o.id === 'number') {
      id = String(o.id).trim();
      if (id === '' || id.length > MAX_ID || CONTROL.test(id))
        return { ok: false, message: `${at(i, 'id')}: must be 1–${MAX_ID} characters without control characters` };
    } else return { ok: false, message: `${at(i, 'id')}: expected a string, got ${typeof o.id}` };
    if (seen.has(id)) return { ok: false, message: `${at(i, 'id')}: ${JSON.stringify(id)} appears twice in this request` };
    seen.add(id);
    const t: IntakeTicket = { id, text: o.text };
    if (o.title !== undefined && o.title !== null) {
      if (typeof o.title !== 'string') return { ok: false, message: `${at(i, 'title')}: expected a string, got ${typeof o.title}` };
      if (o.title.length > MAX_TITLE) return { ok: false, message: `${at(i, 'title')}: over ${MAX_TITLE} characters` };
      if (o.title.trim()) t.title = o.title.trim();
    }
    out.push(t);
  }
  return { ok: true, tickets: out };
}

export const INTAKE_SOURCE = 'http intake';

/** What the core offers the HTTP endpoint (src/server/intakeEndpoint.ts). */
export interface IntakeEndpoint {
  verify(token: string | null): Promise<boolean>;
  /** Parses and queues the body; a refusal says where and why. */
  submit(body: unknown): Promise<{ ok: true; ids: string[]; runId: string } | { ok: false; message: string }>;
}

/** Stores the tickets and queues them for triage (one run per request); returns their ids and the run. */
export function submitIntake(store: Store, intake: Pick<Intake, 'enqueue'>, tickets: IntakeTicket[]): { ids: string[]; runId: string } {
  store.transaction(() => {
    for (const t of tickets) store.upsertTicket(t, INTAKE_SOURCE);
  });
  const runId = intake.enqueue(
    `${INTAKE_SOURCE}: ${tickets.length} ticket${tickets.length === 1 ? '' : 's'}`,
    tickets.map((t) => ({ ticket: t })),
    { intake: 'http' },
  );
  return { ids: tickets.map((t) => t.id), runId };
}

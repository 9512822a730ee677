// Reads of stored tickets and their versions (the Store's ticket methods delegate here): a ticket,
// its versions newest first, the version a run saw, and its prompt-injection flags.
import type { TicketInput } from '#shared/results.ts';
import type { InjectionFinding } from '../graph/injection.ts';
import type { Store } from './store.ts';
import { num, str, type Row } from './storeRows.ts';

/** One stored version of a ticket (latest: the ticket's current text). */
export interface TicketVersion {
  hash: string;
  text: string;
  title: string | null;
  labels: TicketInput['labels'] | null;
  source: string | null;
  addedAt: number;
  seenAt: number;
  latest: boolean;
}

/** Every version of a ticket, newest first (the first is the ticket's latest text). */
export function ticketVersions(store: Store, id: string): TicketVersion[] {
  const latest = str((store.prepare('SELECT hash FROM tickets WHERE id = ?').get(id) as Row | undefined)?.hash);
  const rows = store.prepare('SELECT * FROM ticket_versions WHERE ticket_id = ? ORDER BY seen_at DESC, added_at DESC').all(id) as Row[];
  return rows
    .map((r) => ({
      hash: String(r.hash),
      text: String(r.text),
      title: str(r.title),
      labels: r.labels == null ? null : (JSON.parse(String(r.labels)) as TicketInput['labels']),
      source: str(r.source),
      addedAt: num(r.added_at) ?? 0,
      seenAt: num(r.seen_at) ?? 0,
      latest: String(r.hash) === latest,
    }))
    .sort((a, b) => Number(b.latest) - Number(a.latest));
}

/** The ticket exactly as a run saw it (the version it ran on); the latest version when the run never held it. */
export function ticketForRun(store: Store, runId: string, id: string): (TicketInput & { hash: string | null }) | null {
  const r = store.prepare('SELECT * FROM run_ticket_versions WHERE run_id = ? AND ticket_id = ?').get(runId, id) as Row | undefined;
  if (!r || r.text == null) {
    const t = store.getTicket(id);
    return t ? { ...t, hash: str((store.prepare('SELECT hash FROM tickets WHERE id = ?').get(id) as Row | undefined)?.hash) } : null;
  }
  const t: TicketInput & { hash: string | null } = { id, text: String(r.text), hash: str(r.hash) };
  if (r.title != null) t.title = String(r.title);
  if (r.created_at != null) t.created_at = String(r.created_at);
  if (r.labels != null) t.labels = JSON.parse(String(r.labels)) as TicketInput['labels'];
  return t;
}

/** What was flagged in a ticket (prompt-injection findings); empty when nothing. */
export function ticketFlags(store: Store, id: string): InjectionFinding[] {
  const r = store.prepare('SELECT flags FROM tickets WHERE id = ?').get(id) as Row | undefined;
  return r?.flags ? (JSON.parse(String(r.flags)) as InjectionFinding[]) : [];
}

/** A ticket's latest version, or null when the workspace does not hold it. */
export function getTicket(store: Store, id: string): TicketInput | null {
  const r = store.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as Row | undefined;
  if (!r) return null;
  const t: TicketInput = { id: String(r.id), text: String(r.text) };
  if (r.title != null) t.title = String(r.title);
  if (r.created_at != null) t.created_at = String(r.created_at);
  if (r.labels != null) t.labels = JSON.parse(String(r.labels)) as TicketInput['labels'];
  return t;
}

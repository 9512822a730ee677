// A ticket's title as lists show it: its own title, else its first non-empty line (without a
// leading "Subject:"), shortened. Pure: the ticket queries and the trace import both use it.

/** A title for a ticket without one: its first non-empty line, shortened. */
export function titleOf(title: string | null, text: string): string {
  if (title?.trim()) return title.trim().slice(0, 160);
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const t = line.trim().replace(/^subject:\s*/i, '');
  return t.length > 120 ? `${t.slice(0, 119)}…` : t || '(empty)';
}

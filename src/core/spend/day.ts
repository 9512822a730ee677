// "Today" for spend is the machine's local calendar day (midnight to midnight in its time zone),
// not UTC: a support team in Berlin expects today's spend to reset at its own midnight.

/** YYYY-MM-DD of the local day of `d`. */
export function localDay(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Epoch ms of the local midnight that starts the day of `d`. */
export function localMidnight(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Epoch ms of the next local midnight after `d` (when today's spend starts again from zero). */
export function nextLocalMidnight(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

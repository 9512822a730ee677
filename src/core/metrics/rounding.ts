// The report's rounding (1, 2, 4 or 6 decimals; null stays null, an interval rounds end by end) and
// its ratio (null when a side is missing or zero), shared by report.ts and reportPlan.ts.
export const r1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);
export const r4 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e4) / 1e4);
export const r6 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e6) / 1e6);
export const r2 = (x: number | null): number | null => (x === null ? null : Math.round(x * 100) / 100);
export const ci = (c: [number, number] | null, f: (x: number) => number | null): [number, number] | null =>
  c === null ? null : [f(c[0])!, f(c[1])!];
export const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);

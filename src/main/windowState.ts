// The desktop window's size and position, remembered between launches (the panes inside it are
// remembered by the workbench itself). Kept pure apart from one small JSON file in user data.
import { readFileSync, writeFileSync } from 'node:fs';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1280, height: 840, maximized: false };

/** Reads saved bounds; anything unreadable or implausible gives the defaults. */
export function readBounds(file: string, min = { width: 880, height: 560 }): WindowBounds {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_BOUNDS };
  }
  const o = raw as Partial<Record<keyof WindowBounds, unknown>>;
  const n = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined);
  const width = n(o.width);
  const height = n(o.height);
  if (!width || !height || width < min.width || height < min.height || width > 20_000 || height > 20_000) return { ...DEFAULT_BOUNDS };
  const out: WindowBounds = { width, height, maximized: o.maximized === true };
  const x = n(o.x);
  const y = n(o.y);
  if (x !== undefined && y !== undefined) {
    out.x = x;
    out.y = y;
  }
  return out;
}

export function writeBounds(file: string, b: WindowBounds): void {
  try {
    writeFileSync(file, JSON.stringify(b));
  } catch {
    // Not remembering a window size is not worth an error.
  }
}

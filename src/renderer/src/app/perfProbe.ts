// Measurement hooks for bench/ui.ts (browser mode): when a result's card painted, relative to
// when the host published it, and when the workbench became interactive. Cheap, bounded, and
// only read by the benchmark through window.__casebench.
interface Probe {
  /** ms from the host publishing a result to its card painting. */
  paint: number[];
  /** ms from the host publishing a result to this window handling its event. */
  arrive: number[];
  /** ms from the host publishing a result to React committing its card. */
  commit: number[];
  interactiveAt: number | null;
}

declare global {
  interface Window {
    __casebench?: Probe;
  }
}

const MAX_SAMPLES = 2000;

function probe(): Probe | null {
  if (typeof window === 'undefined') return null;
  window.__casebench ??= { paint: [], arrive: [], commit: [], interactiveAt: null };
  return window.__casebench;
}

/** After the next paint, records how long ago the host published a result (emittedAt: its timeOrigin + now). */
export function notePaint(emittedAt: number | null): void {
  if (emittedAt === null || typeof requestAnimationFrame === 'undefined') return;
  const c = probe();
  if (c) {
    c.commit.push(performance.timeOrigin + performance.now() - emittedAt);
    if (c.commit.length > MAX_SAMPLES) c.commit.shift();
  }
  requestAnimationFrame(() => {
    // rAF runs before the frame's paint; a message posted from it runs right after.
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      const p = probe();
      if (!p) return;
      p.paint.push(performance.timeOrigin + performance.now() - emittedAt);
      if (p.paint.length > MAX_SAMPLES) p.paint.shift();
      ch.port1.close();
    };
    ch.port2.postMessage(0);
  });
}

/** Records when a result's event reached this window. */
export function noteArrival(emittedAt: number | undefined): void {
  if (emittedAt === undefined) return;
  const p = probe();
  if (!p) return;
  p.arrive.push(performance.timeOrigin + performance.now() - emittedAt);
  if (p.arrive.length > MAX_SAMPLES) p.arrive.shift();
}

/** Marks the first moment the workbench shows its ticket list, ready for keys. */
export function markInteractive(): void {
  const p = probe();
  if (!p || p.interactiveAt !== null) return;
  p.interactiveAt = performance.now();
  performance.mark('casebench:interactive');
}

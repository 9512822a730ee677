// A line diff (longest common subsequence) between two prompt versions: small inputs (a prompt is
// tens to a few hundred lines), so the plain O(n·m) table is enough and needs no dependency.

export interface DiffLine {
  op: 'same' | 'add' | 'del';
  text: string;
  /** 1-based line in the old text (same, del) and in the new one (same, add). */
  oldLine: number | null;
  newLine: number | null;
}

/** Lines above which the diff falls back to "everything removed, everything added" (a 4 M-cell table). */
const MAX_CELLS = 4_000_000;

/** The edit from `a` to `b`, line by line: unchanged lines, removals and additions in reading order. */
export function lineDiff(a: string, b: string): DiffLine[] {
  const x = a === '' ? [] : a.split('\n');
  const y = b === '' ? [] : b.split('\n');
  // Common head and tail first: most edits touch a few lines in the middle.
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ op: 'same', text: x[i]!, oldLine: i + 1, newLine: i + 1 });
  const n = xs.length;
  const m = ys.length;
  if (n * m > MAX_CELLS) {
    xs.forEach((t, i) => out.push({ op: 'del', text: t, oldLine: head + i + 1, newLine: null }));
    ys.forEach((t, j) => out.push({ op: 'add', text: t, oldLine: null, newLine: head + j + 1 }));
  } else {
    // lcs[i][j]: length of the LCS of xs[i..] and ys[j..].
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = xs[i] === ys[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && xs[i] === ys[j]) {
        out.push({ op: 'same', text: xs[i]!, oldLine: head + i + 1, newLine: head + j + 1 });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        // On a tie the removal comes first, as in every diff a reader knows (- then +).
        out.push({ op: 'del', text: xs[i]!, oldLine: head + i + 1, newLine: null });
        i++;
      } else {
        out.push({ op: 'add', text: ys[j]!, oldLine: null, newLine: head + j + 1 });
        j++;
      }
    }
  }
  for (let k = 0; k < tail; k++) {
    out.push({ op: 'same', text: x[x.length - tail + k]!, oldLine: x.length - tail + k + 1, newLine: y.length - tail + k + 1 });
  }
  return out;
}

/** The diff as unified-style text lines ("  same", "- removed", "+ added"). */
export function formatDiff(lines: readonly DiffLine[]): string {
  return lines.map((l) => `${l.op === 'same' ? ' ' : l.op === 'add' ? '+' : '-'} ${l.text}`).join('\n');
}

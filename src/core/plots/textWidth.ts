// Text widths for laying out plots in Node, where vega has no canvas to measure text and falls
// back to 0.8 × font size per character — about 50 % too wide for a sans-serif font, which leaves
// a long title or label followed by a wide empty margin. These are Helvetica's advance widths
// (AFM, per 1000 em) scaled up 15 % to cover wider system fonts (DejaVu Sans, Segoe UI), so text
// is never clipped and the slack stays small.

// Printable ASCII 32…126.
const ASCII = [
  278,
  278,
  355,
  556,
  556,
  889,
  667,
  191,
  333,
  333,
  389,
  584,
  278,
  333,
  278,
  278, // space … /
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  556,
  278,
  278,
  584,
  584,
  584,
  556, // 0 … ?
  1015,
  667,
  667,
  722,
  722,
  667,
  611,
  778,
  722,
  278,
  500,
  667,
  556,
  833,
  722,
  778, // @ … O
  667,
  778,
  722,
  667,
  611,
  722,
  667,
  944,
  667,
  667,
  611,
  278,
  278,
  278,
  469,
  556, // P … _
  333,
  556,
  556,
  500,
  556,
  556,
  278,
  556,
  556,
  222,
  222,
  500,
  222,
  833,
  556,
  556, // ` … o
  556,
  556,
  333,
  500,
  278,
  556,
  500,
  722,
  500,
  500,
  500,
  334,
  260,
  334,
  584, // p … ~
];
const OTHER: Record<string, number> = {
  '·': 278,
  '—': 1000,
  '–': 556,
  '…': 1000,
  '≤': 584,
  '≥': 584,
  '≈': 584,
  '→': 1000,
  '−': 584,
  '²': 333,
  '×': 584,
  '§': 556,
  '’': 222,
  '‘': 222,
  '✗': 800,
  '✓': 800,
  σ: 600,
  '€': 556,
};
const SAFETY = 1.15;
const BOLD = 1.12;

/** Width in px of a single line of text at a font size and weight. */
export function textWidthPx(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    units += c >= 32 && c <= 126 ? ASCII[c - 32]! : (OTHER[ch] ?? 600);
  }
  return (units / 1000) * fontSize * SAFETY * (bold ? BOLD : 1);
}

interface TextItem {
  fontSize?: number | string | null;
  fontWeight?: number | string | null;
  limit?: number | null;
}

/** vega's textMetrics.width contract: (item, text) → px, honouring the item's limit (vega truncates beyond it). */
export function vegaTextWidth(item: TextItem, text: unknown): number {
  const s = text == null ? '' : String(text).trim();
  const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
  const w = item.fontWeight;
  const bold = w === 'bold' || w === 'bolder' || (typeof w === 'number' && w >= 600) || (typeof w === 'string' && Number(w) >= 600);
  const px = textWidthPx(s, size, bold);
  const limit = Number(item.limit);
  return limit > 0 && px > limit ? limit : px;
}

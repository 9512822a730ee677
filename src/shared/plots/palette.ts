// Model colours for every plot and chip of the app: the Okabe–Ito palette (distinguishable with
// the common colour-vision deficiencies), one colour per model spec. A colour is tied to the spec,
// not to where a model appears: each spec prefers the slot its name hashes to, and specs are
// placed in sorted order, so the same set of models gets the same colours in every chart and in
// any order, and adding a model rarely moves the others.

/** The eight Okabe–Ito colours (Okabe & Ito 2008, "Color Universal Design"). */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  black: '#000000',
} as const;

/**
 * The six that stay readable on both the light (#ffffff) and the dark (#1f1f1f) background.
 * Yellow vanishes on white and black on dark, so they only serve a seventh and eighth model
 * (black replaced by a mid grey that shows on both).
 */
export const MODEL_PALETTE: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.orange,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.skyBlue,
];
const OVERFLOW: readonly string[] = [OKABE_ITO.yellow, '#999999'];
/** Hue family of each MODEL_PALETTE slot: blue and sky blue, vermillion and orange read alike at a glance. */
const FAMILY: readonly number[] = [0, 1, 2, 1, 3, 0];

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const cache = new Map<string, Map<string, string>>();

/** Colour of every model of a set (order of allModels does not matter). */
export function modelColors(allModels: readonly string[]): Map<string, string> {
  const set = [...new Set(allModels)].sort();
  const key = set.join('\u0000');
  const hit = cache.get(key);
  if (hit) return hit;
  const out = new Map<string, string>();
  const P = MODEL_PALETTE.length;
  if (set.length <= P) {
    const taken = new Set<number>();
    const families = new Set<number>();
    for (const m of set) {
      const start = fnv1a(m) % P;
      // The first free slot from the preferred one, skipping colours of a family already in use
      // (two blues, two oranges) while another family is still free.
      let pick = -1;
      let fallback = -1;
      for (let k = 0; k < P; k++) {
        const slot = (start + k) % P;
        if (taken.has(slot)) continue;
        if (fallback < 0) fallback = slot;
        if (!families.has(FAMILY[slot]!)) {
          pick = slot;
          break;
        }
      }
      const slot = pick >= 0 ? pick : fallback;
      taken.add(slot);
      families.add(FAMILY[slot]!);
      out.set(m, MODEL_PALETTE[slot]!);
    }
  } else {
    // More models than safe colours: sorted order through all eight, repeating past them.
    const all = [...MODEL_PALETTE, ...OVERFLOW];
    set.forEach((m, i) => out.set(m, all[i % all.length]!));
  }
  if (cache.size > 64) cache.clear();
  cache.set(key, out);
  return out;
}

/** The colour of one model spec among allModels (the models the app shows); the one function every plot uses. */
export function modelColor(spec: string, allModels: readonly string[]): string {
  return modelColors([...allModels, spec]).get(spec)!;
}

/** A vega-lite colour scale (domain: the models shown, in the given order; range: their colours). */
export function modelColorScale(shown: readonly string[], allModels: readonly string[] = shown): { domain: string[]; range: string[] } {
  const colors = modelColors([...allModels, ...shown]);
  return { domain: [...shown], range: shown.map((m) => colors.get(m)!) };
}

// What the workbench downloads and parses: the renderer's main bundle carries no zod (the renderer
// takes constants from zod-free shared modules; validation happens on the host), and the lazy plot
// chunk carries none of vega's geographic projections, Delaunay/Voronoi, force layout, word cloud
// or treemaps, which the plots never use (vegaLean.js). Sizes are measured in `npm run bench`'s
// terms elsewhere; here only what is in the files.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const ASSETS = join(ROOT, 'out/renderer/assets');
const chunk = (prefix: string): string => {
  const f = readdirSync(ASSETS).find((n) => n.startsWith(prefix) && n.endsWith('.js'));
  if (!f) throw new Error(`no ${prefix}*.js in out/renderer/assets`);
  return readFileSync(join(ASSETS, f), 'utf8');
};

beforeAll(() => {
  // npm test builds before the suites; a lone run of this file builds first.
  if (!existsSync(ASSETS))
    expect(spawnSync(join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: ROOT, stdio: 'ignore' }).status).toBe(0);
}, 120_000);

describe('the built renderer', () => {
  it('has no zod in its main bundle', () => {
    const main = chunk('index-');
    expect(main.length).toBeGreaterThan(100_000); // it is the app
    expect(main).toContain('casebench');
    expect(main.match(/_zod|\$ZodType|ZodError/g)).toBeNull();
  });
  it("has none of vega's map, Voronoi, force, word-cloud or treemap code in the lazy plot chunk, and still the renderer it needs", () => {
    const plots = chunk('embed-');
    for (const marker of ['albersusa', 'naturalEarth1', 'stereographic', 'delaunay', 'circumcenter', 'Wordcloud', 'Treemap'])
      expect(plots, marker).not.toContain(marker);
    // what the plots do use is there: the SVG and canvas renderers and vega-lite's compiler
    for (const marker of ['SVGRenderer', 'CanvasRenderer', 'vega-lite']) expect(plots, marker).toMatch(new RegExp(marker, 'i'));
  });
});

#!/usr/bin/env node
// Rewrites deep relative imports to the path aliases of package.json "imports" (#core/…,
// #shared/…, #renderer/…, …): any relative specifier that climbs two or more folders (`../../x`),
// or that leaves its own layer for another (src/core/a.ts → '../shared/b.ts'), becomes the alias
// of the folder it lands in. Imports within a layer that climb at most one folder stay relative.
//
//   node scripts/codemod-aliases.mjs           rewrite the tree, print what changed
//   node scripts/codemod-aliases.mjs --check   change nothing; exit 1 if anything would change
//
// It reads the aliases from package.json, so adding an alias there is all it takes. Only module
// specifiers are touched (import/export … from, side-effect imports, import(), typeof import());
// file paths built with new URL('../…', import.meta.url) are data, not imports, and stay.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// "#core/*": "./src/core/*" → { alias: '#core/', dir: '<root>/src/core/' }; longest folder first,
// so src/renderer/src/x matches #renderer before any shorter folder would.
const aliases = Object.entries(pkg.imports ?? {})
  .filter(([k, v]) => k.endsWith('/*') && typeof v === 'string' && v.endsWith('/*'))
  .map(([k, v]) => ({ alias: k.slice(0, -1), dir: resolve(root, v.slice(0, -1)) + sep }))
  .sort((a, b) => b.dir.length - a.dir.length);
if (aliases.length === 0) {
  console.error('codemod-aliases: package.json has no "imports" aliases of the form "#name/*": "./folder/*"');
  process.exit(2);
}
const aliasOf = (file) => aliases.find((a) => file.startsWith(a.dir));

const SKIP = new Set(['node_modules', 'out', 'dist', 'test-results', '.git', 'fixtures', 'public']);
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name) || name.startsWith('.')) return [];
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(ts|tsx|mts|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });

// A module specifier in quotes after `from`, a bare `import`, `import(` or `typeof import(`.
const SPEC = /(\bfrom\s*|^\s*import\s*|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]*)\2/gm;

let changedFiles = 0;
let changedSpecs = 0;
for (const file of ['src', 'test', 'bench', 'scripts'].flatMap((d) => files(join(root, d)))) {
  const text = readFileSync(file, 'utf8');
  const own = aliasOf(file);
  let n = 0;
  const next = text.replace(SPEC, (whole, lead, q, spec) => {
    const deep = /^(\.\.\/){2,}/.test(spec);
    const target = resolve(dirname(file), spec);
    const to = aliasOf(target);
    if (!to) return whole;
    if (!deep && to === own) return whole;
    if (!deep && !spec.startsWith('../')) return whole;
    n++;
    return `${lead}${q}${to.alias}${relative(to.dir, target).split(sep).join('/')}${q}`;
  });
  if (n === 0) continue;
  changedFiles++;
  changedSpecs += n;
  if (check) console.log(`${relative(root, file)}: ${n}`);
  else writeFileSync(file, next);
}
console.log(
  `${check ? 'would rewrite' : 'rewrote'} ${changedSpecs} import${changedSpecs === 1 ? '' : 's'} in ${changedFiles} file${changedFiles === 1 ? '' : 's'}`,
);
if (check && changedSpecs > 0) process.exit(1);

// Builds the command line to plain JavaScript in out/cli/ (entry main.js, the trace importer's
// worker importWorker.js, one chunk per command), so an installed package runs on any Node ≥ 22.13
// without type stripping (Node will not strip types inside node_modules). All files sit in one
// folder two levels under the package, as src/core/*.ts do, so paths relative to a module (the
// package root in resources.ts, the importer's worker) hold alike in the sources and the build. Dependencies stay
// external: npm installs them beside the package. bin/casebench.mjs runs this build when the
// TypeScript sources are absent (an installed package) and the sources otherwise (a checkout).
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const deps = Object.keys(pkg.dependencies ?? {});
const external = (id) => id.startsWith('node:') || builtinModules.includes(id) || deps.some((d) => id === d || id.startsWith(`${d}/`));

await build({
  root,
  configFile: false,
  logLevel: process.argv.includes('--quiet') ? 'warn' : 'info',
  build: {
    ssr: true,
    target: 'node22',
    outDir: resolve(root, 'out/cli'),
    emptyOutDir: true,
    minify: false,
    sourcemap: false,
    rolldownOptions: {
      input: { main: resolve(root, 'src/cli/main.ts'), importWorker: resolve(root, 'src/core/traces/importWorker.ts') },
      external,
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});

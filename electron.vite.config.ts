// Three builds into out/: main (ESM, Node), preload (CommonJS, because sandboxed preloads cannot
// be ES modules and may require only `electron`), renderer (React, browser).
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;
const nodeBuiltins = [/^node:/, ...builtinModules];

export default defineConfig({
  main: {
    build: {
      // keytar is a native module (loaded from node_modules at run time); other dependencies too.
      externalizeDeps: { include: ['keytar'] },
      // The trace importer reads big files on a worker thread: its module is an entry of its own.
      lib: {
        entry: { index: resolve(root, 'src/main/index.ts'), importWorker: resolve(root, 'src/core/traces/importWorker.ts') },
        formats: ['es'],
      },
      rolldownOptions: {
        external: ['electron', 'keytar', ...nodeBuiltins],
        output: { entryFileNames: '[name].js' },
      },
      outDir: resolve(root, 'out/main'),
    },
  },
  preload: {
    build: {
      // Bundle everything into one file: a sandboxed preload can require nothing but `electron`.
      externalizeDeps: false,
      lib: { entry: resolve(root, 'src/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: {
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
      outDir: resolve(root, 'out/preload'),
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react()],
    // vega-embed imports all of `vega`; the plots need a fraction of it (see vegaLean.js).
    resolve: { alias: [{ find: /^vega$/, replacement: resolve(root, 'src/renderer/src/features/plots/vegaLean.js') }] },
    build: {
      // Minified: the workbench's cold start is mostly parsing this bundle.
      minify: true,
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: resolve(root, 'src/renderer/index.html') },
    },
  },
});

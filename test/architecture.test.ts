// The layering of docs/architecture.md is enforced by the compiler (tsconfig.node/web/shared.json:
// each side sees only its own files and globals) and the linter (biome.json's noRestrictedImports
// per folder). These tests prove both guards bite: a file that breaks a rule is rejected. What
// neither can express stays here: the preload takes only *types* from src/shared.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const files = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).flatMap((f) => {
    const p = join(dir, f);
    return statSync(join(ROOT, p)).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(f) ? [p] : [];
  });
const imports = (file: string): Array<{ spec: string; typeOnly: boolean }> => {
  const src = readFileSync(join(ROOT, file), 'utf8');
  const out: Array<{ spec: string; typeOnly: boolean }> = [];
  for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm))
    out.push({ spec: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of src.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push({ spec: m[1]!, typeOnly: false });
  for (const m of src.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
};
// package.json "imports" aliases (#shared/x.ts → src/shared/x.ts), as Node and the bundlers read them.
const ALIASES = Object.entries(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports as Record<string, string>);
const target = (file: string, spec: string): string => {
  if (spec.startsWith('.')) return relative(ROOT, resolve(ROOT, file, '..', spec));
  const alias = ALIASES.find(([k]) => spec.startsWith(k.slice(0, -1)));
  return alias ? relative(ROOT, resolve(ROOT, alias[1].slice(0, -1) + spec.slice(alias[0].length - 1))) : spec;
};
const violations = (dir: string, bad: (to: string, typeOnly: boolean) => boolean): string[] =>
  files(dir).flatMap((f) =>
    imports(f)
      .filter((i) => bad(target(f, i.spec), i.typeOnly))
      .map((i) => `${f} → ${i.spec}`),
  );

describe('architecture boundaries', () => {
  // A scratch project laid out like this one (src/core, src/shared, src/renderer/src), checked with
  // the project's own compiler and linter settings.
  const scratch = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'casebench-layers-'));
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    return dir;
  };
  const tsc = (dir: string, side: 'node' | 'web' | 'shared', include: string[]): string => {
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(ROOT, `tsconfig.${side}.json`),
        compilerOptions: { tsBuildInfoFile: join(dir, 'tsbuildinfo'), typeRoots: [join(ROOT, 'node_modules/@types')] },
        include,
      }),
    );
    const r = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    return r.stdout + r.stderr;
  };
  const lint = (dir: string): { status: number | null; out: string } => {
    const config = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8'));
    delete config.$schema;
    config.vcs = { enabled: false };
    config.files = { includes: ['src/**'] };
    writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
    const r = spawnSync(join(ROOT, 'node_modules/.bin/biome'), ['lint', '--reporter=github', '--max-diagnostics=none', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    return { status: r.status, out: r.stdout + r.stderr };
  };

  it('the linter rejects every import across a layer line, and accepts the allowed ones', () => {
    const dir = scratch({
      'src/core/a.ts':
        "import { app } from 'electron';\nimport { useState } from 'react';\nimport { x } from '../main/paths.ts';\nexport const a = [app, useState, x];\n",
      'src/core/ok.ts':
        "import { TASK_IDS } from '../shared/tasks.ts';\nimport { readFileSync } from 'node:fs';\nexport const ok = [TASK_IDS, readFileSync];\n",
      'src/shared/b.ts':
        "import { x } from '../core/random.ts';\nimport { y } from '#core/models.ts';\nimport { readFileSync } from 'node:fs';\nexport const b = [x, y, readFileSync];\n",
      'src/renderer/src/c.ts':
        "import { x } from '../../core/random.ts';\nimport { join } from 'node:path';\nimport Groq from 'groq-sdk';\nexport const c = [x, join, Groq];\n",
      'src/renderer/src/ok.ts': "import { TASK_IDS } from '../../shared/tasks.ts';\nexport const ok = TASK_IDS;\n",
    });
    try {
      const { status, out } = lint(dir);
      expect(status).not.toBe(0);
      const hits = out
        .split('\n')
        .filter((l) => l.includes('noRestrictedImports'))
        .map((l) => `${/file=[^,]*?(src\/[^,]+)/.exec(l)?.[1]}:${/line=(\d+)/.exec(l)?.[1]}`);
      expect(hits.sort()).toEqual([
        'src/core/a.ts:1',
        'src/core/a.ts:2',
        'src/core/a.ts:3',
        'src/renderer/src/c.ts:1',
        'src/renderer/src/c.ts:2',
        'src/renderer/src/c.ts:3',
        'src/shared/b.ts:1',
        'src/shared/b.ts:2',
        'src/shared/b.ts:3',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('the compiler keeps Node and the DOM out of src/shared, Node and the core out of the renderer, the renderer out of the core', () => {
    const dir = scratch({
      'src/shared/s.ts': "import { readFileSync } from 'node:fs';\nexport const s = [readFileSync, document.title, process.pid];\n",
      'src/core/random.ts': 'export const x = 1;\n',
      'src/renderer/src/r.ts': "import { x } from '../../core/random.ts';\nexport const r = [x, process.pid, Buffer.from('')];\n",
      'src/core/n.ts': "import { r } from '../renderer/src/r.ts';\nexport const n = [r, window.name];\n",
    });
    try {
      const shared = tsc(dir, 'shared', ['src/shared']);
      expect(shared).toMatch(/s\.ts\(1,\d+\): error TS2591: Cannot find name 'node:fs'/);
      expect(shared).toMatch(/s\.ts\(2,\d+\): error TS2584: Cannot find name 'document'/);
      expect(shared).toMatch(/s\.ts\(2,\d+\): error TS25(80|91): Cannot find name 'process'/);
      const web = tsc(dir, 'web', ['src/renderer/src', 'src/shared/never']);
      expect(web).toMatch(/r\.ts\(1,\d+\): error TS6307: File '.*core\/random\.ts' is not listed/);
      expect(web).toMatch(/r\.ts\(2,\d+\): error TS25(80|91): Cannot find name 'process'/);
      expect(web).toMatch(/r\.ts\(2,\d+\): error TS25(80|91): Cannot find name 'Buffer'/);
      const node = tsc(dir, 'node', ['src/core']);
      expect(node).toMatch(/n\.ts\(1,\d+\): error TS6307: File '.*renderer\/src\/r\.ts' is not listed/);
      expect(node).toMatch(/n\.ts\(2,\d+\): error TS2304: Cannot find name 'window'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('src/preload imports only electron and shared types', () => {
    expect(violations('src/preload', (to, typeOnly) => !(to === 'electron' || (typeOnly && to.startsWith('src/shared/'))))).toEqual([]);
  });
  it('core and server code take configuration from their host, never from process.env or argv', () => {
    const offenders = [...files('src/core'), ...files('src/server'), ...files('src/shared')]
      .filter((f) => !f.endsWith('.test.ts'))
      .filter((f) => /\bprocess\.(env|argv)\b/.test(readFileSync(join(ROOT, f), 'utf8').replace(/\/\/.*$/gm, '')));
    expect(offenders).toEqual([]);
  });
  it('inside the core, the store and the ticket files import no feature, use case or handler above them', () => {
    const above = /^src\/core\/(app|handlers|live|shadow|experiments|review|traces|spend|settings)(\/|\.ts$)/;
    const low = [...files('src/core/store'), ...files('src/core/tickets')].filter((f) => !f.endsWith('.test.ts'));
    expect(
      low.flatMap((f) =>
        imports(f)
          .filter((i) => above.test(target(f, i.spec)))
          .map((i) => `${f} → ${i.spec}`),
      ),
    ).toEqual([]);
  });
  it('use cases (core/live) and handlers (core/handlers) are reached only from the composition (app.ts) and features', () => {
    const callers = files('src/core').filter((f) => !f.endsWith('.test.ts') && !/^src\/core\/(app\.ts|live\/|handlers\/|shadow\/)/.test(f));
    expect(
      callers.flatMap((f) =>
        imports(f)
          .filter((i) => /^src\/core\/(live|handlers)\//.test(target(f, i.spec)))
          .map((i) => `${f} → ${i.spec}`),
      ),
    ).toEqual([]);
  });
  it('the renderer has no import cycles: each feature contributes its commands and side-bar view to the app, never importing it back', () => {
    const graph = new Map(
      files('src/renderer')
        .filter((f) => !/\.test\.tsx?$/.test(f))
        .map((f) => [
          f,
          imports(f)
            .filter((i) => !i.typeOnly)
            .map((i) => target(f, i.spec))
            .filter((t) => t.startsWith('src/')),
        ]),
    );
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const to of graph.get(f) ?? []) visit(to, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });
  it('finds imports at all (the checks above are not vacuous)', () => {
    expect(imports('src/core/runtime.ts').length).toBeGreaterThan(10);
    expect(imports('src/preload/index.ts').length).toBeGreaterThan(0);
    expect(violations('src/cli', (to) => to.startsWith('src/core/'))).not.toEqual([]);
  });
});

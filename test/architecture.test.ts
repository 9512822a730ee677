// The layering of docs/architecture.md, checked rather than remembered: the core runs under plain
// Node (no Electron, no React), the renderer never touches Node or the core, and the preload
// reaches nothing but electron and shared types.
import { readFileSync, readdirSync, statSync } from 'node:fs';
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
  for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) out.push({ spec: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of src.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push({ spec: m[1]!, typeOnly: false });
  for (const m of src.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
};
const target = (file: string, spec: string): string => (spec.startsWith('.') ? relative(ROOT, resolve(ROOT, file, '..', spec)) : spec);
const violations = (dir: string, bad: (to: string, typeOnly: boolean) => boolean): string[] =>
  files(dir).flatMap((f) => imports(f).filter((i) => bad(target(f, i.spec), i.typeOnly)).map((i) => `${f} → ${i.spec}`));

describe('architecture boundaries', () => {
  it('src/core imports neither electron nor react nor any host', () => {
    expect(violations('src/core', (to) => /^(electron|react|react-dom|zustand)(\/|$)/.test(to) || /^src\/(main|renderer|preload|cli|server)\//.test(to))).toEqual([]);
  });
  it('src/renderer imports no Node module, no core, no host code', () => {
    expect(violations('src/renderer', (to) => /^node:/.test(to) || /^(fs|path|child_process|electron|keytar|groq-sdk|openai)(\/|$)/.test(to) || /^src\/(core|main|preload|cli|server)\//.test(to))).toEqual([]);
  });
  it('src/preload imports only electron and shared types', () => {
    expect(violations('src/preload', (to, typeOnly) => !(to === 'electron' || (typeOnly && to.startsWith('src/shared/'))))).toEqual([]);
  });
  it('src/shared holds no host or core code', () => {
    expect(violations('src/shared', (to) => /^node:/.test(to) || /^src\/(core|main|renderer|preload|cli|server)\//.test(to) || /^(electron|react)(\/|$)/.test(to))).toEqual([]);
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
    expect(low.flatMap((f) => imports(f).filter((i) => above.test(target(f, i.spec))).map((i) => `${f} → ${i.spec}`))).toEqual([]);
  });
  it('use cases (core/live) and handlers (core/handlers) are reached only from the composition (app.ts) and features', () => {
    const callers = files('src/core').filter((f) => !f.endsWith('.test.ts') && !/^src\/core\/(app\.ts|live\/|handlers\/|shadow\/)/.test(f));
    expect(callers.flatMap((f) => imports(f).filter((i) => /^src\/core\/(live|handlers)\//.test(target(f, i.spec))).map((i) => `${f} → ${i.spec}`))).toEqual([]);
  });
  it('the renderer has no import cycles: each feature contributes its commands and side-bar view to the app, never importing it back', () => {
    const graph = new Map(files('src/renderer').filter((f) => !/\.test\.tsx?$/.test(f)).map((f) => [f, imports(f).filter((i) => !i.typeOnly && i.spec.startsWith('.')).map((i) => target(f, i.spec))]));
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
    expect(violations('src/cli', (to) => to.startsWith('src/core/'))).not.toEqual([]);
  });
});

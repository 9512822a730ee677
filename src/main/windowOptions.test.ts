import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostPaths } from './paths.ts';
import { CSP, windowOptions } from './windowOptions.ts';

describe('windowOptions', () => {
  it('turns on every Electron security default', () => {
    const o = windowOptions('/app/out/preload/index.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });
});

describe('CSP', () => {
  it('allows only the app itself to run scripts and connect', () => {
    expect(CSP).toContain("default-src 'self'");
    expect(CSP).toContain("script-src 'self';");
    expect(CSP).toContain("connect-src 'self'");
    expect(CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|\*/);
  });
  it('is the same policy as the meta tag in index.html', () => {
    const html = readFileSync(new URL('../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CSP);
  });
});

describe('hostPaths', () => {
  it('keeps the database in user data and finds resources by packaging', () => {
    const base = { userData: '/home/u/.config/casebench', appPath: '/repo', resourcesPath: '/opt/cb/resources' };
    expect(hostPaths({ ...base, isPackaged: false })).toEqual({
      dbPath: '/home/u/.config/casebench/casebench.db',
      resourcesDir: '/repo/resources',
    });
    expect(hostPaths({ ...base, isPackaged: true }).resourcesDir).toBe('/opt/cb/resources');
  });
});

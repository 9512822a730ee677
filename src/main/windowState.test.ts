import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, readBounds, writeBounds } from './windowState.ts';

describe('window bounds', () => {
  it('come back as they were saved', () => {
    const f = join(mkdtempSync(join(tmpdir(), 'cb-win-')), 'window.json');
    writeBounds(f, { x: 40, y: 30, width: 1500, height: 900, maximized: true });
    expect(readBounds(f)).toEqual({ x: 40, y: 30, width: 1500, height: 900, maximized: true });
  });
  it('fall back to the defaults when missing, broken or too small', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-win-'));
    expect(readBounds(join(dir, 'none.json'))).toEqual(DEFAULT_BOUNDS);
    writeFileSync(join(dir, 'bad.json'), '{nope');
    expect(readBounds(join(dir, 'bad.json'))).toEqual(DEFAULT_BOUNDS);
    writeFileSync(join(dir, 'tiny.json'), JSON.stringify({ width: 10, height: 10 }));
    expect(readBounds(join(dir, 'tiny.json'))).toEqual(DEFAULT_BOUNDS);
  });
});

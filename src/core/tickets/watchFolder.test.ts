// The watched folder seen by two processes on one workspace (two windows, or serve beside the
// desktop app): each dropped file is imported once, by whichever claims it first; a file that
// changes afterwards is imported again, once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/store.ts';
import { claimWatchedFile, markWatchedFile, watchFolder, watchedFileSeen, type FolderWatch } from './watchFolder.ts';

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

function watcher(store: Store, dir: string, imported: string[], who: string): FolderWatch {
  const w = watchFolder(dir, {
    isSeen: (f) => watchedFileSeen(store, f),
    claim: (f) => claimWatchedFile(store, f),
    markSeen: (f, runId) => markWatchedFile(store, f, runId),
    onError: (m) => {
      throw new Error(m);
    },
    // an import takes a while: the other process scans in the meantime
    onFile: async (f) => {
      imported.push(`${who}:${f.name}`);
      await new Promise((r) => setTimeout(r, 30));
      return `run-${who}`;
    },
    pollMs: 60_000,
  });
  open.push(w);
  return w;
}

describe('watched folder, two processes on one workspace', () => {
  it('imports each file once, and a changed file once more', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-watch-'));
    const folder = mkdtempSync(join(tmpdir(), 'cb-watched-'));
    const db = join(dir, 'cb.db');
    const a = openStore(db);
    const b = openStore(db);
    open.push(a, b);
    const imported: string[] = [];
    const wa = watcher(a, folder, imported, 'a');
    const wb = watcher(b, folder, imported, 'b');
    const both = async (): Promise<void> => {
      // a file is taken once it looked the same on two scans in a row
      for (let i = 0; i < 2; i++) await Promise.all([wa.scan(), wb.scan()]);
    };

    writeFileSync(join(folder, 'T-1.txt'), 'Our EKS cluster prod-1 in account 123456789012 returns 503 since 10:00.');
    writeFileSync(join(folder, 'tickets.jsonl'), '{"id":"J1","text":"GKE cluster down in project acme-42"}\n');
    await both();
    await both();
    expect(imported.map((x) => x.slice(2)).sort()).toEqual(['T-1.txt', 'tickets.jsonl']);

    // the same name with new content: imported again, still once
    writeFileSync(
      join(folder, 'tickets.jsonl'),
      '{"id":"J2","text":"Azure VM vm-7 will not boot"}\n{"id":"J3","text":"S3 bucket logs denies"}\n',
    );
    await both();
    await both();
    expect(imported.filter((x) => x.endsWith('tickets.jsonl'))).toHaveLength(2);
    expect(imported).toHaveLength(3);
  });
});

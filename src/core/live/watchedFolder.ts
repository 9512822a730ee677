// The watched folder as a use case: each new file in it becomes tickets in a batch of the intake
// (a .txt file is one ticket; a large one waits for the go-ahead), each file taken once, and what
// happened said in a notice. `apply` (re)reads the folder setting; a folder that cannot be watched
// is a warning and `error()` says why.
import type { TicketInput } from '#shared/results.ts';
import type { Store } from '../store/store.ts';
import {
  checkFolder,
  claimWatchedFile,
  markWatchedFile,
  readTxtTicket,
  watchFolder,
  watchedFileSeen,
  type FolderWatch,
} from '../tickets/watchFolder.ts';
import type { Intake } from './intake.ts';

export interface WatchedFolderDeps {
  store: Store;
  intake: Intake;
  /** The folder the settings name, or null. */
  folder(): string | null;
  notice(level: 'info' | 'warn' | 'error', message: string): void;
  /** Whether one ticket waits for the go-ahead (its estimate is over the ask-first threshold). */
  holdOne(ticket: TicketInput): boolean;
}

export interface WatchedFolder {
  apply(): Promise<void>;
  error(): string | null;
  close(): void;
}

export function createWatchedFolder(d: WatchedFolderDeps): WatchedFolder {
  const { store, intake, notice } = d;
  let watcher: FolderWatch | null = null;
  let watchError: string | null = null;
  const apply = async (): Promise<void> => {
    watcher?.close();
    watcher = null;
    watchError = null;
    const dir = d.folder();
    if (!dir) return;
    try {
      await checkFolder(dir);
    } catch (e) {
      watchError = (e as Error).message;
      notice('warn', watchError);
      return;
    }
    watcher = watchFolder(dir, {
      isSeen: (f) => watchedFileSeen(store, f),
      claim: (f) => claimWatchedFile(store, f),
      markSeen: (f, runId) => markWatchedFile(store, f, runId),
      onError: (m) => notice('warn', m),
      onFile: async (f) => {
        if (f.name.toLowerCase().endsWith('.txt')) {
          const t = await readTxtTicket(f);
          store.upsertTicket(t, `watch: ${f.name}`);
          const hold = d.holdOne(t);
          const runId = intake.enqueue(`watch: ${f.name}`, [{ ticket: t }], { source: f.path, intake: 'watch' }, { hold });
          notice(
            hold ? 'warn' : 'info',
            `Watched folder: ${f.name} → 1 ticket${hold ? ' — large: waiting for your go-ahead (see the batch bar)' : ''}`,
          );
          return runId;
        }
        const rep = await intake.importFile(f.path, `watch: ${f.name}`);
        notice(
          rep.badLines.length || rep.batch?.state === 'confirm' ? 'warn' : 'info',
          `Watched folder: ${f.name} → ${rep.added} tickets${rep.badLines.length ? `, ${rep.badLines.length} bad lines` : ''}${rep.batch?.state === 'confirm' ? ' — waiting for your go-ahead (see the batch bar)' : ''}`,
        );
        return rep.runId;
      },
    });
  };
  return {
    apply,
    error: () => watchError,
    close: () => watcher?.close(),
  };
}

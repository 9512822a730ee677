// `casebench import FILE…`: trace files from LangSmith, Langfuse, OpenTelemetry (GenAI /
// OpenInference), promptfoo or casebench itself into the workspace, offline (no key, no network).
// Each file is one transaction; what could not be read is listed as file:line (or JSON path): reason.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { importTraceFile, type ImportProgress, type ImportReport } from '#core/traces/importer.ts';
import { openStore } from '#core/store/store.ts';
import { learnStoredKeys } from '../secrets.ts';
import { onStop } from '../stop.ts';
import { stdinToTempFile } from '../input.ts';
import { describeFault } from '../faults.ts';

const plural = (n: number, w: string): string => `${n.toLocaleString('en-US')} ${w}${n === 1 ? '' : 's'}`;

/** One self-overwriting status line on a terminal's stderr (nothing when stderr is not a terminal). */
function progressLine(tty: boolean): { show: (name: string, p: ImportProgress) => void; clear: () => void } {
  let shown = false;
  let last = 0;
  const clear = (): void => {
    if (shown) process.stderr.write('\r\x1b[K');
    shown = false;
  };
  return {
    clear,
    show(name, p) {
      const now = Date.now();
      if (!tty || now - last < 100) return;
      last = now;
      const pct = p.bytes > 0 ? Math.min(100, Math.floor((p.bytesRead / p.bytes) * 100)) : 100;
      const mb = (b: number): string => (b / 1048576).toFixed(0);
      process.stderr.write(
        `\r\x1b[K${name}: ${pct}% (${mb(p.bytesRead)} of ${mb(p.bytes)} MB) · ${plural(p.calls, 'call')}${p.skipped ? ` · ${plural(p.skipped, 'record')} skipped` : ''}`,
      );
      shown = true;
    },
  };
}

function summaryLine(r: ImportReport): string {
  if (r.alreadyImported)
    return `${r.file.name}: already imported as run ${r.alreadyImported} (same content); nothing to do (--again imports it once more)`;
  const runs = r.runIds.length ? ` → run ${r.runIds.join(', ')}` : '';
  return `${r.file.name}: ${plural(r.calls, 'call')}, ${plural(r.tickets, 'ticket')}, ${plural(r.results, 'result')} from ${r.file.label}${runs}; ${plural(r.skipped, 'record')} skipped`;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import trace files (LangSmith, Langfuse, OTLP/OpenInference, promptfoo, casebench JSONL); the format is read from the content; needs no key and no network',
    )
    .argument('<files...>', 'trace files (JSON, JSONL or Langfuse CSV); - reads standard input')
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--again', 'import a file even if the same content was imported before')
    .option('--json', 'print one JSON summary per file on stdout')
    .action(async (files: string[], o: { db: string; again?: boolean; json?: boolean }) => {
      const store = openStore(o.db, { scrubber: await learnStoredKeys() });
      const ac = new AbortController();
      const offStop = onStop((why) => {
        if (why !== 'EPIPE')
          process.stderr.write('\ncasebench import: stopping; the file being imported is rolled back (Ctrl-C again to quit now)\n');
        ac.abort();
      });
      let failed = 0;
      let worst = 0;
      const line = progressLine(Boolean(process.stderr.isTTY));
      // --json: one line per file on stdout, whatever became of it, so a script sees every file
      const failure = (f: string, code: string, message: string): void => {
        if (o.json)
          process.stdout.write(
            `${JSON.stringify({ ok: false, file: { path: resolve(f), name: f.split(/[\\/]/).pop() ?? f }, error: { code, message }, calls: 0, tickets: 0, results: 0, skipped: 0 })}\n`,
          );
      };
      try {
        for (const [i, f] of files.entries()) {
          if (ac.signal.aborted) {
            for (const rest of files.slice(i)) failure(rest, 'CANCELLED', 'not imported: the import was interrupted before this file');
            break;
          }
          let stdin: { path: string; cleanup: () => void } | null = null;
          try {
            if (f === '-') stdin = await stdinToTempFile('import -');
            const name = stdin ? 'stdin' : (f.split(/[\\/]/).pop() ?? f);
            const r = await importTraceFile(store, stdin ? stdin.path : resolve(f), {
              signal: ac.signal,
              again: o.again,
              onIssue: (i) => {
                line.clear();
                process.stderr.write(`${i.where}: ${i.message}; skipped\n`);
              },
              onProgress: (p) => line.show(name, p),
            }).finally(line.clear);
            for (const n of r.notes) process.stderr.write(`casebench import: ${r.file.name}: ${n}\n`);
            if (o.json) {
              const { issues, ...rest } = r;
              process.stdout.write(`${JSON.stringify({ ok: true, ...rest, issues: issues.slice(0, 100) })}\n`);
            } else process.stdout.write(`${summaryLine(r)}\n`);
          } catch (e) {
            if (e instanceof AppError && e.code === 'CANCELLED') {
              process.stderr.write(`casebench import: ${f} not imported (interrupted; nothing of it was written)\n`);
              failure(f, 'CANCELLED', `not imported (interrupted; nothing of it was written)`);
              for (const rest of files.slice(i + 1))
                failure(rest, 'CANCELLED', 'not imported: the import was interrupted before this file');
              break;
            }
            // One file's failure is reported and the next files are still imported; only a
            // full disk stops them all (nothing more can be written).
            const fault = describeFault(e);
            failed++;
            worst = Math.max(worst, fault ? fault.exit : 1);
            const message = fault ? fault.message : `${f}: internal error: ${(e as Error)?.message ?? String(e)}`;
            process.stderr.write(`casebench: ${message}\n`);
            failure(f, e instanceof AppError ? e.code : 'INTERNAL', message);
            if (fault?.message.startsWith('disk full')) {
              for (const rest of files.slice(i + 1)) failure(rest, 'STORAGE', 'not imported: the disk is full');
              break;
            }
          } finally {
            stdin?.cleanup();
          }
        }
      } finally {
        offStop();
        store.close();
      }
      if (ac.signal.aborted) process.exitCode = 130;
      else if (failed) process.exitCode = worst;
    });
}

// Every exit status of the command line, in one place: the constants the commands set and the
// text `casebench --help` prints. Kept free of imports so main loads it for every command.

/** Done (tickets with failed calls count as processed, as the contract says). */
export const EXIT_OK = 0;
/** A fault of the machine or the workspace, or an internal error. */
export const EXIT_FAILURE = 1;
/** Usage: a bad flag or value, an input that cannot be used. */
export const EXIT_USAGE = 2;
/** Stopped by the workspace's daily spend limit; finished results are kept. */
export const EXIT_SPEND_LIMIT = 3;
/** With --strict: done, but at least one task failed (or was skipped because its dependency failed). */
export const EXIT_TASKS_FAILED = 4;
/** 128 + the signal, as shells report: Ctrl-C, a closed stdout (SIGPIPE), SIGTERM. */
export const EXIT_SIGINT = 130;
export const EXIT_SIGPIPE = 141;
export const EXIT_SIGTERM = 143;

/** The exit statuses, printed by --help. */
export const EXIT_CODES_HELP = `
Exit status:
  0    done (a ticket with failed calls still counts as processed)
  1    failed: a fault of the machine or the workspace (disk full, damaged or locked database,
       I/O error) or an internal error; the message says which
  2    usage: a bad flag or value, an unknown command, a missing, unreadable or folder input,
       input over a size limit, a file that is not a casebench database
  3    stopped by the workspace's daily spend limit (finished results are kept: run the same
       command again once the limit is raised or the local day turns; casebench spend)
  4    with --strict (triage, run, experiment): everything ran, but some tasks failed or were
       skipped because a task they depend on failed (the results are kept; --retry-failed
       calls them again)
  130  stopped by Ctrl-C; 143 stopped by SIGTERM (finished results are kept: run the same
       command again to resume)
  141  stdout was closed by its reader (e.g. \`| head -1\`); stops quietly

Input: \`-\` as a file name reads standard input (triage --file -, run --tickets -, import -,
reviews import -, traces import -).
Output: \`--out -\` writes to standard output (export, report, run, reviews export, traces
export); a file is written whole or not at all, a device or pipe in place.`;

/** Whether a --strict command should end with EXIT_TASKS_FAILED: failed or skipped tasks exist. */
export function strictExit(strict: boolean | undefined, failedOrSkipped: number): number | undefined {
  return strict && failedOrSkipped > 0 ? EXIT_TASKS_FAILED : undefined;
}

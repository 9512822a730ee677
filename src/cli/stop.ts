// How the command line stops early, in one place: Ctrl-C (SIGINT), SIGTERM (a service manager,
// `kill`, a CI timeout) and a reader that went away (`casebench triage … | head -1`: EPIPE on
// stdout). All three stop the same clean way: a command that registered a handler aborts its
// work, keeps what finished and can be resumed; one that did not exits at once.
//
// Exit status: 130 after Ctrl-C, 143 after SIGTERM (128 + the signal, as shells report), 141
// after a closed stdout (128 + SIGPIPE, what `yes | head -1` reports) — quietly, no message.

import { EXIT_SIGINT, EXIT_SIGPIPE, EXIT_SIGTERM } from './exitCodes.ts';

export type StopReason = 'SIGINT' | 'SIGTERM' | 'EPIPE';

const EXIT: Record<StopReason, number> = { SIGINT: EXIT_SIGINT, SIGTERM: EXIT_SIGTERM, EPIPE: EXIT_SIGPIPE };

const handlers = new Set<(why: StopReason) => void>();
let reason: StopReason | null = null;
let stops = 0;
let installed = false;

/** The exit status for a stop. */
export function stopExitCode(why: StopReason): number {
  return EXIT[why];
}

/** Why the command was stopped early, if it was. */
export function stopReason(): StopReason | null {
  return reason;
}

/** True once stdout's reader has gone: write nothing more there. */
export function stdoutClosed(): boolean {
  return reason === 'EPIPE' || stdoutGone;
}
let stdoutGone = false;

/**
 * Registers what to do on a stop (abort the work; finished results are kept). A second Ctrl-C or
 * SIGTERM exits at once. Returns the function that unregisters it.
 */
export function onStop(fn: (why: StopReason) => void): () => void {
  handlers.add(fn);
  return () => void handlers.delete(fn);
}

function fire(why: StopReason): void {
  reason ??= why;
  if (why !== 'EPIPE') stops++;
  if (handlers.size === 0 || stops > 1) process.exit(stopExitCode(reason));
  for (const h of [...handlers]) h(why);
}

/** Installs the signal and stdout handlers once per process (main does this). */
export function installStopHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', () => fire('SIGINT'));
  process.on('SIGTERM', () => fire('SIGTERM'));
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (stdoutGone) return; // later writes to the closed pipe fail too; the first one counts
    stdoutGone = true;
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return fire('EPIPE');
    // stdout redirected to a full disk or a broken device: say so once, then stop like a closed pipe
    process.stderr.write(`casebench: cannot write to stdout (${e.code ?? e.message}); stopping\n`);
    process.exitCode = 1;
    fire('EPIPE');
  });
}

/** After the command returned: the status a stop calls for, unless the command set a failure of its own. */
export function finalExitCode(current: number | undefined): number | undefined {
  if (reason === null) return current;
  if (current !== undefined && current !== 0 && current !== 130) return current;
  return stopExitCode(reason);
}

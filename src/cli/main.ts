// The casebench command line (contracts §5). Builds the same core services the other hosts
// build, with configuration from flags and the environment passed in.
import { Command, CommanderError } from 'commander';
import { AppError } from '#shared/errors.ts';
import type { Command as CommandType } from 'commander';
import { guardOutput } from './secrets.ts';
import { finalExitCode, installStopHandlers } from './stop.ts';
import { describeFault } from './faults.ts';
import { packageVersion } from '#core/resources.ts';
import { EXIT_CODES_HELP, EXIT_FAILURE, EXIT_SIGPIPE, EXIT_USAGE } from './exitCodes.ts';
import { addExamples } from './examples.ts';

export { EXIT_CODES_HELP };

type Register = (program: CommandType) => void;

// One entry per command, loaded on demand: a command imports only what it needs (the SDKs, the
// report code, …), so `casebench report` does not pay for loading `serve`. Help loads them all.
const COMMANDS: Record<string, () => Promise<Register>> = {
  triage: async () => (await import('./commands/triage.ts')).registerTriage,
  run: async () => (await import('./commands/run.ts')).registerRun,
  experiment: async () => (await import('./commands/experiment.ts')).registerExperiment,
  report: async () => (await import('./commands/report.ts')).registerReport,
  import: async () => (await import('./commands/import.ts')).registerImport,
  export: async () => (await import('./commands/export.ts')).registerExport,
  reviews: async () => (await import('./commands/reviews.ts')).registerReviews,
  judge: async () => (await import('./commands/judge.ts')).registerJudge,
  traces: async () => (await import('./commands/traces.ts')).registerTraces,
  keys: async () => (await import('./commands/keys.ts')).registerKeys,
  shadow: async () => (await import('./commands/shadow.ts')).registerShadow,
  serve: async () => (await import('./commands/serve.ts')).registerServe,
  spend: async () => (await import('./commands/spend.ts')).registerSpend,
  privacy: async () => (await import('./commands/privacy.ts')).registerPrivacy,
  prompts: async () => (await import('./commands/prompts.ts')).registerPrompts,
};

/** Parses argv and runs the command; exits the process with the command's status. */
export async function main(argv: string[]): Promise<void> {
  guardOutput(); // no key the process knows reaches stdout or stderr
  const program = new Command()
    .name('casebench')
    .version(packageVersion(), '-V, --version', 'print the version')
    .description('Triage cloud-infrastructure support tickets with LLMs on Groq and OpenAI, and compare models per task.')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();
  installStopHandlers();
  try {
    const name = argv[2];
    const wanted = name !== undefined && Object.hasOwn(COMMANDS, name) ? [name] : Object.keys(COMMANDS);
    for (const register of await Promise.all(wanted.map((n) => COMMANDS[n]!()))) register(program);
    addExamples(program);
    await program.parseAsync(argv);
  } catch (e) {
    process.exitCode = reportError(e);
  }
  process.exitCode = finalExitCode(process.exitCode as number | undefined);
}

/** Prints a one-line reason and returns the exit status (see EXIT_CODES_HELP). */
export function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // commander already printed the message (or help)
    return e.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  // A reader that went away (`export --out - | head -1`): stop quietly, as a closed stdout does.
  if ((e as NodeJS.ErrnoException | null)?.code === 'EPIPE') return EXIT_SIGPIPE;
  const fault = describeFault(e);
  if (fault) {
    process.stderr.write(`casebench: ${fault.message}\n`);
    if (process.env.CASEBENCH_DEBUG && !(e instanceof AppError)) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    return fault.exit;
  }
  process.stderr.write(`casebench: internal error: ${(e as Error)?.message ?? String(e)}\n`);
  if (process.env.CASEBENCH_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
  return EXIT_FAILURE;
}

// The casebench command line (contracts §5). Builds the same core services the other hosts
// build, with configuration from flags and the environment passed in.
import { Command, CommanderError } from 'commander';
import { AppError } from '../shared/errors.ts';
import type { Command as CommandType } from 'commander';

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
  keys: async () => (await import('./commands/keys.ts')).registerKeys,
  serve: async () => (await import('./commands/serve.ts')).registerServe,
  spend: async () => (await import('./commands/spend.ts')).registerSpend,
};

/** Parses argv and runs the command; exits the process with the command's status. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('casebench')
    .description('Triage cloud-infrastructure support tickets with LLMs on Groq and OpenAI, and compare models per task.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  try {
    const name = argv[2];
    const wanted = name !== undefined && Object.hasOwn(COMMANDS, name) ? [name] : Object.keys(COMMANDS);
    for (const register of await Promise.all(wanted.map((n) => COMMANDS[n]!()))) register(program);
    await program.parseAsync(argv);
  } catch (e) {
    process.exitCode = reportError(e);
  }
}

/** Prints a one-line reason and returns the exit status. */
export function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // commander already printed the message (or help)
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof AppError) {
    process.stderr.write(`casebench: ${e.message}\n`);
    return 2;
  }
  process.stderr.write(`casebench: internal error: ${(e as Error)?.message ?? String(e)}\n`);
  if (process.env.CASEBENCH_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
  return 1;
}

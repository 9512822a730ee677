// The casebench command line (contracts §5). Builds the same core services the other hosts
// build, with configuration from flags and the environment passed in.
import { Command, CommanderError } from 'commander';
import { AppError } from '../shared/errors.ts';
import { registerTriage } from './commands/triage.ts';
import { registerRun } from './commands/run.ts';
import { registerKeys } from './commands/keys.ts';
import { registerServe } from './commands/serve.ts';
import { registerExperiment } from './commands/experiment.ts';
import { registerReport } from './commands/report.ts';
import { registerImport } from './commands/import.ts';
import { registerExport } from './commands/export.ts';
import { registerReviews } from './commands/reviews.ts';

/** Parses argv and runs the command; exits the process with the command's status. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('casebench')
    .description('Triage cloud-infrastructure support tickets with LLMs on Groq and OpenAI, and compare models per task.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerTriage(program);
  registerRun(program);
  registerKeys(program);
  registerServe(program);
  registerExperiment(program);
  registerReport(program);
  registerImport(program);
  registerExport(program);
  registerReviews(program);
  try {
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

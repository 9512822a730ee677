// `casebench serve`: the workbench in a browser tab, on loopback only, behind a per-start token.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { createCoreServices } from '#core/app.ts';
import { packageDir } from '#core/resources.ts';
import { listeningLine, startServer } from '#server/server.ts';
import { cliSecretStore, positiveInt } from '../context.ts';
import { onStop } from '../stop.ts';
import { describeFault } from '../faults.ts';

const port = (v: string): number => (v === '0' ? 0 : positiveInt(v));

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the workbench to a browser tab on 127.0.0.1 (the URL carries the access token)')
    .option('--port <n>', 'port (0 = any free port)', port, 0)
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--static <dir>', 'built renderer folder', join(packageDir(), 'out', 'renderer'))
    .action(async (o: { port: number; db: string; static: string }) => {
      if (!existsSync(join(o.static, 'index.html'))) {
        throw new AppError(
          'BAD_INPUT',
          `the workbench is not built (${join(o.static, 'index.html')} missing): run \`npm run build\` first`,
        );
      }
      const env = process.env;
      const core = await createCoreServices({
        dbPath: o.db,
        env,
        secretStore: cliSecretStore(),
        demoSpeed: env.CASEBENCH_DEMO_SPEED ? Number(env.CASEBENCH_DEMO_SPEED) : undefined,
      });
      const server = await startServer({ handlers: core, staticDir: o.static, port: o.port, intake: core.httpIntake });
      process.stdout.write(`${listeningLine(server.url)}\n`);
      if (core.interruptedRuns)
        process.stderr.write(
          `casebench: ${core.interruptedRuns} run(s) from an earlier session were unfinished and are marked interrupted\n`,
        );
      // A fault in work that runs outside any request (a write on a full disk) must not end the
      // server: it is reported here, and the core tells the window through its notices.
      const survive = (e: unknown): void => {
        const f = describeFault(e);
        process.stderr.write(
          `casebench serve: ${f ? f.message : `internal error: ${(e as Error)?.message ?? String(e)}`} (still serving)\n`,
        );
      };
      process.on('unhandledRejection', survive);
      process.on('uncaughtException', survive);
      await new Promise<void>((resolve) => {
        const off = onStop((why) => {
          if (why === 'EPIPE') return; // nobody reads stdout any more: keep serving the window
          off();
          resolve();
        });
      });
      await server.close();
      await core.close();
    });
}

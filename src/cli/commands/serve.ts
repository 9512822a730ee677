// `casebench serve`: the workbench in a browser tab, on loopback only, behind a per-start token.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { createCoreServices } from '../../core/app.ts';
import { listeningLine, startServer } from '../../server/server.ts';
import { cliSecretStore, positiveInt } from '../context.ts';

const port = (v: string): number => (v === '0' ? 0 : positiveInt(v));

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the workbench to a browser tab on 127.0.0.1 (the URL carries the access token)')
    .option('--port <n>', 'port (0 = any free port)', port, 0)
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--static <dir>', 'built renderer folder', fileURLToPath(new URL('../../../out/renderer/', import.meta.url)))
    .action(async (o: { port: number; db: string; static: string }) => {
      if (!existsSync(`${o.static}/index.html`)) {
        throw new AppError('BAD_INPUT', `the workbench is not built (${o.static}index.html missing): run \`npm run build\` first`);
      }
      const env = process.env;
      const core = await createCoreServices({
        dbPath: o.db,
        env,
        secretStore: cliSecretStore(),
        demoSpeed: env.CASEBENCH_DEMO_SPEED ? Number(env.CASEBENCH_DEMO_SPEED) : undefined,
      });
      const server = await startServer({ handlers: core, staticDir: o.static, port: o.port });
      process.stdout.write(`${listeningLine(server.url)}\n`);
      if (core.interruptedRuns) process.stderr.write(`casebench: ${core.interruptedRuns} run(s) from an earlier session were unfinished and are marked interrupted\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await core.close();
    });
}

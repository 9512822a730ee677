// `casebench run`: a batch of tickets, results streamed to --out as they complete, progress on
// stderr, resumable (a re-run of the same command skips what is done).
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { readTicketFile } from '../../core/tickets/ticketFile.ts';
import { runBatch, stableRunId, type BatchProgress } from '../../core/experiments/batchRun.ts';
import { toRunLine } from '../../core/experiments/runLine.ts';
import { openStore } from '../../core/store/store.ts';
import { cliRuntime, positiveInt } from '../context.ts';
import { openOutFile } from '../outFile.ts';
import { formatCost, formatDuration } from '../format.ts';
import { SPEND_LIMIT_EXIT, useSpendLimit, warnModels } from '../spend.ts';

async function countLines(path: string): Promise<number> {
  let n = 0;
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) n++;
  return /\.csv$/i.test(path) ? Math.max(0, n - 1) : n;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('triage a file of tickets (JSONL or CSV); resumable')
    .requiredOption('--tickets <file>', 'JSONL (one ticket a line) or CSV with id,text columns')
    .option('--assign <spec>', 'model per task: "demo", one model for all, task=model pairs, or a JSON file')
    .option('--concurrency <n>', 'tickets in flight at once', positiveInt, 8)
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--out <file>', 'write one JSON line per ticket here (default: stdout)')
    .option('--retry-failed', 'on a re-run, triage again the tickets that had failed tasks')
    .option('--timeout <ms>', 'per-call timeout in ms', positiveInt, 30_000)
    .option('--stream', 'stream answers (records time-to-first-token)')
    .action(async (o: { tickets: string; assign?: string; concurrency: number; db: string; out?: string; retryFailed?: boolean; timeout: number; stream?: boolean }) => {
      const rt = await cliRuntime({ maxInFlight: o.concurrency * 3 });
      const assignment = rt.assignment(o.assign);
      rt.checkKeys(assignment);
      // After every refusal (a refusal stays one line); before any call.
      warnModels(rt, rt.checkModels(assignment), 'run');
      const source = resolve(o.tickets);
      const tickets = readTicketFile(o.tickets);
      const store = openStore(o.db);
      useSpendLimit(rt, store);
      const runId = stableRunId('run', assignment, source);
      const resuming = store.getRun(runId) !== null;
      const total = await countLines(o.tickets);
      const out = o.out ? openOutFile(o.out, resuming) : null;
      const err = (s: string): void => void process.stderr.write(`${s}\n`);
      if (resuming) err(`casebench run: resuming ${runId} (${store.runTicketIds(runId, 'done').size} tickets already done)`);

      const ac = new AbortController();
      let sigints = 0;
      const onSig = (): void => {
        sigints++;
        if (sigints > 1) process.exit(130);
        err('\ncasebench run: stopping (finished results are kept; run the same command again to resume; Ctrl-C again to quit now)');
        ac.abort();
      };
      process.on('SIGINT', onSig);

      const t0 = Date.now();
      const tty = Boolean(process.stderr.isTTY);
      const bar = tty
        ? new cliProgress.SingleBar(
            { format: ' {bar} {value}/{total} tickets · {failed} failed tasks · {retries} retries · {cost} · ETA {eta_formatted}', hideCursor: true, stream: process.stderr },
            cliProgress.Presets.shades_classic,
          )
        : null;
      bar?.start(total, 0, { failed: 0, retries: 0, cost: '$0' });
      let lastPlain = 0;
      const progress = (p: BatchProgress, final = false): void => {
        const finished = p.done + p.skippedAsDone;
        const cost = formatCost(p.costUsd) + (p.costUnknown ? ` + ${p.costUnknown} unpriced` : '');
        if (bar) {
          bar.update(finished + p.badLines, { failed: p.failedTasks, retries: p.retries, cost });
          return;
        }
        const now = Date.now();
        if (!final && now - lastPlain < 2000) return;
        lastPlain = now;
        const rate = p.done / Math.max(1, now - t0);
        const eta = rate > 0 ? (total - finished - p.badLines) / rate : NaN;
        err(`casebench run: ${finished}/${total} tickets · ${p.failedTasks} failed tasks · ${p.retries} retries · ${cost} · ETA ${formatDuration(eta)}`);
      };

      let p: BatchProgress;
      try {
        p = await runBatch({
          store, deps: rt.deps, runId, assignment, tickets, source, concurrency: o.concurrency, timeoutMs: o.timeout,
          stream: o.stream ?? false, signal: ac.signal, retryFailed: o.retryFailed, gate: rt.gate,
          onTicket: (r, fromStore) => {
            const flags = fromStore ? [] : store.ticketFlags(r.ticketId);
            if (flags.length) {
              bar?.stop();
              err(`${r.ticketId}: possible prompt injection (${flags.map((f) => `${f.kind}: "${f.excerpt}"`).join('; ')}); recorded, triaged as data`);
              bar?.start(total, 0);
            }
            const line = toRunLine(r);
            if (out) {
              if (!(fromStore && out.has(r.ticketId))) out.write(line);
            } else if (!fromStore) process.stdout.write(`${JSON.stringify(line)}\n`);
          },
          onBadLine: (line, message) => {
            bar?.stop();
            err(`${o.tickets}:${line}: ${message}; skipped`);
            bar?.start(total, 0);
          },
          onProgress: (x) => progress(x),
        });
      } finally {
        bar?.stop();
        process.off('SIGINT', onSig);
        await out?.close();
        store.close();
        await rt.close();
      }
      progress(p, true);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      const summary = `casebench run: ${p.done} triaged, ${p.skippedAsDone} already done, ${p.badLines} bad line${p.badLines === 1 ? '' : 's'} skipped, ${p.failedTasks} failed tasks, ${p.retries} retries, ${formatCost(p.costUsd)}${p.costUnknown ? ` (+ ${p.costUnknown} calls with price unknown)` : ''} in ${secs}s · db ${o.db} · run ${runId}`;
      err(ac.signal.aborted ? `${summary}\ncasebench run: interrupted; run the same command again to resume` : summary);
      if (ac.signal.aborted) process.exitCode = 130;
      else if (p.spendLimited) {
        err(`casebench run: stopped: ${p.spendLimited}\ncasebench run: run the same command again to resume once the limit allows`);
        process.exitCode = SPEND_LIMIT_EXIT;
      }
    });
}

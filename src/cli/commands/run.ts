// `casebench run`: a batch of tickets, results streamed to --out as they complete, progress on
// stderr, resumable (a re-run of the same command skips what is done).
import { applyPrivacy, privacyOptions, type PrivacyFlags } from '../privacy.ts';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { TASK_IDS } from '#shared/tasks.ts';
import { readTicketFile } from '#core/tickets/ticketFile.ts';
import { addTicket, newTally, speculateForBatch, speculateOptions, tallyLine } from '../speculate.ts';
import { runBatch, stableRunId, type BatchProgress } from '#core/experiments/batchRun.ts';
import { toRunLine } from '#core/experiments/runLine.ts';
import { useWorkspacePrompts } from '#core/handlers/promptHandlers.ts';
import { openStore } from '#core/store/store.ts';
import { acquireRunLease, describeHolder, thisProcess, type HeldLease } from '#core/store/leases.ts';
import { cliRuntime, positiveInt } from '../context.ts';
import { addHedgeOptions, applyHedge, hedgeSummary, type HedgeFlags } from '../hedgeFlags.ts';
import { openOutFile } from '../outFile.ts';
import { formatCost, formatDuration } from '../format.ts';
import { onStop, stdoutClosed } from '../stop.ts';
import { stdinStream } from '../input.ts';
import { SPEND_LIMIT_EXIT, useSpendLimit, warnModels } from '../spend.ts';
import { strictExit } from '../exitCodes.ts';

/** The size of a regular file (progress is bytes read of it), or null for stdin, a pipe or a device. */
function inputSize(path: string): number | null {
  if (path === '-' || path === '/dev/stdin') return null;
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : null;
  } catch {
    return null; // the reader says what is wrong with it
  }
}

export function registerRun(program: Command): void {
  privacyOptions(
    speculateOptions(
      addHedgeOptions(
        program
          .command('run')
          .description('triage a file of tickets (JSONL or CSV); resumable')
          .requiredOption('--tickets <file>', 'JSONL (one ticket a line) or CSV with id,text columns; - reads standard input')
          .option('--assign <spec>', 'model per task: "demo", one model for all, task=model pairs, or a JSON file')
          .option('--concurrency <n>', 'tickets in flight at once', positiveInt, 8)
          .option('--db <path>', 'workspace database', './casebench.db')
          .option('--out <file>', 'write one JSON line per ticket here (default, or -: standard output)')
          .option('--retry-failed', 'on a re-run, call again the tasks that failed (RATE_LIMITED, TIMEOUT, …) and what depends on them')
          .option('--wait', 'when another process is executing this run, wait for it to finish (then resume) instead of stopping')
          .option('--timeout <ms>', 'per-call timeout in ms', positiveInt, 30_000)
          .option('--stream', 'stream answers (records time-to-first-token)')
          .option(
            '--strict',
            'exit with status 4 when a task failed or was skipped because a task it depends on failed (default: 0, results are kept either way)',
          ),
        'default: the workspace setting, on at 5 %',
      ),
      'default off for a batch: it gains throughput from concurrency, not from a shorter chain, so speculation would only add calls',
    ),
  ).action(
    async (
      o: {
        tickets: string;
        assign?: string;
        concurrency: number;
        db: string;
        out?: string;
        retryFailed?: boolean;
        wait?: boolean;
        timeout: number;
        stream?: boolean;
        speculate?: boolean;
        strict?: boolean;
      } & HedgeFlags &
        PrivacyFlags,
    ) => {
      const rt = await cliRuntime({ maxInFlight: o.concurrency * 3 });
      const assignment = rt.assignment(o.assign);
      rt.checkKeys(assignment);
      // After every refusal (a refusal stays one line); before any call.
      warnModels(rt, rt.checkModels(assignment), 'run');
      // `/dev/stdin` is standard input too (opening it fails when stdin is a socket, as under some launchers)
      const fromStdin = o.tickets === '-' || o.tickets === '/dev/stdin';
      // Standard input has no path: a re-run of the same command on stdin resumes by ticket id.
      const source = fromStdin ? 'stdin' : resolve(o.tickets);
      const name = fromStdin ? 'stdin' : o.tickets;
      // The input is read once, as it streams: progress is the bytes read of a file's size.
      const size = inputSize(o.tickets);
      let bytesRead = 0;
      const tickets = readTicketFile(name, { stream: fromStdin ? stdinStream('--tickets -') : undefined, onBytes: (b) => (bytesRead = b) });
      const store = openStore(o.db, { scrubber: rt.scrubber });
      applyPrivacy(rt, store, o);
      useWorkspacePrompts(rt, store); // the workspace's active prompt versions (casebench prompts)
      useSpendLimit(rt, store);
      applyHedge(rt, store, o);
      const versions = Object.fromEntries(TASK_IDS.map((t) => [t, rt.deps.promptVersion(t, assignment[t])]));
      const runId = stableRunId('run', assignment, source, versions);
      const err = (s: string): void => void process.stderr.write(`${s}\n`);

      const ac = new AbortController();
      let started = false;
      const offStop = onStop((why) => {
        if (started && why !== 'EPIPE')
          err(
            `\ncasebench run: stopping${why === 'SIGINT' ? '' : ` on ${why}`} (finished results are kept; run the same command again to resume; Ctrl-C again to quit now)`,
          );
        ac.abort();
      });

      // One live process executes a run: a second one says who holds it and stops, or waits (--wait).
      const closeUnstarted = async (): Promise<void> => {
        offStop();
        store.close();
        await rt.close();
      };
      let lease: HeldLease | null;
      try {
        lease = await acquireRunLease(store, runId, thisProcess('casebench run'), {
          wait: o.wait,
          signal: ac.signal,
          onWait: (h) => err(`casebench run: ${describeHolder(h)}; waiting (Ctrl-C to stop)`),
        });
      } catch (e) {
        await closeUnstarted();
        throw e;
      }
      if (!lease) {
        await closeUnstarted();
        err('casebench run: stopped while waiting; nothing was run');
        process.exitCode = 130;
        return;
      }
      started = true;
      const resuming = store.getRun(runId) !== null;
      const out = o.out && o.out !== '-' ? openOutFile(o.out, resuming) : null;
      if (resuming)
        err(
          `casebench run: resuming ${runId} (${store.runTicketIds(runId, 'done').size} tickets already done; edited tickets are triaged again)`,
        );

      const t0 = Date.now();
      const tty = Boolean(process.stderr.isTTY);
      // A file's bar follows the bytes read (its size is known); stdin shows counts only.
      const bar =
        tty && size !== null
          ? new cliProgress.SingleBar(
              {
                format:
                  ' {bar} {percentage}% of {file} · {tickets} tickets · {failed} failed tasks · {retries} retries · {cost} · ETA {eta_formatted}',
                hideCursor: true,
                stream: process.stderr,
              },
              cliProgress.Presets.shades_classic,
            )
          : null;
      const payload = { file: name, tickets: 0, failed: 0, retries: 0, cost: '$0' };
      bar?.start(Math.max(1, size ?? 1), 0, payload);
      /** A line on stderr above the progress bar (the bar is drawn again under it). */
      const sayAbove = (line: string): void => {
        bar?.stop();
        err(line);
        bar?.start(Math.max(1, size ?? 1), bytesRead, payload);
      };
      const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
      let lastPlain = 0;
      const progress = (p: BatchProgress, final = false): void => {
        const finished = p.done + p.skippedAsDone;
        const cost = formatCost(p.costUsd) + (p.costUnknown ? ` + ${p.costUnknown} unpriced` : '');
        if (bar) {
          bar.update(bytesRead, { ...payload, tickets: finished, failed: p.failedTasks, retries: p.retries, cost });
          return;
        }
        const now = Date.now();
        if (!final && now - lastPlain < 2000) return;
        lastPlain = now;
        const frac = size ? bytesRead / size : null;
        const eta = frac !== null && frac > 0 ? ((now - t0) * (1 - frac)) / frac : NaN;
        const where = frac !== null ? ` (${Math.min(100, Math.floor(frac * 100))}% of ${name} read)` : '';
        err(
          `casebench run: ${finished} tickets${where} · ${plural(p.failedTasks, 'failed task')} · ${p.retries} retries · ${cost}${frac !== null ? ` · ETA ${formatDuration(eta)}` : ''}`,
        );
      };

      let p: BatchProgress;
      const tally = newTally();
      try {
        p = await runBatch({
          store,
          deps: rt.deps,
          runId,
          assignment,
          tickets,
          source,
          concurrency: o.concurrency,
          timeoutMs: o.timeout,
          stream: o.stream ?? false,
          signal: ac.signal,
          retryFailed: o.retryFailed,
          gate: rt.gate,
          speculate: speculateForBatch(o.speculate),
          onTicket: (r, fromStore) => {
            if (!fromStore) addTicket(tally, r.speculation);
            const flags = fromStore ? [] : store.ticketFlags(r.ticketId);
            if (flags.length) {
              sayAbove(
                `${r.ticketId}: possible prompt injection (${flags.map((f) => `${f.kind}: "${f.excerpt}"`).join('; ')}); recorded, triaged as data`,
              );
            }
            const held = r.tasks.platform.error;
            if (!fromStore && held?.code === 'NEEDS_INFO') sayAbove(`${r.ticketId}: ${held.message}`);
            const line = toRunLine(r);
            if (out) {
              if (!(fromStore && out.has(r.ticketId))) out.write(line);
            } else if (!fromStore && !stdoutClosed()) process.stdout.write(`${JSON.stringify(line)}\n`);
          },
          onBadLine: (line, message) => {
            sayAbove(`${name}:${line}: ${message}; skipped`);
          },
          onProgress: (x) => progress(x),
        });
      } finally {
        bar?.stop();
        offStop();
        await out?.close();
        lease.release();
        store.close();
        await rt.close();
      }
      progress(p, true);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      // Failures counted as they are: a failed call is a failed task; a task not called because its
      // dependency failed is skipped; a ticket refused or held before any call is that, not failed (nor triaged).
      const parts = [
        `${p.done - p.refused - p.held} triaged${p.changed ? ` (${p.changed} edited since the last run)` : ''}`,
        `${p.skippedAsDone} already done`,
        `${plural(p.badLines, 'bad line')} skipped`,
        plural(p.failedTasks, 'failed task'),
      ];
      if (p.failedBefore) parts.push(`${plural(p.failedBefore, 'failed task')} from earlier runs kept (--retry-failed calls them again)`);
      if (p.skippedTasks) parts.push(`${plural(p.skippedTasks, 'task')} skipped (a dependency failed)`);
      if (p.refused) parts.push(`${plural(p.refused, 'ticket')} refused (nothing to triage)`);
      if (p.held) parts.push(`${plural(p.held, 'ticket')} held for information (no cloud, service or identifier found)`);
      parts.push(
        `${p.retries} retries`,
        `${formatCost(p.costUsd)}${p.costUnknown ? ` (+ ${p.costUnknown} calls with price unknown)` : ''} in ${secs}s`,
      );
      const hedged = hedgeSummary(rt);
      if (hedged) parts.push(hedged);
      const summary = `casebench run: ${parts.join(', ')} · db ${o.db} · run ${runId}`;
      if (tally.tickets > 0) err(`casebench run: ${tallyLine(tally)}`);
      err(ac.signal.aborted ? `${summary}\ncasebench run: interrupted; run the same command again to resume` : summary);
      if (ac.signal.aborted) process.exitCode = 130;
      else if (p.spendLimited) {
        err(`casebench run: stopped: ${p.spendLimited}\ncasebench run: run the same command again to resume once the limit allows`);
        process.exitCode = SPEND_LIMIT_EXIT;
      } else process.exitCode = strictExit(o.strict, p.failedTasks + p.skippedTasks + p.failedBefore);
    },
  );
}

// `casebench triage`: one ticket, each fact printed the moment it arrives, with its ms.
import { applyPrivacy, privacyOptions, type PrivacyFlags } from '../privacy.ts';
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { TASK_IDS } from '#shared/tasks.ts';
import type { TaskId } from '#shared/tasks.ts';
import { criticalPathMs, triageTicket } from '#core/graph/engine.ts';
import { toRunLine, toTaskLine } from '#core/experiments/runLine.ts';
import { recorder } from '#core/experiments/batchRun.ts';
import { gateResult } from '#core/experiments/gate.ts';
import { useWorkspacePrompts } from '#core/handlers/promptHandlers.ts';
import { openStore, type Store } from '#core/store/store.ts';
import { stampPrivacy } from '#core/settings/privacy.ts';
import { cliRuntime, positiveInt } from '../context.ts';
import { factLine, formatCost } from '../format.ts';
import { DEFAULT_MAX_TICKET_BYTES } from '#core/graph/ticketGate.ts';
import { readFileText, readStdinText } from '../input.ts';
import { onStop, stdoutClosed } from '../stop.ts';
import { SPEND_LIMIT_EXIT, useSpendLimit, warnModels } from '../spend.ts';
import { strictExit } from '../exitCodes.ts';
import { spendRefusal } from '#core/spend/refusal.ts';
import { closeTriage, openTriage } from '#core/live/recordTriage.ts';
import { addHedgeOptions, applyHedge, type HedgeFlags } from '../hedgeFlags.ts';
import { addTicket, newTally, speculateFor, speculateOptions, tallyLine } from '../speculate.ts';

// One ticket's text is at most the gate's limit: reading stops just past it (`triage < /dev/zero`).
const MAX_TEXT_BYTES = DEFAULT_MAX_TICKET_BYTES;

export function registerTriage(program: Command): void {
  privacyOptions(
    speculateOptions(
      addHedgeOptions(
        program
          .command('triage')
          .description('triage one ticket; prints each fact the moment it arrives, with its latency')
          .option('--text <text>', 'the ticket text')
          .option('--file <path>', 'read the ticket text from a file (- or no --text/--file: standard input)')
          .option('--assign <spec>', 'model per task: "demo", one model for all, task=model pairs, or a JSON file')
          .option('--json', 'print JSON lines: each fact as it arrives, then the whole ticket (the `run` line)')
          .option('--db <path>', 'record the calls in this workspace database', './casebench.db')
          .option('--no-record', 'do not record the calls')
          .option('--no-stream', 'do not stream answers (no time-to-first-token)')
          .option('--timeout <ms>', 'per-call timeout in ms', positiveInt, 30_000)
          .option(
            '--strict',
            'exit with status 4 when a task failed or was skipped because a task it depends on failed (default: 0, results are kept either way)',
          ),
        'default: the workspace setting, on at 5 %',
      ),
      'default: the workspace setting, on unless changed in Settings',
    ),
  ).action(
    async (
      o: {
        text?: string;
        file?: string;
        assign?: string;
        json?: boolean;
        db: string;
        record: boolean;
        stream: boolean;
        timeout: number;
        speculate?: boolean;
        strict?: boolean;
      } & HedgeFlags &
        PrivacyFlags,
    ) => {
      const what = "one ticket's text";
      const text =
        o.text ??
        (o.file && o.file !== '-'
          ? await readFileText(o.file, what, MAX_TEXT_BYTES)
          : await readStdinText('triage (give --text or --file, or the ticket on stdin)', MAX_TEXT_BYTES, what));
      const rt = await cliRuntime();
      const assignment = rt.assignment(o.assign);
      applyPrivacy(rt, o.db, o);
      const ticketId = `t-${randomUUID().slice(0, 8)}`;
      const color = !o.json && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
      const out = (s: string): void => {
        if (!stdoutClosed()) process.stdout.write(`${s}\n`);
      };

      const gated = rt.gate(text);
      if (!gated.ok) {
        const r = gateResult(ticketId, assignment, rt.deps, gated);
        if (o.json) out(JSON.stringify(toRunLine(r)));
        else out(`casebench: ${gated.message} (no model was called)`);
        return;
      }
      rt.checkKeys(assignment);
      warnModels(rt, rt.checkModels(assignment), 'triage');

      let store: Store | null = null;
      let runId = '';
      if (o.record) {
        store = openStore(o.db, { scrubber: rt.scrubber });
        stampPrivacy(rt, store);
        useWorkspacePrompts(rt, store); // the workspace's active prompt versions (casebench prompts)
        runId = `triage-${randomUUID()}`;
        openTriage(store, {
          runId,
          ticket: { id: ticketId, text },
          source: 'cli',
          assignment,
          config: { speculate: speculateFor(o.speculate, store) },
        });
        store.setRunTicket(runId, ticketId, 'pending');
        useSpendLimit(rt, store);
      }
      applyHedge(rt, store, o);
      const rec = store ? recorder(store, runId) : null;
      const ac = new AbortController();
      // Ctrl-C, SIGTERM or a reader that went away (`| head -1`): stop the calls, keep what finished.
      const offStop = onStop(() => ac.abort());
      try {
        const result = await triageTicket(rt.deps, { id: ticketId, text }, assignment, {
          signal: ac.signal,
          timeoutMs: o.timeout,
          stream: o.stream,
          speculate: speculateFor(o.speculate, store) ? {} : null,
          onAttempt: rec?.onAttempt,
          onResult: (r, spec) => {
            rec?.onResult(r, spec, ticketId);
            if (o.json) {
              out(JSON.stringify({ event: 'fact', ticket_id: ticketId, task: r.task, ...toTaskLine(r) }));
            } else out(factLine(r, color));
          },
        });
        const refused = store ? closeTriage(store, runId, ticketId, result, ac.signal.aborted) : spendRefusal(result);
        if (refused) {
          process.stderr.write(`casebench triage: stopped: ${refused}\n`);
          process.exitCode = SPEND_LIMIT_EXIT;
        } else if (!ac.signal.aborted) {
          process.exitCode = strictExit(o.strict, TASK_IDS.filter((t) => result.tasks[t].status !== 'ok').length);
        }
        if (o.json) {
          out(JSON.stringify(toRunLine(result)));
        } else {
          const lat = Object.fromEntries(TASK_IDS.map((t) => [t, result.tasks[t].latencyMs])) as Record<TaskId, number>;
          const costs = TASK_IDS.map((t) => result.tasks[t].costUsd);
          const known = costs.filter((c): c is number => c !== null);
          const unknown = TASK_IDS.filter((t) => result.tasks[t].status === 'ok' && result.tasks[t].costUsd === null).length;
          const cost = `${formatCost(known.reduce((a, b) => a + b, 0))}${unknown ? ` (+ ${unknown} call${unknown > 1 ? 's' : ''} with price unknown)` : ''}`;
          // What speculation did, then the ticket's totals: the totals line is always the last.
          if (result.speculation && result.speculation.speculativeRuns > 0) {
            const t = newTally();
            addTicket(t, result.speculation);
            out(`  ${tallyLine(t)}`);
          }
          out(
            `  total ${result.totalMs.toFixed(0)} ms · critical path ${criticalPathMs(lat).toFixed(0)} ms${result.speculation?.kept ? ' (as a sequential run; speculation overlapped it)' : ''} · cost ${cost}${store ? ` · recorded in ${o.db}` : ''}`,
          );
        }
      } finally {
        offStop();
        store?.close();
        await rt.close();
      }
    },
  );
}

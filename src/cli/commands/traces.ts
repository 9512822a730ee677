// `casebench traces`: generic traces from the command line (issue 14 §3) — imported calls that are
// not casebench tasks and name no ticket. List them with the Traces view's filters, print one as a
// span tree with its calls, and run review queues over them: create and list queues (with a rubric
// file), results with κ/α between reviewers, and trace review lines out and in (LangSmith feedback
// too). Scoring itself happens on the workbench's review screen, by keyboard.
import { existsSync } from 'node:fs';
import { outName, writeWhole } from '#core/outTarget.ts';
import { readSmallText } from '#core/smallFile.ts';
import { basename } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { rubricSchema, type TraceQueueView, type TraceReviewResults } from '#shared/traceReview.ts';
import type { TraceView } from '#shared/traceView.ts';
import { openStore, type Store } from '#core/store/store.ts';
import { listGenericTraces } from '#core/traces/traceList.ts';
import { createTraceQueue, listTraceQueues } from '#core/traces/traceReview.ts';
import { exportTraceReviews, importTraceReviews } from '#core/traces/traceReviewLines.ts';
import { traceReviewResults } from '#core/traces/traceReviewResults.ts';
import { traceOfCall } from '#core/traces/traceView.ts';
import { positiveInt } from '../context.ts';
import { readFileText, readStdinText } from '../input.ts';

/** The largest trace review file read (in bounded memory; a device such as /dev/zero never ends). */
const MAX_TRACE_REVIEW_FILE_BYTES = 256 * 1024 * 1024;

const DEFAULT_DB = './casebench.db';
const out = (s: string): void => void process.stdout.write(`${s}\n`);
const err = (s: string): void => void process.stderr.write(`${s}\n`);

function openWorkspace(path: string): Store {
  if (!existsSync(path)) throw new AppError('BAD_INPUT', `no casebench workspace at ${path} (give --db, or import a trace file first)`);
  return openStore(path);
}

function list(v: string): string[] {
  const xs = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (xs.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return xs;
}

function status(v: string): 'ok' | 'error' {
  if (v !== 'ok' && v !== 'error') throw new InvalidArgumentError('is ok or error');
  return v;
}

const ms = (x: number | null): string => (x === null ? '—' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const usd = (x: number | null, unpriced = 0): string =>
  x === null ? 'price unknown' : `$${x < 0.01 ? x.toFixed(5) : x.toFixed(4)}${unpriced ? ` + ${unpriced} unpriced` : ''}`;
const f2 = (x: number | null): string => (x === null ? '—' : x.toFixed(2));

/** A trace as text: the span tree with start offset and duration, then each call. */
export function traceText(t: TraceView): string {
  const lines = [
    `${t.name} · ${t.file} (${t.format}) · trace ${t.traceId ?? '—'} · ${ms(t.durationMs)} · ${t.totals.calls} call${t.totals.calls === 1 ? '' : 's'}, ${t.totals.errors} failed · ${t.totals.inputTokens ?? '—'} → ${t.totals.outputTokens ?? '—'} tokens · ${usd(t.totals.costUsd, t.totals.unpriced)}`,
    '',
  ];
  for (const n of t.nodes) {
    const c = n.call !== null ? t.calls[n.call]! : null;
    const what = c
      ? `${c.modelSpec}${c.status === 'error' ? ` ✗ ${c.errorCode ?? 'error'}` : ''}`
      : `${n.type ?? 'span'}${n.status === 'error' ? ' ✗' : ''}`;
    lines.push(`${'  '.repeat(n.depth)}${c ? '◆' : '○'} ${n.name}  [${what}]  +${ms(n.startMs)} ${ms(n.durationMs)}`);
  }
  for (const c of t.calls) {
    lines.push(
      '',
      `── call ${c.callId}: ${c.name} · ${c.modelSpec} · ${c.status}${c.errorMessage ? ` (${c.errorMessage})` : ''} · ${ms(c.latencyMs)}${c.ttftMs !== null ? `, TTFT ${ms(c.ttftMs)}` : ''} · ${c.inputTokens ?? '—'} → ${c.outputTokens ?? '—'} tokens · ${usd(c.costUsd)}`,
    );
    for (const m of c.input) lines.push(`   ${m.role}: ${m.content.replace(/\s+/g, ' ').slice(0, 300)}`);
    lines.push(`   → ${(c.output ?? '(no output)').replace(/\s+/g, ' ').slice(0, 600)}`);
    for (const s of c.scores)
      lines.push(`   ★ ${s.criterion} = ${JSON.stringify(s.value)} by ${s.reviewer}${s.note ? ` (${s.note.slice(0, 120)})` : ''}`);
  }
  return lines.join('\n');
}

function queueLine(q: TraceQueueView): string {
  const who = q.progress.length ? q.progress.map((p) => `${p.reviewer} ${p.done}/${q.items}`).join(', ') : 'not scored yet';
  return `${q.id}  ${q.name} · ${q.items} calls · ${q.blind ? 'blind' : 'open'} · rubric ${q.rubric.map((c) => `${c.id}:${c.kind}`).join(', ')} · ${who}`;
}

export function traceResultsMarkdown(r: TraceReviewResults): string {
  const lines = [`# Trace review${r.queueId ? ` (queue ${r.queueId})` : ''}`, ''];
  if (r.criteria.length === 0) lines.push('No scores yet.');
  for (const c of r.criteria) {
    lines.push(`## ${c.label} (${c.kind})`, '', '| model | n | result |', '|---|---:|---|');
    for (const m of c.models) {
      const res =
        c.kind === 'pass_fail'
          ? `${f2(m.passRate)} pass`
          : c.kind === 'score'
            ? `mean ${f2(m.mean)}`
            : Object.entries(m.labels)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ');
      lines.push(`| ${m.model} | ${m.n} | ${res} |`);
    }
    lines.push(
      '',
      `Reviewers: ${c.reviewers.join(', ') || '—'} · calls scored by two or more: ${c.units} · Krippendorff's α (${c.kind === 'score' ? 'interval' : 'nominal'}) ${f2(c.alpha)}`,
    );
    for (const p of c.pairs) lines.push(`- ${p.a} × ${p.b}: n ${p.n}, agreement ${f2(p.agreement)}, Cohen's κ ${f2(p.kappa)}`);
    lines.push('');
  }
  return lines.join('\n');
}

export function registerTraces(program: Command): void {
  const traces = program
    .command('traces')
    .description('generic traces (imported calls that are not casebench tasks): list, show, review queues');
  traces
    .command('list')
    .description('generic traces, newest first')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .option('--file <runId>', 'one import (its run id, as `traces list --json` shows)')
    .option('--model <spec>', 'calls of this model (provider:model)')
    .option('--status <ok|error>', 'traces with (error) or without (ok) a failed call', status)
    .option('--search <text>', 'in the name, first user message, models and ids')
    .option('--limit <n>', 'rows to print', positiveInt, 100)
    .option('--json', 'the rows as JSON')
    .action((o: { db: string; file?: string; model?: string; status?: 'ok' | 'error'; search?: string; limit: number; json?: boolean }) => {
      const store = openWorkspace(o.db);
      try {
        const v = listGenericTraces(store, { runId: o.file, model: o.model, status: o.status, search: o.search, limit: o.limit });
        if (o.json) return out(JSON.stringify(v, null, 2));
        if (v.total === 0)
          return err(
            v.all === 0
              ? 'no generic traces in this workspace (casebench import FILE… brings them in)'
              : 'no generic trace matches the filter',
          );
        for (const r of v.rows) {
          out(
            `${String(r.callId).padStart(6)}  ${r.name.slice(0, 50)} · ${r.models.join(', ')} · ${r.calls} call${r.calls === 1 ? '' : 's'}${r.errors ? `, ${r.errors} failed` : ''} · ${ms(r.durationMs)} · ${usd(r.costUsd, r.unpriced)} · ${r.file}${r.scores ? ` · ${r.scores} scores` : ''}`,
          );
          if (r.preview) out(`        ${r.preview.slice(0, 110)}`);
        }
        err(
          `${v.rows.length} of ${v.total} trace${v.total === 1 ? '' : 's'} shown (${v.all} in the workspace); \`casebench traces show ID\` prints one`,
        );
      } finally {
        store.close();
      }
    });
  traces
    .command('show <callId>')
    .description('one trace (by any of its call ids): the span tree with timings, each call with messages, output, tokens, cost and scores')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .option('--json', 'the trace as JSON')
    .action((id: string, o: { db: string; json?: boolean }) => {
      const callId = positiveInt(id);
      const store = openWorkspace(o.db);
      try {
        const t = traceOfCall(store, callId);
        out(o.json ? JSON.stringify(t, null, 2) : traceText(t));
      } finally {
        store.close();
      }
    });
  const queue = traces.command('queue').description('review queues over imported calls');
  queue
    .command('create')
    .description('a queue over imported calls, by file, model, status and search, optionally sampled')
    .requiredOption('--name <name>', 'the queue name')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .option('--file <runIds>', 'imports (run ids), comma-separated', list)
    .option('--model <specs>', 'models, comma-separated', list)
    .option('--status <ok|error>', 'only calls that succeeded / failed', status)
    .option('--search <text>', 'traces whose name, first message or models contain this')
    .option('--include-tickets', 'imported calls of tickets too, not only generic traces')
    .option('--sample <n>', 'a seeded random sample of n calls', positiveInt)
    .option('--seed <n>', 'the sample seed', positiveInt)
    .option(
      '--rubric <file.json>',
      'criteria: [{"id","label","kind":"pass_fail|score|label|note","labels"?}] (default: correct, helpfulness, main issue, note)',
    )
    .option('--open', 'not blind: show the model while scoring')
    .action(
      (o: {
        name: string;
        db: string;
        file?: string[];
        model?: string[];
        status?: 'ok' | 'error';
        search?: string;
        includeTickets?: boolean;
        sample?: number;
        seed?: number;
        rubric?: string;
        open?: boolean;
      }) => {
        let rubric;
        if (o.rubric) {
          let raw: unknown;
          try {
            raw = JSON.parse(readSmallText(o.rubric, 'rubric', 1_000_000));
          } catch (e) {
            if (e instanceof AppError) throw e;
            throw new AppError('BAD_INPUT', `${o.rubric}: not a JSON rubric (${(e as Error).message})`);
          }
          const p = rubricSchema.safeParse(raw);
          if (!p.success)
            throw new AppError(
              'BAD_INPUT',
              `${o.rubric}: ${p.error.issues.map((i) => `${i.path.join('.') || 'rubric'}: ${i.message}`).join('; ')}`,
            );
          rubric = p.data;
        }
        const store = openWorkspace(o.db);
        try {
          const q = createTraceQueue(store, {
            name: o.name,
            runIds: o.file,
            models: o.model,
            status: o.status,
            search: o.search,
            includeTickets: o.includeTickets,
            sample: o.sample,
            seed: o.seed,
            rubric,
            blind: !o.open,
          });
          out(queueLine(q));
        } finally {
          store.close();
        }
      },
    );
  queue
    .command('list')
    .description('trace review queues with their progress')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .action((o: { db: string }) => {
      const store = openWorkspace(o.db);
      try {
        const qs = listTraceQueues(store);
        if (qs.length === 0) err('no trace review queues yet (casebench traces queue create --name …)');
        for (const q of qs) out(queueLine(q));
      } finally {
        store.close();
      }
    });
  traces
    .command('results')
    .description('trace review results per criterion and model, with κ/α between reviewers (the source counts as one)')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .option('--queue <id>', 'one queue')
    .option('--format <md|json>', 'output format', 'md')
    .action((o: { db: string; queue?: string; format: string }) => {
      if (o.format !== 'md' && o.format !== 'json') throw new AppError('BAD_INPUT', `--format is md or json, not ${o.format}`);
      const store = openWorkspace(o.db);
      try {
        const r = traceReviewResults(store, { queueId: o.queue });
        out(o.format === 'json' ? JSON.stringify(r, null, 2) : traceResultsMarkdown(r));
      } finally {
        store.close();
      }
    });
  traces
    .command('export')
    .description('trace reviews as JSON lines')
    .requiredOption('--out <file.jsonl>', 'where to write (- for standard output)')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .option('--queue <id>', 'one queue')
    .option('--local', "only this workspace's reviewers (not the sources' own scores)")
    .action((o: { out: string; db: string; queue?: string; local?: boolean }) => {
      const store = openWorkspace(o.db);
      try {
        const r = exportTraceReviews(store, { queueId: o.queue, local: o.local });
        writeWhole(o.out, r.text);
        err(`${r.count} trace review${r.count === 1 ? '' : 's'} written to ${outName(o.out)}`);
      } finally {
        store.close();
      }
    });
  traces
    .command('import <files...>')
    .description(
      'trace review lines, or LangSmith feedback (reviewer = the source); bad lines are reported and skipped; - reads standard input',
    )
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .action(async (files: string[], o: { db: string }) => {
      if (files.filter((f) => f === '-').length > 1)
        throw new AppError('BAD_INPUT', 'standard input (-) can be read once; give - at most one time');
      const what = 'a trace review file';
      // Read every file before touching the workspace: a missing second file leaves nothing half-imported.
      const texts: Array<{ name: string; text: string }> = [];
      for (const f of files) {
        const text =
          f === '-'
            ? await readStdinText('traces import -', MAX_TRACE_REVIEW_FILE_BYTES, what)
            : await readFileText(f, what, MAX_TRACE_REVIEW_FILE_BYTES);
        texts.push({ name: f === '-' ? 'stdin' : basename(f), text });
      }
      const store = openWorkspace(o.db);
      try {
        for (const { name, text } of texts) {
          const r = importTraceReviews(store, text, { source: name });
          for (const b of r.bad) err(`${name}:${b.line}: ${b.message}; skipped`);
          out(`${name}: ${r.imported} imported, ${r.duplicates} already there, ${r.bad.length} skipped`);
        }
      } finally {
        store.close();
      }
    });
}

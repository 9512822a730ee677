// `casebench reviews`: manual review from the command line — queues (create, list, assign), the
// results table with reviewer agreement, and the JSONL exchange of contracts §5 so reviewers on
// separate machines can label offline and merge. Scoring itself happens on the review screen.
import { existsSync } from 'node:fs';
import { outName, writeWhole } from '#core/outTarget.ts';
import { basename } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { SEVERITIES, TASK_IDS, TASKS, isTaskId, type TaskId } from '#shared/tasks.ts';
import { openStore, type Store } from '#core/store/store.ts';
import { exportReviews, importReviews } from '#core/review/jsonl.ts';
import { assignReviewers, createQueue, listQueues, type QueueInfo, type QueueSpec } from '#core/review/queues.ts';
import { reviewResults, type ReviewResults } from '#core/review/results.ts';
import { positiveInt } from '../context.ts';
import { cliScrubber } from '../secrets.ts';
import { readFileText, readStdinText } from '../input.ts';

const DEFAULT_DB = './casebench.db';

/** commander parser for a comma-separated list. */
function list(v: string): string[] {
  const xs = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (xs.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return xs;
}

function taskList(v: string): TaskId[] {
  const xs = list(v);
  const bad = xs.find((t) => !isTaskId(t));
  if (bad !== undefined) throw new InvalidArgumentError(`unknown task \`${bad}\`; tasks are ${TASK_IDS.join(', ')}`);
  return xs as TaskId[];
}

function wholeNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentError('must be a whole number from 0 to 4294967295');
  return n;
}

/** The workspace, which must exist already: reviews are about answers recorded there. Commands that only read open it read-only. */
function openWorkspace(path: string, mode: 'read' | 'write' = 'write'): Store {
  if (!existsSync(path)) throw new AppError('BAD_INPUT', `no casebench workspace at ${path} (give --db, or run tickets first)`);
  return openStore(path, { readOnly: mode === 'read', scrubber: cliScrubber });
}

/** A review file (or `-`, standard input) is read whole: at most this much. */
const MAX_REVIEW_FILE_BYTES = 256 * 1024 * 1024;

const out = (s: string): void => void process.stdout.write(`${s}\n`);
const err = (s: string): void => void process.stderr.write(`${s}\n`);
const f2 = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : x.toFixed(2));
const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const show = (v: unknown): string => JSON.stringify(v);

function queueLine(q: QueueInfo): string {
  const who = q.reviewers.length
    ? q.reviewers.map((r) => `${r.reviewer} ${r.done}/${r.assigned}${r.extra ? ` (+${r.extra})` : ''}`).join(', ')
    : 'no reviewers yet';
  return `${q.id}  ${q.name} · ${q.items} items (${q.answers} answers) · ${q.models.length} models · k ${q.k} · ${q.blind ? 'blind' : 'open'} · seed ${q.seed} · ${q.complete}/${q.items} complete · ${who}`;
}

/** The results as Markdown: the article's table, reviewer agreement, the baseline check, conflicts. */
export function resultsMarkdown(r: ReviewResults): string {
  const lines: string[] = [];
  lines.push(
    `# Manual review (${r.reviews} scores by ${r.reviewers.length} reviewer${r.reviewers.length === 1 ? '' : 's'}: ${r.reviewers.join(', ') || '—'})`,
    '',
  );
  lines.push(
    '## Score per model per task',
    '',
    'Mean score [95 % Wilson interval], n = answers reviewed (an answer scored by several reviewers counts once, at their mean).',
    '',
  );
  const tasks = r.table.tasks;
  if (tasks.length === 0) lines.push('No reviews yet.');
  else lines.push(`| model | ${tasks.map((t) => TASKS[t].label).join(' | ')} |`, `|---|${tasks.map(() => '---').join('|')}|`);
  for (const m of r.table.models) {
    const cells = tasks.map((t) => {
      const c = r.table.cells.find((x) => x.task === t && x.model === m);
      return c ? `${f2(c.mean)} [${f2(c.ci95?.[0])}–${f2(c.ci95?.[1])}] n=${c.n}` : '—';
    });
    lines.push(`| ${m} | ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    '## Agreement among reviewers',
    '',
    "Krippendorff's α with the interval metric (scores 0, 0.5, 1 and fractions on one scale); Cohen's κ (nominal) when exactly two reviewers share answers.",
    '',
  );
  const ag = r.agreement.filter((a) => a.units > 0);
  if (ag.length === 0) lines.push('No answer has been scored by two reviewers yet.');
  else {
    lines.push('| task | reviewers | answers | α (interval) | κ | pairs (κ, n) |', '|---|---|---|---|---|---|');
    for (const a of ag) {
      const pairs = a.pairs.map((p) => `${p.a}–${p.b} ${f2(p.kappa)} (${p.n})`).join('; ');
      lines.push(
        `| ${a.task === 'all' ? 'all tasks' : TASKS[a.task].label} | ${a.reviewers.join(', ')} | ${a.units} | ${f2(a.alpha)} | ${f2(a.kappa)} | ${pairs} |`,
      );
    }
  }
  lines.push('', '## Reviewers vs. agreement with the baseline', '');
  if (r.baseline.length === 0) lines.push('No reviewed answer has a baseline answer to compare with.');
  else {
    lines.push(
      'Automated agreement with the baseline beside the reviewers’ scores of the same answers. “Agree, failed”: the model matched the baseline but reviewers scored it below 1 (both wrong); “disagree, passed”: reviewers found the model right where it differed from the baseline.',
      '',
      '| task | model | baseline | n | agreement | review mean | mean if agree | mean if disagree | agree, failed | disagree, passed | κ | baseline’s own review mean |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const b of r.baseline) {
      lines.push(
        `| ${TASKS[b.task].label} | ${b.model} | ${b.baseline} | ${b.n} | ${pct(b.agreementRate)} | ${f2(b.reviewMean)} | ${f2(b.meanWhenAgree)} | ${f2(b.meanWhenDisagree)} | ${b.agreeButWrong} | ${b.disagreeButRight} | ${f2(b.kappa)} | ${f2(b.baselineReviewMean)} |`,
      );
    }
  }
  lines.push('', `## Conflicts (${r.conflicts.length})`, '');
  if (r.conflicts.length === 0) lines.push('None.');
  for (const c of r.conflicts)
    lines.push(
      `- ${c.ticketId} ${c.task} ${c.model}: ${c.reviews.map((x) => `${x.reviewer} ${x.score}`).join(', ')} (${c.kinds.join(', ')})`,
    );
  return `${lines.join('\n')}\n`;
}

/** The results as JSON with snake_case keys, like `casebench report --format json`. */
export function resultsJson(r: ReviewResults): unknown {
  return {
    reviews: r.reviews,
    reviewers: r.reviewers,
    scores: r.table.cells.map((c) => ({ task: c.task, model: c.model, mean: c.mean, n: c.n, reviews: c.reviews, ci95: c.ci95 })),
    agreement: r.agreement.map((a) => ({
      task: a.task,
      reviewers: a.reviewers,
      units: a.units,
      alpha: a.alpha,
      alpha_metric: a.metric,
      kappa: a.kappa,
      pairs: a.pairs.map((p) => ({ a: p.a, b: p.b, n: p.n, agreement: p.agreement, kappa: p.kappa })),
    })),
    baseline: r.baseline.map((b) => ({
      task: b.task,
      model: b.model,
      baseline: b.baseline,
      n: b.n,
      agreement_rate: b.agreementRate,
      review_mean: b.reviewMean,
      mean_when_agree: b.meanWhenAgree,
      mean_when_disagree: b.meanWhenDisagree,
      agree_but_wrong: b.agreeButWrong,
      disagree_but_right: b.disagreeButRight,
      kappa: b.kappa,
      baseline_review_mean: b.baselineReviewMean,
    })),
    conflicts: r.conflicts.map((c) => ({
      ticket_id: c.ticketId,
      task: c.task,
      model: c.model,
      kinds: c.kinds,
      reviews: c.reviews.map((x) => ({ reviewer: x.reviewer, score: x.score, scored_at: x.scoredAt, source: x.source })),
    })),
  };
}

export function registerReviews(program: Command): void {
  const reviews = program
    .command('reviews')
    .description('manual review: queues, results with reviewer agreement, and JSONL exchange of scores');

  reviews
    .command('export')
    .description('write review scores as JSONL, one a line (contracts §5)')
    .requiredOption('--out <file>', 'the JSONL file to write (- for standard output)')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .option('--run <id>', 'only reviews of answers in this run')
    .option('--reviewer <name>', "only this reviewer's scores")
    .option('--queue <id>', "only reviews of this queue's answers")
    .action((o: { out: string; db: string; run?: string; reviewer?: string; queue?: string }) => {
      const store = openWorkspace(o.db, 'read');
      try {
        const { text, count } = exportReviews(store, { runId: o.run, reviewer: o.reviewer, queueId: o.queue });
        writeWhole(o.out, text);
        err(`casebench reviews: exported ${count} review${count === 1 ? '' : 's'} to ${outName(o.out)}`);
      } finally {
        store.close();
      }
    });

  reviews
    .command('import <file>')
    .description('merge review scores from JSONL (- reads standard input); bad lines are reported and skipped, conflicts listed')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .action(async (file: string, o: { db: string }) => {
      const what = 'a review file';
      const text =
        file === '-'
          ? await readStdinText('reviews import -', MAX_REVIEW_FILE_BYTES, what)
          : await readFileText(file, what, MAX_REVIEW_FILE_BYTES);
      if (file === '-') file = 'stdin';
      const store = openWorkspace(o.db);
      try {
        const r = importReviews(store, text, { source: basename(file) });
        for (const b of r.bad) err(`${file}:${b.line}: ${b.reason}; skipped`);
        for (const l of r.labelConflicts) {
          err(
            `${file}:${l.line}: ticket ${l.ticketId} already has the ${l.task} label ${show(l.label)}; kept it (the line says ${show(l.correctValue)})`,
          );
        }
        out(
          `imported ${r.imported} review${r.imported === 1 ? '' : 's'} from ${file}: ${r.duplicates} already there, ${r.bad.length} bad line${r.bad.length === 1 ? '' : 's'} skipped, ${r.labelsWritten} gold label${r.labelsWritten === 1 ? '' : 's'} written, ${r.conflicts.length} conflict${r.conflicts.length === 1 ? '' : 's'}`,
        );
        for (const c of r.conflicts)
          out(
            `conflict: ${c.ticketId} ${c.task} ${c.model}: ${c.reviews.map((x) => `${x.reviewer} ${x.score} (${x.scoredAt})`).join(', ')} — ${c.kinds.join(', ')}`,
          );
      } finally {
        store.close();
      }
    });

  const queue = reviews.command('queue').description('review queues: which answers to score, dealt to named reviewers');
  queue
    .command('create')
    .description('make a queue from a run, tickets, a filter or a stratified random sample')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .option('--run <id>', 'answers recorded in this run (an experiment or batch run)')
    .option('--ticket-ids <ids>', 'only these tickets (comma-separated)', list)
    .option('--search <text>', 'only tickets whose id, title or text contains this')
    .option('--platform <p>', 'only tickets triaged as this platform (aws, gcp, azure, other, none)')
    .option('--product <name>', 'only tickets triaged as this product')
    .option('--severity <s>', `only tickets triaged at this severity (${SEVERITIES.join(', ')})`)
    .option('--tasks <tasks>', `only these tasks (${TASK_IDS.join(', ')})`, taskList)
    .option('--models <specs>', 'only these models (at most 6)', list)
    .option('--sample <n>', 'a random sample of n items, stratified by task and model', positiveInt)
    .option('--seed <n>', 'seed of the sample and the blind shuffles (default: random, recorded)', wholeNumber)
    .option('--k <n>', 'reviewers per answer', positiveInt, 1)
    .option('--reviewers <names>', 'reviewers to deal the queue to (comma-separated)', list)
    .option('--name <name>', 'a name for the queue')
    .option('--no-blind', 'show model names and a fixed order from the start')
    .action(
      (o: {
        db: string;
        run?: string;
        ticketIds?: string[];
        search?: string;
        platform?: string;
        product?: string;
        severity?: string;
        tasks?: TaskId[];
        models?: string[];
        sample?: number;
        seed?: number;
        k: number;
        reviewers?: string[];
        name?: string;
        blind: boolean;
      }) => {
        if (o.severity !== undefined && !(SEVERITIES as readonly string[]).includes(o.severity)) {
          throw new AppError('BAD_INPUT', `--severity must be one of ${SEVERITIES.join(', ')}`);
        }
        const filter: NonNullable<QueueSpec['filter']> = {};
        if (o.search) filter.search = o.search;
        if (o.platform) filter.platform = o.platform;
        if (o.product) filter.product = o.product;
        if (o.severity) filter.severity = o.severity as (typeof SEVERITIES)[number];
        const store = openWorkspace(o.db);
        try {
          const q = createQueue(store, {
            name: o.name,
            runId: o.run,
            ticketIds: o.ticketIds,
            filter: Object.keys(filter).length ? filter : undefined,
            tasks: o.tasks,
            models: o.models,
            sample: o.sample,
            seed: o.seed,
            k: o.k,
            blind: o.blind,
            reviewers: o.reviewers,
          });
          out(`created review queue ${queueLine(q)}`);
          if (q.reviewers.length && q.reviewers.length < q.k)
            err(`casebench reviews: k is ${q.k} but only ${q.reviewers.length} reviewer(s) are assigned; each item goes to all of them`);
        } finally {
          store.close();
        }
      },
    );
  queue
    .command('list')
    .description('queues with progress per reviewer (done/assigned)')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .option('--json', 'one JSON array')
    .action((o: { db: string; json?: boolean }) => {
      const store = openWorkspace(o.db, 'read');
      try {
        const qs = listQueues(store);
        if (o.json) out(JSON.stringify(qs));
        else if (qs.length === 0) out('no review queues yet (casebench reviews queue create --run <id>)');
        else for (const q of qs) out(queueLine(q));
      } finally {
        store.close();
      }
    });
  queue
    .command('assign <queue> <reviewers...>')
    .description('add reviewers to a queue; untouched items are dealt again so the work is shared')
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .action((id: string, names: string[], o: { db: string }) => {
      const store = openWorkspace(o.db);
      try {
        out(queueLine(assignReviewers(store, id, names)));
      } finally {
        store.close();
      }
    });

  reviews
    .command('results')
    .description(
      'the manual-review table (score per model per task, 95 % interval, n), reviewer agreement, and where agreement with the baseline misleads',
    )
    .option('--db <path>', 'workspace database', DEFAULT_DB)
    .option('--run <id>', 'only reviews of answers in this run')
    .option('--queue <id>', "only reviews of this queue's answers")
    .option('--reviewers <names>', "only these reviewers' scores", list)
    .option('--baseline <model>', "the baseline model (default: each run's recorded baseline, else openai:gpt-4o)")
    .option('--format <fmt>', 'md or json', 'md')
    .action((o: { db: string; run?: string; queue?: string; reviewers?: string[]; baseline?: string; format: string }) => {
      if (o.format !== 'md' && o.format !== 'json') throw new AppError('BAD_INPUT', `--format must be md or json, not ${o.format}`);
      const store = openWorkspace(o.db, 'read');
      try {
        const r = reviewResults(store, { runId: o.run, queueId: o.queue, reviewers: o.reviewers, baseline: o.baseline });
        if (o.format === 'json') out(JSON.stringify(resultsJson(r), null, 2));
        else process.stdout.write(resultsMarkdown(r));
      } finally {
        store.close();
      }
    });
}

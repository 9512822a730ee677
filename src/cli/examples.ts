// Examples for every command's --help, kept beside each other so they read as one manual and a
// command added without examples is caught (test/cli/conventions.test.ts walks every command).
import type { Command } from 'commander';

/** Examples per command path ('' is casebench itself); each line is what a user types. */
export const EXAMPLES: Record<string, string[]> = {
  '': [
    'casebench triage --assign demo --text "EC2 i-0abc123 in us-east-1 is unreachable since 09:00"',
    'casebench run --tickets tickets.jsonl --assign demo --out results.jsonl',
    'casebench experiment --tickets tickets.jsonl --models openai:gpt-4o,groq:openai/gpt-oss-20b --baseline openai:gpt-4o',
    'casebench report --format html --out report.html',
  ],
  triage: [
    'casebench triage --assign demo --text "Our GKE cluster prod-eu cannot pull images since the upgrade"',
    'casebench triage --file ticket.txt --assign groq:openai/gpt-oss-20b --json',
    'cat ticket.txt | casebench triage --assign demo --no-record',
    'casebench triage --file ticket.txt --assign demo --strict || echo "some tasks failed"',
  ],
  run: [
    'casebench run --tickets tickets.jsonl --assign demo --out results.jsonl',
    'casebench run --tickets tickets.csv --assign "severity=openai:gpt-4o" --concurrency 4',
    'gunzip -c tickets.jsonl.gz | casebench run --tickets - --assign demo > results.jsonl',
    'casebench run --tickets tickets.jsonl --assign demo --retry-failed --strict',
  ],
  experiment: [
    'casebench experiment --tickets tickets.jsonl --models openai:gpt-4o,groq:openai/gpt-oss-20b --baseline openai:gpt-4o --yes',
    'casebench experiment --tickets tickets.jsonl --models openai:gpt-4o,groq:openai/gpt-oss-120b --baseline openai:gpt-4o --rpm groq=30 --retry-failed',
  ],
  report: [
    'casebench report',
    'casebench report --format html --out report.html --theme light',
    'casebench report --format json --floor platform=0.9,severity=0.8 --min-success 0.95',
    'casebench report --assign "severity=openai:gpt-4o" --baseline openai:gpt-4o',
  ],
  import: [
    'casebench import langsmith-runs.jsonl langfuse-observations.csv',
    'casebench import otlp-spans.json --json',
    'curl -s https://example.invalid/export.jsonl | casebench import -',
  ],
  export: [
    'casebench export --format jsonl --out calls.jsonl',
    'casebench export --format otlp --out spans.jsonl --redact',
    'casebench export --format csv --out rows.csv --run run-abc123',
  ],
  reviews: [
    'casebench reviews queue create --run run-abc123 --sample 50 --reviewers ana,ben --k 2',
    'casebench reviews results --format json',
  ],
  'reviews export': [
    'casebench reviews export --out reviews.jsonl',
    'casebench reviews export --out ana.jsonl --reviewer ana --run run-abc123',
  ],
  'reviews import': ['casebench reviews import reviews.jsonl', 'ssh colleague cat reviews.jsonl | casebench reviews import -'],
  'reviews queue': [
    'casebench reviews queue create --run run-abc123 --sample 50 --reviewers ana,ben',
    'casebench reviews queue list --json',
  ],
  'reviews queue create': [
    'casebench reviews queue create --run run-abc123 --sample 50 --seed 7 --reviewers ana,ben --k 2',
    'casebench reviews queue create --run run-abc123 --tasks severity,platform --severity critical --name "critical tickets"',
  ],
  'reviews queue list': ['casebench reviews queue list', 'casebench reviews queue list --json'],
  'reviews queue assign': ['casebench reviews queue assign q-1 carla dev'],
  'reviews results': ['casebench reviews results', 'casebench reviews results --run run-abc123 --reviewers ana,ben --format json'],
  traces: ['casebench traces list --status error', 'casebench traces show call-123'],
  'traces list': [
    'casebench traces list',
    'casebench traces list --model openai:gpt-4o --status error --limit 20',
    'casebench traces list --search refund --json',
  ],
  'traces show': ['casebench traces show call-123', 'casebench traces show call-123 --json'],
  'traces queue': ['casebench traces queue create --name "errors this week" --status error', 'casebench traces queue list'],
  'traces queue create': [
    'casebench traces queue create --name "gpt-4o sample" --model openai:gpt-4o --sample 40 --seed 3',
    'casebench traces queue create --name rubric --rubric rubric.json --open',
  ],
  'traces queue list': ['casebench traces queue list'],
  'traces results': ['casebench traces results', 'casebench traces results --queue tq-1 --format json'],
  'traces export': ['casebench traces export --out trace-reviews.jsonl', 'casebench traces export --out mine.jsonl --local'],
  'traces import': [
    'casebench traces import trace-reviews.jsonl',
    'casebench traces import langsmith-feedback.jsonl',
    'cat trace-reviews.jsonl | casebench traces import -',
  ],
  keys: ['printf %s "$GROQ_KEY" | casebench keys set groq', 'casebench keys list --json'],
  'keys set': ['printf %s "$GROQ_KEY" | casebench keys set groq', 'casebench keys set openai   (then paste the key, Enter, Ctrl-D)'],
  'keys delete': ['casebench keys delete openai'],
  'keys list': ['casebench keys list', "casebench keys list --json | jq -r '.[] | select(.set | not) | .provider'"],
  shadow: ['casebench shadow add groq:openai/gpt-oss-20b --task severity,platform', 'casebench shadow list --json'],
  'shadow add': ['casebench shadow add groq:openai/gpt-oss-20b --task all', 'casebench shadow add openai:gpt-4o-mini --task severity'],
  'shadow remove': ['casebench shadow remove groq:openai/gpt-oss-20b', 'casebench shadow remove openai:gpt-4o-mini --task severity'],
  'shadow limits': ['casebench shadow limits', 'casebench shadow limits --rpm 30 --concurrency 4 --spend-limit 0.50'],
  'shadow list': ['casebench shadow list', 'casebench shadow list --json'],
  judge: [
    'casebench judge --run experiment-0123456789abcdef --model openai:gpt-4o',
    'casebench judge --model groq:openai/gpt-oss-120b --tasks severity,platform --rpm 60 --yes',
    'casebench judge --run shadow-live --model openai:gpt-4o --json > judge.json',
  ],
  privacy: ['casebench privacy', 'casebench privacy --personal on', 'casebench privacy --info-gate off --json'],
  'privacy check': ['casebench privacy check --file ticket.txt', 'cat ticket.txt | casebench privacy check --redact all --json'],
  'privacy misses': ['casebench privacy misses', 'casebench privacy misses --json > misses.jsonl'],
  prompts: [
    'casebench prompts list',
    'casebench prompts save asset_ids asset_ids.md --from v1 --note "stricter ids"',
    'casebench prompts promote asset_ids v2',
  ],
  'prompts list': ['casebench prompts list', 'casebench prompts list --task severity --json'],
  'prompts show': ['casebench prompts show asset_ids', 'casebench prompts show asset_ids v1 > asset_ids.md'],
  'prompts diff': ['casebench prompts diff asset_ids v1 v2'],
  'prompts save': [
    'casebench prompts save asset_ids asset_ids.md --from v1 --note "stricter ids"',
    'casebench prompts show severity | sed s/urgent/critical/ | casebench prompts save severity - --from v1',
  ],
  'prompts check': ['casebench prompts check asset_ids v2', 'casebench prompts check asset_ids v2 --model openai:gpt-4o-mini'],
  'prompts promote': [
    'casebench prompts promote asset_ids v2',
    'casebench prompts promote severity v3 --model groq:openai/gpt-oss-20b --note "fewer urgent"',
  ],
  'prompts rollback': ['casebench prompts rollback asset_ids', 'casebench prompts rollback severity --model groq:openai/gpt-oss-20b'],
  serve: ['casebench serve', 'casebench serve --port 8080 --db ~/triage/casebench.db'],
  spend: ['casebench spend', 'casebench spend --limit 5', 'casebench spend --limit off', 'casebench spend --json'],
};

/** The path of a command below casebench: 'reviews queue create'. */
export function commandPath(c: Command): string {
  const names: string[] = [];
  for (let x: Command | null = c; x?.parent; x = x.parent) names.unshift(x.name());
  return names.join(' ');
}

/** Adds an "Examples:" section to the help of casebench and of every command it has registered. */
export function addExamples(program: Command): void {
  const visit = (c: Command): void => {
    const lines = EXAMPLES[commandPath(c)];
    if (lines) c.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`);
    for (const sub of c.commands) visit(sub);
  };
  visit(program);
}

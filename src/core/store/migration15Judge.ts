// Migration 15 (LLM-as-judge, issue 17 §1), in a file of its own like 12 and 13.
import type { Migration } from './migrations.ts';

export const JUDGE_MIGRATION: Migration = {
  version: 15,
  name: 'judge verdicts: a judge model scores recorded answers with the review rubric',
  sql: `
-- One judge model's verdict on one recorded answer, with the judge prompt's version. Never
-- overwritten: judging again with the same judge and prompt skips answers already judged, and
-- another judge or prompt version is another row. The judge's calls are rows of calls under the
-- judge's own run (runs.kind = 'judge', calls.task = 'judge:<task>'), so spend counts them.
CREATE TABLE judge_verdicts (
  id INTEGER PRIMARY KEY,
  judge_run_id TEXT NOT NULL,     -- the judge's run (its calls carry this run id)
  source_run_id TEXT NOT NULL,    -- the run whose answer was judged
  ticket_id TEXT NOT NULL,
  ticket_hash TEXT,               -- the ticket version the answer was given for
  task TEXT NOT NULL,
  model_spec TEXT NOT NULL,       -- the judged answer's model (the judge never sees it)
  answer_value TEXT,              -- the judged answer as stored in results.value
  judge_model TEXT NOT NULL,      -- provider:model of the judge
  prompt_version TEXT NOT NULL,   -- 'judge/v1'
  prompt_hash TEXT,               -- the prompt file's hash (an edit under one version shows)
  score REAL NOT NULL,
  correct_value TEXT,             -- JSON: the judge's correct value (exact tasks)
  expected TEXT,                  -- JSON list: details the judge expects (technical details)
  missing TEXT,                   -- JSON list: of those, the ones the answer missed
  reasoning TEXT,
  call_id INTEGER,                -- calls.id of the judge call that gave it
  judged_at INTEGER NOT NULL,
  UNIQUE (source_run_id, ticket_id, task, model_spec, judge_model, prompt_version)
);
CREATE INDEX judge_verdicts_by_run ON judge_verdicts(source_run_id, judge_model, prompt_version);
`,
};

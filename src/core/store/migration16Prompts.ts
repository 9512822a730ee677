// Migration 16 (prompt versions with rollback, issue 17 §3), in a file of its own like 12, 13 and 15.
import type { Migration } from './migrations.ts';

export const PROMPTS_MIGRATION: Migration = {
  version: 16,
  name: 'prompt versions saved in the workspace, and the promotions that make one active',
  sql: `
-- A prompt version written in the workbench. Shipped versions stay files under resources/prompts
-- (read-only in a packaged app); saved ones continue their numbering (v2, v3, …) and never change.
CREATE TABLE prompt_versions (
  task TEXT NOT NULL,
  version TEXT NOT NULL,          -- 'v2', 'v3', … (after the shipped ones)
  model_scope TEXT,               -- provider:model it was written for, or NULL (any model)
  template TEXT NOT NULL,         -- the system prompt with its {{placeholders}}
  hash TEXT NOT NULL,             -- sha256, first 12 hex (calls record the version; this tells edits apart)
  parent_version TEXT,            -- the version it was edited from
  author TEXT,
  note TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (task, version)
);
-- Which version is active, as a log: a promotion pushes a version, a rollback pops back to the one
-- active before. The newest row per (task, scope) says what is active; none: the newest shipped file.
CREATE TABLE prompt_promotions (
  id INTEGER PRIMARY KEY,
  task TEXT NOT NULL,
  model_scope TEXT NOT NULL DEFAULT '',  -- '' = every model; else provider:model
  action TEXT NOT NULL,                  -- 'promote' | 'rollback'
  version TEXT NOT NULL,                 -- active after this row
  from_version TEXT NOT NULL,            -- active before it
  stack TEXT NOT NULL,                   -- JSON list: versions a rollback returns to, newest last
  note TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX prompt_promotions_by_task ON prompt_promotions(task, model_scope, id);
`,
};

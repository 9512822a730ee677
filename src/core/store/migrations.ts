// Numbered, append-only schema migrations. PRAGMA user_version holds the last applied number.
// Never edit a released migration: add the next one.
// Over 400 lines: append-only by design; the large later migrations have their own files
// (migration12Hedge.ts, migration13Speculation.ts).

import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { MIGRATION_12_HEDGE } from './migration12Hedge.ts';
import { SPECULATION_MIGRATION } from './migration13Speculation.ts';
import { JUDGE_MIGRATION } from './migration15Judge.ts';
import { PROMPTS_MIGRATION } from './migration16Prompts.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A step SQL cannot express (e.g. hashing), run after `sql` in the same transaction. */
  up?: (db: DatabaseSync) => void;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'tickets, runs, results, calls',
    sql: `
CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  text TEXT NOT NULL,
  title TEXT,
  created_at TEXT,
  labels TEXT,            -- JSON gold labels (contracts §3) or NULL
  source TEXT,            -- file or 'paste'
  added_at INTEGER NOT NULL
);
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,     -- triage | run | experiment
  label TEXT,
  assignment TEXT NOT NULL, -- JSON {task: spec}
  config TEXT,            -- JSON, no secrets
  status TEXT NOT NULL,   -- running | done | interrupted
  created_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE TABLE run_tickets (
  run_id TEXT NOT NULL REFERENCES runs(id),
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  status TEXT NOT NULL,   -- pending | done | cancelled
  total_ms REAL,
  started_at INTEGER,
  finished_at INTEGER,
  PRIMARY KEY (run_id, ticket_id)
);
CREATE INDEX run_tickets_status ON run_tickets(run_id, status);
-- The final outcome of one task of one ticket for one model in one run.
CREATE TABLE results (
  run_id TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  task TEXT NOT NULL,
  model_spec TEXT NOT NULL,
  status TEXT NOT NULL,   -- ok | error | skipped
  value TEXT,             -- JSON normalised value
  raw TEXT,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  prompt_version TEXT,
  started_ms REAL, ended_ms REAL, latency_ms REAL, ttft_ms REAL,
  queue_time_ms REAL, provider_total_ms REAL,
  input_tokens INTEGER, output_tokens INTEGER, cached_tokens INTEGER, reasoning_tokens INTEGER,
  cost_usd REAL,
  attempts INTEGER NOT NULL DEFAULT 0,
  error_code TEXT, error_message TEXT,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, ticket_id, task, model_spec)
);
CREATE INDEX results_by_task_model ON results(run_id, task, model_spec, status);
CREATE INDEX results_by_ticket ON results(ticket_id);
-- Every attempt sent to a provider, including failures and retries.
CREATE TABLE calls (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  ticket_id TEXT NOT NULL,
  task TEXT NOT NULL,
  model_spec TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  prompt_version TEXT,
  started_at REAL NOT NULL,  -- epoch ms
  latency_ms REAL, ttft_ms REAL, queue_time_ms REAL, provider_total_ms REAL,
  status TEXT NOT NULL,      -- ok | error
  error_code TEXT, error_message TEXT, http_status INTEGER, request_id TEXT,
  input_tokens INTEGER, output_tokens INTEGER, cached_tokens INTEGER, reasoning_tokens INTEGER,
  cost_usd REAL,
  raw TEXT
);
CREATE INDEX calls_by_run_task_model ON calls(run_id, task, model_spec);
CREATE INDEX calls_by_ticket ON calls(ticket_id);
`,
  },
  {
    version: 2,
    name: 'workbench: settings, watched files, list indexes',
    sql: `
-- Workbench settings and UI state, one JSON value per key. Never holds a key (secrets live in the keychain).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,    -- JSON
  updated_at INTEGER NOT NULL
);
-- Files of the watched folder already imported (path + size + mtime), so a restart does not import them again.
CREATE TABLE watched_files (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ms REAL NOT NULL,
  run_id TEXT,
  imported_at INTEGER NOT NULL
);
-- The ticket list: newest first, and each ticket's latest run.
CREATE INDEX tickets_by_added ON tickets(added_at DESC, id);
CREATE INDEX run_tickets_by_ticket ON run_tickets(ticket_id, started_at);
`,
  },
  {
    // Version 3 is reserved for work in progress elsewhere; the migrator applies any higher version in order.
    version: 4,
    name: 'call_origins: where an imported call came from',
    sql: `
-- One row per imported call (calls.id): the file it came from and the ids it had in the tool that
-- produced it, so the UI can show its origin and an export can round-trip it.
CREATE TABLE call_origins (
  call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
  run_id TEXT NOT NULL,
  format TEXT NOT NULL,        -- format of the imported file: casebench | langsmith | langfuse | otlp | openinference | promptfoo
  file TEXT NOT NULL,          -- the imported file's name
  locator TEXT,                -- where in the file: line and/or JSON path
  trace_id TEXT,
  span_id TEXT,
  parent_span_id TEXT,
  source TEXT,                 -- JSON ids in the producing tool {format, id, parent_id, trace_id, ...}
  start_ns TEXT,               -- exact int64 epoch ns (calls.started_at is a double)
  end_ns TEXT,
  input_messages TEXT,         -- JSON [{role, content}]
  parsed_output TEXT,          -- JSON
  metadata TEXT,               -- JSON: the rest of the source record
  value TEXT                   -- JSON normalised value when the task is a casebench task and the answer parsed
);
CREATE INDEX call_origins_trace ON call_origins(trace_id);
`,
  },
  {
    version: 5,
    name: 'manual review: queues, reviewers, scores',
    sql: `
-- A review queue: a set of (ticket, task) items whose model answers reviewers score (issue #6).
CREATE TABLE review_queues (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  source TEXT NOT NULL,        -- JSON: how the items were chosen (run, tickets, filter, sample, seed)
  k INTEGER NOT NULL,          -- reviewers wanted per answer
  blind INTEGER NOT NULL,      -- 1: model names hidden and order shuffled until scored
  seed INTEGER NOT NULL,       -- base seed of the sample and of every item's shuffle
  created_at INTEGER NOT NULL
);
CREATE TABLE review_queue_items (
  queue_id TEXT NOT NULL REFERENCES review_queues(id) ON DELETE CASCADE,
  pos INTEGER NOT NULL,
  ticket_id TEXT NOT NULL,
  task TEXT NOT NULL,
  answers TEXT NOT NULL,       -- JSON [{model, run_id}], sorted by model; shown in the order shuffle(seed) gives
  seed INTEGER NOT NULL,       -- this item's recorded shuffle seed
  PRIMARY KEY (queue_id, pos)
);
CREATE TABLE review_queue_reviewers (
  queue_id TEXT NOT NULL REFERENCES review_queues(id) ON DELETE CASCADE,
  reviewer TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (queue_id, reviewer)
);
-- Which reviewers each item is dealt to (k per item when there are enough reviewers).
CREATE TABLE review_item_reviewers (
  queue_id TEXT NOT NULL,
  pos INTEGER NOT NULL,
  reviewer TEXT NOT NULL,
  PRIMARY KEY (queue_id, pos, reviewer),
  FOREIGN KEY (queue_id, pos) REFERENCES review_queue_items(queue_id, pos) ON DELETE CASCADE
);
-- One manual score of one model answer (contracts §5 line shape, §6 rubric). Several per answer
-- are kept (reviewers, re-scores, imports); nothing here is ever overwritten.
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  ticket_id TEXT NOT NULL,
  task TEXT NOT NULL,
  model_spec TEXT NOT NULL,
  run_id TEXT,                 -- run whose answer was scored (resolved to the latest one on import)
  answer_value TEXT,           -- JSON normalised value the score is about
  reviewer TEXT NOT NULL,
  score REAL NOT NULL,
  correct_value TEXT,          -- JSON; NULL when none was entered ('null' is a value)
  missing TEXT,                -- JSON string[] (technical details)
  expected TEXT,               -- JSON string[] the reviewer expected (local reviews only)
  expected_count INTEGER,      -- M of 1 - missing/M
  note TEXT,
  scored_at TEXT NOT NULL,     -- ISO-8601 as given
  scored_ms INTEGER NOT NULL,  -- the same instant, for ordering
  queue_id TEXT,
  source TEXT NOT NULL,        -- 'local' or the imported file's name
  label_before TEXT,           -- JSON {had, value}: the ticket label this review replaced, for undo
  superseded_by INTEGER        -- a later in-app re-score of the same answer by the same reviewer (kept for undo)
);
CREATE INDEX reviews_by_answer ON reviews(ticket_id, task, model_spec);
CREATE INDEX reviews_by_reviewer ON reviews(reviewer, id);
`,
  },
  {
    version: 6,
    name: 'ticket flags (prompt injection)',
    sql: `
-- JSON list of findings (e.g. [{"kind":"override","excerpt":"ignore your instructions"}]); NULL = none.
ALTER TABLE tickets ADD COLUMN flags TEXT;
`,
  },
  {
    version: 7,
    name: 'drop an index no query uses',
    sql: `
-- call_origins is read by call_id only; an index on trace_id cost every imported call a b-tree insert.
DROP INDEX IF EXISTS call_origins_trace;
`,
  },
  {
    version: 8,
    name: 'gold-label history and undoable review actions',
    sql: `
-- Every change of a ticket's gold label, keyed by ticket and task: who, when, from what, and why.
-- The current label stays where every reader finds it (the ticket's labels); this is its history.
CREATE TABLE gold_label_history (
  id INTEGER PRIMARY KEY,
  ticket_id TEXT NOT NULL,
  task TEXT NOT NULL,
  had_before INTEGER NOT NULL,  -- 0: the ticket had no gold label for the task
  value_before TEXT,            -- JSON label value before ('null' is a value)
  has_after INTEGER NOT NULL,
  value_after TEXT,             -- JSON label value after
  changed_by TEXT NOT NULL,     -- reviewer name
  changed_at TEXT NOT NULL,     -- ISO-8601
  changed_ms INTEGER NOT NULL,
  source TEXT NOT NULL,         -- 'review' | 'import' | 'undo' | 'restore'
  detail TEXT,                  -- the imported file, the entry undone or restored
  queue_id TEXT,
  action_id INTEGER             -- the review action it belongs to (undone together)
);
CREATE INDEX gold_label_history_by_label ON gold_label_history(ticket_id, task, id);
-- One reviewer action (a score, or a gold label with the scores it gave): what undo takes back whole.
CREATE TABLE review_actions (
  id INTEGER PRIMARY KEY,
  queue_id TEXT,
  reviewer TEXT NOT NULL,
  kind TEXT NOT NULL,           -- 'score' | 'gold' | 'restore'
  at_ms INTEGER NOT NULL,
  undone_ms INTEGER
);
CREATE INDEX review_actions_by_reviewer ON review_actions(reviewer, id);
ALTER TABLE reviews ADD COLUMN action_id INTEGER;
-- Scores given before this version: one action each, so undo goes on working over them.
INSERT INTO review_actions (id, queue_id, reviewer, kind, at_ms) SELECT id, queue_id, reviewer, 'score', scored_ms FROM reviews WHERE source = 'local';
UPDATE reviews SET action_id = id WHERE source = 'local';
`,
  },
  {
    version: 9,
    name: 'ticket versions, version-exact runs, run leases',
    sql: `
-- Every text a ticket id has had (issue 13 §4). A ticket's identity is (id, hash of its text):
-- the same id with another text is another version, never an overwrite. \`tickets\` stays the
-- latest version of each id (what the ticket list shows); \`hash\` names which one it is.
CREATE TABLE ticket_versions (
  ticket_id TEXT NOT NULL,
  hash TEXT NOT NULL,          -- ticketHash(text): sha256 of the text, 16 hex digits
  text TEXT NOT NULL,
  title TEXT,
  created_at TEXT,
  labels TEXT,                 -- JSON gold labels given for this text
  source TEXT,
  flags TEXT,
  added_at INTEGER NOT NULL,   -- first seen
  seen_at INTEGER NOT NULL,    -- last written
  PRIMARY KEY (ticket_id, hash)
);
ALTER TABLE tickets ADD COLUMN hash TEXT;
-- The version a run ran on; results and calls carry the version they were answered for (NULL on
-- rows written before this migration or by a trace import: the run ticket's version applies).
ALTER TABLE run_tickets ADD COLUMN ticket_hash TEXT;
ALTER TABLE results ADD COLUMN ticket_hash TEXT;
ALTER TABLE calls ADD COLUMN ticket_hash TEXT;
-- The ticket text (and labels) each run ticket was answered for.
CREATE VIEW run_ticket_versions AS
SELECT rt.run_id, rt.ticket_id, coalesce(rt.ticket_hash, t.hash) AS hash,
  CASE WHEN v.ticket_id IS NULL THEN t.text ELSE v.text END AS text,
  CASE WHEN v.ticket_id IS NULL THEN t.title ELSE v.title END AS title,
  CASE WHEN v.ticket_id IS NULL THEN t.created_at ELSE v.created_at END AS created_at,
  CASE WHEN v.ticket_id IS NULL THEN t.labels ELSE v.labels END AS labels,
  CASE WHEN v.ticket_id IS NULL THEN t.source ELSE v.source END AS source
FROM run_tickets rt
LEFT JOIN tickets t ON t.id = rt.ticket_id
LEFT JOIN ticket_versions v ON v.ticket_id = rt.ticket_id AND v.hash = coalesce(rt.ticket_hash, t.hash);
-- Which live process executes a run (one at a time). Released on exit; taken over only when the
-- owner is gone (same host: its pid is dead or its heartbeat stale; other host: heartbeat stale).
CREATE TABLE run_leases (
  run_id TEXT PRIMARY KEY,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  process_started_at INTEGER NOT NULL, -- epoch ms the owning process started (tells a reused pid apart)
  command TEXT,                        -- e.g. "casebench run", "casebench serve"
  acquired_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);
`,
    up: (db) => {
      // Existing tickets become their first version; every run and result so far was answered for it.
      const rows = db.prepare('SELECT id, text, title, created_at, labels, source, flags, added_at FROM tickets').all() as Array<
        Record<string, unknown>
      >;
      const ins = db.prepare(
        'INSERT OR IGNORE INTO ticket_versions (ticket_id, hash, text, title, created_at, labels, source, flags, added_at, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const set = db.prepare('UPDATE tickets SET hash = ? WHERE id = ?');
      for (const r of rows) {
        const text = String(r.text ?? '');
        const h = ticketHash(text);
        const at = typeof r.added_at === 'number' || typeof r.added_at === 'bigint' ? Number(r.added_at) : Date.now();
        ins.run(
          String(r.id),
          h,
          text,
          (r.title ?? null) as string | null,
          (r.created_at ?? null) as string | null,
          (r.labels ?? null) as string | null,
          (r.source ?? null) as string | null,
          (r.flags ?? null) as string | null,
          at,
          at,
        );
        set.run(h, String(r.id));
      }
      db.exec('UPDATE run_tickets SET ticket_hash = (SELECT hash FROM tickets WHERE id = run_tickets.ticket_id)');
      db.exec('UPDATE results SET ticket_hash = (SELECT hash FROM tickets WHERE id = results.ticket_id)');
    },
  },
  {
    version: 10,
    name: 'call timing: slot waits and cold connections apart from the call',
    sql: `
-- latency_ms is the call itself (request sent → answer received). What came before it is kept apart:
-- the time an attempt (calls) or a task's attempts together (results) waited for a free slot, and
-- whether the request was the first on a new connection (1/0; NULL = not known, e.g. imported).
ALTER TABLE calls ADD COLUMN slot_wait_ms REAL;
ALTER TABLE calls ADD COLUMN cold INTEGER;
ALTER TABLE results ADD COLUMN slot_wait_ms REAL;
`,
  },
  {
    version: 11,
    name: 'generic traces: span tree, generic-call flag, trace review queues and scores',
    sql: `
-- 1 when an imported call is not one of casebench's five tasks and carries no ticket: a generic trace
-- (a chat, an agent step, an eval case). It is listed under Traces, never in the ticket list.
ALTER TABLE call_origins ADD COLUMN generic INTEGER NOT NULL DEFAULT 0;
-- Only generic calls are in it (the partial index costs a casebench import nothing).
CREATE INDEX call_origins_generic ON call_origins(run_id, call_id) WHERE generic = 1;
-- The spans of an imported trace that are not model calls (chains, agents, tools, retrievers), so
-- the trace view can draw the span tree; model calls are in calls + call_origins.
CREATE TABLE trace_spans (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  trace_id TEXT,
  span_id TEXT NOT NULL,
  parent_span_id TEXT,
  name TEXT,
  kind TEXT,                   -- the source's type: chain, tool, AGENT, SPAN, INTERNAL, ...
  start_ns TEXT,               -- exact int64 epoch ns, or NULL when the source has no time
  end_ns TEXT,
  status TEXT,                 -- ok | error
  error TEXT,
  input TEXT,                  -- JSON, cut at 16 KB
  output TEXT,                 -- JSON, cut at 16 KB
  metadata TEXT,               -- JSON
  locator TEXT                 -- where in the file
);
CREATE INDEX trace_spans_by_trace ON trace_spans(run_id, trace_id);
CREATE INDEX trace_spans_by_span ON trace_spans(run_id, span_id);
CREATE INDEX trace_spans_by_parent ON trace_spans(run_id, parent_span_id);
-- Review of generic traces: a queue of imported calls with a rubric of its own.
CREATE TABLE trace_review_queues (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  source TEXT NOT NULL,        -- JSON: how the calls were chosen (imports, models, search, status, sample, seed)
  rubric TEXT NOT NULL,        -- JSON [{id, label, kind: pass_fail|score|label|note, labels?}]
  blind INTEGER NOT NULL,      -- 1: model, provider and the source's own scores hidden until the item is scored
  seed INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE trace_review_items (
  queue_id TEXT NOT NULL REFERENCES trace_review_queues(id) ON DELETE CASCADE,
  pos INTEGER NOT NULL,
  call_id INTEGER NOT NULL,
  PRIMARY KEY (queue_id, pos)
);
-- One judgement of one call on one criterion. Never overwritten: a re-score supersedes.
CREATE TABLE trace_reviews (
  id INTEGER PRIMARY KEY,
  call_id INTEGER NOT NULL,
  queue_id TEXT,
  criterion TEXT NOT NULL,     -- rubric id (local), or the source's score name (imported)
  kind TEXT NOT NULL,          -- pass_fail | score | label | note
  value TEXT,                  -- JSON: true/false, a number in [0, 1] (imported: as given), a label, or null for a note
  note TEXT,
  reviewer TEXT NOT NULL,      -- a person, or the source tool (langsmith:…, langfuse:…, promptfoo)
  scored_at TEXT NOT NULL,
  scored_ms INTEGER NOT NULL,
  source TEXT NOT NULL,        -- 'local', the imported trace file, or the review file
  superseded_by INTEGER
);
CREATE INDEX trace_reviews_by_call ON trace_reviews(call_id, criterion);
-- Calls imported before this version that are generic: flagged, and the tickets, results and run
-- tickets the importer made up for them removed (only when nothing else refers to them).
UPDATE call_origins SET generic = 1 WHERE format <> 'casebench' AND call_id IN (
  SELECT c.id FROM calls c JOIN call_origins o ON o.call_id = c.id
  WHERE c.task NOT IN ('platform', 'product', 'severity', 'asset_ids', 'technical_details') AND substr(c.ticket_id, 1, length(o.format) + 1) = o.format || ':');
DELETE FROM results WHERE rowid IN (
  SELECT r.rowid FROM results r JOIN calls c ON c.run_id = r.run_id AND c.ticket_id = r.ticket_id AND c.task = r.task AND c.model_spec = r.model_spec
  JOIN call_origins o ON o.call_id = c.id WHERE o.generic = 1);
DELETE FROM run_tickets WHERE rowid IN (
  SELECT rt.rowid FROM run_tickets rt JOIN runs r ON r.id = rt.run_id AND r.kind = 'import'
  WHERE rt.ticket_id IN (SELECT c.ticket_id FROM calls c JOIN call_origins o ON o.call_id = c.id WHERE o.generic = 1)
    AND NOT EXISTS (SELECT 1 FROM results x WHERE x.run_id = rt.run_id AND x.ticket_id = rt.ticket_id));
DELETE FROM tickets WHERE substr(source, 1, 7) = 'import:'
  AND id IN (SELECT c.ticket_id FROM calls c JOIN call_origins o ON o.call_id = c.id WHERE o.generic = 1)
  AND NOT EXISTS (SELECT 1 FROM run_tickets rt WHERE rt.ticket_id = tickets.id)
  AND NOT EXISTS (SELECT 1 FROM results r WHERE r.ticket_id = tickets.id)
  AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.ticket_id = tickets.id)
  AND NOT EXISTS (SELECT 1 FROM review_queue_items q WHERE q.ticket_id = tickets.id);
`,
  },
  MIGRATION_12_HEDGE,
  SPECULATION_MIGRATION,
  {
    version: 14,
    name: 'shadow models: production answers a live shadow experiment is measured against',
    sql: `
-- A shadow run (runs.kind = 'shadow') is a live experiment: candidate models answer every incoming
-- ticket beside production. Production's answers are copied into it as results (the report compares
-- against them), but their calls stay recorded once, in the production run — a copy would count
-- their spend twice. This says which production run answered which task of a shadow run's ticket.
CREATE TABLE shadow_baseline (
  run_id TEXT NOT NULL,          -- the shadow run
  ticket_id TEXT NOT NULL,
  task TEXT NOT NULL,
  model_spec TEXT NOT NULL,      -- production's model for the task
  source_run_id TEXT NOT NULL,   -- the production run whose calls answered it
  PRIMARY KEY (run_id, ticket_id, task)
);
-- Every call a run's report counts, by in_run: its own calls, and for a shadow run also the
-- production calls it is measured against (read in place, never copied).
CREATE VIEW run_calls AS
  SELECT calls.*, calls.run_id AS in_run FROM calls
  UNION ALL
  SELECT c.*, b.run_id AS in_run FROM shadow_baseline b
    JOIN calls c ON c.run_id = b.source_run_id AND c.ticket_id = b.ticket_id AND c.task = b.task AND c.model_spec = b.model_spec;
`,
  },
  JUDGE_MIGRATION,
  PROMPTS_MIGRATION,
];

/** The version key of a ticket text: sha256, first 16 hex digits (64 bits; compared per ticket id). */
export function ticketHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

export const LATEST_VERSION = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);

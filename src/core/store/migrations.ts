// Numbered, append-only schema migrations. PRAGMA user_version holds the last applied number.
// Never edit a released migration: add the next one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
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
];

export const LATEST_VERSION = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);

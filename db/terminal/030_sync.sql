-- Schema 30: the sync link with HQ (docs/sync.md).

-- hq_url, credential (the terminal's bearer token), cursor (opaque, from HQ), clock_skew_ms,
-- last_push_at, last_pull_at, last_error.
CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- Conflicts HQ decided about this store's operations, kept for the manager.
CREATE TABLE sync_conflicts (
  id          INTEGER PRIMARY KEY,             -- HQ's conflict id
  op_id       TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  member_id   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  decision    TEXT NOT NULL,
  detail_json TEXT NOT NULL,
  at          INTEGER NOT NULL,
  decided_at  INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  seen_at     INTEGER,                          -- when the manager acknowledged it
  seen_by     TEXT
) STRICT;
CREATE INDEX sync_conflicts_open ON sync_conflicts(decided_at) WHERE seen_at IS NULL;

-- A lot HQ knows carries HQ's key (the earning operation's id, or a key HQ made), so a pulled
-- member state updates the same lot instead of adding a second one.
ALTER TABLE point_lots ADD COLUMN hq_key TEXT;
CREATE UNIQUE INDEX point_lots_hq_key ON point_lots(hq_key) WHERE hq_key IS NOT NULL;

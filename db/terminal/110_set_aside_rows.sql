-- Schema 110: a row HQ sends that this terminal cannot parse is set aside here instead of failing
-- the whole pull (issue 15, "no poison"): the rest of the page applies and the cursor moves on. The
-- row is kept as received (cut to 16 KB) with why it was refused, for the manager and for HQ.
CREATE TABLE sync_set_aside (
  id INTEGER PRIMARY KEY,
  entity TEXT,
  entity_id TEXT,
  received_at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  row_json TEXT NOT NULL
);

-- Schema 120: a row set aside (schema 110) is reported to HQ once (docs/authority.md "No poison").
ALTER TABLE sync_set_aside ADD COLUMN reported_at INTEGER;

-- Schema 100: fewer pages written per redemption (≈3.5 of ≈16.4 per commit at a million members).
--  outbox.seq AUTOINCREMENT rewrote the sqlite_sequence page on every insert;
--  outbox.id UNIQUE wrote its autoindex page on every insert, and the terminal never looks an
--    event up by id (HQ de-duplicates on it; ids are fresh UUIDv7s);
--  ledger_op wrote an index page per ledger entry: a ledger entry carries its operation's member
--    and instant, so ledger_member (member_id, at) finds an operation's entries.
-- Acknowledged events are deleted, and HQ refuses a new event under a seq it already acknowledged,
-- so a seq is never reused: counters.outbox_seq_high_water keeps the highest seq that has left the
-- outbox (kept by the trigger below, on delete only: redemptions never write it) and a new event
-- takes one more than both it and the largest seq still in the table (src/store/outbox.ts).

-- The old high-water: sqlite_sequence knows it even when every event has been deleted.
INSERT INTO counters(name, value)
SELECT 'outbox_seq_high_water', max(
  coalesce((SELECT max(seq) FROM outbox), 0),
  coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0))
WHERE true
ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value);

CREATE TABLE outbox_100 (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL,
  op_id        TEXT REFERENCES operations(id),
  type         TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  acked_at     INTEGER
) STRICT;
INSERT INTO outbox_100(seq, id, op_id, type, payload_json, created_at, acked_at)
SELECT seq, id, op_id, type, payload_json, created_at, acked_at FROM outbox ORDER BY seq;
DROP TABLE outbox;
ALTER TABLE outbox_100 RENAME TO outbox;

-- Every delete, whoever runs it, raises the high-water mark in its own transaction.
CREATE TRIGGER outbox_seq_high_water AFTER DELETE ON outbox
BEGIN
  INSERT INTO counters(name, value) VALUES ('outbox_seq_high_water', OLD.seq)
  ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value);
END;

DROP INDEX IF EXISTS ledger_op;

-- Schema 150: returns (退货, docs/returns.md) are operations of kind 'return', naming the purchase
-- they return in target_op_id. SQLite cannot widen a CHECK in place, so the table is rebuilt as it
-- was with 'return' added. Its rows are parked in a plain copy and put back under the table's own
-- name: the ledger, outbox and print jobs keep referring to "operations", and the foreign keys
-- orphaned for a moment by the DROP are deferred to the commit, when every row is back.
-- (Merging another new kind: add it to the list below; the rest of this file stays.)
PRAGMA defer_foreign_keys = ON;

CREATE TABLE operations_149 AS SELECT id, kind, member_id, benefit_id, item_id, target_op_id, staff_id, approved_by, store_id,
  terminal_id, at, business_date, value_fen, points, amount_fen, detail_json, offline, synced, voided_by_op FROM operations;
DROP TABLE operations;

CREATE TABLE operations (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('redeem','exchange','cash','donate','earn','void','return')),
  member_id     TEXT NOT NULL REFERENCES members(id),
  benefit_id    TEXT REFERENCES benefits(id),
  item_id       TEXT REFERENCES catalog_items(id),
  target_op_id  TEXT REFERENCES operations(id),
  staff_id      TEXT NOT NULL REFERENCES staff(id),
  approved_by   TEXT REFERENCES staff(id),
  store_id      TEXT NOT NULL,
  terminal_id   TEXT NOT NULL,
  at            INTEGER NOT NULL,
  business_date TEXT NOT NULL,
  value_fen     INTEGER NOT NULL CHECK (value_fen >= 0),
  points        INTEGER NOT NULL,            -- signed: + earned, − burned
  amount_fen    INTEGER,
  detail_json   TEXT NOT NULL,
  offline       INTEGER NOT NULL CHECK (offline IN (0,1)),
  synced        INTEGER NOT NULL DEFAULT 0 CHECK (synced IN (0,1)),
  voided_by_op  TEXT
) STRICT, WITHOUT ROWID;
INSERT INTO operations(id, kind, member_id, benefit_id, item_id, target_op_id, staff_id, approved_by, store_id, terminal_id, at,
  business_date, value_fen, points, amount_fen, detail_json, offline, synced, voided_by_op)
SELECT id, kind, member_id, benefit_id, item_id, target_op_id, staff_id, approved_by, store_id, terminal_id, at,
  business_date, value_fen, points, amount_fen, detail_json, offline, synced, voided_by_op FROM operations_149;
DROP TABLE operations_149;

-- The same indexes as before (010, less operations_unsynced dropped in 050). A purchase's returns
-- are found by operations_member_benefit: (member, no benefit) and then target_op_id.
CREATE INDEX operations_member_benefit ON operations(member_id, benefit_id, at);
CREATE INDEX operations_day ON operations(business_date, kind);

-- A member's brand-wide use of each benefit as HQ last sent it (issue 17 item 4, docs/sync.md "Usage
-- across terminals"): redemptions HQ counted, the business day of the last one and how many fell on
-- that day, and when. The desk adds its own redemptions HQ has not acknowledged yet.
CREATE TABLE member_usage (
  member_id  TEXT NOT NULL,
  benefit_id TEXT NOT NULL,
  total      INTEGER NOT NULL CHECK (total >= 0),
  day        TEXT,
  day_count  INTEGER NOT NULL CHECK (day_count >= 0),
  last_at    INTEGER,
  PRIMARY KEY (member_id, benefit_id)
) STRICT, WITHOUT ROWID;

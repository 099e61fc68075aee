-- Schema 60: the manager's day-end (docs/dayend.md).

-- One row per closed business day of this terminal. The report is kept as it was at closing, so a
-- closed day shows and prints the same report again, and closing it twice changes nothing.
CREATE TABLE business_days (
  date        TEXT PRIMARY KEY,                          -- YYYY-MM-DD in the store's time zone
  number      INTEGER NOT NULL UNIQUE CHECK (number >= 1), -- the Z number, consecutive per terminal
  closed_at   INTEGER NOT NULL,
  closed_by   TEXT NOT NULL,                             -- staff id, or 'cli' from the command line
  synced      INTEGER NOT NULL CHECK (synced IN (0,1)),  -- every operation of the day acknowledged by HQ
  synced_at   INTEGER,
  report_json TEXT NOT NULL,
  -- Active and dormant members per tier at closing: what the KPIs count as "issued" for benefits
  -- every eligible member holds, without a full pass over members each time the charts open.
  stats_json  TEXT
) STRICT, WITHOUT ROWID;

-- Points written off when their lot expired: one row per lot (a lot expires once, even if HQ later
-- sends its old remaining back), dated by the day-end that wrote it off. Not an operation: HQ works
-- expiry out from the same expires_at, so nothing goes to the outbox.
CREATE TABLE point_expiries (
  lot_id        INTEGER PRIMARY KEY REFERENCES point_lots(id),
  member_id     TEXT NOT NULL REFERENCES members(id),
  points        INTEGER NOT NULL CHECK (points > 0),
  expired_at    INTEGER NOT NULL,                        -- the lot's expires_at
  business_date TEXT NOT NULL,
  swept_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX point_expiries_day ON point_expiries(business_date);

-- Staff added at this desk by the manager ('local') versus staff HQ manages ('hq', read-only here).
ALTER TABLE staff ADD COLUMN origin TEXT NOT NULL DEFAULT 'hq' CHECK (origin IN ('hq','local'));

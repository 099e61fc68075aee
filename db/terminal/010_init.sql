-- Loyalty Desk terminal database, schema 10: the local cache of one terminal.
-- Instants are UTC epoch milliseconds (INTEGER); money is integer fen; JSON columns hold text.
-- Rows that sync from HQ carry updated_at and tombstone.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE stores (
  id         TEXT PRIMARY KEY,
  name_json  TEXT NOT NULL,
  tz         TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  tombstone  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE members (
  id              TEXT PRIMARY KEY,
  card_no         TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL,
  phone           TEXT NOT NULL,
  birthday        TEXT,                      -- MM-DD or NULL
  tier            TEXT NOT NULL CHECK (tier IN ('basic','advanced','core','premium')),
  tier_since      INTEGER NOT NULL,
  card_serial     INTEGER NOT NULL CHECK (card_serial >= 1),
  status          TEXT NOT NULL CHECK (status IN ('active','revoked')),
  joined_at       INTEGER NOT NULL,
  last_purchase_at INTEGER,
  updated_at      INTEGER NOT NULL,
  tombstone       INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;

-- Rolling-window tier evaluation reads a member's last 12 months from here.
CREATE TABLE member_months (
  member_id TEXT NOT NULL REFERENCES members(id),
  month     TEXT NOT NULL,                   -- YYYY-MM in the store's time zone
  visits    INTEGER NOT NULL CHECK (visits >= 0),
  spend_fen INTEGER NOT NULL CHECK (spend_fen >= 0),
  PRIMARY KEY (member_id, month)
) STRICT, WITHOUT ROWID;

CREATE TABLE tier_changes (
  id          INTEGER PRIMARY KEY,
  member_id   TEXT NOT NULL REFERENCES members(id),
  at          INTEGER NOT NULL,
  from_tier   TEXT NOT NULL,
  to_tier     TEXT NOT NULL,
  reason      TEXT NOT NULL,
  op_id       TEXT
) STRICT;
CREATE INDEX tier_changes_member ON tier_changes(member_id, at);

CREATE TABLE point_lots (
  id         INTEGER PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members(id),
  earned_at  INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  points     INTEGER NOT NULL CHECK (points > 0),
  remaining  INTEGER NOT NULL CHECK (remaining >= 0 AND remaining <= points),
  op_id      TEXT
) STRICT;
CREATE INDEX point_lots_member ON point_lots(member_id, expires_at);

CREATE TABLE benefits (
  id              TEXT PRIMARY KEY,
  type            TEXT NOT NULL,
  name_json       TEXT NOT NULL,
  params_json     TEXT NOT NULL,
  valid_from      INTEGER NOT NULL,
  valid_to        INTEGER NOT NULL,
  tiers_json      TEXT NOT NULL,
  stores_json     TEXT NOT NULL,
  per_member_limit INTEGER,
  per_day_limit   INTEGER,
  offline_ok      INTEGER NOT NULL CHECK (offline_ok IN (0,1)),
  requires_grant  INTEGER NOT NULL CHECK (requires_grant IN (0,1)),
  updated_at      INTEGER NOT NULL,
  tombstone       INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Entitlements issued to one member (referral rewards, welcome gifts, win-back offers).
CREATE TABLE benefit_grants (
  id         INTEGER PRIMARY KEY,
  member_id  TEXT NOT NULL REFERENCES members(id),
  benefit_id TEXT NOT NULL REFERENCES benefits(id),
  granted_at INTEGER NOT NULL,
  reason     TEXT NOT NULL,
  used_op_id TEXT
) STRICT;
CREATE INDEX benefit_grants_member ON benefit_grants(member_id, benefit_id, used_op_id);

CREATE TABLE catalog_items (
  id          TEXT PRIMARY KEY,
  name_json   TEXT NOT NULL,
  sku         TEXT NOT NULL,
  points_cost INTEGER NOT NULL CHECK (points_cost > 0),
  value_fen   INTEGER NOT NULL CHECK (value_fen >= 0),
  tiers_json  TEXT NOT NULL,
  active      INTEGER NOT NULL CHECK (active IN (0,1)),
  updated_at  INTEGER NOT NULL,
  tombstone   INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE stock (
  store_id TEXT NOT NULL,
  sku      TEXT NOT NULL,
  name_json TEXT NOT NULL,
  qty      INTEGER NOT NULL CHECK (qty >= 0),
  PRIMARY KEY (store_id, sku)
) STRICT, WITHOUT ROWID;

CREATE TABLE staff (
  id         TEXT PRIMARY KEY,
  store_id   TEXT NOT NULL,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('clerk','manager')),
  pin_hash   TEXT NOT NULL,                  -- scrypt with the store's salt (meta pin_salt)
  active     INTEGER NOT NULL CHECK (active IN (0,1)),
  updated_at INTEGER NOT NULL,
  tombstone  INTEGER NOT NULL DEFAULT 0
) STRICT;
-- PINs are unique per store, so the PIN alone says who signs in.
CREATE UNIQUE INDEX staff_pin ON staff(store_id, pin_hash) WHERE tombstone = 0;

CREATE TABLE lockouts (
  scope        TEXT PRIMARY KEY,             -- 'terminal' or 'staff:<id>'
  failures     INTEGER NOT NULL,
  locked_until INTEGER
) STRICT;

-- Every operation at the desk: benefit redemptions, exchanges, cash deductions, donations,
-- earnings and voids. The id is a UUIDv7 (the redemption id printed on the receipt).
CREATE TABLE operations (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('redeem','exchange','cash','donate','earn','void')),
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
CREATE INDEX operations_member_benefit ON operations(member_id, benefit_id, at);
CREATE INDEX operations_day ON operations(business_date, kind);
CREATE INDEX operations_unsynced ON operations(member_id) WHERE synced = 0;

CREATE TABLE ledger (
  id         INTEGER PRIMARY KEY,
  op_id      TEXT NOT NULL REFERENCES operations(id),
  member_id  TEXT NOT NULL REFERENCES members(id),
  at         INTEGER NOT NULL,
  account    TEXT NOT NULL CHECK (account IN ('points','benefit','stock','charity','cash')),
  delta      INTEGER NOT NULL,
  value_fen  INTEGER NOT NULL,
  lot_id     INTEGER REFERENCES point_lots(id),
  ref        TEXT                            -- benefit id, sku or item id the entry moves
) STRICT;
CREATE INDEX ledger_op ON ledger(op_id);
CREATE INDEX ledger_member ON ledger(member_id, at);

-- seq is the terminal's outbox sequence number; id the idempotency id HQ de-duplicates on.
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT NOT NULL UNIQUE,
  op_id      TEXT REFERENCES operations(id),
  type       TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  acked_at   INTEGER
) STRICT;
CREATE INDEX outbox_pending ON outbox(seq) WHERE acked_at IS NULL;

-- Tamper-evident: hash = sha256(prev_hash || content_json); the first prev_hash is 64 zeros.
CREATE TABLE audit (
  seq          INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  actor        TEXT NOT NULL,
  action       TEXT NOT NULL,
  ref          TEXT,
  content_json TEXT NOT NULL,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
) STRICT;
CREATE INDEX audit_ref ON audit(ref);

CREATE TABLE print_jobs (
  id          INTEGER PRIMARY KEY,
  op_id       TEXT REFERENCES operations(id),
  kind        TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending','printed','failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  printed_at  INTEGER
) STRICT;
CREATE INDEX print_jobs_pending ON print_jobs(created_at) WHERE status <> 'printed';
CREATE INDEX print_jobs_op ON print_jobs(op_id);

-- Running totals kept in the same transaction as the rows they sum, so hot paths never scan:
-- 'unsynced_offline_value_fen' is what the offline total cap compares against.
CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;

-- Loyalty Desk HQ, schema 10. Instants are epoch ms (bigint); money integer fen.
-- Every row that terminals pull carries seq: its place in one change feed (change_seq). Writers
-- leave seq NULL and stamp it just before commit under an advisory lock (src/hq/services/stamp.ts),
-- so seq order is commit order and a cursor never skips a row that commits late.
CREATE SEQUENCE change_seq;

CREATE TABLE stores (
  id        text PRIMARY KEY,
  name      jsonb NOT NULL,
  tz        text NOT NULL,
  pin_salt  text NOT NULL,
  seq       bigint,
  tombstone boolean NOT NULL DEFAULT false
);

CREATE TABLE terminals (
  id              text PRIMARY KEY,
  store_id        text NOT NULL REFERENCES stores(id),
  label           text,
  credential_hash text NOT NULL UNIQUE,
  offline_limits  jsonb,                    -- per-terminal override of rules.offline
  last_seq        bigint NOT NULL DEFAULT 0, -- highest outbox seq acknowledged
  enrolled_at     bigint NOT NULL,
  last_seen_at    bigint,
  seq             bigint
);

CREATE TABLE enrollment_codes (
  code_hash   text PRIMARY KEY,
  store_id    text NOT NULL REFERENCES stores(id),
  created_at  bigint NOT NULL,
  expires_at  bigint NOT NULL,
  used_at     bigint,
  terminal_id text
);

CREATE TABLE members (
  id               text PRIMARY KEY,
  card_no          text NOT NULL UNIQUE,
  name             text NOT NULL,
  phone            text NOT NULL,
  birthday         text,
  tier             text NOT NULL,
  tier_since       bigint NOT NULL,
  card_serial      integer NOT NULL,
  status           text NOT NULL,
  joined_at        bigint NOT NULL,
  last_purchase_at bigint,
  months           jsonb NOT NULL DEFAULT '[]',
  lots             jsonb NOT NULL DEFAULT '[]',
  grants           jsonb NOT NULL DEFAULT '[]',
  seq              bigint,
  tombstone        boolean NOT NULL DEFAULT false
);

CREATE TABLE benefits (id text PRIMARY KEY, def jsonb NOT NULL, seq bigint, tombstone boolean NOT NULL DEFAULT false);
CREATE TABLE catalog_items (id text PRIMARY KEY, data jsonb NOT NULL, seq bigint, tombstone boolean NOT NULL DEFAULT false);
CREATE TABLE rules (id text PRIMARY KEY CHECK (id = 'global'), rules jsonb NOT NULL, seq bigint);

CREATE TABLE signing_keys (
  kid        text PRIMARY KEY,
  x          text NOT NULL,
  d          text NOT NULL,                 -- private half: signs member codes; never pulled
  valid_from bigint NOT NULL,
  valid_to   bigint,
  created_at bigint NOT NULL,
  seq        bigint,
  tombstone  boolean NOT NULL DEFAULT false
);

CREATE TABLE revocations (
  member_id   text NOT NULL,
  card_serial integer NOT NULL,             -- 0 revokes every card of the member
  revoked_at  bigint NOT NULL,
  reason      text,
  seq         bigint,
  tombstone   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (member_id, card_serial)
);

CREATE TABLE staff (
  id        text PRIMARY KEY,
  store_id  text NOT NULL REFERENCES stores(id),
  data      jsonb NOT NULL,                 -- name, role, pinHash (scrypt under the store's salt), active
  seq       bigint,
  tombstone boolean NOT NULL DEFAULT false
);

CREATE TABLE stock (
  store_id text NOT NULL REFERENCES stores(id),
  sku      text NOT NULL,
  name     jsonb NOT NULL,
  qty      integer NOT NULL,                -- may go below 0 when offline terminals over-issue
  seq      bigint,
  PRIMARY KEY (store_id, sku)
);

-- One row per outbox event ever applied: the idempotency record.
CREATE TABLE events (
  id          uuid PRIMARY KEY,
  terminal_id text NOT NULL REFERENCES terminals(id),
  seq         bigint NOT NULL,
  op_id       text NOT NULL,
  received_at bigint NOT NULL,
  UNIQUE (terminal_id, seq)
);

CREATE TABLE operations (
  id           text PRIMARY KEY,
  terminal_id  text NOT NULL,
  store_id     text NOT NULL,
  member_id    text NOT NULL,
  kind         text NOT NULL,
  benefit_id   text,
  target_op_id text,
  at           bigint NOT NULL,
  value_fen    bigint NOT NULL,
  points       bigint NOT NULL,
  payload      jsonb NOT NULL,
  burned       jsonb NOT NULL DEFAULT '[]', -- lots HQ burned: [{key, points}], so a void restores them
  voided_by    text,
  received_at  bigint NOT NULL
);
CREATE INDEX operations_redeemed ON operations(member_id, benefit_id) WHERE kind = 'redeem' AND voided_by IS NULL;

CREATE TABLE conflicts (
  id          bigserial PRIMARY KEY,
  store_id    text NOT NULL,
  terminal_id text NOT NULL,
  op_id       text NOT NULL,
  member_id   text NOT NULL,
  kind        text NOT NULL,
  decision    text NOT NULL,
  detail      jsonb NOT NULL,
  at          bigint NOT NULL,
  decided_at  bigint NOT NULL,
  seq         bigint,
  UNIQUE (op_id, kind)
);

-- The change feed: each table read in seq order, and the rows still to stamp.
CREATE INDEX stores_seq ON stores(seq);
CREATE INDEX terminals_seq ON terminals(seq);
CREATE INDEX members_seq ON members(seq);
CREATE INDEX benefits_seq ON benefits(seq);
CREATE INDEX catalog_seq ON catalog_items(seq);
CREATE INDEX keys_seq ON signing_keys(seq);
CREATE INDEX revocations_seq ON revocations(seq);
CREATE INDEX staff_seq ON staff(store_id, seq);
CREATE INDEX stock_seq ON stock(store_id, seq);
CREATE INDEX conflicts_seq ON conflicts(store_id, seq);
CREATE INDEX stores_unstamped ON stores(id) WHERE seq IS NULL;
CREATE INDEX terminals_unstamped ON terminals(id) WHERE seq IS NULL;
CREATE INDEX members_unstamped ON members(id) WHERE seq IS NULL;
CREATE INDEX benefits_unstamped ON benefits(id) WHERE seq IS NULL;
CREATE INDEX catalog_unstamped ON catalog_items(id) WHERE seq IS NULL;
CREATE INDEX keys_unstamped ON signing_keys(kid) WHERE seq IS NULL;
CREATE INDEX revocations_unstamped ON revocations(member_id) WHERE seq IS NULL;
CREATE INDEX staff_unstamped ON staff(id) WHERE seq IS NULL;
CREATE INDEX stock_unstamped ON stock(store_id, sku) WHERE seq IS NULL;
CREATE INDEX conflicts_unstamped ON conflicts(id) WHERE seq IS NULL;

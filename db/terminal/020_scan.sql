-- Schema 20: what offline code verification needs (DESIGN.md "Member codes").

-- HQ's Ed25519 public keys by kid (x = base64url of the 32 raw bytes), synced from HQ.
CREATE TABLE trusted_keys (
  kid        TEXT PRIMARY KEY,
  x          TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to   INTEGER,                        -- NULL = no end
  updated_at INTEGER NOT NULL,
  tombstone  INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Schema 10 kept the demo key in meta; carry it over.
INSERT INTO trusted_keys(kid, x, valid_from, valid_to, updated_at)
SELECT json_extract(value, '$.kid'), json_extract(value, '$.x'), json_extract(value, '$.validFrom'), json_extract(value, '$.validTo'), 0
  FROM json_each((SELECT value FROM meta WHERE key = 'hq_public_keys_json'));

-- Revoked cards: card_serial 0 revokes every card of the member.
CREATE TABLE revocations (
  member_id   TEXT NOT NULL,
  card_serial INTEGER NOT NULL DEFAULT 0,
  revoked_at  INTEGER NOT NULL,
  reason      TEXT,
  updated_at  INTEGER NOT NULL,
  tombstone   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (member_id, card_serial)
) STRICT, WITHOUT ROWID;

-- Rotating codes seen at this terminal: the same (member, 30-second step) twice is a replay.
-- Survives restarts; rows older than a few steps may be pruned.
CREATE TABLE seen_codes (
  member_id TEXT NOT NULL,
  step      INTEGER NOT NULL,
  seen_at   INTEGER NOT NULL,
  PRIMARY KEY (member_id, step)
) STRICT, WITHOUT ROWID;

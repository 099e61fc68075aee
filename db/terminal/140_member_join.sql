-- Schema 140: sign-up at the desk (开卡, issue 17; docs/join.md).
-- The brand's privacy terms as HQ publishes them (the desk shows the highest version to the member).
CREATE TABLE privacy_terms (
  version      INTEGER PRIMARY KEY CHECK (version >= 1),
  text_json    TEXT NOT NULL,                 -- {"zh-CN","zh-TW","en"}
  published_at INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;

-- Card numbers HQ reserved for this terminal: issued numbers start … start + size − 1
-- (src/loyalty/cardNumber.ts); `used` of them are taken, in order. HQ's row never lowers `used`.
CREATE TABLE card_blocks (
  start       INTEGER PRIMARY KEY CHECK (start >= 1),
  size        INTEGER NOT NULL CHECK (size >= 1),
  used        INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= size),
  updated_at  INTEGER NOT NULL
) STRICT;

-- The member's consent at sign-up: which terms, when, recorded by whom; who referred them.
-- The phone number itself is kept nowhere on the terminal (only in the sign-up's outbox event until HQ has it).
CREATE TABLE member_consents (
  member_id     TEXT PRIMARY KEY REFERENCES members(id),
  join_id       TEXT NOT NULL,
  terms_version INTEGER NOT NULL,
  at            INTEGER NOT NULL,
  staff_id      TEXT NOT NULL REFERENCES staff(id),
  referrer_id   TEXT
) STRICT;

-- Member ids HQ merged into another member (two sign-ups of one phone): the id and its card
-- still find the member they were merged into.
CREATE TABLE member_aliases (
  alias_id   TEXT PRIMARY KEY,
  member_id  TEXT NOT NULL,
  card_no    TEXT,
  updated_at INTEGER NOT NULL,
  tombstone  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX member_aliases_card ON member_aliases(card_no) WHERE card_no IS NOT NULL;

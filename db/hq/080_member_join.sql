-- Schema 80: sign-up at the desk (开卡, issue 17; docs/join.md).
-- The brand's privacy terms, every published version (a consent names the version it agreed to).
CREATE TABLE privacy_terms (
  version      integer PRIMARY KEY CHECK (version >= 1),
  text         jsonb NOT NULL,
  published_at bigint NOT NULL,
  seq          bigint
);
CREATE INDEX privacy_terms_seq ON privacy_terms(seq);
CREATE INDEX privacy_terms_unstamped ON privacy_terms(version) WHERE seq IS NULL;

-- Card numbers reserved per terminal (issued numbers, src/loyalty/cardNumber.ts): one block at
-- enrollment, another when fewer than a low-water mark are left. `used`: sign-ups HQ accepted from it.
CREATE TABLE card_blocks (
  start       bigint PRIMARY KEY CHECK (start >= 1),
  size        integer NOT NULL CHECK (size >= 1),
  terminal_id text NOT NULL REFERENCES terminals(id),
  used        integer NOT NULL DEFAULT 0,
  reserved_at bigint NOT NULL,
  seq         bigint
);
CREATE INDEX card_blocks_terminal ON card_blocks(terminal_id, seq);
CREATE INDEX card_blocks_unstamped ON card_blocks(start) WHERE seq IS NULL;

-- Each sign-up HQ accepted: the consent (terms version, time, staff), the referrer, the terminal;
-- merged_into when HQ folded it into the member who had the phone first.
CREATE TABLE member_signups (
  join_id        text PRIMARY KEY,
  member_id      text NOT NULL UNIQUE,
  terminal_id    text NOT NULL,
  store_id       text NOT NULL,
  card_no        text NOT NULL,
  terms_version  integer NOT NULL,
  consent_at     bigint NOT NULL,
  staff_id       text NOT NULL,
  referrer_id    text,
  received_at    bigint NOT NULL,
  merged_into    text,
  -- 老带新: set when the referral reward was given (the referee's first purchase).
  referral_rewarded_op text
);
CREATE INDEX member_signups_referrer ON member_signups(referrer_id) WHERE referrer_id IS NOT NULL;

-- Ids (and their cards) merged into another member: every terminal keeps them as aliases.
CREATE TABLE member_aliases (
  alias_id  text PRIMARY KEY,
  member_id text NOT NULL,
  card_no   text,
  merged_at bigint NOT NULL,
  seq       bigint,
  tombstone boolean NOT NULL DEFAULT false
);
CREATE INDEX member_aliases_seq ON member_aliases(seq);
CREATE INDEX member_aliases_unstamped ON member_aliases(alias_id) WHERE seq IS NULL;
CREATE UNIQUE INDEX member_aliases_card ON member_aliases(card_no) WHERE card_no IS NOT NULL;
-- Phone lookups at sign-up (one member per phone).
CREATE INDEX members_phone_hash ON members(phone_hash) WHERE NOT tombstone;

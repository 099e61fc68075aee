-- Schema 120: a lost card (挂失补卡, issue 17 item 3; docs/lostcard.md).
-- Each replacement HQ accepted: the old card (its number never finds the member again), the new one
-- from the terminal's block, who did it and which manager approved. Published to every terminal as
-- the `cardReplaced` change (id: the old card number), so the old number is refused everywhere.
CREATE TABLE card_replacements (
  replace_id   text PRIMARY KEY,
  member_id    text NOT NULL,
  old_card_no  text NOT NULL UNIQUE,
  old_serial   integer NOT NULL,
  new_card_no  text NOT NULL,
  new_serial   integer NOT NULL,
  terminal_id  text NOT NULL,
  store_id     text NOT NULL,
  staff_id     text NOT NULL,
  approved_by  text NOT NULL,
  at           bigint NOT NULL,
  received_at  bigint NOT NULL,
  seq          bigint,
  tombstone    boolean NOT NULL DEFAULT false
);
CREATE INDEX card_replacements_seq ON card_replacements(seq);
CREATE INDEX card_replacements_unstamped ON card_replacements(replace_id) WHERE seq IS NULL;

-- Schema 190: a lost card (挂失补卡, issue 17 item 3; docs/lostcard.md).
-- Card numbers that were replaced: the old number, typed or scanned, is CARD_SUPERSEDED, not an
-- unknown card. Written here at the replacement and pulled from HQ (the `cardReplaced` change)
-- so every terminal refuses it; the old serial's signed codes are refused by members.card_serial.
CREATE TABLE replaced_cards (
  card_no     TEXT PRIMARY KEY,
  member_id   TEXT NOT NULL,
  card_serial INTEGER NOT NULL CHECK (card_serial >= 1),
  replaced_by TEXT NOT NULL,
  at          INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  tombstone   INTEGER NOT NULL DEFAULT 0
) STRICT;

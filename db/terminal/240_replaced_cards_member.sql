-- Schema 240: the desk's member card asks whether HQ's signed code of the member's current card is
-- held (signedCodeOfCurrentCard, after 挂失补卡; docs/lostcard.md) each time a card opens. Every
-- terminal keeps every replacement of the brand (the pulled cardReplaced changes): by member, not a scan.
CREATE INDEX replaced_cards_member ON replaced_cards(member_id);

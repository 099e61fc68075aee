-- Schema 220: points a member owes after a return of points already spent, where HQ's rules allow
-- it (rules.returns.allowNegative, docs/returns.md "Owing points"): set by this terminal's returns,
-- repaid by its earns, and replaced by HQ's figure with the member, like the lots.
ALTER TABLE members ADD COLUMN points_owed INTEGER NOT NULL DEFAULT 0 CHECK (points_owed >= 0);

-- The static code HQ signed for the card that replaced this one (the cardReplaced change's `code`):
-- the member's QR for the new card, printable here once the replacement has synced. NULL until then.
ALTER TABLE replaced_cards ADD COLUMN new_code TEXT;

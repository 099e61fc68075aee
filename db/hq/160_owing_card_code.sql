-- Schema 160: points a member owes (docs/returns.md "Owing points"). A return of points already
-- spent takes back what is there; where HQ's rules allow it (rules.returns.allowNegative), the rest
-- up to negativeLimitPoints is owed instead of written off, and later points repay it first. Kept on
-- the member row (the push's one writer of members) and published with the member (protocol v2).
-- The CHECK is the floor; the limit is the rules' and only caps what a return adds.
ALTER TABLE members ADD COLUMN points_owed integer NOT NULL DEFAULT 0 CHECK (points_owed >= 0);

-- A replaced card's successor gets its static code (LD1C, DESIGN.md "Member codes") signed by HQ
-- when HQ applies the replacement (docs/lostcard.md "HQ signs the new card's code"): published with
-- the cardReplaced change, so every terminal can print it and accepts it. NULL: HQ held no signing
-- key then, or the row is a retired duplicate (two offline replacements of one card).
ALTER TABLE card_replacements ADD COLUMN card_code text;

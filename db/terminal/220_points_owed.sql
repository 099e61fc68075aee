-- Schema 220: points a member owes after a return of points already spent, where HQ's rules allow
-- it (rules.returns.allowNegative, docs/returns.md "Owing points"): set by this terminal's returns,
-- repaid by its earns, and replaced by HQ's figure with the member, like the lots.
ALTER TABLE members ADD COLUMN points_owed INTEGER NOT NULL DEFAULT 0 CHECK (points_owed >= 0);

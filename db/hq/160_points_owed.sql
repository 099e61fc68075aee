-- Schema 160: points a member owes (docs/returns.md "Owing points"). A return of points already
-- spent takes back what is there; where HQ's rules allow it (rules.returns.allowNegative), the rest
-- up to negativeLimitPoints is owed instead of written off, and later points repay it first. Kept on
-- the member row (the push's one writer of members) and published with the member (protocol v2).
-- The CHECK is the floor; the limit is the rules' and only caps what a return adds.
ALTER TABLE members ADD COLUMN points_owed integer NOT NULL DEFAULT 0 CHECK (points_owed >= 0);

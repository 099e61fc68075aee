-- Schema 90: the population index of schema 70 keyed an expression, which SQLite can seek on but
-- not answer from (it read every member row of the range: 0.5 s at a million members). Plain
-- columns make both counts covering index scans.
DROP INDEX IF EXISTS members_population;
CREATE INDEX members_activity ON members(tier, last_purchase_at, joined_at) WHERE tombstone = 0 AND status = 'active';
